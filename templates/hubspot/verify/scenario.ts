import { Client } from '@hubspot/api-client';
import { is, stepFailed, type Scenario } from '../../../src/verify/types.ts';
import { definitionConfigurationsApi } from './sdk-extra.ts';

/**
 * Drives every implemented HubSpot operation through @hubspot/api-client on a fresh clone:
 * contacts, companies, deals and tickets (CRUD, paging, batch, search, merge, GDPR delete), the
 * generic objects API by objectTypeId, associations v4, deal pipelines (read and written) and property
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
  const V3 = (m: string, rest: string) => `${m} /crm/v3/objects/${rest}`;
  /** Every id of a type, walked page by page (limit 1) through paging.next.after until it ends. */
  const walk = async (page: (after?: string) => Promise<{ results: { id: string }[]; paging?: { next?: { after: string } } }>) => {
    const ids: string[] = [];
    for (let i = 0, after: string | undefined; i < 200; i++) {
      const r = await page(after);
      ids.push(...r.results.map((x) => x.id));
      after = r.paging?.next?.after;
      if (!after) return ids;
    }
    throw stepFailed('paging never ended');
  };
  /** The HubSpot error a call answered with: its status and category. */
  // After a merge HubSpot answers a read of the merged-away id with the primary record.
  const mergedInto = async (read: () => Promise<{ id: string }>, primary: string) => {
    const r = await read().then((x) => x, () => null);
    return r === null || r.id === primary;
  };
  const gone = async (read: () => Promise<unknown>) => ((await read().then(() => null, (e) => e)) as { code?: number } | null)?.code === 404;

  await ctx.step('companies', async () => {
    const c = await hs.crm.companies.basicApi.create({ properties: { name: `Verify ${tag}`, domain: `${tag}.test` }, associations: [] });
    company = c.id;
    const got = await hs.crm.companies.basicApi.getById(c.id, ['name', 'domain']);
    await ctx.check([V3('POST', 'companies'), V3('GET', 'companies/{companyId}')], 'the company created is the company read', () => is(got.id === c.id && got.properties.name === `Verify ${tag}` && got.properties.domain === `${tag}.test`, JSON.stringify(got.properties)));
    await hs.crm.companies.basicApi.update(c.id, { properties: { industry: 'COMPUTER_SOFTWARE' } });
    await ctx.check(V3('PATCH', 'companies/{companyId}'), 'the update reads back', async () => is((await hs.crm.companies.basicApi.getById(c.id, ['industry'])).properties.industry === 'COMPUTER_SOFTWARE', 'industry not set'));
    await ctx.errorCase(V3('PATCH', 'companies/{companyId}'), 'unknown property', { status: 400, code: 'VALIDATION_ERROR' }, () => hs.crm.companies.basicApi.update(c.id, { properties: { [`no_such_${tag}`]: 'x' } }));
    await hs.crm.companies.basicApi.getPage(5);
    const found = await hs.crm.companies.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'domain', operator: EQ, value: `${tag}.test` }] }], limit: 5 });
    await ctx.check(V3('POST', 'companies/search'), 'domain EQ finds that company only', () => is(found.total === 1 && found.results[0]?.id === c.id, `company search found ${found.total}`));
    const batch = await hs.crm.companies.batchApi.create({ inputs: [{ properties: { name: `Batch ${tag}` }, associations: [] }] });
    const b = need(batch.results[0], 'batch company');
    const read = await hs.crm.companies.batchApi.read({ inputs: [{ id: b.id }], properties: ['name'], propertiesWithHistory: [] });
    await ctx.check([V3('POST', 'companies/batch/create'), V3('POST', 'companies/batch/read')], 'the batch-created company reads back', () => is(read.results.length === 1 && read.results[0]?.properties.name === `Batch ${tag}`, JSON.stringify(read.results).slice(0, 120)));
    await hs.crm.companies.batchApi.update({ inputs: [{ id: b.id, properties: { city: 'Austin' } }] });
    const city = async () => (await hs.crm.companies.basicApi.getById(b.id, ['city'])).properties.city;
    await ctx.check(V3('POST', 'companies/batch/update'), 'the batch update reads back', async () => is((await city()) === 'Austin', 'city not Austin'));
    await hs.crm.companies.batchApi.upsert({ inputs: [{ id: b.id, idProperty: 'hs_object_id', properties: { city: 'Boston' } }] });
    await ctx.check(V3('POST', 'companies/batch/upsert'), 'the upsert updates the existing company', async () => is((await city()) === 'Boston', 'city not Boston'));
    const other = await hs.crm.companies.basicApi.create({ properties: { name: `Merge ${tag}` }, associations: [] });
    const merged = await hs.crm.companies.basicApi.merge({ primaryObjectId: b.id, objectIdToMerge: other.id });
    await ctx.check(V3('POST', 'companies/merge'), 'the merged-away company reads as the primary', async () => is(merged.id === b.id && (await mergedInto(() => hs.crm.companies.basicApi.getById(other.id), b.id)), 'merged company reads as itself'));
    await hs.crm.companies.batchApi.archive({ inputs: [{ id: b.id }] });
    await ctx.check(V3('POST', 'companies/batch/archive'), 'the archived company is gone', async () => is(await gone(() => hs.crm.companies.basicApi.getById(b.id)), 'still reads'));
    const all = await walk((after) => hs.crm.companies.basicApi.getPage(1, after));
    const full = (await hs.crm.companies.basicApi.getPage(100)).results.map((x) => x.id);
    await ctx.check(V3('GET', 'companies'), 'limit 1 walks every company once and ends; archived ones are not listed', () => is(all.length === full.length && new Set(all).size === all.length && all.includes(c.id) && !all.includes(b.id), `walked ${all.length} of ${full.length}`));
  });

  await ctx.step('contacts', async () => {
    const c = await hs.crm.contacts.basicApi.create({ properties: { email: `ada-${tag}@example.com`, firstname: 'Ada', lastname: 'Verify' }, associations: company ? [assoc(company, 1)] : [] });
    contact = c.id;
    await ctx.errorCase(V3('POST', 'contacts'), 'duplicate email', { status: 409, code: 'CONFLICT' }, () => hs.crm.contacts.basicApi.create({ properties: { email: `ada-${tag}@example.com` }, associations: [] }));
    const got = await hs.crm.contacts.basicApi.getById(c.id, ['email', 'firstname'], ['firstname'], ['companies']);
    await ctx.check([V3('POST', 'contacts'), V3('GET', 'contacts/{contactId}')], 'the contact created is the contact read, with its company', () =>
      is(got.properties.email === `ada-${tag}@example.com` && got.properties.firstname === 'Ada' && (!company || (got.associations?.companies?.results ?? []).some((x) => x.id === company)), JSON.stringify(got).slice(0, 200)));
    await hs.crm.contacts.basicApi.update(c.id, { properties: { jobtitle: 'CTO' } });
    await ctx.check(V3('PATCH', 'contacts/{contactId}'), 'the update reads back', async () => is((await hs.crm.contacts.basicApi.getById(c.id, ['jobtitle'])).properties.jobtitle === 'CTO', 'jobtitle not set'));
    const found = await hs.crm.contacts.searchApi.doSearch({ query: `ada-${tag}`, limit: 5 });
    await ctx.check(V3('POST', 'contacts/search'), 'the query finds that contact only', () => is(found.total === 1 && found.results[0]?.id === c.id, `contact search found ${found.total}`));
    const batch = await hs.crm.contacts.batchApi.create({ inputs: [{ properties: { email: `grace-${tag}@example.com`, firstname: 'Grace' }, associations: [] }] });
    const g = need(batch.results[0], 'batch contact');
    const read = await hs.crm.contacts.batchApi.read({ inputs: [{ id: `grace-${tag}@example.com` }], idProperty: 'email', properties: ['email'], propertiesWithHistory: ['firstname'] });
    await ctx.check([V3('POST', 'contacts/batch/create'), V3('POST', 'contacts/batch/read')], 'read by email: the batch-created contact, with its history', () => is(read.results[0]?.id === g.id && read.results[0]?.propertiesWithHistory?.firstname?.[0]?.value === 'Grace', JSON.stringify(read.results).slice(0, 160)));
    await hs.crm.contacts.batchApi.update({ inputs: [{ id: g.id, properties: { lastname: 'Hopper' } }] });
    await ctx.check(V3('POST', 'contacts/batch/update'), 'the batch update reads back', async () => is((await hs.crm.contacts.basicApi.getById(g.id, ['lastname'])).properties.lastname === 'Hopper', 'lastname not set'));
    const up = await hs.crm.contacts.batchApi.upsert({ inputs: [{ id: `alan-${tag}@example.com`, idProperty: 'email', properties: { firstname: 'Alan' } }] });
    await ctx.check(V3('POST', 'contacts/batch/upsert'), 'an upsert by an unknown email creates that contact', async () => {
      const r = await hs.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'email', operator: EQ, value: `alan-${tag}@example.com` }] }], properties: ['firstname'] });
      is(r.total === 1 && r.results[0]?.properties.firstname === 'Alan' && up.results[0]?.id === r.results[0]?.id, JSON.stringify(r.results).slice(0, 120));
    });
    const dup = await hs.crm.contacts.basicApi.create({ properties: { email: `ada2-${tag}@example.com`, firstname: 'Ada' }, associations: [] });
    await hs.crm.contacts.basicApi.merge({ primaryObjectId: c.id, objectIdToMerge: dup.id });
    await ctx.check(V3('POST', 'contacts/merge'), 'the merged-away contact reads as the primary', async () => is(await mergedInto(() => hs.crm.contacts.basicApi.getById(dup.id), c.id), 'reads as itself'));
    await hs.crm.contacts.basicApi.purge({ objectId: g.id });
    await ctx.check(V3('POST', 'contacts/gdpr-delete'), 'the purged contact is gone and not found by email', async () => {
      const r = await hs.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'email', operator: EQ, value: `grace-${tag}@example.com` }] }] });
      is((await gone(() => hs.crm.contacts.basicApi.getById(g.id))) && r.total === 0, `search found ${r.total}`);
    });
    const bye = await hs.crm.contacts.basicApi.create({ properties: { email: `gone-${tag}@example.com` }, associations: [] });
    await hs.crm.contacts.batchApi.archive({ inputs: [{ id: bye.id }] });
    await ctx.check(V3('POST', 'contacts/batch/archive'), 'the archived contact is gone', async () => is(await gone(() => hs.crm.contacts.basicApi.getById(bye.id)), 'still reads'));
    const all = await walk((after) => hs.crm.contacts.basicApi.getPage(1, after));
    const full = (await hs.crm.contacts.basicApi.getPage(100)).results.map((x) => x.id);
    await ctx.check(V3('GET', 'contacts'), 'limit 1 walks every contact once and ends', () => is(all.length === full.length && new Set(all).size === all.length && all.includes(c.id) && !all.includes(bye.id), `walked ${all.length} of ${full.length}`));
  });

  await ctx.step('deals', async () => {
    const d = await hs.crm.deals.basicApi.create({
      properties: { dealname: `Deal ${tag}`, amount: '1500', pipeline: 'default', dealstage: 'qualifiedtobuy', closedate: '2026-06-30' },
      associations: [...(company ? [assoc(company, 5)] : []), ...(contact ? [assoc(contact, 3)] : [])],
    });
    deal = d.id;
    const got = await hs.crm.deals.basicApi.getById(d.id, ['dealname', 'amount'], undefined, ['companies', 'contacts']);
    await ctx.check([V3('POST', 'deals'), V3('GET', 'deals/{dealId}')], 'the deal created is the deal read, with its associations', () =>
      is(got.properties.dealname === `Deal ${tag}` && got.properties.amount === '1500' && (!contact || (got.associations?.contacts?.results ?? []).some((x) => x.id === contact)), JSON.stringify(got).slice(0, 200)));
    await hs.crm.deals.basicApi.update(d.id, { properties: { dealstage: 'contractsent' } });
    await ctx.check(V3('PATCH', 'deals/{dealId}'), 'the update reads back', async () => is((await hs.crm.deals.basicApi.getById(d.id, ['dealstage'])).properties.dealstage === 'contractsent', 'stage not set'));
    const big = await hs.crm.deals.basicApi.create({ properties: { dealname: `Big ${tag}`, amount: '99000', pipeline: 'default', dealstage: 'contractsent' }, associations: [] });
    const small = await hs.crm.deals.basicApi.create({ properties: { dealname: `Small ${tag}`, amount: '10', pipeline: 'default', dealstage: 'contractsent' }, associations: [] });
    await hs.crm.deals.basicApi.create({ properties: { dealname: `Elsewhere ${tag}`, amount: '50000', pipeline: 'default', dealstage: 'appointmentscheduled' }, associations: [] });
    const hits = await hs.crm.deals.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'dealstage', operator: EQ, value: 'contractsent' }, { propertyName: 'dealname', operator: 'CONTAINS_TOKEN' as never, value: tag }] }], sorts: ['-amount'], properties: ['dealname', 'amount'], limit: 10 });
    await ctx.check(V3('POST', 'deals/search'), 'the stage filter keeps only contract-sent deals, sorted by amount descending', () =>
      is(hits.results.map((x) => x.id).join() === [big.id, d.id, small.id].join(), `got ${hits.results.map((x) => `${x.properties.dealname}:${x.properties.amount}`)}`));
    await hs.crm.deals.basicApi.archive(big.id);
    await hs.crm.deals.basicApi.archive(small.id);
    const batch = await hs.crm.deals.batchApi.create({ inputs: [{ properties: { dealname: `Batch deal ${tag}`, dealstage: 'closedwon', amount: '900' }, associations: [] }] });
    const b = need(batch.results[0], 'batch deal');
    const read = await hs.crm.deals.batchApi.read({ inputs: [{ id: b.id }], properties: ['dealname'], propertiesWithHistory: ['dealstage'] });
    await ctx.check([V3('POST', 'deals/batch/create'), V3('POST', 'deals/batch/read')], 'the batch-created deal reads back', () => is(read.results[0]?.properties.dealname === `Batch deal ${tag}` && read.results[0]?.propertiesWithHistory?.dealstage?.[0]?.value === 'closedwon', JSON.stringify(read.results).slice(0, 160)));
    const amount = async () => (await hs.crm.deals.basicApi.getById(b.id, ['amount'])).properties.amount;
    await hs.crm.deals.batchApi.update({ inputs: [{ id: b.id, properties: { amount: '950' } }] });
    await ctx.check(V3('POST', 'deals/batch/update'), 'the batch update reads back', async () => is((await amount()) === '950', 'amount not 950'));
    await hs.crm.deals.batchApi.upsert({ inputs: [{ id: b.id, idProperty: 'hs_object_id', properties: { amount: '975' } }] });
    await ctx.check(V3('POST', 'deals/batch/upsert'), 'the upsert updates the existing deal', async () => is((await amount()) === '975', 'amount not 975'));
    const other = await hs.crm.deals.basicApi.create({ properties: { dealname: `Merge deal ${tag}` }, associations: [] });
    await hs.crm.deals.basicApi.merge({ primaryObjectId: b.id, objectIdToMerge: other.id });
    await ctx.check(V3('POST', 'deals/merge'), 'the merged-away deal reads as the primary', async () => is(await mergedInto(() => hs.crm.deals.basicApi.getById(other.id), b.id), 'reads as itself'));
    await hs.crm.deals.batchApi.archive({ inputs: [{ id: b.id }] });
    await ctx.check(V3('POST', 'deals/batch/archive'), 'the archived deal is gone', async () => is(await gone(() => hs.crm.deals.basicApi.getById(b.id)), 'still reads'));
    const all = await walk((after) => hs.crm.deals.basicApi.getPage(1, after));
    await ctx.check(V3('GET', 'deals'), 'limit 1 walks every deal once and ends; archived ones are not listed', () => is(new Set(all).size === all.length && all.includes(d.id) && !all.includes(big.id) && !all.includes(b.id), `walked ${all.length}`));
  });

  await ctx.step('tickets', async () => {
    const t = await hs.crm.tickets.basicApi.create({
      properties: { subject: `Ticket ${tag}`, content: 'Cannot log in', hs_pipeline: '0', hs_pipeline_stage: '1', hs_ticket_priority: 'HIGH' },
      associations: contact ? [assoc(contact, 16)] : [],
    });
    const got = await hs.crm.tickets.basicApi.getById(t.id, ['subject', 'hs_ticket_priority'], undefined, ['contacts']);
    await ctx.check([V3('POST', 'tickets'), V3('GET', 'tickets/{ticketId}')], 'the ticket created is the ticket read, with its contact', () =>
      is(got.properties.subject === `Ticket ${tag}` && got.properties.hs_ticket_priority === 'HIGH' && (!contact || (got.associations?.contacts?.results ?? []).some((x) => x.id === contact)), JSON.stringify(got).slice(0, 200)));
    await ctx.errorCase(V3('POST', 'tickets'), 'no status (hs_pipeline_stage)', { status: 400, code: 'VALIDATION_ERROR' }, () => hs.crm.tickets.basicApi.create({ properties: { subject: `No stage ${tag}` }, associations: [] }));
    await hs.crm.tickets.basicApi.update(t.id, { properties: { hs_pipeline_stage: '4' } });
    const closed = await hs.crm.tickets.basicApi.getById(t.id, ['hs_pipeline_stage', 'closed_date']);
    await ctx.check(V3('PATCH', 'tickets/{ticketId}'), 'closing the ticket reads back, with a close date', () => is(closed.properties.hs_pipeline_stage === '4' && !!closed.properties.closed_date, JSON.stringify(closed.properties)));
    await ctx.errorCase(V3('PATCH', 'tickets/{ticketId}'), 'a status the pipeline does not have', { status: 400, code: 'VALIDATION_ERROR' }, () => hs.crm.tickets.basicApi.update(t.id, { properties: { hs_pipeline_stage: '99' } }));
    const hits = await hs.crm.tickets.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'subject', operator: 'CONTAINS_TOKEN' as never, value: tag }, { propertyName: 'hs_pipeline_stage', operator: EQ, value: '4' }] }], properties: ['subject'], limit: 10 });
    await ctx.check(V3('POST', 'tickets/search'), 'the closed ticket is found by subject and status', () => is(hits.results.map((x) => x.id).join() === t.id, JSON.stringify(hits.results).slice(0, 160)));
    const batch = await hs.crm.tickets.batchApi.create({ inputs: [{ properties: { subject: `Batch ticket ${tag}`, hs_pipeline_stage: '2' }, associations: [] }] });
    const b = need(batch.results[0], 'batch ticket');
    const read = await hs.crm.tickets.batchApi.read({ inputs: [{ id: b.id }], properties: ['subject'], propertiesWithHistory: ['hs_pipeline_stage'] });
    await ctx.check([V3('POST', 'tickets/batch/create'), V3('POST', 'tickets/batch/read')], 'the batch-created ticket reads back, pipeline defaulted', () =>
      is(read.results[0]?.properties.subject === `Batch ticket ${tag}` && read.results[0]?.propertiesWithHistory?.hs_pipeline_stage?.[0]?.value === '2' && b.properties.hs_pipeline === '0', JSON.stringify(read.results).slice(0, 160)));
    const prio = async () => (await hs.crm.tickets.basicApi.getById(b.id, ['hs_ticket_priority'])).properties.hs_ticket_priority;
    await hs.crm.tickets.batchApi.update({ inputs: [{ id: b.id, properties: { hs_ticket_priority: 'LOW' } }] });
    await ctx.check(V3('POST', 'tickets/batch/update'), 'the batch update reads back', async () => is((await prio()) === 'LOW', 'priority not LOW'));
    await hs.crm.tickets.batchApi.upsert({ inputs: [{ id: b.id, idProperty: 'hs_object_id', properties: { hs_ticket_priority: 'MEDIUM' } }] });
    await ctx.check(V3('POST', 'tickets/batch/upsert'), 'the upsert updates the existing ticket', async () => is((await prio()) === 'MEDIUM', 'priority not MEDIUM'));
    const other = await hs.crm.tickets.basicApi.create({ properties: { subject: `Merge ticket ${tag}`, hs_pipeline_stage: '1' }, associations: [] });
    await hs.crm.tickets.basicApi.merge({ primaryObjectId: b.id, objectIdToMerge: other.id });
    await ctx.check(V3('POST', 'tickets/merge'), 'the merged-away ticket reads as the primary', async () => is(await mergedInto(() => hs.crm.tickets.basicApi.getById(other.id), b.id), 'reads as itself'));
    await hs.crm.tickets.batchApi.archive({ inputs: [{ id: b.id }] });
    await ctx.check(V3('POST', 'tickets/batch/archive'), 'the archived ticket is gone', async () => is(await gone(() => hs.crm.tickets.basicApi.getById(b.id)), 'still reads'));
    const all = await walk((after) => hs.crm.tickets.basicApi.getPage(1, after));
    await ctx.check(V3('GET', 'tickets'), 'limit 1 walks every ticket once and ends; archived ones are not listed', () => is(new Set(all).size === all.length && all.includes(t.id) && !all.includes(b.id), `walked ${all.length}`));
    await hs.crm.tickets.basicApi.archive(t.id);
    await ctx.check(V3('DELETE', 'tickets/{ticketId}'), 'the archived ticket is gone', async () => is(await gone(() => hs.crm.tickets.basicApi.getById(t.id)), 'still reads'));
    const PL = (rest: string) => `GET /crm/v3/pipelines/{objectType}${rest}`;
    const support = await hs.crm.pipelines.pipelinesApi.getById('tickets', '0');
    await ctx.check(PL('/{pipelineId}'), 'tickets have the Support Pipeline with a closed status', () => is(support.label === 'Support Pipeline' && support.stages.some((x) => x.id === '4' && x.metadata?.ticketState === 'CLOSED'), JSON.stringify(support).slice(0, 160)));
  });

  await ctx.step('generic objects API (objectTypeId 0-1)', async () => {
    const G = (m: string, rest = '') => `${m} /crm/v3/objects/{objectType}${rest}`;
    const o = await hs.crm.objects.basicApi.create('0-1', { properties: { email: `obj-${tag}@example.com`, firstname: 'Obj' }, associations: [] });
    const got = await hs.crm.objects.basicApi.getById('0-1', o.id, ['email']);
    await ctx.check([G('POST'), G('GET', '/{objectId}')], '0-1 is contacts: the object created reads back, also as a contact', async () =>
      is(got.properties.email === `obj-${tag}@example.com` && (await hs.crm.contacts.basicApi.getById(o.id, ['email'])).properties.email === `obj-${tag}@example.com`, JSON.stringify(got.properties)));
    await hs.crm.objects.basicApi.update('0-1', o.id, { properties: { lastname: 'Generic' } });
    await ctx.check(G('PATCH', '/{objectId}'), 'the update reads back', async () => is((await hs.crm.objects.basicApi.getById('0-1', o.id, ['lastname'])).properties.lastname === 'Generic', 'lastname not set'));
    const all = await walk((after) => hs.crm.objects.basicApi.getPage('0-1', 1, after));
    await ctx.check(G('GET'), 'limit 1 walks every contact once and ends', () => is(new Set(all).size === all.length && all.includes(o.id), `walked ${all.length}`));
    const found = await hs.crm.objects.searchApi.doSearch('0-1', { filterGroups: [{ filters: [{ propertyName: 'email', operator: EQ, value: `obj-${tag}@example.com` }] }] });
    await ctx.check(G('POST', '/search'), 'email EQ finds that object only', () => is(found.total === 1 && found.results[0]?.id === o.id, `found ${found.total}`));
    const batch = await hs.crm.objects.batchApi.create('0-2', { inputs: [{ properties: { name: `Generic ${tag}` }, associations: [] }] });
    const b = need(batch.results[0], 'generic batch company');
    const read = await hs.crm.objects.batchApi.read('0-2', { inputs: [{ id: b.id }], properties: ['name'], propertiesWithHistory: [] });
    await ctx.check([G('POST', '/batch/create'), G('POST', '/batch/read')], 'the batch-created company reads back', () => is(read.results[0]?.properties.name === `Generic ${tag}`, JSON.stringify(read.results).slice(0, 120)));
    const city = async () => (await hs.crm.companies.basicApi.getById(b.id, ['city'])).properties.city;
    await hs.crm.objects.batchApi.update('0-2', { inputs: [{ id: b.id, properties: { city: 'Paris' } }] });
    await ctx.check(G('POST', '/batch/update'), 'the batch update reads back', async () => is((await city()) === 'Paris', 'city not Paris'));
    await hs.crm.objects.batchApi.upsert('0-2', { inputs: [{ id: b.id, idProperty: 'hs_object_id', properties: { city: 'Lyon' } }] });
    await ctx.check(G('POST', '/batch/upsert'), 'the upsert updates the existing company', async () => is((await city()) === 'Lyon', 'city not Lyon'));
    await hs.crm.objects.batchApi.archive('0-2', { inputs: [{ id: b.id }] });
    await ctx.check(G('POST', '/batch/archive'), 'the archived company is gone', async () => is(await gone(() => hs.crm.companies.basicApi.getById(b.id)), 'still reads'));
    await hs.crm.objects.basicApi.archive('0-1', o.id);
    await ctx.check(G('DELETE', '/{objectId}'), 'the archived contact is gone', async () => is(await gone(() => hs.crm.contacts.basicApi.getById(o.id)), 'still reads'));
  });

  await ctx.step('associations v4', async () => {
    const c = need(contact, 'contact');
    const co = need(company, 'company');
    const d = need(deal, 'deal');
    const extra = await hs.crm.companies.basicApi.create({ properties: { name: `Assoc ${tag}` }, associations: [] });
    const A = (m: string, rest: string) => `${m} /crm/v4/${rest}`;
    const toCompanies = async () => (await hs.crm.associations.v4.basicApi.getPage('contacts', c, 'companies')).results;
    await hs.crm.associations.v4.basicApi.create('contacts', c, 'companies', extra.id, [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 279 }]);
    const page = await toCompanies();
    await ctx.check([A('PUT', 'objects/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}'), A('GET', 'objects/{objectType}/{objectId}/associations/{toObjectType}')], 'the new association is listed with its type', () =>
      is(page.some((x) => x.toObjectId === extra.id && x.associationTypes.some((t) => t.typeId === 279)), JSON.stringify(page).slice(0, 160)));
    const dealCompanies = async () => (await hs.crm.associations.v4.basicApi.getPage('deals', d, 'companies')).results.map((x) => x.toObjectId);
    await hs.crm.associations.v4.basicApi.createDefault('deals', d, 'companies', extra.id);
    const withDefault = await dealCompanies();
    await hs.crm.associations.v4.basicApi.archive('deals', d, 'companies', extra.id);
    const without = await dealCompanies();
    await ctx.check(A('PUT', 'objects/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}'), 'the default association is there', () => is(withDefault.includes(extra.id), `deal companies ${withDefault}`));
    await ctx.check(A('DELETE', 'objects/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}'), 'removed again', () => is(!without.includes(extra.id), `deal companies ${without}`));
    await hs.crm.associations.v4.batchApi.create('companies', 'deals', { inputs: [{ _from: { id: extra.id }, to: { id: d }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 342 }] }] });
    await ctx.check(A('POST', 'associations/{fromObjectType}/{toObjectType}/batch/create'), 'the batch association reads from the other side', async () => is((await dealCompanies()).includes(extra.id), 'not associated'));
    await hs.crm.associations.v4.batchApi.createDefault('companies', 'contacts', { inputs: [{ _from: { id: co }, to: { id: c } }] });
    const read = await hs.crm.associations.v4.batchApi.getPage('contacts', 'companies', { inputs: [{ id: c }] });
    await ctx.check([A('POST', 'associations/{fromObjectType}/{toObjectType}/batch/read'), A('POST', 'associations/{fromObjectType}/{toObjectType}/batch/associate/default')], 'batch read shows both companies', () =>
      is(read.results[0]?.to.some((t) => t.toObjectId === extra.id) && read.results[0]?.to.some((t) => t.toObjectId === co), 'batch read does not show the new association'));
    await hs.crm.associations.v4.batchApi.archiveLabels('contacts', 'companies', { inputs: [{ _from: { id: c }, to: { id: co }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 1 }] }] });
    await ctx.check(A('POST', 'associations/{fromObjectType}/{toObjectType}/batch/labels/archive'), 'the primary label is gone from that pair', async () =>
      is(!(await toCompanies()).some((x) => x.toObjectId === co && x.associationTypes.some((t) => t.typeId === 1)), 'label 1 still there'));
    await hs.crm.associations.v4.batchApi.archive('contacts', 'companies', { inputs: [{ _from: { id: c }, to: [{ id: extra.id }] }] });
    await ctx.check(A('POST', 'associations/{fromObjectType}/{toObjectType}/batch/archive'), 'the pair is no longer associated', async () => is(!(await toCompanies()).some((x) => x.toObjectId === extra.id), 'still associated'));
    const labels = await hs.crm.associations.v4.schema.definitionsApi.getAll('contacts', 'companies');
    await ctx.check(A('GET', 'associations/{fromObjectType}/{toObjectType}/labels'), 'contact-to-company types include the primary (1) and the unlabeled (279)', () => is([1, 279].every((id) => labels.results.some((l) => l.typeId === id)), JSON.stringify(labels.results).slice(0, 160)));
  });

  await ctx.step('association labels and limits', async () => {
    const c = need(contact, 'contact');
    const A = (m: string, rest: string) => `${m} /crm/v4/associations/${rest}`;
    const USER = 'USER_DEFINED' as never;
    const defs = hs.crm.associations.v4.schema.definitionsApi;
    const conf = definitionConfigurationsApi(ctx.clone.tokens.botToken, ctx.apiUrl);
    const made = await defs.create('contacts', 'companies', { name: `label_${ctx.unique}`, label: `Advisor ${tag}`, inverseLabel: `Advised ${tag}` });
    const fwd = need(made.results.find((l) => l.label === `Advisor ${tag}`), 'label type');
    const co = await hs.crm.companies.basicApi.create({ properties: { name: `Labelled ${tag}` }, associations: [] });
    await hs.crm.associations.v4.basicApi.create('contacts', c, 'companies', co.id, [{ associationCategory: USER, associationTypeId: fwd.typeId }]);
    const labelled = async () => (await hs.crm.associations.v4.basicApi.getPage('contacts', c, 'companies')).results.find((x) => x.toObjectId === co.id)?.associationTypes ?? [];
    await ctx.check(A('POST', '{fromObjectType}/{toObjectType}/labels'), 'the new label is listed and a contact takes it', async () =>
      is((await defs.getAll('contacts', 'companies')).results.some((l) => l.typeId === fwd.typeId && l.category === 'USER_DEFINED') && (await labelled()).some((t) => t.typeId === fwd.typeId), 'label not usable'));
    await ctx.errorCase(A('POST', '{fromObjectType}/{toObjectType}/labels'), 'no label', { status: 400, code: 'VALIDATION_ERROR' }, () => defs.create('contacts', 'companies', { name: `other_${ctx.unique}` } as never));
    await defs.update('contacts', 'companies', { associationTypeId: fwd.typeId, label: `Mentor ${tag}` });
    await ctx.check(A('PUT', '{fromObjectType}/{toObjectType}/labels'), 'the association reads the new label', async () => is((await labelled()).some((t) => t.typeId === fwd.typeId && t.label === `Mentor ${tag}`), 'label unchanged'));
    await ctx.errorCase(A('PUT', '{fromObjectType}/{toObjectType}/labels'), 'a HubSpot-defined type', { status: 400, code: 'VALIDATION_ERROR' }, () => defs.update('contacts', 'companies', { associationTypeId: 1, label: 'Main' }));

    const L = (m: string, rest: string) => A(m, `definitions/configurations/${rest}`);
    const HUB = 'HUBSPOT_DEFINED' as never;
    await conf.batchCreate('contacts', 'companies', { inputs: [{ category: USER, typeId: fwd.typeId, maxToObjectIds: 1 }] });
    const other = await hs.crm.companies.basicApi.create({ properties: { name: `Limited ${tag}` }, associations: [] });
    const refused = await hs.crm.associations.v4.basicApi.create('contacts', c, 'companies', other.id, [{ associationCategory: USER, associationTypeId: fwd.typeId }]).then(() => false, (e) => (e as { code?: number }).code === 400);
    await ctx.check(L('POST', '{fromObjectType}/{toObjectType}/batch/create'), 'a limit of 1 on the label refuses a second company with it', () => is(refused, 'second labelled company accepted'));
    await ctx.errorCase(L('POST', '{fromObjectType}/{toObjectType}/batch/create'), 'a type that does not join the pair', { status: 400, code: 'VALIDATION_ERROR' }, () => conf.batchCreate('contacts', 'companies', { inputs: [{ category: HUB, typeId: 3, maxToObjectIds: 2 }] }));
    const pairLimits = await conf.getAllBetweenTwoObjectTypes('contacts', 'companies');
    await ctx.check(L('GET', '{fromObjectType}/{toObjectType}'), 'the pair lists its types, the label with its limit', () => is(pairLimits.results.some((r) => r.typeId === fwd.typeId && r.userEnforcedMaxToObjectIds === 1) && pairLimits.results.some((r) => r.typeId === 279), JSON.stringify(pairLimits.results).slice(0, 200)));
    await conf.batchUpdate('contacts', 'companies', { inputs: [{ category: USER, typeId: fwd.typeId, maxToObjectIds: 2 }] });
    await ctx.check(L('POST', '{fromObjectType}/{toObjectType}/batch/update'), 'raised to 2, the second company takes the label', async () =>
      is(await hs.crm.associations.v4.basicApi.create('contacts', c, 'companies', other.id, [{ associationCategory: USER, associationTypeId: fwd.typeId }]).then(() => true, () => false), 'still refused'));
    await ctx.errorCase(L('POST', '{fromObjectType}/{toObjectType}/batch/update'), 'a limit of 0', { status: 400, code: 'VALIDATION_ERROR' }, () => conf.batchUpdate('contacts', 'companies', { inputs: [{ category: USER, typeId: fwd.typeId, maxToObjectIds: 0 }] }));
    const all = await conf.getAll();
    await ctx.check(L('GET', 'all'), 'the configured limits include the label', () => is(all.results.some((r) => r.typeId === fwd.typeId && r.userEnforcedMaxToObjectIds === 2), JSON.stringify(all.results).slice(0, 200)));
    await conf.batchRemove('contacts', 'companies', { inputs: [{ category: USER, typeId: fwd.typeId }] });
    await ctx.check(L('POST', '{fromObjectType}/{toObjectType}/batch/purge'), 'the limit is gone', async () => is(!(await conf.getAll()).results.some((r) => r.typeId === fwd.typeId), 'still configured'));

    await defs.remove('contacts', 'companies', fwd.typeId);
    await ctx.check(A('DELETE', '{fromObjectType}/{toObjectType}/labels/{associationTypeId}'), 'the label is gone from the list and the association, which stays unlabeled', async () =>
      is(!(await defs.getAll('contacts', 'companies')).results.some((l) => l.typeId === fwd.typeId) && (await labelled()).map((t) => t.typeId).join() === '279', 'label still there'));
    await ctx.errorCase(A('DELETE', '{fromObjectType}/{toObjectType}/labels/{associationTypeId}'), 'a label already deleted', { status: 404, code: 'OBJECT_NOT_FOUND' }, () => defs.remove('contacts', 'companies', fwd.typeId));
  });

  await ctx.step('associations v3', async () => {
    const c = need(contact, 'contact');
    const d = need(deal, 'deal');
    const V3 = (m: string, rest: string) => `${m} /crm/v3/associations/{fromObjectType}/{toObjectType}/${rest}`;
    const other = await hs.crm.companies.basicApi.create({ properties: { name: `V3 ${tag}` }, associations: [] });
    const made = await hs.crm.associations.batchApi.create('contacts', 'companies', { inputs: [{ _from: { id: c }, to: { id: other.id }, type: 'contact_to_company_unlabeled' }] });
    const v4 = (await hs.crm.associations.v4.basicApi.getPage('contacts', c, 'companies')).results;
    await ctx.check(V3('POST', 'batch/create'), 'the v3 association is in the same store: v4 lists it with type 279', () => is(made.results.length === 1 && v4.some((x) => x.toObjectId === other.id && x.associationTypes.some((t) => t.typeId === 279)), JSON.stringify(v4).slice(0, 160)));
    await ctx.errorCase(V3('POST', 'batch/create'), 'a type name that does not join the two object types', { status: 400, code: 'VALIDATION_ERROR' }, () => hs.crm.associations.batchApi.create('contacts', 'companies', { inputs: [{ _from: { id: c }, to: { id: other.id }, type: 'deal_to_ticket' }] }));
    await hs.crm.associations.v4.basicApi.createDefault('deals', d, 'contacts', c);
    const read = await hs.crm.associations.batchApi.read('deals', 'contacts', { inputs: [{ id: d }] });
    await ctx.check(V3('POST', 'batch/read'), 'a v4 association reads in v3, named deal_to_contact', () => is(read.results[0]?.to.some((t) => t.id === c && t.type === 'deal_to_contact'), JSON.stringify(read).slice(0, 200)));
    await hs.crm.associations.batchApi.archive('contacts', 'companies', { inputs: [{ _from: { id: c }, to: { id: other.id }, type: 'contact_to_company_unlabeled' }] });
    await ctx.check(V3('POST', 'batch/archive'), 'gone from v4 too', async () => is(!(await hs.crm.associations.v4.basicApi.getPage('contacts', c, 'companies')).results.some((x) => x.toObjectId === other.id), 'still associated'));
    const types = await hs.crm.associations.schema.typesApi.getAll('contacts', 'companies');
    await ctx.check(V3('GET', 'types'), 'contact-to-company: the primary (1, contact_to_company) and the unlabeled (279)', () => is(types.results.some((t) => t.id === '1' && t.name === 'contact_to_company') && types.results.some((t) => t.id === '279'), JSON.stringify(types.results)));
    await ctx.errorCase(V3('GET', 'types'), 'an unknown object type', { status: 400, code: 'VALIDATION_ERROR' }, () => hs.crm.associations.schema.typesApi.getAll('contacts', 'widgets'));
  });

  await ctx.step('pipelines', async () => {
    const PL = (rest: string) => `GET /crm/v3/pipelines/{objectType}${rest}`;
    const all = await hs.crm.pipelines.pipelinesApi.getAll('deals');
    const one = await hs.crm.pipelines.pipelinesApi.getById('deals', 'default');
    await ctx.check([PL(''), PL('/{pipelineId}')], 'the default deal pipeline, listed and read, with its stages', () => is(all.results.some((x) => x.id === 'default') && one.id === 'default' && one.stages.some((x) => x.id === 'closedwon'), JSON.stringify(one).slice(0, 120)));
    const audit = await hs.crm.pipelines.pipelineAuditsApi.getAudit('deals', 'default');
    await ctx.check(PL('/{pipelineId}/audit'), 'the pipeline has an audit trail', () => is(audit.results.length > 0, 'no audit entries'));
    const stages = await hs.crm.pipelines.pipelineStagesApi.getAll('deals', 'default');
    const won = await hs.crm.pipelines.pipelineStagesApi.getById('deals', 'default', 'closedwon');
    await ctx.check([PL('/{pipelineId}/stages'), PL('/{pipelineId}/stages/{stageId}')], 'the stages in display order; closed won is closed', () =>
      is(stages.results.every((x, i, a) => i === 0 || a[i - 1]!.displayOrder <= x.displayOrder) && won.id === 'closedwon' && won.metadata?.isClosed === 'true', JSON.stringify(won).slice(0, 160)));
    // The SDK's stage-audit call takes no pipeline id and leaves {pipelineId} in the path.
    const stageAudit = await hs.crm.pipelines.pipelineStageAuditsApi.getAudit('deals', 'closedwon');
    await ctx.check(PL('/{pipelineId}/stages/{stageId}/audit'), 'the stage has an audit trail', () => is(stageAudit.results.length > 0, 'no audit entries'));

    // Writes: a pipeline created, used by a deal, changed, its stages written, then deleted.
    const W = (m: string, rest = '') => `${m} /crm/v3/pipelines/{objectType}${rest}`;
    const st = (label: string, displayOrder: number, probability: string) => ({ label, displayOrder, metadata: { probability } });
    const made = await hs.crm.pipelines.pipelinesApi.create('deals', { label: `Pipeline ${tag}`, displayOrder: 5, stages: [st('Open', 0, '0.4'), st('Won', 1, '1.0')] });
    const open = need(made.stages.find((x) => x.label === 'Open'), 'open stage');
    const held = await hs.crm.deals.basicApi.create({ properties: { dealname: `Piped ${tag}`, pipeline: made.id, dealstage: open.id }, associations: [] });
    await ctx.check(W('POST'), 'the created pipeline is listed and a deal in its stage takes the stage probability', async () =>
      is((await hs.crm.pipelines.pipelinesApi.getAll('deals')).results.some((x) => x.id === made.id) && held.properties.hs_deal_stage_probability === '0.4', JSON.stringify(held.properties)));
    await ctx.errorCase(W('POST'), 'a deal stage without a probability', { status: 400, code: 'VALIDATION_ERROR' }, () => hs.crm.pipelines.pipelinesApi.create('deals', { label: `Bad ${tag}`, displayOrder: 6, stages: [{ label: 'A', displayOrder: 0, metadata: {} }] }));
    await hs.crm.pipelines.pipelinesApi.update('deals', made.id, { label: `Renamed ${tag}` });
    await ctx.check(W('PATCH', '/{pipelineId}'), 'the new label reads back', async () => is((await hs.crm.pipelines.pipelinesApi.getById('deals', made.id)).label === `Renamed ${tag}`, 'label unchanged'));
    await ctx.errorCase(W('PATCH', '/{pipelineId}'), 'an unknown pipeline', { status: 404, code: 'OBJECT_NOT_FOUND' }, () => hs.crm.pipelines.pipelinesApi.update('deals', `none${ctx.unique}`, { label: 'x' }));
    const replaced = await hs.crm.pipelines.pipelinesApi.replace('deals', made.id, { label: `Renamed ${tag}`, displayOrder: 5, stages: [st('Open', 0, '0.5'), st('Lost', 2, '0.0')] });
    await ctx.check(W('PUT', '/{pipelineId}'), 'the replace keeps the Open stage (by label) and drops Won', () =>
      is(replaced.stages.some((x) => x.id === open.id && x.metadata?.probability === '0.5') && !replaced.stages.some((x) => x.label === 'Won'), JSON.stringify(replaced.stages).slice(0, 200)));
    await ctx.errorCase(W('PUT', '/{pipelineId}'), 'removing the stage a deal is in, validating references', { status: 400, code: 'VALIDATION_ERROR' }, () =>
      hs.crm.pipelines.pipelinesApi.replace('deals', made.id, { label: `Renamed ${tag}`, displayOrder: 5, stages: [st('Lost', 2, '0.0')] }, true));
    const added = await hs.crm.pipelines.pipelineStagesApi.create('deals', made.id, st('Review', 1, '0.7'));
    await ctx.check(W('POST', '/{pipelineId}/stages'), 'the new stage is listed', async () => is((await hs.crm.pipelines.pipelineStagesApi.getAll('deals', made.id)).results.some((x) => x.id === added.id), 'not listed'));
    await ctx.errorCase(W('POST', '/{pipelineId}/stages'), 'a label the pipeline already has', { status: 400, code: 'VALIDATION_ERROR' }, () => hs.crm.pipelines.pipelineStagesApi.create('deals', made.id, st('open', 3, '0.1')));
    await hs.crm.pipelines.pipelineStagesApi.update('deals', made.id, added.id, { metadata: { probability: '0.8' } });
    await ctx.check(W('PATCH', '/{pipelineId}/stages/{stageId}'), 'the probability reads back', async () => is((await hs.crm.pipelines.pipelineStagesApi.getById('deals', made.id, added.id)).metadata?.probability === '0.8', 'unchanged'));
    await ctx.errorCase(W('PATCH', '/{pipelineId}/stages/{stageId}'), 'a probability above 1', { status: 400, code: 'VALIDATION_ERROR' }, () => hs.crm.pipelines.pipelineStagesApi.update('deals', made.id, added.id, { metadata: { probability: '2' } }));
    await hs.crm.pipelines.pipelineStagesApi.replace('deals', made.id, added.id, st('Final review', 1, '0.9'));
    await ctx.check(W('PUT', '/{pipelineId}/stages/{stageId}'), 'label and probability replaced', async () => {
      const x = await hs.crm.pipelines.pipelineStagesApi.getById('deals', made.id, added.id);
      is(x.label === 'Final review' && x.metadata?.probability === '0.9', JSON.stringify(x));
    });
    await ctx.errorCase(W('PUT', '/{pipelineId}/stages/{stageId}'), 'an unknown stage', { status: 404, code: 'OBJECT_NOT_FOUND' }, () => hs.crm.pipelines.pipelineStagesApi.replace('deals', made.id, `none${ctx.unique}`, st('X', 1, '0.1')));
    await hs.crm.pipelines.pipelineStagesApi.archive('deals', made.id, added.id);
    await ctx.check(W('DELETE', '/{pipelineId}/stages/{stageId}'), 'the deleted stage is gone', async () => is(await gone(() => hs.crm.pipelines.pipelineStagesApi.getById('deals', made.id, added.id)), 'still reads'));
    await ctx.errorCase(W('DELETE', '/{pipelineId}'), 'a pipeline a deal is in, validating deal stage usages', { status: 400, code: 'VALIDATION_ERROR' }, () => hs.crm.pipelines.pipelinesApi.archive('deals', made.id, false, true));
    await hs.crm.deals.basicApi.archive(held.id);
    await hs.crm.pipelines.pipelinesApi.archive('deals', made.id, false, true);
    await ctx.check(W('DELETE', '/{pipelineId}'), 'the deleted pipeline is gone and no longer a deal option', async () =>
      is(await gone(() => hs.crm.pipelines.pipelinesApi.getById('deals', made.id)) && (await hs.crm.deals.basicApi.create({ properties: { dealname: `Late ${tag}`, pipeline: made.id }, associations: [] }).then(() => false, () => true)), 'still usable'));
  });

  await ctx.step('properties', async () => {
    const PR = (m: string, rest: string) => `${m} /crm/v3/properties/{objectType}${rest}`;
    const all = await hs.crm.properties.coreApi.getAll('contacts');
    await ctx.check(PR('GET', ''), 'contacts have email and firstname', () => is(['email', 'firstname'].every((n) => all.results.some((p) => p.name === n)), `${all.results.length} properties`));
    const stage = await hs.crm.properties.coreApi.getByName('deals', 'dealstage');
    await ctx.check(PR('GET', '/{propertyName}'), 'dealstage is an enumeration with the pipeline\'s stages', () => is(stage.name === 'dealstage' && stage.type === 'enumeration' && stage.options.some((o) => o.value === 'closedwon'), JSON.stringify(stage).slice(0, 160)));
    const groups = await hs.crm.properties.groupsApi.getAll('companies');
    const group = await hs.crm.properties.groupsApi.getByName('companies', 'companyinformation');
    await ctx.check([PR('GET', '/groups'), PR('GET', '/groups/{groupName}')], 'the company information group, listed and read', () => is(groups.results.some((g) => g.name === 'companyinformation') && group.name === 'companyinformation', JSON.stringify(group)));
    const batch = await hs.crm.properties.batchApi.read('contacts', { archived: false, inputs: [{ name: 'email' }, { name: 'firstname' }] });
    await ctx.check(PR('POST', '/batch/read'), 'exactly the two properties asked for', () => is(batch.results.map((p) => p.name).sort().join() === 'email,firstname', batch.results.map((p) => p.name).join()));

    // Custom properties: created, written on an object, updated, archived.
    const name = `verify_${tag}`;
    const T = (s: string) => s as never;
    const created = await hs.crm.properties.coreApi.create('contacts', { name, label: 'Verify', type: T('enumeration'), fieldType: T('select'), groupName: 'contactinformation', options: [{ label: 'One', value: 'one', hidden: false }, { label: 'Two', value: 'two', hidden: false }] });
    const holder = await hs.crm.contacts.basicApi.create({ properties: { email: `prop-${tag}@example.com`, [name]: 'two' }, associations: [] });
    await ctx.check(PR('POST', ''), 'the created property is listed and a contact takes a value of it', async () =>
      is(created.hubspotDefined === false && (await hs.crm.properties.coreApi.getAll('contacts')).results.some((p) => p.name === name) && (await hs.crm.contacts.basicApi.getById(holder.id, [name])).properties[name] === 'two', JSON.stringify(created).slice(0, 160)));
    await ctx.errorCase(PR('POST', ''), 'a name that is taken', { status: 409, code: 'OBJECT_ALREADY_EXISTS' }, () => hs.crm.properties.coreApi.create('contacts', { name, label: 'Again', type: T('string'), fieldType: T('text'), groupName: 'contactinformation' }));
    await ctx.errorCase(PR('POST', ''), 'a fieldType the type does not take', { status: 400, code: 'VALIDATION_ERROR' }, () => hs.crm.properties.coreApi.create('contacts', { name: `${name}_n`, label: 'N', type: T('number'), fieldType: T('select'), groupName: 'contactinformation' }));
    await hs.crm.properties.coreApi.update('contacts', name, { label: 'Verify renamed', options: [{ label: 'One', value: 'one', hidden: false }, { label: 'Three', value: 'three', hidden: false }] });
    const updated = await hs.crm.properties.coreApi.getByName('contacts', name);
    await ctx.check(PR('PATCH', '/{propertyName}'), 'the update reads back', () => is(updated.label === 'Verify renamed' && updated.options.map((o) => o.value).join() === 'one,three', JSON.stringify(updated).slice(0, 160)));
    await ctx.errorCase(PR('PATCH', '/{propertyName}'), 'a HubSpot-defined property', { status: 400, code: 'VALIDATION_ERROR' }, () => hs.crm.properties.coreApi.update('contacts', 'email', { label: 'Mail' }));
    await hs.crm.properties.coreApi.archive('contacts', name);
    await ctx.check(PR('DELETE', '/{propertyName}'), 'archived: listed only with archived=true, and no longer writable', async () =>
      is(!(await hs.crm.properties.coreApi.getAll('contacts')).results.some((p) => p.name === name)
        && (await hs.crm.properties.coreApi.getAll('contacts', true)).results.some((p) => p.name === name && p.archived)
        && (await hs.crm.contacts.basicApi.update(holder.id, { properties: { [name]: 'one' } }).then(() => false, () => true)), 'still live'));
    const made = await hs.crm.properties.batchApi.create('companies', { inputs: [`${name}_a`, `${name}_b`].map((n) => ({ name: n, label: n, type: T('string'), fieldType: T('text'), groupName: 'companyinformation' })) });
    await ctx.check(PR('POST', '/batch/create'), 'both created, and readable', async () =>
      is(made.results.length === 2 && (await hs.crm.properties.coreApi.getByName('companies', `${name}_b`)).name === `${name}_b`, JSON.stringify(made.results.map((p) => p.name))));
    await ctx.errorCase(PR('POST', '/batch/create'), 'an input without a groupName', { status: 400, code: 'VALIDATION_ERROR' }, () => hs.crm.properties.batchApi.create('companies', { inputs: [{ name: `${name}_c`, label: 'C', type: T('string'), fieldType: T('text') } as never] }));
    await hs.crm.properties.batchApi.archive('companies', { inputs: [{ name: `${name}_a` }, { name: `${name}_b` }] });
    await ctx.check(PR('POST', '/batch/archive'), 'both archived', async () =>
      is((await hs.crm.properties.coreApi.getAll('companies', true)).results.filter((p) => p.name.startsWith(`${name}_`)).length === 2, 'not archived'));
    await ctx.errorCase(PR('POST', '/batch/archive'), 'a HubSpot-defined property', { status: 400, code: 'VALIDATION_ERROR' }, () => hs.crm.properties.batchApi.archive('companies', { inputs: [{ name: 'domain' }] }));

    // Custom property groups: created, used, relabelled, archived.
    const gname = `group_${tag}`;
    const g = await hs.crm.properties.groupsApi.create('deals', { name: gname, label: 'Verify group', displayOrder: 2 });
    await hs.crm.properties.coreApi.create('deals', { name: `${name}_d`, label: 'In group', type: T('string'), fieldType: T('text'), groupName: gname });
    await ctx.check(PR('POST', '/groups'), 'the created group is listed and takes a property', async () =>
      is(g.name === gname && (await hs.crm.properties.groupsApi.getAll('deals')).results.some((x) => x.name === gname) && (await hs.crm.properties.coreApi.getByName('deals', `${name}_d`)).groupName === gname, JSON.stringify(g)));
    await ctx.errorCase(PR('POST', '/groups'), 'a group name that is taken', { status: 409, code: 'OBJECT_ALREADY_EXISTS' }, () => hs.crm.properties.groupsApi.create('deals', { name: gname, label: 'Again' }));
    await hs.crm.properties.groupsApi.update('deals', gname, { label: 'Verify group renamed', displayOrder: 5 });
    const renamed = await hs.crm.properties.groupsApi.getByName('deals', gname);
    await ctx.check(PR('PATCH', '/groups/{groupName}'), 'the update reads back', () => is(renamed.label === 'Verify group renamed' && renamed.displayOrder === 5, JSON.stringify(renamed)));
    await ctx.errorCase(PR('PATCH', '/groups/{groupName}'), 'a HubSpot-defined group', { status: 400, code: 'VALIDATION_ERROR' }, () => hs.crm.properties.groupsApi.update('deals', 'dealinformation', { label: 'Mine' }));
    await ctx.errorCase(PR('DELETE', '/groups/{groupName}'), 'a group that still has properties', { status: 400, code: 'VALIDATION_ERROR' }, () => hs.crm.properties.groupsApi.archive('deals', gname));
    await hs.crm.properties.coreApi.archive('deals', `${name}_d`);
    await hs.crm.properties.groupsApi.archive('deals', gname);
    await ctx.check(PR('DELETE', '/groups/{groupName}'), 'the archived group is gone', async () => is(await gone(() => hs.crm.properties.groupsApi.getByName('deals', gname)), 'still reads'));
  });

  await ctx.step('deal splits and the usage report', async () => {
    const S = (rest: string) => `POST /crm/v3/objects/deals/splits/batch/${rest}`;
    const splits = hs.crm.objects.dealSplits.batchApi;
    const d = await hs.crm.deals.basicApi.create({ properties: { dealname: `Split ${tag}`, amount: '900', hubspot_owner_id: '7001' }, associations: [] });
    await splits.upsert({ inputs: [{ id: Number(d.id), splits: [{ ownerId: 7001, percentage: 0.75 }, { ownerId: 7002, percentage: 0.25 }] }] });
    const read = await splits.read({ inputs: [{ id: d.id }] });
    const shares = read.results[0]?.splits.map((x) => `${x.properties.hubspot_owner_id}:${x.properties.hs_deal_split_percentage}`).join() ?? '';
    await ctx.check([S('upsert'), S('read')], 'the splits read back as upserted', () => is(shares === '7001:0.75,7002:0.25', shares));
    await ctx.errorCase(S('upsert'), 'percentages that do not add up to 1.0', { status: 400, code: 'VALIDATION_ERROR' }, () => splits.upsert({ inputs: [{ id: Number(d.id), splits: [{ ownerId: 7001, percentage: 0.5 }, { ownerId: 7002, percentage: 0.3 }] }] }));
    await ctx.errorCase(S('upsert'), 'the deal owner not among the split owners', { status: 400, code: 'VALIDATION_ERROR' }, () => splits.upsert({ inputs: [{ id: Number(d.id), splits: [{ ownerId: 7002, percentage: 1 }] }] }));
    const R = 'POST /crm/v4/associations/usage/high-usage-report/{userId}';
    const admin = Number(ctx.clone.tokens.adminUserId);
    const sent = await hs.crm.associations.v4.reportApi.request(admin);
    await ctx.check(R, 'the report goes to the admin user', () => is(sent.userId === admin && sent.userEmail.includes('@'), JSON.stringify(sent)));
    await ctx.errorCase(R, 'a user the portal does not have', { status: 404, code: 'OBJECT_NOT_FOUND' }, () => hs.crm.associations.v4.reportApi.request(99999999));
  });

  await ctx.step('archives', async () => {
    await hs.crm.deals.basicApi.archive(need(deal, 'deal'));
    await ctx.check(V3('DELETE', 'deals/{dealId}'), 'the archived deal is gone', async () => is(await gone(() => hs.crm.deals.basicApi.getById(deal!)), 'still reads'));
    await hs.crm.contacts.basicApi.archive(need(contact, 'contact'));
    await ctx.check(V3('DELETE', 'contacts/{contactId}'), 'the archived contact is gone', async () => is(await gone(() => hs.crm.contacts.basicApi.getById(contact!)), 'still reads'));
    await hs.crm.companies.basicApi.archive(need(company, 'company'));
    await ctx.check(V3('DELETE', 'companies/{companyId}'), 'the archived company is gone', async () => is(await gone(() => hs.crm.companies.basicApi.getById(company!)), 'still reads'));
  });
};
