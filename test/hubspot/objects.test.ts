import { afterAll, beforeAll, expect, test } from 'bun:test';
import { RedisClient } from 'bun';
import type { Client } from '@hubspot/api-client';
import { describeDocker } from '../support/docker.ts';
import { startTemplateOnHost, type HostClone } from '../support/template-host.ts';
import { expectShape, hsErr, hubspotFor, raw, uniq, type HubspotClone } from './helpers.ts';

/** Contacts, companies and deals through @hubspot/api-client: CRUD, errors, batch, merge, GDPR delete. */

// The HTTP API only: the server on the host (test/support/template-host.ts), no CLI spin.
let clone: HostClone<HubspotClone['tokens']>;
let hs: Client;

describeDocker('hubspot objects', () => {
  beforeAll(async () => {
    clone = await startTemplateOnHost<HubspotClone['tokens']>('hubspot');
    hs = hubspotFor(clone);
  }, 180_000);
  afterAll(() => clone?.stop(), 60_000);

  test('provision minted two pat-na1- tokens; a bad token is 401 with the envelope; rate-limit headers', async () => {
    expect(clone.tokens.botToken).toMatch(/^pat-na1-[0-9a-f-]{36}$/);
    expect(clone.tokens.userToken).toMatch(/^pat-na1-/);
    expect(clone.tokens.botToken).not.toBe(clone.tokens.userToken);
    const bad = await hsErr(() => hubspotFor(clone, 'pat-na1-00000000-0000-0000-0000-000000000000').crm.contacts.basicApi.getPage());
    expect(bad.code).toBe(401);
    expect(bad.body.category).toBe('INVALID_AUTHENTICATION');
    expect(bad.body.status).toBe('error');
    expect(typeof bad.body.correlationId).toBe('string');
    const none = await fetch(`${clone.endpoints.api}/crm/v3/objects/contacts`);
    expect(none.status).toBe(401);
    const ok = await raw(clone, 'GET', '/crm/v3/objects/contacts?limit=1');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-hubspot-ratelimit-max')).toBe('190');
    expect(Number(ok.headers.get('x-hubspot-ratelimit-remaining'))).toBeLessThan(190);
    expect(ok.headers.get('x-hubspot-ratelimit-daily')).toBe('500000');
    // Counted by the kit's one rate counter, in Redis under this clone's prefix (so reset and
    // restore take the counts back): the next call has one less left in both windows.
    const next = await raw(clone, 'GET', '/crm/v3/objects/contacts?limit=1');
    expect(Number(next.headers.get('x-hubspot-ratelimit-daily-remaining'))).toBe(Number(ok.headers.get('x-hubspot-ratelimit-daily-remaining')) - 1);
    const redis = new RedisClient(clone.redisUrl);
    try {
      const keys = (await redis.send('KEYS', [`${clone.redisPrefix}:rl:*`])) as string[];
      expect(keys.some((k) => k.startsWith(`${clone.redisPrefix}:rl:daily:`))).toBe(true);
      expect(keys.some((k) => k.startsWith(`${clone.redisPrefix}:rl:burst:`))).toBe(true);
    } finally {
      redis.close();
    }
    // The admin user's token works too.
    expect((await hubspotFor(clone, clone.tokens.userToken).crm.contacts.basicApi.getPage(1)).results).toEqual([]);
  });

  test('contact create (201), read with requested and default properties, update, history, idProperty', async () => {
    const email = `${uniq('ada')}@example.com`;
    const created = await hs.crm.contacts.basicApi.create({ properties: { email: email.toUpperCase(), firstname: 'Ada', lastname: 'Lovelace', phone: '+1 555 0100' }, associations: [] });
    expect(created.id).toMatch(/^\d+$/);
    expect(created.properties.email).toBe(email);
    expect(created.properties.hs_object_id).toBe(created.id);
    expect(created.properties.createdate).toBe(created.properties.lastmodifieddate!);
    expect(created.archived).toBe(false);
    expect(created.createdAt).toBeInstanceOf(Date);
    const createdRaw = await raw(clone, 'POST', '/crm/v3/objects/contacts', { properties: { email: `${uniq('raw')}@example.com` } });
    expect(createdRaw.status).toBe(201);
    expectShape('POST /crm/v3/objects/contacts', createdRaw);

    const dflt = await hs.crm.contacts.basicApi.getById(created.id);
    expect(Object.keys(dflt.properties).sort()).toEqual(['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname']);
    const some = await hs.crm.contacts.basicApi.getById(created.id, ['phone', 'jobtitle', 'nosuchprop']);
    expect(some.properties).toMatchObject({ phone: '+1 555 0100', jobtitle: null, hs_object_id: created.id });
    expect(some.properties.firstname).toBeUndefined();
    expect('nosuchprop' in some.properties).toBe(false);

    await Bun.sleep(5);
    const updated = await hs.crm.contacts.basicApi.update(created.id, { properties: { firstname: 'Augusta', jobtitle: 'Analyst' } });
    expect(updated.properties.firstname).toBe('Augusta');
    expect(updated.updatedAt.getTime()).toBeGreaterThan(created.updatedAt.getTime());
    const hist = await hs.crm.contacts.basicApi.getById(created.id, ['firstname'], ['firstname']);
    expect(hist.propertiesWithHistory!.firstname!.map((v) => v.value)).toEqual(['Augusta', 'Ada']);
    expect(hist.propertiesWithHistory!.firstname![0]!.sourceType).toBe('API');

    const byEmail = await hs.crm.contacts.basicApi.getById(email, undefined, undefined, undefined, false, 'email');
    expect(byEmail.id).toBe(created.id);
    const patchedByEmail = await hs.crm.contacts.basicApi.update(email, { properties: { lastname: 'King' } }, 'email');
    expect(patchedByEmail.properties.lastname).toBe('King');
    const notUnique = await hsErr(() => hs.crm.contacts.basicApi.getById('Ada', undefined, undefined, undefined, false, 'firstname'));
    expect(notUnique.code).toBe(400);

    // Clearing a property with "".
    const cleared = await hs.crm.contacts.basicApi.update(created.id, { properties: { jobtitle: '' } });
    expect(cleared.properties.jobtitle).toBeUndefined();
  });

  test('errors: 409 duplicate email, 400 VALIDATION_ERROR with errors[], 404 OBJECT_NOT_FOUND', async () => {
    const email = `${uniq('dup')}@example.com`;
    const first = await hs.crm.contacts.basicApi.create({ properties: { email }, associations: [] });
    const dup = await hsErr(() => hs.crm.contacts.basicApi.create({ properties: { email: email.toUpperCase() }, associations: [] }));
    expect(dup.code).toBe(409);
    expect(dup.body.category).toBe('CONFLICT');
    expect(dup.body.message).toBe(`Contact already exists. Existing ID: ${first.id}`);
    // Changing another contact's email to a taken one conflicts too.
    const other = await hs.crm.contacts.basicApi.create({ properties: { email: `${uniq('o')}@example.com` }, associations: [] });
    expect((await hsErr(() => hs.crm.contacts.basicApi.update(other.id, { properties: { email } }))).code).toBe(409);

    const bad = await hsErr(() => hs.crm.contacts.basicApi.create({ properties: { email: 'not-an-email', favourite_colour: 'blue', lifecyclestage: 'ghost' }, associations: [] }));
    expect(bad.code).toBe(400);
    expect(bad.body.category).toBe('VALIDATION_ERROR');
    expect(bad.body.message).toStartWith('Property values were not valid');
    expect(bad.body.errors.map((e: any) => e.code).sort()).toEqual(['INVALID_EMAIL', 'INVALID_OPTION', 'PROPERTY_DOESNT_EXIST']);
    expect(bad.body.errors.find((e: any) => e.code === 'PROPERTY_DOESNT_EXIST').context.propertyName).toEqual(['favourite_colour']);
    const num = await hsErr(() => hs.crm.deals.basicApi.create({ properties: { dealname: 'x', amount: 'lots' }, associations: [] }));
    expect(num.body.errors[0].code).toBe('INVALID_FLOAT');
    const ro = await hsErr(() => hs.crm.contacts.basicApi.update(first.id, { properties: { hs_object_id: '1' } }));
    expect(ro.body.errors[0].code).toBe('READ_ONLY_VALUE');

    const missing = await hsErr(() => hs.crm.contacts.basicApi.getById('987654321'));
    expect(missing.code).toBe(404);
    expect(missing.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'resource not found' });
    expect((await hsErr(() => hs.crm.companies.basicApi.update('987654321', { properties: { name: 'x' } }))).code).toBe(404);
    // A contact id is not a company id.
    expect((await hsErr(() => hs.crm.companies.basicApi.getById(first.id))).code).toBe(404);
    const badJson = await fetch(`${clone.endpoints.api}/crm/v3/objects/contacts`, { method: 'POST', headers: { authorization: `Bearer ${clone.tokens.botToken}`, 'content-type': 'application/json' }, body: '{nope' });
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { category: string }).category).toBe('VALIDATION_ERROR');
  });

  test('archive (204), archived=true reads and lists, archived objects leave lists and free the email', async () => {
    const email = `${uniq('arc')}@example.com`;
    const c = await hs.crm.contacts.basicApi.create({ properties: { email, firstname: 'Gone' }, associations: [] });
    const res = await raw(clone, 'DELETE', `/crm/v3/objects/contacts/${c.id}`);
    expect(res.status).toBe(204);
    await hs.crm.contacts.basicApi.archive(c.id); // idempotent
    expect((await hsErr(() => hs.crm.contacts.basicApi.getById(c.id))).code).toBe(404);
    const archived = await hs.crm.contacts.basicApi.getById(c.id, undefined, undefined, undefined, true);
    expect(archived.archived).toBe(true);
    expect(archived.archivedAt).toBeInstanceOf(Date);
    const live = await hs.crm.contacts.basicApi.getPage(100);
    expect(live.results.some((x) => x.id === c.id)).toBe(false);
    const gone = await hs.crm.contacts.basicApi.getPage(100, undefined, undefined, undefined, undefined, true);
    expect(gone.results.some((x) => x.id === c.id && x.archived)).toBe(true);
    const again = await hs.crm.contacts.basicApi.create({ properties: { email }, associations: [] });
    expect(again.id).not.toBe(c.id);
  });

  test('list paging with limit and after to the end; paging.next.link', async () => {
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push((await hs.crm.companies.basicApi.create({ properties: { name: `Paged ${i}` }, associations: [] })).id);
    const first = await hs.crm.companies.basicApi.getPage(3, undefined, ['name']);
    expect(first.results).toHaveLength(3);
    expect(first.paging!.next!.after).toMatch(/^\d+$/);
    expect(first.paging!.next!.link).toContain(`after=${first.paging!.next!.after}`);
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await hs.crm.companies.basicApi.getPage(3, after, ['name']);
      seen.push(...page.results.map((r) => r.id));
      after = page.paging?.next?.after;
      pages++;
    } while (after);
    expect(seen).toEqual(made);
    expect(pages).toBe(3);
    expect((await hsErr(() => hs.crm.companies.basicApi.getPage(0))).code).toBe(400);
  });

  test('batch create (201), read (207 with errors for missing ids), update, upsert (new flag), archive (204)', async () => {
    const emails = [uniq('b1'), uniq('b2')].map((x) => `${x}@example.com`);
    const created = await hs.crm.contacts.batchApi.create({ inputs: emails.map((email, i) => ({ properties: { email, firstname: `B${i}` }, associations: [] })) });
    expect(String(created.status)).toBe('COMPLETE');
    expect(created.results.map((r) => r.properties.email).sort()).toEqual([...emails].sort());
    const rawCreate = await raw(clone, 'POST', '/crm/v3/objects/companies/batch/create', { inputs: [{ properties: { name: 'Raw batch' }, associations: [] }] });
    expect(rawCreate.status).toBe(201);
    expectShape('POST /crm/v3/objects/companies/batch/create', rawCreate);
    const ids = created.results.map((r) => r.id);

    const read = await hs.crm.contacts.batchApi.read({ inputs: [...ids.map((id) => ({ id })), { id: '424242' }], properties: ['firstname'], propertiesWithHistory: [] });
    expect(read.results.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect((read as any).numErrors).toBe(1);
    expect((read as any).errors[0].category).toBe('OBJECT_NOT_FOUND');
    expect((read as any).errors[0].context.ids).toEqual(['424242']);
    const rawRead = await raw(clone, 'POST', '/crm/v3/objects/contacts/batch/read', { inputs: [{ id: '424242' }], properties: [], propertiesWithHistory: [] });
    expect(rawRead.status).toBe(207);
    expectShape('POST /crm/v3/objects/contacts/batch/read', rawRead);
    const byEmail = await hs.crm.contacts.batchApi.read({ inputs: [{ id: emails[0]! }], idProperty: 'email', properties: ['email'], propertiesWithHistory: [] });
    expect(byEmail.results[0]!.id).toBe(ids[0]!);

    const updated = await hs.crm.contacts.batchApi.update({ inputs: ids.map((id) => ({ id, properties: { jobtitle: 'Batched' } })) });
    expect(updated.results.every((r) => r.properties.jobtitle === 'Batched')).toBe(true);
    // One bad value fails the whole batch.
    const invalid = await hsErr(() => hs.crm.contacts.batchApi.update({ inputs: [{ id: ids[0]!, properties: { lifecyclestage: 'nope' } }] }));
    expect(invalid.code).toBe(400);

    const newEmail = `${uniq('up')}@example.com`;
    const up = await hs.crm.contacts.batchApi.upsert({ inputs: [
      { id: emails[0]!, idProperty: 'email', properties: { lastname: 'Existing' } },
      { id: newEmail, idProperty: 'email', properties: { firstname: 'New' } },
    ] });
    const byId = new Map(up.results.map((r) => [r.properties.email, r]));
    expect(byId.get(emails[0]!)!._new).toBe(false);
    expect(byId.get(emails[0]!)!.id).toBe(ids[0]!);
    expect(byId.get(newEmail)!._new).toBe(true);
    expect(byId.get(newEmail)!.properties.firstname).toBe('New');

    const dupBatch = await hsErr(() => hs.crm.contacts.batchApi.create({ inputs: [{ properties: { email: emails[1]! }, associations: [] }] }));
    expect(dupBatch.code).toBe(409);

    const arc = await raw(clone, 'POST', '/crm/v3/objects/contacts/batch/archive', { inputs: ids.map((id) => ({ id })) });
    expect(arc.status).toBe(204);
    await hs.crm.contacts.batchApi.archive({ inputs: [{ id: byId.get(newEmail)!.id }] });
    const after = await hs.crm.contacts.batchApi.read({ inputs: ids.map((id) => ({ id })), properties: [], propertiesWithHistory: [] });
    expect(after.results).toEqual([]);
  });

  test('merge keeps the primary id, fills blanks, archives the other (its id resolves to the primary)', async () => {
    const company = await hs.crm.companies.basicApi.create({ properties: { name: 'Merge Co' }, associations: [] });
    const a = await hs.crm.contacts.basicApi.create({ properties: { email: `${uniq('ma')}@example.com`, firstname: 'Primary' }, associations: [] });
    const b = await hs.crm.contacts.basicApi.create({
      properties: { email: `${uniq('mb')}@example.com`, firstname: 'Secondary', jobtitle: 'CFO' },
      associations: [{ to: { id: company.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 279 }] }],
    });
    const merged = await hs.crm.contacts.basicApi.merge({ primaryObjectId: a.id, objectIdToMerge: b.id });
    expect(merged.id).toBe(a.id);
    expect(merged.properties.firstname).toBe('Primary');
    expect(merged.properties.jobtitle).toBe('CFO');
    expect(merged.properties.hs_merged_object_ids).toBe(b.id);
    expect(merged.properties.hs_additional_emails).toBe(b.properties.email!);
    expect((await hs.crm.contacts.basicApi.getById(b.id)).id).toBe(a.id);
    const archived = await hs.crm.contacts.basicApi.getById(b.id, undefined, undefined, undefined, true);
    expect(archived.archived).toBe(true);
    const assocs = await hs.crm.associations.v4.basicApi.getPage('contacts', a.id, 'companies');
    expect(assocs.results.map((r) => r.toObjectId)).toEqual([company.id]);
    // The secondary's email is free again; merging with itself or a missing id fails.
    expect((await hsErr(() => hs.crm.contacts.basicApi.merge({ primaryObjectId: a.id, objectIdToMerge: a.id }))).code).toBe(400);
    expect((await hsErr(() => hs.crm.contacts.basicApi.merge({ primaryObjectId: a.id, objectIdToMerge: '987654321' }))).code).toBe(404);

    const c1 = await hs.crm.companies.basicApi.create({ properties: { name: 'Keep', domain: 'keep.test' }, associations: [] });
    const c2 = await hs.crm.companies.basicApi.create({ properties: { name: 'Drop', city: 'Berlin' }, associations: [] });
    const mc = await hs.crm.companies.basicApi.merge({ primaryObjectId: c1.id, objectIdToMerge: c2.id });
    expect(mc.properties).toMatchObject({ name: 'Keep', city: 'Berlin' });
    const d1 = await hs.crm.deals.basicApi.create({ properties: { dealname: 'Keep deal' }, associations: [] });
    const d2 = await hs.crm.deals.basicApi.create({ properties: { dealname: 'Drop deal', amount: '10' }, associations: [] });
    expect((await hs.crm.deals.basicApi.merge({ primaryObjectId: d1.id, objectIdToMerge: d2.id })).properties.amount).toBe('10');
  });

  test('GDPR delete (204) removes the contact for good, by id or email', async () => {
    const email = `${uniq('gdpr')}@example.com`;
    const c = await hs.crm.contacts.basicApi.create({ properties: { email }, associations: [] });
    const res = await raw(clone, 'POST', '/crm/v3/objects/contacts/gdpr-delete', { objectId: email, idProperty: 'email' });
    expect(res.status).toBe(204);
    expect((await hsErr(() => hs.crm.contacts.basicApi.getById(c.id, undefined, undefined, undefined, true))).code).toBe(404);
    const d = await hs.crm.contacts.basicApi.create({ properties: { email }, associations: [] });
    await hs.crm.contacts.basicApi.purge({ objectId: d.id });
    expect((await hsErr(() => hs.crm.contacts.basicApi.getById(d.id))).code).toBe(404);
  });

  test('deals: pipeline and stage validated and defaulted, stage probability calculated; the pipeline API', async () => {
    const d = await hs.crm.deals.basicApi.create({ properties: { dealname: 'Big one', amount: '125000.50', dealstage: 'contractsent', closedate: '2026-06-30' }, associations: [] });
    expect(d.properties).toMatchObject({ pipeline: 'default', dealstage: 'contractsent', amount: '125000.50', closedate: '2026-06-30T00:00:00.000Z', hs_deal_stage_probability: '0.9', hs_is_closed: 'false' });
    expect(Object.keys((await hs.crm.deals.basicApi.getById(d.id)).properties).sort()).toEqual(['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline']);
    const won = await hs.crm.deals.basicApi.update(d.id, { properties: { dealstage: 'closedwon' } });
    expect(won.properties).toMatchObject({ hs_deal_stage_probability: '1.0', hs_is_closed: 'true' });
    const bare = await hs.crm.deals.basicApi.create({ properties: { dealname: 'Bare' }, associations: [] });
    expect(bare.properties.dealstage).toBe('appointmentscheduled');
    const badStage = await hsErr(() => hs.crm.deals.basicApi.create({ properties: { dealname: 'x', dealstage: 'negotiation' }, associations: [] }));
    expect(badStage.code).toBe(400);
    expect(badStage.body.errors[0]).toMatchObject({ code: 'INVALID_OPTION', context: { propertyName: ['dealstage'] } });
    expect((await hsErr(() => hs.crm.deals.basicApi.create({ properties: { dealname: 'x', pipeline: 'other' }, associations: [] }))).code).toBe(400);
    const epoch = await hs.crm.deals.basicApi.create({ properties: { dealname: 'Epoch', closedate: String(Date.UTC(2026, 0, 2)) }, associations: [] });
    expect(epoch.properties.closedate).toBe('2026-01-02T00:00:00.000Z');

    const pipelines = await hs.crm.pipelines.pipelinesApi.getAll('deals');
    expect(pipelines.results.map((p) => [p.id, p.label])).toEqual([['default', 'Sales Pipeline']]);
    expect(pipelines.results[0]!.stages.map((s) => s.id)).toEqual(['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent', 'closedwon', 'closedlost']);
    expect((await hs.crm.pipelines.pipelinesApi.getById('deals', 'default')).stages).toHaveLength(7);
    const stage = await hs.crm.pipelines.pipelineStagesApi.getById('deals', 'default', 'closedwon');
    expect(stage.metadata).toEqual({ isClosed: 'true', probability: '1.0' });
    expect((await hs.crm.pipelines.pipelineStagesApi.getAll('deals', 'default')).results).toHaveLength(7);
    expect((await hs.crm.pipelines.pipelineAuditsApi.getAudit('deals', 'default')).results[0]!.action).toBe('CREATE');
    expect((await hs.crm.pipelines.pipelineStageAuditsApi.getAudit('deals', 'closedlost')).results[0]!.identifier).toBe('closedlost');
    expect((await hsErr(() => hs.crm.pipelines.pipelinesApi.getById('deals', 'nope'))).code).toBe(404);
    expect((await hsErr(() => hs.crm.pipelines.pipelineStagesApi.getById('deals', 'default', 'nope'))).code).toBe(404);
  });

  test('properties and groups read API', async () => {
    const all = await hs.crm.properties.coreApi.getAll('contacts');
    expect(all.results.map((p) => p.name)).toContain('email');
    const stage = await hs.crm.properties.coreApi.getByName('deals', 'dealstage');
    expect(stage.options.map((o) => o.value)).toContain('closedlost');
    expect(stage.type).toBe('enumeration');
    expect((await hsErr(() => hs.crm.properties.coreApi.getByName('deals', 'nope'))).code).toBe(404);
    expect((await hs.crm.properties.groupsApi.getAll('companies')).results.map((g) => g.name)).toEqual(['companyinformation']);
    expect((await hs.crm.properties.groupsApi.getByName('contacts', 'contactinformation')).label).toBe('Contact information');
    const batch = await hs.crm.properties.batchApi.read('contacts', { archived: false, inputs: [{ name: 'email' }, { name: 'ghost' }] });
    expect(batch.results.map((p) => p.name)).toEqual(['email']);
    expectShape('GET /crm/v3/properties/{objectType}/{propertyName}', await raw(clone, 'GET', '/crm/v3/properties/companies/annualrevenue'));
  });

  test('the generic objects API by objectTypeId and name', async () => {
    const created = await hs.crm.objects.basicApi.create('0-3', { properties: { dealname: 'Generic deal', amount: '10' }, associations: [] });
    expect((await hs.crm.deals.basicApi.getById(created.id)).properties.dealname).toBe('Generic deal');
    expect((await hs.crm.objects.basicApi.getById('deals', created.id, ['amount'])).properties.amount).toBe('10');
    expect((await hs.crm.objects.basicApi.update('deal', created.id, { properties: { amount: '20' } })).properties.amount).toBe('20');
    const s = await hs.crm.objects.searchApi.doSearch('0-3', { filterGroups: [{ filters: [{ propertyName: 'dealname', operator: 'EQ' as never, value: 'generic deal' }] }] });
    expect(s.results.map((r) => r.id)).toEqual([created.id]);
    await hs.crm.objects.basicApi.archive('0-3', created.id);
    expect((await hsErr(() => hs.crm.deals.basicApi.getById(created.id))).code).toBe(404);
    const unknown = await hsErr(() => hs.crm.objects.basicApi.getPage('line_items'));
    expect(unknown.code).toBe(400);
    expect(unknown.body.message).toContain('Unable to infer object type');
  });

  // Every operation of operations.json is emulated now, so only an unknown path is left to answer NOT_EMULATED.
  test('unknown paths answer the envelope, never a bare 404', async () => {
    const unknown = await raw(clone, 'GET', '/marketing/v3/emails');
    expect(unknown.status).toBe(404);
    expect(unknown.body.category).toBe('NOT_EMULATED');
    expect(unknown.body.message).toContain('not emulated');
    expect(typeof unknown.body.correlationId).toBe('string');
  });
});
