import { Client } from '@hubspot/api-client';
import { stepFailed, type Scenario } from '../types.ts';

/**
 * Drives every implemented HubSpot operation through @hubspot/api-client on a fresh clone:
 * contacts, companies and deals (CRUD, paging, batch, search, merge, GDPR delete), the
 * generic objects API by objectTypeId, associations v4, the deal pipeline and property
 * definitions. Steps tolerate a missing value from an earlier failed step.
 */
const HUBSPOT_DEFINED = 'HUBSPOT_DEFINED' as never;
const EQ = 'EQ' as never;

export const scenario: Scenario = async (ctx) => {
  const hs = new Client({ accessToken: ctx.clone.tokens.botToken, basePath: ctx.apiUrl, numberOfApiCallRetries: 0 });
  const tag = `v${ctx.unique}`;
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw stepFailed(`${what} missing (an earlier step failed)`);
    return v;
  };
  const assoc = (id: string, typeId: number) => ({ to: { id }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: typeId }] });
  let company: string | undefined;
  let contact: string | undefined;
  let deal: string | undefined;

  await ctx.step('companies', async () => {
    const c = await hs.crm.companies.basicApi.create({ properties: { name: `Verify ${tag}`, domain: `${tag}.test` }, associations: [] });
    company = c.id;
    await hs.crm.companies.basicApi.getById(c.id, ['name', 'domain']);
    await hs.crm.companies.basicApi.update(c.id, { properties: { industry: 'COMPUTER_SOFTWARE' } });
    await hs.crm.companies.basicApi.getPage(5);
    const found = await hs.crm.companies.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'domain', operator: EQ, value: `${tag}.test` }] }], limit: 5 });
    if (found.total !== 1) throw stepFailed(`company search found ${found.total}`);
    const batch = await hs.crm.companies.batchApi.create({ inputs: [{ properties: { name: `Batch ${tag}` }, associations: [] }] });
    const b = need(batch.results[0], 'batch company');
    await hs.crm.companies.batchApi.read({ inputs: [{ id: b.id }], properties: ['name'], propertiesWithHistory: [] });
    await hs.crm.companies.batchApi.update({ inputs: [{ id: b.id, properties: { city: 'Austin' } }] });
    await hs.crm.companies.batchApi.upsert({ inputs: [{ id: b.id, idProperty: 'hs_object_id', properties: { city: 'Boston' } }] });
    const other = await hs.crm.companies.basicApi.create({ properties: { name: `Merge ${tag}` }, associations: [] });
    await hs.crm.companies.basicApi.merge({ primaryObjectId: b.id, objectIdToMerge: other.id });
    await hs.crm.companies.batchApi.archive({ inputs: [{ id: b.id }] });
  });

  await ctx.step('contacts', async () => {
    const c = await hs.crm.contacts.basicApi.create({ properties: { email: `ada-${tag}@example.com`, firstname: 'Ada', lastname: 'Verify' }, associations: company ? [assoc(company, 1)] : [] });
    contact = c.id;
    await hs.crm.contacts.basicApi.getById(c.id, undefined, ['firstname'], ['companies']);
    await hs.crm.contacts.basicApi.update(c.id, { properties: { jobtitle: 'CTO' } });
    await hs.crm.contacts.basicApi.getPage(5, undefined, ['email']);
    const found = await hs.crm.contacts.searchApi.doSearch({ query: `ada-${tag}`, limit: 5 });
    if (found.total !== 1) throw stepFailed(`contact search found ${found.total}`);
    const batch = await hs.crm.contacts.batchApi.create({ inputs: [{ properties: { email: `grace-${tag}@example.com`, firstname: 'Grace' }, associations: [] }] });
    const g = need(batch.results[0], 'batch contact');
    await hs.crm.contacts.batchApi.read({ inputs: [{ id: `grace-${tag}@example.com` }], idProperty: 'email', properties: ['email'], propertiesWithHistory: ['firstname'] });
    await hs.crm.contacts.batchApi.update({ inputs: [{ id: g.id, properties: { lastname: 'Hopper' } }] });
    await hs.crm.contacts.batchApi.upsert({ inputs: [{ id: `alan-${tag}@example.com`, idProperty: 'email', properties: { firstname: 'Alan' } }] });
    const dup = await hs.crm.contacts.basicApi.create({ properties: { email: `ada2-${tag}@example.com`, firstname: 'Ada' }, associations: [] });
    await hs.crm.contacts.basicApi.merge({ primaryObjectId: c.id, objectIdToMerge: dup.id });
    await hs.crm.contacts.basicApi.purge({ objectId: g.id });
    const gone = await hs.crm.contacts.basicApi.create({ properties: { email: `gone-${tag}@example.com` }, associations: [] });
    await hs.crm.contacts.batchApi.archive({ inputs: [{ id: gone.id }] });
  });

  await ctx.step('deals', async () => {
    const d = await hs.crm.deals.basicApi.create({
      properties: { dealname: `Deal ${tag}`, amount: '1500', pipeline: 'default', dealstage: 'qualifiedtobuy', closedate: '2026-06-30' },
      associations: [...(company ? [assoc(company, 5)] : []), ...(contact ? [assoc(contact, 3)] : [])],
    });
    deal = d.id;
    await hs.crm.deals.basicApi.getById(d.id, undefined, undefined, ['companies', 'contacts']);
    await hs.crm.deals.basicApi.update(d.id, { properties: { dealstage: 'contractsent' } });
    await hs.crm.deals.basicApi.getPage(5);
    await hs.crm.deals.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'dealstage', operator: EQ, value: 'contractsent' }] }], sorts: ['-amount'], properties: ['dealname', 'amount'], limit: 10 });
    const batch = await hs.crm.deals.batchApi.create({ inputs: [{ properties: { dealname: `Batch deal ${tag}`, dealstage: 'closedwon', amount: '900' }, associations: [] }] });
    const b = need(batch.results[0], 'batch deal');
    await hs.crm.deals.batchApi.read({ inputs: [{ id: b.id }], properties: ['dealname'], propertiesWithHistory: ['dealstage'] });
    await hs.crm.deals.batchApi.update({ inputs: [{ id: b.id, properties: { amount: '950' } }] });
    await hs.crm.deals.batchApi.upsert({ inputs: [{ id: b.id, idProperty: 'hs_object_id', properties: { amount: '975' } }] });
    const other = await hs.crm.deals.basicApi.create({ properties: { dealname: `Merge deal ${tag}` }, associations: [] });
    await hs.crm.deals.basicApi.merge({ primaryObjectId: b.id, objectIdToMerge: other.id });
    await hs.crm.deals.batchApi.archive({ inputs: [{ id: b.id }] });
  });

  await ctx.step('generic objects API (objectTypeId 0-1)', async () => {
    const o = await hs.crm.objects.basicApi.create('0-1', { properties: { email: `obj-${tag}@example.com`, firstname: 'Obj' }, associations: [] });
    await hs.crm.objects.basicApi.getById('0-1', o.id, ['email']);
    await hs.crm.objects.basicApi.update('0-1', o.id, { properties: { lastname: 'Generic' } });
    await hs.crm.objects.basicApi.getPage('0-1', 3);
    await hs.crm.objects.searchApi.doSearch('0-1', { filterGroups: [{ filters: [{ propertyName: 'email', operator: EQ, value: `obj-${tag}@example.com` }] }] });
    const batch = await hs.crm.objects.batchApi.create('0-2', { inputs: [{ properties: { name: `Generic ${tag}` }, associations: [] }] });
    const b = need(batch.results[0], 'generic batch company');
    await hs.crm.objects.batchApi.read('0-2', { inputs: [{ id: b.id }], properties: ['name'], propertiesWithHistory: [] });
    await hs.crm.objects.batchApi.update('0-2', { inputs: [{ id: b.id, properties: { city: 'Paris' } }] });
    await hs.crm.objects.batchApi.upsert('0-2', { inputs: [{ id: b.id, idProperty: 'hs_object_id', properties: { city: 'Lyon' } }] });
    await hs.crm.objects.batchApi.archive('0-2', { inputs: [{ id: b.id }] });
    await hs.crm.objects.basicApi.archive('0-1', o.id);
  });

  await ctx.step('associations v4', async () => {
    const c = need(contact, 'contact');
    const co = need(company, 'company');
    const d = need(deal, 'deal');
    const extra = await hs.crm.companies.basicApi.create({ properties: { name: `Assoc ${tag}` }, associations: [] });
    await hs.crm.associations.v4.basicApi.create('contacts', c, 'companies', extra.id, [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 279 }]);
    await hs.crm.associations.v4.basicApi.getPage('contacts', c, 'companies');
    await hs.crm.associations.v4.basicApi.createDefault('deals', d, 'companies', extra.id);
    await hs.crm.associations.v4.basicApi.archive('deals', d, 'companies', extra.id);
    await hs.crm.associations.v4.batchApi.create('companies', 'deals', { inputs: [{ _from: { id: extra.id }, to: { id: d }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 342 }] }] });
    await hs.crm.associations.v4.batchApi.createDefault('companies', 'contacts', { inputs: [{ _from: { id: co }, to: { id: c } }] });
    const read = await hs.crm.associations.v4.batchApi.getPage('contacts', 'companies', { inputs: [{ id: c }] });
    if (!read.results[0]?.to.some((t) => t.toObjectId === extra.id)) throw stepFailed('batch read does not show the new association');
    await hs.crm.associations.v4.batchApi.archiveLabels('contacts', 'companies', { inputs: [{ _from: { id: c }, to: { id: co }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 1 }] }] });
    await hs.crm.associations.v4.batchApi.archive('contacts', 'companies', { inputs: [{ _from: { id: c }, to: [{ id: extra.id }] }] });
    await hs.crm.associations.v4.schema.definitionsApi.getAll('contacts', 'companies');
  });

  await ctx.step('pipelines', async () => {
    await hs.crm.pipelines.pipelinesApi.getAll('deals');
    await hs.crm.pipelines.pipelinesApi.getById('deals', 'default');
    await hs.crm.pipelines.pipelineAuditsApi.getAudit('deals', 'default');
    await hs.crm.pipelines.pipelineStagesApi.getAll('deals', 'default');
    await hs.crm.pipelines.pipelineStagesApi.getById('deals', 'default', 'closedwon');
    // The SDK's stage-audit call takes no pipeline id and leaves {pipelineId} in the path.
    await hs.crm.pipelines.pipelineStageAuditsApi.getAudit('deals', 'closedwon');
  });

  await ctx.step('properties', async () => {
    await hs.crm.properties.coreApi.getAll('contacts');
    await hs.crm.properties.coreApi.getByName('deals', 'dealstage');
    await hs.crm.properties.groupsApi.getAll('companies');
    await hs.crm.properties.groupsApi.getByName('companies', 'companyinformation');
    await hs.crm.properties.batchApi.read('contacts', { archived: false, inputs: [{ name: 'email' }, { name: 'firstname' }] });
  });

  await ctx.step('archives', async () => {
    await hs.crm.deals.basicApi.archive(need(deal, 'deal'));
    await hs.crm.contacts.basicApi.archive(need(contact, 'contact'));
    await hs.crm.companies.basicApi.archive(need(company, 'company'));
  });
};
