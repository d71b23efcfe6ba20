import { afterAll, beforeAll, expect, test } from 'bun:test';
import { describeDocker } from '../support/docker.ts';
import { startTemplateOnHost, type HostClone } from '../support/template-host.ts';
import { hsErr, hubspotFor, raw, type HubspotClone } from './helpers.ts';

/** Private-app scopes through @hubspot/api-client: a token with fewer scopes gets 403 MISSING_SCOPES outside them; token info reports them. */

let clone: HostClone<HubspotClone['tokens']>;

async function mint(scopes: string[]): Promise<string> {
  const res = await fetch(`${clone.endpoints.api}/__asym/hubspot/tokens`, { method: 'POST', headers: { 'x-asym-admin': clone.adminSecret, 'content-type': 'application/json' }, body: JSON.stringify({ scopes }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}
const info = async (token: string) =>
  (await (await fetch(`${clone.endpoints.api}/oauth/v2/private-apps/get/access-token-info`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tokenKey: token }) })).json()) as { scopes: string[] };

describeDocker('hubspot scopes', () => {
  beforeAll(async () => {
    clone = await startTemplateOnHost<HubspotClone['tokens']>('hubspot');
  }, 180_000);
  afterAll(() => clone?.stop(), 60_000);

  test('a contacts read-only token reads contacts, and gets MISSING_SCOPES for writes and other objects', async () => {
    const full = hubspotFor(clone);
    const made = await full.crm.contacts.basicApi.create({ properties: { email: 'scoped@asym.test' }, associations: [] });
    const token = await mint(['crm.objects.contacts.read']);
    expect((await info(token)).scopes).toEqual(['crm.objects.contacts.read']);
    expect((await info(clone.tokens.botToken)).scopes).toContain('crm.objects.contacts.write');
    const hs = hubspotFor(clone, token);
    expect((await hs.crm.contacts.basicApi.getById(made.id)).id).toBe(made.id);
    expect((await hs.crm.contacts.searchApi.doSearch({ filterGroups: [], limit: 10 } as never)).total).toBeGreaterThan(0);
    // Property definitions read with the object's read scope.
    expect((await hs.crm.properties.coreApi.getAll('contacts')).results.length).toBeGreaterThan(0);

    const write = await hsErr(() => hs.crm.contacts.basicApi.create({ properties: { email: 'nope@asym.test' }, associations: [] }));
    expect(write.code).toBe(403);
    expect(write.body).toMatchObject({
      status: 'error',
      category: 'MISSING_SCOPES',
      message: "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
      errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: ['crm.objects.contacts.write'] } }],
      links: { scopes: 'https://developers.hubspot.com/scopes' },
    });
    expect(typeof write.body.correlationId).toBe('string');
    // The write did not happen.
    expect((await full.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: 'nope@asym.test' }] }], limit: 10 } as never)).total).toBe(0);

    const deals = await hsErr(() => hs.crm.deals.basicApi.getPage(10));
    expect([deals.code, deals.body.category, deals.body.errors[0].context.requiredGranularScopes]).toEqual([403, 'MISSING_SCOPES', ['crm.objects.deals.read']]);
    // The generic objects API resolves the type first: 0-3 is deals.
    const generic = await raw(clone, 'GET', '/crm/v3/objects/0-3?limit=1', undefined, token);
    expect([generic.status, generic.body.errors[0].context.requiredGranularScopes]).toEqual([403, ['crm.objects.deals.read']]);
    const tickets = await raw(clone, 'GET', '/crm/v3/pipelines/tickets', undefined, token);
    expect([tickets.status, tickets.body.errors[0].context.requiredGranularScopes]).toEqual([403, ['tickets']]);
    const prop = await hsErr(() => hs.crm.properties.coreApi.create('contacts', { name: 'scoped_x', label: 'X', type: 'string', fieldType: 'text', groupName: 'contactinformation' } as never));
    expect([prop.code, prop.body.errors[0].context.requiredGranularScopes]).toEqual([403, ['crm.schemas.contacts.write']]);
    // Associations take a scope of either object: contacts read suffices to read contact-to-company associations.
    const assoc = await raw(clone, 'GET', `/crm/v4/objects/contacts/${made.id}/associations/companies`, undefined, token);
    expect(assoc.status).toBe(200);
    const assocWrite = await raw(clone, 'PUT', `/crm/v4/objects/contacts/${made.id}/associations/default/companies/1`, undefined, token);
    expect([assocWrite.status, assocWrite.body.errors[0].context.requiredGranularScopes]).toEqual([403, ['crm.objects.contacts.write', 'crm.objects.companies.write']]);
  });

  test('the admin route refuses a body without scope names', async () => {
    const res = await fetch(`${clone.endpoints.api}/__asym/hubspot/tokens`, { method: 'POST', headers: { 'x-asym-admin': clone.adminSecret, 'content-type': 'application/json' }, body: JSON.stringify({ scopes: 'all' }) });
    expect(res.status).toBe(400);
  });
});
