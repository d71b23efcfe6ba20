import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Client } from '@hubspot/api-client';
import { describeDocker } from '../support/docker.ts';
import { startTemplateOnHost, type HostClone } from '../support/template-host.ts';
import { HUBSPOT_DEFINED, expectShape, hsErr, hubspotFor, raw, type HubspotClone } from './helpers.ts';

/** Tickets through @hubspot/api-client: the object model of contacts/companies/deals, HubSpot's Support Pipeline, associations. */

let clone: HostClone<HubspotClone['tokens']>;
let hs: Client;
const assoc = (id: string, typeId: number) => ({ to: { id }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: typeId }] });

describeDocker('hubspot tickets', () => {
  beforeAll(async () => {
    clone = await startTemplateOnHost<HubspotClone['tokens']>('hubspot');
    hs = hubspotFor(clone);
  }, 180_000);
  afterAll(() => clone?.stop(), 60_000);

  test('create needs a subject and a status; the pipeline defaults to 0; default properties on read', async () => {
    const noStage = await hsErr(() => hs.crm.tickets.basicApi.create({ properties: { subject: 'Help' }, associations: [] }));
    expect(noStage.code).toBe(400);
    expect(noStage.body.category).toBe('VALIDATION_ERROR');
    expect(noStage.body.errors.map((e: { context: { propertyName: string[] } }) => e.context.propertyName[0])).toEqual(['hs_pipeline_stage']);
    expect((await hsErr(() => hs.crm.tickets.basicApi.create({ properties: { hs_pipeline_stage: '1' }, associations: [] }))).body.message).toContain('subject');
    const res = await raw(clone, 'POST', '/crm/v3/objects/tickets', { properties: { subject: 'Printer on fire', hs_pipeline_stage: '1', hs_ticket_priority: 'URGENT' } });
    expect(res.status).toBe(201);
    expectShape('POST /crm/v3/objects/tickets', res);
    expect(res.body.properties.hs_pipeline).toBe('0');
    const got = await hs.crm.tickets.basicApi.getById(res.body.id);
    expect(Object.keys(got.properties).sort()).toEqual(['content', 'createdate', 'hs_lastmodifieddate', 'hs_object_id', 'hs_pipeline', 'hs_pipeline_stage', 'hs_ticket_category', 'hs_ticket_priority', 'subject']);
    expect(got.properties.subject).toBe('Printer on fire');
    // The generic objects API by objectTypeId 0-5 is the same ticket.
    expect((await hs.crm.objects.basicApi.getById('0-5', res.body.id, ['subject'])).properties.subject).toBe('Printer on fire');
  });

  test('status and pipeline are checked against the Support Pipeline; closing sets closed_date, reopening clears it', async () => {
    const t = await hs.crm.tickets.basicApi.create({ properties: { subject: 'Refund', hs_pipeline_stage: '2' }, associations: [] });
    const badStage = await hsErr(() => hs.crm.tickets.basicApi.update(t.id, { properties: { hs_pipeline_stage: 'closedwon' } }));
    expect(badStage.code).toBe(400);
    expect(badStage.body.message).toContain('INVALID_OPTION');
    expect((await hsErr(() => hs.crm.tickets.basicApi.update(t.id, { properties: { hs_pipeline: 'default' } }))).code).toBe(400);
    expect((await hsErr(() => hs.crm.tickets.basicApi.update(t.id, { properties: { closed_date: '2026-01-01' } }))).body.message).toContain('READ_ONLY_VALUE');
    await hs.crm.tickets.basicApi.update(t.id, { properties: { hs_pipeline_stage: '4' } });
    const closed = await hs.crm.tickets.basicApi.getById(t.id, ['closed_date', 'hs_pipeline_stage']);
    expect(closed.properties.closed_date).toMatch(/^\d{4}-\d\d-\d\dT/);
    await hs.crm.tickets.basicApi.update(t.id, { properties: { hs_pipeline_stage: '3' } });
    expect((await hs.crm.tickets.basicApi.getById(t.id, ['closed_date'])).properties.closed_date).toBeNull();
  });

  test('the tickets pipeline API: Support Pipeline 0 with four statuses; the deal pipeline id is not a ticket pipeline', async () => {
    const all = await hs.crm.pipelines.pipelinesApi.getAll('tickets');
    expect(all.results.map((p) => [p.id, p.label])).toEqual([['0', 'Support Pipeline']]);
    const stages = await hs.crm.pipelines.pipelineStagesApi.getAll('tickets', '0');
    expect(stages.results.map((s) => [s.id, s.metadata?.ticketState])).toEqual([['1', 'OPEN'], ['2', 'OPEN'], ['3', 'OPEN'], ['4', 'CLOSED']]);
    expect((await hsErr(() => hs.crm.pipelines.pipelinesApi.getById('tickets', 'default'))).code).toBe(404);
    expect((await hs.crm.pipelines.pipelinesApi.getById('deals', 'default')).label).toBe('Sales Pipeline');
    const prop = await hs.crm.properties.coreApi.getByName('tickets', 'hs_pipeline_stage');
    expect(prop.options.map((o) => o.value)).toEqual(['1', '2', '3', '4']);
  });

  test('associations: a ticket with its contact (16/15) and company (primary 26/25), seen from both sides', async () => {
    const co = await hs.crm.companies.basicApi.create({ properties: { name: 'Ticketed Inc' }, associations: [] });
    const ct = await hs.crm.contacts.basicApi.create({ properties: { email: 'asker@example.com' }, associations: [] });
    const t = await hs.crm.tickets.basicApi.create({ properties: { subject: 'Question', hs_pipeline_stage: '1' }, associations: [assoc(ct.id, 16), assoc(co.id, 26)] });
    const fromTicket = await hs.crm.tickets.basicApi.getById(t.id, undefined, undefined, ['contacts', 'companies']);
    expect(fromTicket.associations?.contacts?.results.map((r) => [r.id, r.type])).toEqual([[ct.id, 'ticket_to_contact']]);
    expect(fromTicket.associations?.companies?.results.map((r) => r.type).sort()).toEqual(['ticket_to_company', 'ticket_to_company_unlabeled']);
    const fromContact = await hs.crm.associations.v4.basicApi.getPage('contacts', ct.id, 'tickets');
    expect(fromContact.results.map((r) => [String(r.toObjectId), r.associationTypes.map((a) => a.typeId)])).toEqual([[t.id, [15]]]);
    const labels = await hs.crm.associations.v4.schema.definitionsApi.getAll('tickets', 'companies');
    expect(labels.results.map((l) => l.typeId).sort((a, b) => a - b)).toEqual([26, 339]);
  });

  test('batch, search, merge and archive work on tickets as on the other objects', async () => {
    const made = await hs.crm.tickets.batchApi.create({ inputs: ['Alpha', 'Beta'].map((subject) => ({ properties: { subject: `${subject} outage`, hs_pipeline_stage: '1', hs_ticket_category: 'PRODUCT_ISSUE' }, associations: [] })) });
    expect(made.results).toHaveLength(2);
    const hits = await hs.crm.tickets.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'hs_ticket_category', operator: 'EQ' as never, value: 'PRODUCT_ISSUE' }] }], sorts: ['subject'], properties: ['subject'], limit: 10 });
    expect(hits.results.map((r) => r.properties.subject)).toEqual(['Alpha outage', 'Beta outage']);
    const [a, b] = made.results.sort((x, y) => x.properties.subject!.localeCompare(y.properties.subject!));
    const merged = await hs.crm.tickets.basicApi.merge({ primaryObjectId: a!.id, objectIdToMerge: b!.id });
    expect(merged.id).toBe(a!.id);
    await hs.crm.tickets.basicApi.archive(a!.id);
    expect((await hsErr(() => hs.crm.tickets.basicApi.getById(a!.id))).code).toBe(404);
  });

  test('access-token-info lists the scopes tickets and property writes need', async () => {
    const res = await fetch(`${clone.endpoints.api}/oauth/v2/private-apps/get/access-token-info`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tokenKey: clone.tokens.botToken }) });
    const scopes = ((await res.json()) as { scopes: string[] }).scopes;
    expect(scopes).toContain('tickets');
    for (const t of ['contacts', 'companies', 'deals']) expect(scopes).toContain(`crm.schemas.${t}.write`);
  });
});
