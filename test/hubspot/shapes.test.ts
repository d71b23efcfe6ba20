import { expect, test } from 'bun:test';
import ops from '../../templates/hubspot/operations.json';
import shapes from '../../templates/hubspot/verify/shapes.json';
import { hubspotShapeErrors } from '../../templates/hubspot/verify/shapes.ts';
import { ROUTES } from '../../templates/hubspot/src/routes.ts';

/** The SDK-derived response shapes catch drift; operations.json agrees with the router. */

const contact = { id: '1', properties: { email: 'a@b.test', firstname: null }, createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z', archived: false };

test('a conforming object passes; a wrong type, a missing field, an unknown field or a wrong status fail', () => {
  expect(hubspotShapeErrors('GET /crm/v3/objects/contacts/{contactId}', 200, contact)).toEqual([]);
  expect(hubspotShapeErrors('GET /crm/v3/objects/contacts/{contactId}', 200, { ...contact, id: 1 }).join()).toContain('$.id');
  const { createdAt: _drop, ...noCreated } = contact;
  expect(hubspotShapeErrors('GET /crm/v3/objects/contacts/{contactId}', 200, noCreated).join()).toContain('createdAt');
  expect(hubspotShapeErrors('GET /crm/v3/objects/contacts/{contactId}', 200, { ...contact, extra: 1 }).join()).toContain('extra');
  expect(hubspotShapeErrors('GET /crm/v3/objects/contacts/{contactId}', 200, { ...contact, createdAt: 'yesterday' }).join()).toContain('date-time');
  expect(hubspotShapeErrors('POST /crm/v3/objects/contacts', 200, contact).join()).toContain('expects 201');
  expect(hubspotShapeErrors('DELETE /crm/v3/objects/contacts/{contactId}', 204, undefined)).toEqual([]);
  expect(hubspotShapeErrors('DELETE /crm/v3/objects/contacts/{contactId}', 200, {}).join()).toContain('expects 204');
});

test('operations.json: every route is listed and implemented; the expected status codes come from the SDK list', () => {
  const list = ops as Array<{ method: string; path: string; status: number; implemented: boolean }>;
  const implemented = new Set(list.filter((o) => o.implemented).map((o) => `${o.method} ${o.path}`));
  expect(new Set(ROUTES.map((r) => `${r.method} ${r.path}`))).toEqual(implemented);
  expect(list.find((o) => o.method === 'POST' && o.path === '/crm/v3/objects/contacts')!.status).toBe(201);
  expect(list.find((o) => o.method === 'POST' && o.path === '/crm/v3/objects/contacts/batch/archive')!.status).toBe(204);
  // Every implemented operation has an SDK response model for its documented status.
  const table = (shapes as unknown as { operations: Record<string, Record<string, string | null>> }).operations;
  for (const o of list.filter((x) => x.implemented)) expect([o.path, String(o.status) in (table[`${o.method} ${o.path}`] ?? {})]).toEqual([o.path, true]);
});
