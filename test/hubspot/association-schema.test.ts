import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Client } from '@hubspot/api-client';
import { describeDocker } from '../support/docker.ts';
import { startTemplateOnHost, type HostClone } from '../support/template-host.ts';
import { definitionConfigurationsApi } from '../../templates/hubspot/verify/sdk-extra.ts';
import { expectShape, hsErr, hubspotFor, raw, type HubspotClone } from './helpers.ts';

/** Custom association labels and association limits through @hubspot/api-client, used by the v4 association calls. */

let clone: HostClone<HubspotClone['tokens']>;
let hs: Client;
const USER = 'USER_DEFINED' as never;
const HUB = 'HUBSPOT_DEFINED' as never;
const company = async (name: string) => (await hs.crm.companies.basicApi.create({ properties: { name }, associations: [] })).id;
const contact = async (email: string) => (await hs.crm.contacts.basicApi.create({ properties: { email }, associations: [] })).id;

describeDocker('hubspot association labels and limits', () => {
  beforeAll(async () => {
    clone = await startTemplateOnHost<HubspotClone['tokens']>('hubspot');
    hs = hubspotFor(clone);
  }, 180_000);
  afterAll(() => clone?.stop(), 60_000);

  test('a paired label is created, listed, used in v4 associations both ways, renamed and deleted', async () => {
    const labels = hs.crm.associations.v4.schema.definitionsApi;
    const res = await raw(clone, 'POST', '/crm/v4/associations/contacts/companies/labels', { name: 'billing_contact', label: 'Billing contact', inverseLabel: 'Billed company' });
    expect(res.status).toBe(200);
    expectShape('POST /crm/v4/associations/{fromObjectType}/{toObjectType}/labels', res);
    const [fwd, inv] = res.body.results as Array<{ typeId: number; label: string; category: string }>;
    expect([fwd!.category, fwd!.label, inv!.label]).toEqual(['USER_DEFINED', 'Billing contact', 'Billed company']);
    expect((await labels.getAll('contacts', 'companies')).results.find((l) => l.typeId === fwd!.typeId)?.label).toBe('Billing contact');
    expect((await labels.getAll('companies', 'contacts')).results.find((l) => l.typeId === inv!.typeId)?.label).toBe('Billed company');
    expect((await hsErr(() => labels.create('contacts', 'companies', { name: 'billing_contact', label: 'Again' }))).code).toBe(409);
    expect((await hsErr(() => labels.create('contacts', 'companies', { name: 'no_label' } as never))).code).toBe(400);

    const c = await contact('billing@acme.test');
    const co = await company('Acme Billing');
    const made = await hs.crm.associations.v4.basicApi.create('contacts', c, 'companies', co, [{ associationCategory: USER, associationTypeId: fwd!.typeId }]);
    expect(made.labels).toEqual(['Billing contact']);
    const fromContact = (await hs.crm.associations.v4.basicApi.getPage('contacts', c, 'companies')).results[0]!;
    expect(fromContact.associationTypes.map((t) => `${t.category} ${t.typeId}`)).toEqual(['HUBSPOT_DEFINED 279', `USER_DEFINED ${fwd!.typeId}`]);
    const fromCompany = (await hs.crm.associations.v4.basicApi.getPage('companies', co, 'contacts')).results[0]!;
    expect(fromCompany.associationTypes.some((t) => t.typeId === inv!.typeId && t.label === 'Billed company')).toBe(true);
    // The category must match the type.
    expect((await hsErr(() => hs.crm.associations.v4.basicApi.create('contacts', c, 'companies', co, [{ associationCategory: HUB, associationTypeId: fwd!.typeId }]))).code).toBe(400);

    await labels.update('contacts', 'companies', { associationTypeId: fwd!.typeId, label: 'Accounts payable', inverseLabel: 'Paying company' });
    expect((await hs.crm.associations.v4.basicApi.getPage('contacts', c, 'companies')).results[0]!.associationTypes.find((t) => t.typeId === fwd!.typeId)?.label).toBe('Accounts payable');
    expect((await labels.getAll('companies', 'contacts')).results.find((l) => l.typeId === inv!.typeId)?.label).toBe('Paying company');
    const builtin = await hsErr(() => labels.update('contacts', 'companies', { associationTypeId: 1, label: 'Main' }));
    expect([builtin.code, builtin.body.category]).toEqual([400, 'VALIDATION_ERROR']);

    await labels.remove('contacts', 'companies', fwd!.typeId);
    expect((await labels.getAll('contacts', 'companies')).results.some((l) => l.typeId === fwd!.typeId)).toBe(false);
    // The association stays, unlabeled.
    expect((await hs.crm.associations.v4.basicApi.getPage('contacts', c, 'companies')).results[0]!.associationTypes.map((t) => t.typeId)).toEqual([279]);
    const again = await hsErr(() => labels.remove('contacts', 'companies', fwd!.typeId));
    expect([again.code, again.body.category]).toEqual([404, 'OBJECT_NOT_FOUND']);
  });

  test('limits are set, listed, enforced on association writes, raised and purged; a label limit stays within the object limit', async () => {
    const conf = definitionConfigurationsApi(clone.tokens.botToken, clone.endpoints.api);
    const { results } = await hs.crm.associations.v4.schema.definitionsApi.create('deals', 'contacts', { name: 'decision_maker', label: 'Decision maker' });
    const dm = results[0]!.typeId;
    const created = await raw(clone, 'POST', '/crm/v4/associations/definitions/configurations/deals/contacts/batch/create', { inputs: [{ category: 'HUBSPOT_DEFINED', typeId: 3, maxToObjectIds: 2 }, { category: 'USER_DEFINED', typeId: dm, maxToObjectIds: 1 }] });
    expect(created.status).toBe(201);
    expectShape('POST /crm/v4/associations/definitions/configurations/{fromObjectType}/{toObjectType}/batch/create', created);
    const between = await conf.getAllBetweenTwoObjectTypes('deals', 'contacts');
    expect(between.results.filter((r) => r.userEnforcedMaxToObjectIds !== undefined).map((r) => [r.typeId, r.userEnforcedMaxToObjectIds])).toEqual([[3, 2], [dm, 1]]);
    expect((await conf.getAll()).results.map((r) => r.typeId).sort()).toEqual([3, dm].sort());
    const above = await hsErr(() => conf.batchUpdate('deals', 'contacts', { inputs: [{ category: USER, typeId: dm, maxToObjectIds: 5 }] }));
    expect([above.code, above.body.category]).toEqual([400, 'VALIDATION_ERROR']);
    expect((await hsErr(() => conf.batchCreate('deals', 'contacts', { inputs: [{ category: HUB, typeId: 3, maxToObjectIds: 4 }] }))).code).toBe(400);
    expect((await hsErr(() => conf.batchCreate('deals', 'contacts', { inputs: [{ category: HUB, typeId: 279, maxToObjectIds: 4 }] }))).code).toBe(400);

    const deal = (await hs.crm.deals.basicApi.create({ properties: { dealname: 'Limited' }, associations: [] })).id;
    const [a, b, x] = [await contact('a@limits.test'), await contact('b@limits.test'), await contact('x@limits.test')];
    await hs.crm.associations.v4.basicApi.create('deals', deal, 'contacts', a, [{ associationCategory: USER, associationTypeId: dm }]);
    const second = await hsErr(() => hs.crm.associations.v4.basicApi.create('deals', deal, 'contacts', b, [{ associationCategory: USER, associationTypeId: dm }]));
    expect([second.code, second.body.errors[0].code]).toEqual([400, 'ASSOCIATION_LIMIT_EXCEEDED']);
    await hs.crm.associations.v4.basicApi.createDefault('deals', deal, 'contacts', b);
    // Two unlabeled contacts already: a third is refused, whichever call makes it.
    expect((await hsErr(() => hs.crm.associations.v4.basicApi.createDefault('deals', deal, 'contacts', x))).code).toBe(400);
    expect((await hsErr(() => hs.crm.associations.v4.batchApi.createDefault('deals', 'contacts', { inputs: [{ _from: { id: deal }, to: { id: x } }] }))).code).toBe(400);

    const updated = await conf.batchUpdate('deals', 'contacts', { inputs: [{ category: HUB, typeId: 3, maxToObjectIds: 3 }] });
    expect(updated.results.map((r) => [r.typeId, r.userEnforcedMaxToObjectIds])).toEqual([[3, 3]]);
    await hs.crm.associations.v4.basicApi.createDefault('deals', deal, 'contacts', x);
    await conf.batchRemove('deals', 'contacts', { inputs: [{ category: HUB, typeId: 3 }, { category: USER, typeId: dm }] });
    expect((await conf.getAll()).results).toEqual([]);
    await hs.crm.associations.v4.basicApi.create('deals', deal, 'contacts', b, [{ associationCategory: USER, associationTypeId: dm }]);
    expect((await hs.crm.associations.v4.basicApi.getPage('deals', deal, 'contacts')).results.filter((r) => r.associationTypes.some((t) => t.typeId === dm)).length).toBe(2);
  });
});
