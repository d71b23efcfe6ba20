import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Client } from '@hubspot/api-client';
import { describeDocker } from '../support/docker.ts';
import { startTemplateOnHost, type HostClone } from '../support/template-host.ts';
import { expectShape, hsErr, hubspotFor, raw, type HubspotClone } from './helpers.ts';

/** Custom property definitions through @hubspot/api-client: create, validate, update, archive, and writing them on objects. */

let clone: HostClone<HubspotClone['tokens']>;
let hs: Client;
const T = (s: string) => s as never;

describeDocker('hubspot properties', () => {
  beforeAll(async () => {
    clone = await startTemplateOnHost<HubspotClone['tokens']>('hubspot');
    hs = hubspotFor(clone);
  }, 180_000);
  afterAll(() => clone?.stop(), 60_000);

  test('a created enumeration property is listed, read, and then accepted (and checked) on contact writes', async () => {
    const created = await hs.crm.properties.coreApi.create('contacts', {
      name: 'favorite_color',
      label: 'Favorite color',
      type: T('enumeration'),
      fieldType: T('select'),
      groupName: 'contactinformation',
      options: [{ label: 'Red', value: 'red', hidden: false, displayOrder: 0 }, { label: 'Blue', value: 'blue', hidden: false, displayOrder: 1 }],
    });
    expect(created.name).toBe('favorite_color');
    expect(created.hubspotDefined).toBe(false);
    expect(created.modificationMetadata?.archivable).toBe(true);
    expect(created.options.map((o) => o.value)).toEqual(['red', 'blue']);
    const res = await raw(clone, 'GET', '/crm/v3/properties/contacts/favorite_color');
    expectShape('GET /crm/v3/properties/{objectType}/{propertyName}', res);
    expect((await hs.crm.properties.coreApi.getAll('contacts')).results.some((p) => p.name === 'favorite_color')).toBe(true);
    // Only contacts have it.
    expect((await hsErr(() => hs.crm.properties.coreApi.getByName('companies', 'favorite_color'))).code).toBe(404);

    const c = await hs.crm.contacts.basicApi.create({ properties: { email: 'prop-writer@example.com', favorite_color: 'blue' }, associations: [] });
    expect((await hs.crm.contacts.basicApi.getById(c.id, ['favorite_color'])).properties.favorite_color).toBe('blue');
    const bad = await hsErr(() => hs.crm.contacts.basicApi.update(c.id, { properties: { favorite_color: 'green' } }));
    expect(bad.code).toBe(400);
    expect(bad.body.message).toContain('INVALID_OPTION');
    const search = await hs.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'favorite_color', operator: T('EQ'), value: 'blue' }] }], properties: ['favorite_color'] });
    expect(search.results.map((r) => r.id)).toEqual([c.id]);
  });

  test('an unknown property still fails object writes with PROPERTY_DOESNT_EXIST', async () => {
    const e = await hsErr(() => hs.crm.companies.basicApi.create({ properties: { name: 'X', never_created_prop: '1' }, associations: [] }));
    expect(e.code).toBe(400);
    expect(e.body.category).toBe('VALIDATION_ERROR');
    expect(e.body.message).toContain('PROPERTY_DOESNT_EXIST');
  });

  test('create validates: required fields, name, type/fieldType pairs, the group; a duplicate name is 409', async () => {
    const base = { label: 'L', type: T('string'), fieldType: T('text'), groupName: 'companyinformation' };
    const missing = await hsErr(() => hs.crm.properties.coreApi.create('companies', { ...base, name: 'x1', groupName: undefined as never }));
    expect(missing.code).toBe(400);
    expect(missing.body.errors[0].code).toBe('REQUIRED_FIELD');
    expect((await hsErr(() => hs.crm.properties.coreApi.create('companies', { ...base, name: 'Bad Name' }))).code).toBe(400);
    expect((await hsErr(() => hs.crm.properties.coreApi.create('companies', { ...base, name: 'hs_mine' }))).code).toBe(400);
    const pair = await hsErr(() => hs.crm.properties.coreApi.create('companies', { ...base, name: 'x2', type: T('number'), fieldType: T('select') }));
    expect(pair.code).toBe(400);
    expect(pair.body.errors[0].code).toBe('INVALID_FIELD_TYPE');
    const group = await hsErr(() => hs.crm.properties.coreApi.create('companies', { ...base, name: 'x3', groupName: 'no_such_group' }));
    expect(group.code).toBe(400);
    expect(group.body.message).toContain('no_such_group');
    await hs.crm.properties.coreApi.create('companies', { ...base, name: 'tier_score', type: T('number'), fieldType: T('number') });
    const dup = await hsErr(() => hs.crm.properties.coreApi.create('companies', { ...base, name: 'tier_score' }));
    expect(dup.code).toBe(409);
    expect(dup.body.category).toBe('OBJECT_ALREADY_EXISTS');
    // A HubSpot-defined name is taken too.
    expect((await hsErr(() => hs.crm.properties.coreApi.create('companies', { ...base, name: 'domain' }))).code).toBe(409);
    // A number property takes numbers only.
    const co = await hs.crm.companies.basicApi.create({ properties: { name: 'Scored', tier_score: '7' }, associations: [] });
    expect((await hs.crm.companies.basicApi.getById(co.id, ['tier_score'])).properties.tier_score).toBe('7');
    expect((await hsErr(() => hs.crm.companies.basicApi.update(co.id, { properties: { tier_score: 'high' } }))).body.message).toContain('INVALID_FLOAT');
  });

  test('update changes a custom definition; HubSpot-defined ones are read-only; unknown is 404', async () => {
    await hs.crm.properties.coreApi.create('deals', { name: 'renewal_note', label: 'Renewal note', type: T('string'), fieldType: T('text'), groupName: 'dealinformation' });
    const up = await raw(clone, 'PATCH', '/crm/v3/properties/deals/renewal_note', { label: 'Renewal notes', fieldType: 'textarea', description: 'Free text' });
    expect(up.status).toBe(200);
    expectShape('PATCH /crm/v3/properties/{objectType}/{propertyName}', up);
    const read = await hs.crm.properties.coreApi.getByName('deals', 'renewal_note');
    expect([read.label, read.fieldType, read.description]).toEqual(['Renewal notes', 'textarea', 'Free text']);
    expect((await hsErr(() => hs.crm.properties.coreApi.update('deals', 'renewal_note', { fieldType: T('number') }))).code).toBe(400);
    const builtin = await hsErr(() => hs.crm.properties.coreApi.update('deals', 'dealname', { label: 'Name' }));
    expect(builtin.code).toBe(400);
    expect(builtin.body.errors[0].code).toBe('READ_ONLY_DEFINITION');
    expect((await hs.crm.properties.coreApi.getByName('deals', 'dealname')).label).toBe('Deal Name');
    expect((await hsErr(() => hs.crm.properties.coreApi.update('deals', 'no_such_prop', { label: 'x' }))).code).toBe(404);
  });

  test('archive: gone from the list and from object writes, listed with archived=true; HubSpot-defined ones cannot be archived', async () => {
    await hs.crm.properties.coreApi.create('contacts', { name: 'temp_flag', label: 'Temp flag', type: T('bool'), fieldType: T('booleancheckbox'), groupName: 'contactinformation' });
    const c = await hs.crm.contacts.basicApi.create({ properties: { email: 'temp-flag@example.com', temp_flag: 'true' }, associations: [] });
    const del = await raw(clone, 'DELETE', '/crm/v3/properties/contacts/temp_flag');
    expect(del.status).toBe(204);
    expect((await hs.crm.properties.coreApi.getAll('contacts')).results.some((p) => p.name === 'temp_flag')).toBe(false);
    const archived = await hs.crm.properties.coreApi.getAll('contacts', true);
    expect(archived.results.map((p) => [p.name, p.archived])).toEqual([['temp_flag', true]]);
    expect(archived.results[0]!.archivedAt).toBeInstanceOf(Date);
    expect((await hsErr(() => hs.crm.properties.coreApi.getByName('contacts', 'temp_flag'))).code).toBe(404);
    expect((await hs.crm.properties.coreApi.getByName('contacts', 'temp_flag', true)).archived).toBe(true);
    expect((await hsErr(() => hs.crm.contacts.basicApi.update(c.id, { properties: { temp_flag: 'false' } }))).body.message).toContain('PROPERTY_DOESNT_EXIST');
    const builtin = await hsErr(() => hs.crm.properties.coreApi.archive('contacts', 'email'));
    expect(builtin.code).toBe(400);
    expect((await hsErr(() => hs.crm.properties.coreApi.archive('contacts', 'never_was'))).code).toBe(404);
  });

  test('batch create is all or nothing; batch archive archives the named ones', async () => {
    const made = await raw(clone, 'POST', '/crm/v3/properties/companies/batch/create', {
      inputs: [
        { name: 'region_code', label: 'Region code', type: 'string', fieldType: 'text', groupName: 'companyinformation' },
        { name: 'signed_on', label: 'Signed on', type: 'date', fieldType: 'date', groupName: 'companyinformation' },
      ],
    });
    expect(made.status).toBe(201);
    expectShape('POST /crm/v3/properties/{objectType}/batch/create', made);
    expect(made.body.results.map((p: { name: string }) => p.name)).toEqual(['region_code', 'signed_on']);
    const bad = await hsErr(() => hs.crm.properties.batchApi.create('companies', {
      inputs: [
        { name: 'ok_one', label: 'Ok', type: T('string'), fieldType: T('text'), groupName: 'companyinformation' },
        { name: 'ok_one', label: 'Twice', type: T('string'), fieldType: T('text'), groupName: 'companyinformation' },
      ],
    }));
    expect(bad.code).toBe(409);
    expect((await hsErr(() => hs.crm.properties.coreApi.getByName('companies', 'ok_one'))).code).toBe(404);
    await hs.crm.properties.batchApi.archive('companies', { inputs: [{ name: 'region_code' }, { name: 'signed_on' }, { name: 'not_there' }] });
    const names = (await hs.crm.properties.coreApi.getAll('companies')).results.map((p) => p.name);
    expect(names).not.toContain('region_code');
    expect(names).not.toContain('signed_on');
    expect((await hs.crm.properties.coreApi.getAll('companies', true)).results.map((p) => p.name).sort()).toEqual(['region_code', 'signed_on']);
  });

  test('groups: create (201), then a property in it; update label and order; archive only when empty; HubSpot-defined groups are read-only', async () => {
    const res = await raw(clone, 'POST', '/crm/v3/properties/deals/groups', { name: 'integration_fields', label: 'Integration fields', displayOrder: 3 });
    expect(res.status).toBe(201);
    expectShape('POST /crm/v3/properties/{objectType}/groups', res);
    expect(res.body).toEqual({ name: 'integration_fields', label: 'Integration fields', displayOrder: 3, archived: false });
    expect((await hs.crm.properties.groupsApi.getAll('deals')).results.map((g) => g.name)).toContain('integration_fields');
    expect((await hsErr(() => hs.crm.properties.groupsApi.getByName('contacts', 'integration_fields'))).code).toBe(404);
    const dup = await hsErr(() => hs.crm.properties.groupsApi.create('deals', { name: 'integration_fields', label: 'Again' }));
    expect([dup.code, dup.body.category]).toEqual([409, 'OBJECT_ALREADY_EXISTS']);
    expect((await hsErr(() => hs.crm.properties.groupsApi.create('deals', { name: 'dealinformation', label: 'Taken' }))).code).toBe(409);
    expect((await hsErr(() => hs.crm.properties.groupsApi.create('deals', { name: 'no_label' } as never))).body.errors[0].code).toBe('REQUIRED_FIELD');

    const up = await raw(clone, 'PATCH', '/crm/v3/properties/deals/groups/integration_fields', { label: 'Synced fields', displayOrder: 1 });
    expect(up.status).toBe(200);
    expectShape('PATCH /crm/v3/properties/{objectType}/groups/{groupName}', up);
    expect((await hs.crm.properties.groupsApi.getByName('deals', 'integration_fields')).label).toBe('Synced fields');
    expect((await hsErr(() => hs.crm.properties.groupsApi.update('deals', 'dealinformation', { label: 'Mine' }))).code).toBe(400);
    expect((await hsErr(() => hs.crm.properties.groupsApi.update('deals', 'no_such_group', { label: 'x' }))).code).toBe(404);

    await hs.crm.properties.coreApi.create('deals', { name: 'external_ref', label: 'External ref', type: T('string'), fieldType: T('text'), groupName: 'integration_fields' });
    const busy = await hsErr(() => hs.crm.properties.groupsApi.archive('deals', 'integration_fields'));
    expect(busy.code).toBe(400);
    expect(busy.body.message).toContain('external_ref');
    await hs.crm.properties.coreApi.update('deals', 'external_ref', { groupName: 'dealinformation' });
    expect((await raw(clone, 'DELETE', '/crm/v3/properties/deals/groups/integration_fields')).status).toBe(204);
    expect((await hsErr(() => hs.crm.properties.groupsApi.getByName('deals', 'integration_fields'))).code).toBe(404);
    expect((await hsErr(() => hs.crm.properties.coreApi.create('deals', { name: 'late_prop', label: 'Late', type: T('string'), fieldType: T('text'), groupName: 'integration_fields' }))).code).toBe(400);
    expect((await hsErr(() => hs.crm.properties.groupsApi.archive('deals', 'dealinformation'))).code).toBe(400);
  });
});
