import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Client } from '@hubspot/api-client';
import { describeDocker } from '../support/docker.ts';
import { startTemplateOnHost, type HostClone } from '../support/template-host.ts';
import { expectShape, hsErr, hubspotFor, raw, type HubspotClone } from './helpers.ts';

/** Pipeline and stage writes through @hubspot/api-client: stored, validated, and what deals and tickets may use. */

let clone: HostClone<HubspotClone['tokens']>;
let hs: Client;
const dealStage = (label: string, displayOrder: number, probability: string) => ({ label, displayOrder, metadata: { probability } });

describeDocker('hubspot pipelines', () => {
  beforeAll(async () => {
    clone = await startTemplateOnHost<HubspotClone['tokens']>('hubspot');
    hs = hubspotFor(clone);
  }, 180_000);
  afterAll(() => clone?.stop(), 60_000);

  test('a created deal pipeline is listed, its stages take deals, and the stage metadata sets probability and closed', async () => {
    const res = await raw(clone, 'POST', '/crm/v3/pipelines/deals', { label: 'Renewals', displayOrder: 1, stages: [dealStage('Due', 0, '0.3'), dealStage('Renewed', 1, '1.0')] });
    expect(res.status).toBe(201);
    expectShape('POST /crm/v3/pipelines/{objectType}', res);
    const p = await hs.crm.pipelines.pipelinesApi.getById('deals', res.body.id);
    expect(p.stages.map((s) => [s.label, s.metadata?.probability, s.metadata?.isClosed])).toEqual([['Due', '0.3', 'false'], ['Renewed', '1.0', 'true']]);
    expect((await hs.crm.pipelines.pipelinesApi.getAll('deals')).results.map((x) => x.id)).toEqual(['default', p.id]);
    const [due, renewed] = p.stages;
    const deal = await hs.crm.deals.basicApi.create({ properties: { dealname: 'Renew Acme', pipeline: p.id, dealstage: due!.id }, associations: [] });
    expect(deal.properties.hs_deal_stage_probability).toBe('0.3');
    const won = await hs.crm.deals.basicApi.update(deal.id, { properties: { dealstage: renewed!.id } });
    expect([won.properties.hs_deal_stage_probability, won.properties.hs_is_closed]).toEqual(['1.0', 'true']);
    // The pipeline and its stages are options of the deal properties now.
    const options = (await hs.crm.properties.coreApi.getByName('deals', 'dealstage')).options.map((o) => o.value);
    expect(options).toEqual(expect.arrayContaining(['closedwon', due!.id, renewed!.id]));
    // A stage of another pipeline is refused.
    const wrong = await hsErr(() => hs.crm.deals.basicApi.update(deal.id, { properties: { dealstage: 'closedwon' } }));
    expect([wrong.code, wrong.body.category, wrong.body.errors[0].code]).toEqual([400, 'VALIDATION_ERROR', 'INVALID_OPTION']);
    // A stage's new probability reaches the deals in it.
    const moved = await hs.crm.deals.basicApi.create({ properties: { dealname: 'Renew Globex', pipeline: p.id, dealstage: due!.id }, associations: [] });
    await hs.crm.pipelines.pipelineStagesApi.update('deals', p.id, due!.id, { metadata: { probability: '0.35' } });
    expect((await hs.crm.deals.basicApi.getById(moved.id, ['hs_deal_stage_probability'])).properties.hs_deal_stage_probability).toBe('0.35');
    // A stage names its pipeline when the pipeline is left out.
    const inferred = await hs.crm.deals.basicApi.create({ properties: { dealname: 'Renew Initech', dealstage: due!.id }, associations: [] });
    expect(inferred.properties.pipeline).toBe(p.id);
  });

  test('inputs are validated: label, displayOrder, stages, a deal stage probability from 0 to 1, unique stage labels, ticketState', async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['no label', { displayOrder: 0, stages: [dealStage('A', 0, '0.5')] }],
      ['no displayOrder', { label: 'X', stages: [dealStage('A', 0, '0.5')] }],
      ['no stages', { label: 'X', displayOrder: 0, stages: [] }],
      ['no probability', { label: 'X', displayOrder: 0, stages: [{ label: 'A', displayOrder: 0, metadata: {} }] }],
      ['probability 1.5', { label: 'X', displayOrder: 0, stages: [dealStage('A', 0, '1.5')] }],
      ['two stages labelled alike', { label: 'X', displayOrder: 0, stages: [dealStage('Same', 0, '0.1'), dealStage('same', 1, '0.2')] }],
    ];
    for (const [what, body] of cases) {
      const e = await hsErr(() => hs.crm.pipelines.pipelinesApi.create('deals', body as never));
      expect([what, e.code, e.body.category]).toEqual([what, 400, 'VALIDATION_ERROR']);
    }
    const badState = await hsErr(() => hs.crm.pipelines.pipelinesApi.create('tickets', { label: 'Escalations', displayOrder: 1, stages: [{ label: 'Open', displayOrder: 0, metadata: { ticketState: 'PENDING' } }] }));
    expect(badState.code).toBe(400);
    expect((await hsErr(() => hs.crm.pipelines.pipelinesApi.create('contacts', { label: 'X', displayOrder: 0, stages: [] }))).code).toBe(400);
    // Nothing was stored.
    expect((await hs.crm.pipelines.pipelinesApi.getAll('deals')).results.some((p) => p.label === 'X')).toBe(false);
  });

  test('update and replace; a replace keeps a stage by label; stages are created, changed and deleted', async () => {
    const p = await hs.crm.pipelines.pipelinesApi.create('deals', { label: 'Partners', displayOrder: 2, stages: [dealStage('Intro', 0, '0.1'), dealStage('Signed', 1, '1.0')] });
    const renamed = await hs.crm.pipelines.pipelinesApi.update('deals', p.id, { label: 'Partner deals' });
    expect([renamed.label, renamed.displayOrder]).toEqual(['Partner deals', 2]);
    const intro = p.stages.find((s) => s.label === 'Intro')!;
    const replaced = await hs.crm.pipelines.pipelinesApi.replace('deals', p.id, { label: 'Partner deals', displayOrder: 3, stages: [dealStage('Intro', 0, '0.2'), dealStage('Negotiation', 1, '0.6')] });
    expect(replaced.stages.find((s) => s.label === 'Intro')).toMatchObject({ id: intro.id, metadata: { probability: '0.2' } });
    expect(replaced.stages.some((s) => s.label === 'Signed')).toBe(false);

    const res = await raw(clone, 'POST', `/crm/v3/pipelines/deals/${p.id}/stages`, dealStage('Closed', 5, '1.0'));
    expect(res.status).toBe(201);
    expectShape('POST /crm/v3/pipelines/{objectType}/{pipelineId}/stages', res);
    const dup = await hsErr(() => hs.crm.pipelines.pipelineStagesApi.create('deals', p.id, dealStage('intro', 6, '0.5')));
    expect(dup.code).toBe(400);
    const patched = await hs.crm.pipelines.pipelineStagesApi.update('deals', p.id, res.body.id, { label: 'Closed won' });
    expect([patched.label, patched.metadata?.probability]).toEqual(['Closed won', '1.0']);
    const put = await hs.crm.pipelines.pipelineStagesApi.replace('deals', p.id, res.body.id, dealStage('Closed lost', 5, '0'));
    expect([put.label, put.metadata?.probability, put.metadata?.isClosed]).toEqual(['Closed lost', '0.0', 'true']);
    await hs.crm.pipelines.pipelineStagesApi.archive('deals', p.id, res.body.id);
    expect((await hsErr(() => hs.crm.pipelines.pipelineStagesApi.getById('deals', p.id, res.body.id))).code).toBe(404);
    expect((await hs.crm.pipelines.pipelineStagesApi.getAll('deals', p.id)).results.map((s) => s.label)).toEqual(['Intro', 'Negotiation']);

    for (const call of [
      () => hs.crm.pipelines.pipelinesApi.update('deals', '999', { label: 'Nope' }),
      () => hs.crm.pipelines.pipelineStagesApi.create('deals', '999', dealStage('A', 0, '0.5')),
      () => hs.crm.pipelines.pipelineStagesApi.update('deals', p.id, '999', { label: 'Nope' }),
      () => hs.crm.pipelines.pipelineStagesApi.archive('deals', p.id, '999'),
    ]) {
      const e = await hsErr(call);
      expect([e.code, e.body.category]).toEqual([404, 'OBJECT_NOT_FOUND']);
    }
  });

  test('deleting a pipeline or stage with records is refused when asked to validate; the last pipeline and stage stay', async () => {
    const p = await hs.crm.pipelines.pipelinesApi.create('deals', { label: 'Short-lived', displayOrder: 9, stages: [dealStage('Only', 0, '0.5'), dealStage('Next', 1, '0.7')] });
    const only = p.stages.find((s) => s.label === 'Only')!;
    const deal = await hs.crm.deals.basicApi.create({ properties: { dealname: 'In the way', pipeline: p.id, dealstage: only.id }, associations: [] });
    const inUse = await hsErr(() => hs.crm.pipelines.pipelinesApi.archive('deals', p.id, undefined, true));
    expect([inUse.code, inUse.body.category]).toEqual([400, 'VALIDATION_ERROR']);
    expect(inUse.body.message).toContain('1 deals is in it');
    const replaceOut = await hsErr(() => hs.crm.pipelines.pipelinesApi.replace('deals', p.id, { label: 'Short-lived', displayOrder: 9, stages: [dealStage('Next', 1, '0.7')] }, true));
    expect(replaceOut.code).toBe(400);
    const stageInUse = await raw(clone, 'DELETE', `/crm/v3/pipelines/deals/${p.id}/stages/${only.id}?validateReferencesBeforeDelete=true`);
    expect(stageInUse.status).toBe(400);

    await hs.crm.deals.basicApi.archive(deal.id);
    await hs.crm.pipelines.pipelinesApi.archive('deals', p.id, undefined, true);
    expect((await hsErr(() => hs.crm.pipelines.pipelinesApi.getById('deals', p.id))).code).toBe(404);
    // A deleted pipeline is no longer an option.
    const gone = await hsErr(() => hs.crm.deals.basicApi.create({ properties: { dealname: 'Late', pipeline: p.id }, associations: [] }));
    expect([gone.code, gone.body.errors[0].code]).toEqual([400, 'INVALID_OPTION']);

    // Tickets have one pipeline: it cannot go, and its last stage cannot either.
    const last = await hsErr(() => hs.crm.pipelines.pipelinesApi.archive('tickets', '0'));
    expect(last.code).toBe(400);
    const solo = await hs.crm.pipelines.pipelinesApi.create('tickets', { label: 'Escalations', displayOrder: 1, stages: [{ label: 'Escalated', displayOrder: 0, metadata: { ticketState: 'CLOSED' } }] });
    expect(solo.stages[0]!.metadata).toEqual({ ticketState: 'CLOSED', isClosed: 'true' });
    expect((await hsErr(() => hs.crm.pipelines.pipelineStagesApi.archive('tickets', solo.id, solo.stages[0]!.id))).code).toBe(400);
    // A ticket in a CLOSED stage gets its close date.
    const t = await hs.crm.tickets.basicApi.create({ properties: { subject: 'Escalate', hs_pipeline: solo.id, hs_pipeline_stage: solo.stages[0]!.id }, associations: [] });
    expect(t.properties.closed_date).toBeTruthy();
  });

  test('pipeline writes take the schema write scope (tickets: tickets)', async () => {
    const minted = await fetch(`${clone.endpoints.api}/__asym/hubspot/tokens`, { method: 'POST', headers: { 'x-asym-admin': clone.adminSecret, 'content-type': 'application/json' }, body: JSON.stringify({ scopes: ['crm.objects.deals.read'] }) });
    const { token } = (await minted.json()) as { token: string };
    const reader = hubspotFor(clone, token);
    expect((await reader.crm.pipelines.pipelinesApi.getAll('deals')).results.length).toBeGreaterThan(0);
    const e = await hsErr(() => reader.crm.pipelines.pipelinesApi.create('deals', { label: 'No scope', displayOrder: 0, stages: [dealStage('A', 0, '0.5')] }));
    expect([e.code, e.body.errors[0].context.requiredGranularScopes]).toEqual([403, ['crm.schemas.deals.write']]);
  });
});
