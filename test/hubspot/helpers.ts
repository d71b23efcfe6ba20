/** Shared by the HubSpot suites: an SDK client on a spun clone, raw calls, error capture, shape checks. */
import { expect } from 'bun:test';
import { Client } from '@hubspot/api-client';
import { hubspotShapeErrors } from '../../templates/hubspot/verify/shapes.ts';

export interface HubspotClone {
  id: string;
  endpoints: { api: string };
  tokens: { botToken: string; userToken: string; appId: string; workspaceId: string; adminUserId: string };
}

export function hubspotFor(clone: HubspotClone, token = clone.tokens.botToken): Client {
  return new Client({ accessToken: token, basePath: clone.endpoints.api, numberOfApiCallRetries: 0 });
}

/** A raw JSON call as HubSpot's API sees it, for status codes, headers and exact bodies. */
export async function raw(clone: HubspotClone, method: string, path: string, body?: unknown, token = clone.tokens.botToken) {
  const res = await fetch(`${clone.endpoints.api}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: any;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** Runs `fn`, expects the SDK's ApiException, returns {code, body}. */
export async function hsErr(fn: () => Promise<unknown>): Promise<{ code: number; body: any }> {
  try {
    await fn();
  } catch (e) {
    const err = e as { code?: number; body?: unknown };
    return { code: Number(err.code), body: err.body };
  }
  throw new Error('expected a HubSpot error');
}

export const uniq = (p: string) => `${p}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;

export const HUBSPOT_DEFINED = 'HUBSPOT_DEFINED' as never;
export const op = (name: string) => name as never;

/** Asserts a raw answer conforms to the model the SDK deserializes for `operation` at its status. */
export function expectShape(operation: string, res: { status: number; body: unknown }): void {
  expect(hubspotShapeErrors(operation, res.status, res.body)).toEqual([]);
}

/** All pages of a v3 list through the SDK's `after` cursor. */
export async function allPages<T extends { id: string }>(fetchPage: (after?: string) => Promise<{ results: T[]; paging?: { next?: { after: string } } }>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let after: string | undefined;
  let pages = 0;
  do {
    const page = await fetchPage(after);
    pages++;
    items.push(...page.results);
    after = page.paging?.next?.after;
  } while (after && pages < 1000);
  return { items, pages };
}
