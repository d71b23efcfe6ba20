/** Shared by the Stripe suites: an SDK client on a spun clone, raw calls, and shape checks. */
import { expect } from 'bun:test';
import Stripe from 'stripe';
import { stripeShapeErrors } from '../../templates/stripe/verify/shapes.ts';

export interface StripeClone {
  id: string;
  endpoints: { api: string };
  tokens: { botToken: string; userToken: string; appId: string };
  adminSecret: string;
}

export function stripeFor(clone: StripeClone, key = clone.tokens.botToken): Stripe {
  const u = new URL(clone.endpoints.api);
  return new Stripe(key, { host: u.hostname, port: Number(u.port), protocol: 'http', maxNetworkRetries: 0, telemetry: false });
}

/** A raw HTTP call as Stripe's API sees it (form body), for headers and exact JSON. */
export async function raw(clone: StripeClone, method: string, path: string, form?: string, headers: Record<string, string> = {}, key = clone.tokens.botToken) {
  const res = await fetch(`${clone.endpoints.api}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(form !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...headers },
    body: form,
  });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body };
}

/** Runs `fn`, expects a Stripe error, returns it. */
export async function stripeErr(fn: () => Promise<unknown>): Promise<any> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a Stripe error');
}

export const uniq = (p: string) => `${p}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;

/** Asserts `v` has the shape of the SDK type `name` (e.g. "Invoice"). */
export function expectShape(name: string, v: unknown): void {
  expect(stripeShapeErrors(name, v)).toEqual([]);
}
