import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Client } from '@hubspot/api-client';
import { describeDocker } from '../support/docker.ts';
import { startTemplateOnHost, type HostClone } from '../support/template-host.ts';
import { HUBSPOT_DEFINED, expectShape, hsErr, hubspotFor, raw, uniq, type HubspotClone } from './helpers.ts';

/** Associations v4 (and v3 `associations` on reads) with HubSpot's default type ids, both ways. */

// The HTTP API only: the server on the host (test/support/template-host.ts), no CLI spin.
let clone: HostClone<HubspotClone['tokens']>;
let hs: Client;

const spec = (associationTypeId: number) => ({ associationCategory: HUBSPOT_DEFINED, associationTypeId });
const typeIds = (r: { associationTypes: Array<{ typeId: number }> }) => r.associationTypes.map((t) => t.typeId).sort((a, b) => a - b);

describeDocker('hubspot associations', () => {
  beforeAll(async () => {
    clone = await startTemplateOnHost<HubspotClone['tokens']>('hubspot');
    hs = hubspotFor(clone);
  }, 180_000);
  afterAll(() => clone?.stop(), 60_000);

  test('associations on create, seen from both sides with type ids (v4) and type names (v3)', async () => {
    const company = await hs.crm.companies.basicApi.create({ properties: { name: 'Initech' }, associations: [] });
    const contact = await hs.crm.contacts.basicApi.create({ properties: { email: `${uniq('p')}@initech.test` }, associations: [{ to: { id: company.id }, types: [spec(1)] }] });
    const deal = await hs.crm.deals.basicApi.create({
      properties: { dealname: 'Initech renewal' },
      associations: [{ to: { id: company.id }, types: [spec(5)] }, { to: { id: contact.id }, types: [spec(3)] }],
    });

    // A primary label brings the unlabeled type along; each side sees its own ids.
    const cToCo = await hs.crm.associations.v4.basicApi.getPage('contacts', contact.id, 'companies');
    expect(cToCo.results.map((r) => [r.toObjectId, typeIds(r)])).toEqual([[company.id, [1, 279]]]);
    expect(cToCo.results[0]!.associationTypes.find((t) => t.typeId === 1)!.label).toBe('Primary');
    const coToC = await hs.crm.associations.v4.basicApi.getPage('companies', company.id, 'contacts');
    expect(coToC.results.map((r) => [r.toObjectId, typeIds(r)])).toEqual([[contact.id, [2, 280]]]);
    expect((await hs.crm.associations.v4.basicApi.getPage('deals', deal.id, 'contacts')).results.map(typeIds)).toEqual([[3]]);
    expect((await hs.crm.associations.v4.basicApi.getPage('contacts', contact.id, 'deals')).results.map(typeIds)).toEqual([[4]]);
    expect((await hs.crm.associations.v4.basicApi.getPage('deals', deal.id, 'companies')).results.map(typeIds)).toEqual([[5, 341]]);
    expect((await hs.crm.associations.v4.basicApi.getPage('companies', company.id, 'deals')).results.map(typeIds)).toEqual([[6, 342]]);
    expectShape('GET /crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}', await raw(clone, 'GET', `/crm/v4/objects/companies/${company.id}/associations/deals`));

    const v3 = await hs.crm.deals.basicApi.getById(deal.id, undefined, undefined, ['companies', 'contacts']);
    expect(v3.associations!.companies!.results).toEqual([{ id: company.id, type: 'deal_to_company' }, { id: company.id, type: 'deal_to_company_unlabeled' }]);
    expect(v3.associations!.contacts!.results).toEqual([{ id: contact.id, type: 'deal_to_contact' }]);
    const listed = await hs.crm.companies.basicApi.getPage(10, undefined, undefined, undefined, ['contacts', 'deals']);
    expect(listed.results[0]!.associations!.contacts!.results.map((r) => r.type).sort()).toEqual(['company_to_contact', 'company_to_contact_unlabeled']);

    const badTarget = await hsErr(() => hs.crm.contacts.basicApi.create({ properties: { email: `${uniq('x')}@x.test` }, associations: [{ to: { id: '987654321' }, types: [spec(279)] }] }));
    expect(badTarget.code).toBe(400);
    const badType = await hsErr(() => hs.crm.contacts.basicApi.create({ properties: { email: `${uniq('x')}@x.test` }, associations: [{ to: { id: company.id }, types: [spec(341)] }] }));
    expect(badType.code).toBe(400);
  });

  test('v4 create with labels (201), default (200), archive (204), labels list; one primary per contact', async () => {
    const a = await hs.crm.companies.basicApi.create({ properties: { name: 'A Co' }, associations: [] });
    const b = await hs.crm.companies.basicApi.create({ properties: { name: 'B Co' }, associations: [] });
    const c = await hs.crm.contacts.basicApi.create({ properties: { email: `${uniq('c')}@x.test` }, associations: [] });

    const created = await raw(clone, 'PUT', `/crm/v4/objects/contacts/${c.id}/associations/companies/${a.id}`, [spec(1)]);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ fromObjectTypeId: '0-1', fromObjectId: c.id, toObjectTypeId: '0-2', toObjectId: a.id, labels: ['Primary'] });
    // A second primary replaces the first (A keeps its unlabeled association).
    const second = await hs.crm.associations.v4.basicApi.create('contacts', c.id, 'companies', b.id, [spec(1)]);
    expect(second.labels).toEqual(['Primary']);
    const now = await hs.crm.associations.v4.basicApi.getPage('contacts', c.id, 'companies');
    expect(now.results.map((r) => [r.toObjectId, typeIds(r)])).toEqual([[a.id, [279]], [b.id, [1, 279]]]);
    expect((await hs.crm.associations.v4.basicApi.getPage('companies', a.id, 'contacts')).results.map(typeIds)).toEqual([[280]]);

    const d = await hs.crm.deals.basicApi.create({ properties: { dealname: 'D' }, associations: [] });
    const def = await hs.crm.associations.v4.basicApi.createDefault('deals', d.id, 'contacts', c.id);
    expect(def.results.map((r) => [r._from.id, r.to.id, r.associationSpec.associationTypeId])).toEqual([[d.id, c.id, 3], [c.id, d.id, 4]]);
    expectShape('PUT /crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}', await raw(clone, 'PUT', `/crm/v4/objects/deals/${d.id}/associations/default/companies/${a.id}`));

    const del = await raw(clone, 'DELETE', `/crm/v4/objects/contacts/${c.id}/associations/companies/${b.id}`);
    expect(del.status).toBe(204);
    expect((await hs.crm.associations.v4.basicApi.getPage('companies', b.id, 'contacts')).results).toEqual([]);

    const labels = await hs.crm.associations.v4.schema.definitionsApi.getAll('contacts', 'companies');
    expect(labels.results.map((l) => [l.typeId, l.label ?? null]).sort()).toEqual([[1, 'Primary'], [279, null]]);
    expect((await hs.crm.associations.v4.schema.definitionsApi.getAll('deals', 'contacts')).results.map((l) => l.typeId)).toEqual([3]);

    expect((await hsErr(() => hs.crm.associations.v4.basicApi.create('contacts', c.id, 'companies', '987654321', [spec(279)]))).code).toBe(404);
    expect((await hsErr(() => hs.crm.associations.v4.basicApi.create('contacts', c.id, 'companies', a.id, [spec(3)]))).code).toBe(400);
    expect((await hsErr(() => hs.crm.associations.v4.basicApi.getPage('contacts', c.id, 'line_items'))).code).toBe(400);
  });

  test('batch create (201), associate default, read (207 for missing), archive labels (keeps unlabeled), archive (204); paging', async () => {
    const co = await hs.crm.companies.basicApi.create({ properties: { name: 'Batch Co' }, associations: [] });
    const people = (await hs.crm.contacts.batchApi.create({ inputs: Array.from({ length: 5 }, (_, i) => ({ properties: { email: `${uniq(`bp${i}`)}@x.test` }, associations: [] })) })).results.map((r) => r.id).sort();
    const created = await raw(clone, 'POST', '/crm/v4/associations/companies/contacts/batch/create', { inputs: people.slice(0, 3).map((id) => ({ from: { id: co.id }, to: { id }, types: [spec(2)] })) });
    expect(created.status).toBe(201);
    expect(created.body.results.map((r: any) => r.labels)).toEqual([['Primary'], ['Primary'], ['Primary']]);
    expectShape('POST /crm/v4/associations/{fromObjectType}/{toObjectType}/batch/create', created);
    const dflt = await hs.crm.associations.v4.batchApi.createDefault('contacts', 'companies', { inputs: people.slice(3).map((id) => ({ _from: { id }, to: { id: co.id } })) });
    expect(dflt.results).toHaveLength(4);

    const read = await hs.crm.associations.v4.batchApi.getPage('companies', 'contacts', { inputs: [{ id: co.id }, { id: '987654321' }] });
    expect(read.results.map((r) => r._from.id)).toEqual([co.id]);
    expect(read.results[0]!.to.map((t) => t.toObjectId)).toEqual(people);
    expect(read.results[0]!.to.map(typeIds)).toEqual([[2, 280], [2, 280], [2, 280], [280], [280]]);
    expect((read as any).numErrors).toBe(1);

    const paged1 = await hs.crm.associations.v4.basicApi.getPage('companies', co.id, 'contacts', undefined, 2);
    expect(paged1.results.map((r) => r.toObjectId)).toEqual(people.slice(0, 2));
    const paged2 = await hs.crm.associations.v4.basicApi.getPage('companies', co.id, 'contacts', paged1.paging!.next!.after, 2);
    expect(paged2.results.map((r) => r.toObjectId)).toEqual(people.slice(2, 4));

    const labelsOff = await raw(clone, 'POST', '/crm/v4/associations/contacts/companies/batch/labels/archive', { inputs: [{ from: { id: people[0] }, to: { id: co.id }, types: [spec(1)] }] });
    expect(labelsOff.status).toBe(204);
    expect((await hs.crm.associations.v4.basicApi.getPage('contacts', people[0]!, 'companies')).results.map(typeIds)).toEqual([[279]]);
    await hs.crm.associations.v4.batchApi.archive('contacts', 'companies', { inputs: [{ _from: { id: people[0]! }, to: [{ id: co.id }] }] });
    const arc = await raw(clone, 'POST', '/crm/v4/associations/contacts/companies/batch/archive', { inputs: [{ from: { id: people[1] }, to: [{ id: co.id }] }] });
    expect(arc.status).toBe(204);
    expect((await hs.crm.associations.v4.basicApi.getPage('companies', co.id, 'contacts')).results.map((r) => r.toObjectId)).toEqual(people.slice(2));

    // Archived objects drop out of association reads.
    await hs.crm.contacts.basicApi.archive(people[2]!);
    expect((await hs.crm.associations.v4.basicApi.getPage('companies', co.id, 'contacts')).results.map((r) => r.toObjectId)).toEqual(people.slice(3));
  });

  test('v3 batch associations: create, read, archive over the same rows as v4; types; per-input errors (207)', async () => {
    const co = await hs.crm.companies.basicApi.create({ properties: { name: 'V3 Co' }, associations: [] });
    const ct = await hs.crm.contacts.basicApi.create({ properties: { email: `${uniq('v3')}@v3.test` }, associations: [] });
    const made = await raw(clone, 'POST', '/crm/v3/associations/contacts/companies/batch/create', { inputs: [{ from: { id: ct.id }, to: { id: co.id }, type: 'contact_to_company' }] });
    expect(made.status).toBe(201);
    expectShape('POST /crm/v3/associations/{fromObjectType}/{toObjectType}/batch/create', made);
    expect(made.body.results).toEqual([{ from: { id: ct.id }, to: { id: co.id }, type: 'contact_to_company' }]);
    // The primary (1) written in v3 reads in v4 from both sides, with the unlabeled type it implies.
    expect(typeIds((await hs.crm.associations.v4.basicApi.getPage('contacts', ct.id, 'companies')).results[0]!)).toEqual([1, 279]);
    expect(typeIds((await hs.crm.associations.v4.basicApi.getPage('companies', co.id, 'contacts')).results[0]!)).toEqual([2, 280]);
    const read = await hs.crm.associations.batchApi.read('contacts', 'companies', { inputs: [{ id: ct.id }] });
    expect(read.results[0]!.to.map((t) => t.type).sort()).toEqual(['contact_to_company', 'contact_to_company_unlabeled']);
    // An object without associations and a missing one: 207 with an error each.
    const lonely = await hs.crm.contacts.basicApi.create({ properties: { email: `${uniq('v3l')}@v3.test` }, associations: [] });
    const partial = await raw(clone, 'POST', '/crm/v3/associations/contacts/companies/batch/read', { inputs: [{ id: ct.id }, { id: lonely.id }, { id: '999999999' }] });
    expect(partial.status).toBe(207);
    expectShape('POST /crm/v3/associations/{fromObjectType}/{toObjectType}/batch/read', partial);
    expect([partial.body.results.length, partial.body.numErrors]).toEqual([1, 2]);
    const bad = await raw(clone, 'POST', '/crm/v3/associations/contacts/companies/batch/create', { inputs: [{ from: { id: ct.id }, to: { id: co.id }, type: 'deal_to_contact' }] });
    expect([bad.status, bad.body.category]).toEqual([400, 'VALIDATION_ERROR']);
    expect(bad.body.message).toContain('contact_to_company_unlabeled');
    const missing = await raw(clone, 'POST', '/crm/v3/associations/contacts/companies/batch/create', { inputs: [{ from: { id: ct.id }, to: { id: '999999999' }, type: 'contact_to_company_unlabeled' }] });
    expect([missing.status, missing.body.errors[0].category]).toEqual([207, 'OBJECT_NOT_FOUND']);

    await hs.crm.associations.batchApi.archive('contacts', 'companies', { inputs: [{ _from: { id: ct.id }, to: { id: co.id }, type: 'contact_to_company' }] });
    // Only the primary is gone; the unlabeled association stays, on both sides.
    expect(typeIds((await hs.crm.associations.v4.basicApi.getPage('contacts', ct.id, 'companies')).results[0]!)).toEqual([279]);
    expect(typeIds((await hs.crm.associations.v4.basicApi.getPage('companies', co.id, 'contacts')).results[0]!)).toEqual([280]);

    const types = await raw(clone, 'GET', '/crm/v3/associations/deals/companies/types');
    expectShape('GET /crm/v3/associations/{fromObjectType}/{toObjectType}/types', types);
    expect(types.body.results).toEqual([{ id: '341', name: 'deal_to_company_unlabeled' }, { id: '5', name: 'deal_to_company' }]);
    expect((await hsErr(() => hs.crm.associations.schema.typesApi.getAll('deals', 'widgets'))).code).toBe(400);
  });
});
