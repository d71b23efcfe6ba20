import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Client } from '@hubspot/api-client';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloneHarness } from '../support/clones.ts';
import { describeDocker } from '../support/docker.ts';
import { allPages, expectShape, hsErr, hubspotFor, op, raw, type HubspotClone } from './helpers.ts';

/** The acme fixture through the SDK: paging to the end, search semantics, reset back to the pack. */

const ROOT = join(import.meta.dir, '..', '..', 'templates', 'hubspot');
const h = cloneHarness('hs-fix');
let clone: HubspotClone;
let hs: Client;

type Row = { id: string; properties: Record<string, string | null> };
let contacts: Row[] = [];
let deals: Row[] = [];

const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id).sort();

describeDocker('hubspot acme fixture and search', () => {
  beforeAll(async () => {
    clone = await h.spin('hubspot');
    hs = hubspotFor(clone);
    const seeded = await h.run(['seed', clone.id, '--fixture', 'acme', '--json']);
    if (seeded.code !== 0) throw new Error(`seed failed: ${seeded.stdout} ${seeded.stderr}`);
  }, 180_000);
  afterAll(() => h.cleanup(), 60_000);

  test('the generator is deterministic and matches the committed pack', async () => {
    const out = join(tmpdir(), `hubspot-acme-${process.pid}.sql`);
    const p = Bun.spawnSync(['bun', join(ROOT, 'scripts', 'gen-fixture.ts'), out], { stdout: 'pipe', stderr: 'pipe' });
    expect(p.exitCode).toBe(0);
    expect(await Bun.file(out).text()).toBe(await Bun.file(join(ROOT, 'fixtures', 'acme.sql')).text());
    await Bun.file(out).delete();
  });

  test('40 companies, 150 contacts, 60 deals across every stage, paged to the end with after', async () => {
    const co = await allPages((after) => hs.crm.companies.basicApi.getPage(7, after, ['name', 'domain']));
    expect(co.items).toHaveLength(40);
    expect(co.pages).toBe(6);
    expect(co.items[0]!.properties.name).toBe('Acme Corp');
    const ct = await allPages((after) => hs.crm.contacts.basicApi.getPage(100, after, ['email', 'firstname', 'lastname', 'phone', 'jobtitle', 'lifecyclestage', 'company']));
    expect(ct.items).toHaveLength(150);
    expect(ct.pages).toBe(2);
    contacts = ct.items as Row[];
    expect(new Set(contacts.map((c) => c.properties.email)).size).toBe(150);
    const dl = await allPages((after) => hs.crm.deals.basicApi.getPage(25, after, ['dealname', 'amount', 'dealstage', 'closedate', 'pipeline']));
    expect(dl.items).toHaveLength(60);
    deals = dl.items as Row[];
    expect(new Set(deals.map((d) => d.properties.dealstage)).size).toBe(7);
    expect(deals.every((d) => d.properties.pipeline === 'default')).toBe(true);
    // Ids ascend across pages; the fixture's timestamps are fixed.
    expect(ids(contacts)).toEqual(contacts.map((c) => c.id).sort());
    const ada = await hs.crm.contacts.basicApi.getById('ada.lovelace@acmecorp.test', undefined, ['firstname'], ['companies'], false, 'email');
    expect(ada.createdAt.toISOString()).toBe('2025-01-08T09:00:00.000Z');
    expect(ada.propertiesWithHistory!.firstname!.map((v) => [v.value, v.sourceType])).toEqual([['Ada', 'IMPORT']]);
    expect(ada.associations!.companies!.results.map((r) => r.type).sort()).toEqual(['contact_to_company', 'contact_to_company_unlabeled']);
    expectShape('GET /crm/v3/objects/contacts/{contactId}', await raw(clone, 'GET', `/crm/v3/objects/contacts/${ada.id}?associations=companies&propertiesWithHistory=email`));
    expectShape('GET /crm/v3/objects/deals', await raw(clone, 'GET', '/crm/v3/objects/deals?limit=100&associations=contacts&associations=companies'));
  });

  const search = (type: 'contacts' | 'deals', body: Record<string, unknown>) =>
    type === 'contacts' ? hs.crm.contacts.searchApi.doSearch(body as never) : hs.crm.deals.searchApi.doSearch(body as never);
  const f = (propertyName: string, operator: string, extra: Record<string, unknown> = {}) => ({ propertyName, operator: op(operator), ...extra });
  async function searchAll(type: 'contacts' | 'deals', filterGroups: unknown[], extra: Record<string, unknown> = {}) {
    const out: Row[] = [];
    let after: string | undefined;
    let total = -1;
    do {
      const page = await search(type, { filterGroups, limit: 200, ...extra, ...(after ? { after } : {}) });
      total = page.total;
      out.push(...(page.results as Row[]));
      after = page.paging?.next?.after;
    } while (after);
    expect(out).toHaveLength(total);
    return out;
  }
  const amount = (d: Row) => Number(d.properties.amount);

  test('search operators: EQ NEQ LT LTE GT GTE BETWEEN IN NOT_IN on numbers and strings', async () => {
    const pick = deals[10]!;
    expect(ids(await searchAll('deals', [{ filters: [f('amount', 'EQ', { value: pick.properties.amount })] }]))).toEqual(ids(deals.filter((d) => amount(d) === amount(pick))));
    expect(ids(await searchAll('deals', [{ filters: [f('dealstage', 'NEQ', { value: 'closedwon' })] }]))).toEqual(ids(deals.filter((d) => d.properties.dealstage !== 'closedwon')));
    // Numbers compare as numbers ("9000" < "25000"), not as strings.
    expect(ids(await searchAll('deals', [{ filters: [f('amount', 'LT', { value: '25000' })] }]))).toEqual(ids(deals.filter((d) => amount(d) < 25000)));
    expect(ids(await searchAll('deals', [{ filters: [f('amount', 'LTE', { value: '25000' })] }]))).toEqual(ids(deals.filter((d) => amount(d) <= 25000)));
    expect(ids(await searchAll('deals', [{ filters: [f('amount', 'GT', { value: '25000' })] }]))).toEqual(ids(deals.filter((d) => amount(d) > 25000)));
    expect(ids(await searchAll('deals', [{ filters: [f('amount', 'GTE', { value: '25000' })] }]))).toEqual(ids(deals.filter((d) => amount(d) >= 25000)));
    expect(ids(await searchAll('deals', [{ filters: [f('amount', 'BETWEEN', { value: '10000', highValue: '30000' })] }]))).toEqual(ids(deals.filter((d) => amount(d) >= 10000 && amount(d) <= 30000)));
    expect(ids(await searchAll('deals', [{ filters: [f('dealstage', 'IN', { values: ['closedwon', 'closedlost'] })] }]))).toEqual(ids(deals.filter((d) => ['closedwon', 'closedlost'].includes(d.properties.dealstage!))));
    expect(ids(await searchAll('deals', [{ filters: [f('dealstage', 'NOT_IN', { values: ['closedwon', 'closedlost'] })] }]))).toEqual(ids(deals.filter((d) => !['closedwon', 'closedlost'].includes(d.properties.dealstage!))));
    // Dates: epoch millis or ISO.
    const cut = Date.UTC(2025, 5, 1);
    expect(ids(await searchAll('deals', [{ filters: [f('closedate', 'GTE', { value: String(cut) })] }]))).toEqual(ids(deals.filter((d) => Date.parse(d.properties.closedate!) >= cut)));
    // EQ on strings ignores case.
    expect((await searchAll('contacts', [{ filters: [f('email', 'EQ', { value: 'ADA.LOVELACE@ACMECORP.TEST' })] }])).map((c) => c.properties.email)).toEqual(['ada.lovelace@acmecorp.test']);
  });

  test('search operators: HAS_PROPERTY, NOT_HAS_PROPERTY, CONTAINS_TOKEN (words, wildcards), NOT_CONTAINS_TOKEN', async () => {
    const withPhone = contacts.filter((c) => c.properties.phone);
    expect(withPhone.length).toBe(120);
    expect(ids(await searchAll('contacts', [{ filters: [f('phone', 'HAS_PROPERTY')] }]))).toEqual(ids(withPhone));
    expect(ids(await searchAll('contacts', [{ filters: [f('phone', 'NOT_HAS_PROPERTY')] }]))).toEqual(ids(contacts.filter((c) => !c.properties.phone)));
    const atAcme = contacts.filter((c) => c.properties.email!.endsWith('@acmecorp.test'));
    expect(atAcme.length).toBeGreaterThan(0);
    expect(ids(await searchAll('contacts', [{ filters: [f('email', 'CONTAINS_TOKEN', { value: '*@acmecorp.test' })] }]))).toEqual(ids(atAcme));
    expect(ids(await searchAll('contacts', [{ filters: [f('jobtitle', 'CONTAINS_TOKEN', { value: 'engineering' })] }]))).toEqual(ids(contacts.filter((c) => c.properties.jobtitle === 'VP Engineering')));
    expect(ids(await searchAll('contacts', [{ filters: [f('email', 'NOT_CONTAINS_TOKEN', { value: '*@acmecorp.test' })] }]))).toEqual(ids(contacts.filter((c) => !atAcme.includes(c))));
  });

  test('filterGroups: AND within a group, OR across groups; query; sorts; after/limit and total', async () => {
    const andRes = await searchAll('deals', [{ filters: [f('dealstage', 'EQ', { value: 'closedwon' }), f('amount', 'GT', { value: '20000' })] }]);
    expect(ids(andRes)).toEqual(ids(deals.filter((d) => d.properties.dealstage === 'closedwon' && amount(d) > 20000)));
    const orRes = await searchAll('deals', [{ filters: [f('dealstage', 'EQ', { value: 'closedwon' })] }, { filters: [f('amount', 'GT', { value: '40000' })] }]);
    expect(ids(orRes)).toEqual(ids(deals.filter((d) => d.properties.dealstage === 'closedwon' || amount(d) > 40000)));

    const q = await search('contacts', { query: 'lovelace', limit: 200 });
    expect(ids(q.results)).toEqual(ids(contacts.filter((c) => c.properties.lastname === 'Lovelace')));
    expect(q.total).toBeGreaterThan(0);
    const q2 = await search('contacts', { query: 'ada.lovelace@acmecorp.test' });
    expect(q2.results.map((r) => r.properties.email)).toEqual(['ada.lovelace@acmecorp.test']);
    // Default properties unless `properties` names others.
    expect(Object.keys(q2.results[0]!.properties).sort()).toEqual(['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname']);
    const named = await search('contacts', { query: 'lovelace', properties: ['jobtitle'], limit: 1 });
    expect(Object.keys(named.results[0]!.properties).sort()).toEqual(['createdate', 'hs_object_id', 'jobtitle', 'lastmodifieddate']);

    const sorted = await search('deals', { filterGroups: [], sorts: [{ propertyName: 'amount', direction: 'DESCENDING' }] as never, properties: ['amount'], limit: 60 });
    const amounts = sorted.results.map((r) => Number(r.properties.amount));
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
    const asc = await search('deals', { sorts: ['amount'], properties: ['amount'], limit: 60 });
    expect(asc.results.map((r) => Number(r.properties.amount))).toEqual([...amounts].sort((a, b) => a - b));

    const p1 = await search('contacts', { limit: 40, sorts: ['email'], properties: ['email'] });
    expect(p1.total).toBe(150);
    expect(p1.paging!.next!.after).toBe('40');
    const p4 = await search('contacts', { limit: 40, after: '120', sorts: ['email'], properties: ['email'] });
    expect(p4.results).toHaveLength(30);
    expect(p4.paging).toBeUndefined();
    const everyone = await searchAll('contacts', [], { sorts: ['email'], properties: ['email'] });
    expect(everyone.map((c) => c.properties.email)).toEqual(contacts.map((c) => c.properties.email).sort());
    expectShape('POST /crm/v3/objects/contacts/search', await raw(clone, 'POST', '/crm/v3/objects/contacts/search', { query: 'ada', limit: 3 }));

    const tooMany = await hsErr(() => search('contacts', { filterGroups: Array.from({ length: 6 }, () => ({ filters: [f('email', 'HAS_PROPERTY')] })) }));
    expect(tooMany.code).toBe(400);
    expect(tooMany.body.category).toBe('VALIDATION_ERROR');
    expect(tooMany.body.errors.length).toBeGreaterThan(0);
    expect((await hsErr(() => search('contacts', { limit: 201 }))).code).toBe(400);
    const badOp = await hsErr(() => search('contacts', { filterGroups: [{ filters: [f('email', 'LIKE', { value: 'x' })] }] }));
    expect(badOp.body.errors[0].in).toBe('filterGroups[0].filters[0].operator');
  });

  test('reset after writes gives the fixture back exactly', async () => {
    const ada = await hs.crm.contacts.basicApi.getById('ada.lovelace@acmecorp.test', undefined, undefined, undefined, false, 'email');
    await hs.crm.contacts.basicApi.update(ada.id, { properties: { firstname: 'Changed' } });
    await hs.crm.contacts.basicApi.create({ properties: { email: 'new.person@example.com' }, associations: [] });
    await hs.crm.deals.basicApi.archive(deals[0]!.id);
    // A custom property, read once so the server's catalog cache holds it.
    await hs.crm.properties.coreApi.create('contacts', { name: 'before_reset', label: 'Before reset', type: 'string' as never, fieldType: 'text' as never, groupName: 'contactinformation' });
    await hs.crm.contacts.basicApi.update(ada.id, { properties: { before_reset: 'x' } });
    expect((await hs.crm.contacts.searchApi.doSearch({ limit: 1 } as never)).total).toBe(151);
    const r = await h.run(['reset', clone.id, '--json']);
    expect(r.code).toBe(0);
    expect((await hs.crm.contacts.basicApi.getById(ada.id)).properties.firstname).toBe('Ada');
    expect((await hs.crm.contacts.searchApi.doSearch({ limit: 1 } as never)).total).toBe(150);
    expect((await hs.crm.deals.basicApi.getById(deals[0]!.id)).archived).toBe(false);
    expect((await hsErr(() => hs.crm.contacts.basicApi.getById('new.person@example.com', undefined, undefined, undefined, false, 'email'))).code).toBe(404);
    // The custom property went with the reset, cache and all.
    expect((await hsErr(() => hs.crm.properties.coreApi.getByName('contacts', 'before_reset'))).code).toBe(404);
    expect((await hsErr(() => hs.crm.contacts.basicApi.update(ada.id, { properties: { before_reset: 'y' } }))).body.message).toContain('PROPERTY_DOESNT_EXIST');
    // Runtime ids restart where the pristine database left them.
    const again = await hs.crm.contacts.basicApi.create({ properties: { email: 'new.person@example.com' }, associations: [] });
    expect(again.id).toBe('50000001');
  });
});
