import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Client } from '@hubspot/api-client';
import { SQL } from 'bun';
import { definitionConfigurationsApi } from '../../templates/hubspot/verify/sdk-extra.ts';
import { describeDocker } from '../support/docker.ts';
import { startTemplateOnHost, type HostClone } from '../support/template-host.ts';
import { expectShape, hsErr, hubspotFor, raw, type HubspotClone } from './helpers.ts';

/** Deal splits and the associations high-usage report through @hubspot/api-client. */

let clone: HostClone<HubspotClone['tokens']>;
let hs: Client;
const deal = async (owner?: string) => (await hs.crm.deals.basicApi.create({ properties: { dealname: 'Split me', amount: '1000', ...(owner ? { hubspot_owner_id: owner } : {}) }, associations: [] })).id;

describeDocker('hubspot deal splits and usage report', () => {
  beforeAll(async () => {
    clone = await startTemplateOnHost<HubspotClone['tokens']>('hubspot');
    hs = hubspotFor(clone);
  }, 180_000);
  afterAll(() => clone?.stop(), 60_000);

  test('an upsert stores the splits, a read returns them, a second upsert replaces them', async () => {
    const splits = hs.crm.objects.dealSplits.batchApi;
    const d = await deal('501');
    const res = await raw(clone, 'POST', '/crm/v3/objects/deals/splits/batch/upsert', { inputs: [{ id: Number(d), splits: [{ ownerId: 501, percentage: 0.6 }, { ownerId: 502, percentage: 0.4 }] }] });
    expect(res.status).toBe(200);
    expectShape('POST /crm/v3/objects/deals/splits/batch/upsert', res);
    const read = await splits.read({ inputs: [{ id: d }] });
    expect(read.results[0]!.splits.map((s) => [s.properties.hubspot_owner_id, s.properties.hs_deal_split_percentage])).toEqual([['501', '0.6'], ['502', '0.4']]);
    await splits.upsert({ inputs: [{ id: Number(d), splits: [{ ownerId: 501, percentage: 0.33333333 }, { ownerId: 503, percentage: 0.66666667 }] }] });
    const again = await splits.read({ inputs: [{ id: d }] });
    expect(again.results[0]!.splits.map((s) => s.properties.hubspot_owner_id)).toEqual(['501', '503']);
    // A deal without splits reads with none; a missing one is a 207 error.
    const other = await deal('501');
    const mixed = await raw(clone, 'POST', '/crm/v3/objects/deals/splits/batch/read', { inputs: [{ id: other }, { id: '99999999' }] });
    expect(mixed.status).toBe(207);
    expectShape('POST /crm/v3/objects/deals/splits/batch/read', mixed);
    expect(mixed.body.results).toEqual([{ id: other, splits: [] }]);
    expect(mixed.body.errors[0].category).toBe('OBJECT_NOT_FOUND');
  });

  test('validation as documented: sum to 1.0, up to 8 decimals, the deal owner among the owners; one bad deal fails the batch', async () => {
    const splits = hs.crm.objects.dealSplits.batchApi;
    const good = Number(await deal('501'));
    const noOwner = Number(await deal());
    const cases: Array<[string, unknown]> = [
      ['sum 0.9', [{ ownerId: 501, percentage: 0.5 }, { ownerId: 502, percentage: 0.4 }]],
      ['nine decimals', [{ ownerId: 501, percentage: 0.123456789 }, { ownerId: 502, percentage: 0.876543211 }]],
      ['owner missing', [{ ownerId: 502, percentage: 0.5 }, { ownerId: 503, percentage: 0.5 }]],
      ['owner twice', [{ ownerId: 501, percentage: 0.5 }, { ownerId: 501, percentage: 0.5 }]],
      ['no splits', []],
    ];
    for (const [what, s] of cases) {
      const e = await hsErr(() => splits.upsert({ inputs: [{ id: good, splits: s as never }] }));
      expect([what, e.code, e.body.category]).toEqual([what, 400, 'VALIDATION_ERROR']);
    }
    expect((await hsErr(() => splits.upsert({ inputs: [{ id: noOwner, splits: [{ ownerId: 501, percentage: 1 }] }] }))).body.message).toContain('no owner');
    const batch = await hsErr(() => splits.upsert({ inputs: [{ id: good, splits: [{ ownerId: 501, percentage: 1 }] }, { id: 99999999, splits: [{ ownerId: 501, percentage: 1 }] }] }));
    expect(batch.code).toBe(400);
    expect((await splits.read({ inputs: [{ id: String(good) }] })).results[0]!.splits).toEqual([]);
  });

  test('deal splits take crm.dealsplits.read_write', async () => {
    const minted = await fetch(`${clone.endpoints.api}/__asym/hubspot/tokens`, { method: 'POST', headers: { 'x-asym-admin': clone.adminSecret, 'content-type': 'application/json' }, body: JSON.stringify({ scopes: ['crm.objects.deals.read', 'crm.objects.deals.write'] }) });
    const { token } = (await minted.json()) as { token: string };
    const e = await hsErr(() => hubspotFor(clone, token).crm.objects.dealSplits.batchApi.read({ inputs: [{ id: '1' }] }));
    expect([e.code, e.body.errors[0].context.requiredGranularScopes]).toEqual([403, ['crm.dealsplits.read_write']]);
  });

  test('the high-usage report answers who it goes to and keeps the records at 80% of a configured limit', async () => {
    const d = await deal('501');
    const contacts = await hs.crm.contacts.batchApi.create({ inputs: [1, 2, 3, 4].map((n) => ({ properties: { email: `usage${n}@acme.test` }, associations: [] })) });
    await definitionConfigurationsApi(clone.tokens.botToken, clone.endpoints.api).batchCreate('deals', 'contacts', { inputs: [{ category: 'HUBSPOT_DEFINED' as never, typeId: 3, maxToObjectIds: 5 }] });
    await hs.crm.associations.v4.batchApi.createDefault('deals', 'contacts', { inputs: contacts.results.map((c) => ({ _from: { id: d }, to: { id: c.id } })) });
    const admin = Number(clone.tokens.adminUserId);
    const res = await raw(clone, 'POST', `/crm/v4/associations/usage/high-usage-report/${admin}`);
    expect(res.status).toBe(200);
    expectShape('POST /crm/v4/associations/usage/high-usage-report/{userId}', res);
    const sent = await hs.crm.associations.v4.reportApi.request(admin);
    expect([sent.userEmail, sent.userId]).toEqual(['admin@asym.test', admin]);
    const db = new SQL(clone.databaseUrl);
    try {
      const [row] = await db`select records from association_usage_reports order by id desc limit 1`;
      const records = typeof row.records === 'string' ? JSON.parse(row.records) : row.records;
      expect(records).toEqual([{ fromObjectTypeId: '0-3', fromObjectId: d, toObjectTypeId: '0-1', typeId: 3, usage: 4, limit: 5 }]);
    } finally {
      await db.close();
    }
    expect((await hsErr(() => hs.crm.associations.v4.reportApi.request(424242))).code).toBe(404);
  });
});
