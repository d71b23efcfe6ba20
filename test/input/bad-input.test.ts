/**
 * Issue 11, "Bad input gets the vendor's 400, never a 500" and "with the infra Postgres
 * down, a clone answers a vendor-shaped 503 within about 2 s", for every template, through
 * each vendor's official SDK (raw fetch only where the SDK cannot send the input).
 *
 * The database fault is the clone's own switch (/__asym/fault points its pool at a local
 * server that accepts connections and never answers, as a hung Postgres does), so the
 * shared infra is never touched; the switch reports how many connections the hung server
 * accepted, which proves the request really waited on it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Client as HubSpot } from '@hubspot/api-client';
import { Client as Notion } from '@notionhq/client';
import { Octokit } from '@octokit/rest';
import Stripe from 'stripe';
import { cloneHarness, slackClient } from '../support/clones.ts';
import { describeDocker } from '../support/docker.ts';

const h = cloneHarness('inbad');
afterAll(() => h.cleanup(), 90_000);

const NUL = 'a\u0000b';
const TEN_MB = 10 * 1024 * 1024;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

const rejection = async (p: Promise<unknown>): Promise<any> => p.then(() => ({ resolved: true }), (e) => e);
const admin = (c: any, path: string, body?: unknown) =>
  fetch(`${c.endpoints.api}/__asym/${path}`, { method: body === undefined ? 'GET' : 'POST', headers: { 'x-asym-admin': c.adminSecret, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => r.json() as Promise<any>);

/** Turns the hung-database fault on, runs `call`, and returns its outcome, its duration and the fault's accepted count. */
async function withDbHang<T>(c: any, call: () => Promise<T>): Promise<{ outcome: any; ms: number; accepted: number }> {
  expect((await admin(c, 'fault', { db: 'hang' })).db).toEqual({ mode: 'hang', accepted: 0 });
  try {
    const started = performance.now();
    const outcome = await rejection(call());
    const ms = performance.now() - started;
    const accepted = (await admin(c, 'fault')).db.accepted;
    return { outcome, ms, accepted };
  } finally {
    expect((await admin(c, 'fault', { db: null })).db).toBeNull();
  }
}

const bigJson = (key: string) => JSON.stringify({ [key]: 'x'.repeat(TEN_MB) });

describeDocker('bad input and a database that does not answer, every template', () => {
  const clones: Record<string, any> = {};
  beforeAll(async () => {
    const specs: [string, string[]][] = [
      ['slack', ['--fixture', 'acme']],
      ['github', ['--fixture', 'acme']],
      ['stripe', []],
      ['hubspot', ['--fixture', 'acme']],
      ['notion', ['--fixture', 'acme']],
    ];
    for (const [t, args] of specs) clones[t] = await h.spin(t, args);
  }, 300_000);

  describe('slack', () => {
    // The admin's user token: the admin is in #general, where these posts go.
    const sdk = () => slackClient(clones.slack, clones.slack.tokens.userToken);
    let general: string;
    beforeAll(async () => {
      general = (await sdk().conversations.list({ limit: 200 })).channels!.find((ch) => ch.is_general)!.id!;
    });
    test('a NUL in text is invalid_arguments, not a 500', async () => {
      const e = await rejection(sdk().chat.postMessage({ channel: general, text: NUL }));
      expect(e.data?.error).toBe('invalid_arguments');
      expect(e.data?.response_metadata?.messages?.[0]).toContain('null character');
    });
    test('a NUL in a read param is refused too', async () => {
      const e = await rejection(sdk().conversations.list({ cursor: NUL }));
      expect(e.data?.error).toBe('invalid_arguments');
    });
    test('text over 40,000 characters is msg_too_long; a 10 MB body is refused before parsing', async () => {
      const e = await rejection(sdk().chat.postMessage({ channel: general, text: 'x'.repeat(40_001) }));
      expect(e.data?.error).toBe('msg_too_long');
      const res = await fetch(`${clones.slack.endpoints.api}/api/chat.postMessage`, { method: 'POST', headers: { authorization: `Bearer ${clones.slack.tokens.userToken}`, 'content-type': 'application/json' }, body: bigJson('text') });
      expect([res.status, ((await res.json()) as any).error]).toEqual([200, 'invalid_arguments']);
    });
    test('a huge page in the count/page lists is an empty page, not a 500', async () => {
      const reactions = await sdk().reactions.list({ count: 100, page: '999999999999999999999' as never });
      expect([reactions.ok, reactions.items]).toEqual([true, []]);
      const files = await sdk().files.list({ count: 100, page: '999999999999999999999' as never });
      expect([files.ok, files.files]).toEqual([true, []]);
    });
    test('database down: service_unavailable 503 within 2 s', async () => {
      const r = await withDbHang(clones.slack, () => sdk().conversations.list({ limit: 5 }));
      expect([r.outcome.code, r.outcome.statusCode]).toEqual(['slack_webapi_http_error', 503]);
      expect(r.outcome.body).toEqual({ ok: false, error: 'service_unavailable' });
      expect(r.accepted).toBeGreaterThan(0);
      expect(r.ms).toBeLessThan(2_500);
      expect((await sdk().conversations.list({ limit: 5 })).ok).toBe(true);
    });
  });

  describe('github', () => {
    let kit: Octokit;
    let owner: string;
    const repo = `bad-input-${Date.now().toString(36)}`;
    beforeAll(async () => {
      kit = new Octokit({ auth: clones.github.tokens.userToken, baseUrl: clones.github.endpoints.api, log: quiet, request: { retries: 0 } });
      owner = (await kit.users.getAuthenticated()).data.login;
      await kit.repos.createForAuthenticatedUser({ name: repo });
    });
    test('a NUL in an issue title is 422 Validation Failed, not a 500', async () => {
      const e = await rejection(kit.issues.create({ owner, repo, title: NUL }));
      expect(e.status).toBe(422);
      expect(e.response.data.message).toBe('Validation Failed');
      expect(e.response.data.errors[0]).toMatchObject({ code: 'invalid', field: 'title' });
    });
    test('page=99999999999999999 is an empty page, not a 500', async () => {
      await kit.issues.create({ owner, repo, title: 'so the list is not empty' });
      for (const path of ['GET /repos/{owner}/{repo}/issues', 'GET /repos/{owner}/{repo}/labels', 'GET /user/repos']) {
        for (const page of ['99999999999999999', '999999999999999999999']) {
          const r = await kit.request(path, { owner, repo, page: page as never, per_page: 100 });
          expect([path, page, r.status, r.data]).toEqual([path, page, 200, []]);
        }
      }
    });
    test('an issue body over 65,536 characters is 422 "body is too long"; 65,536 is fine', async () => {
      const e = await rejection(kit.issues.create({ owner, repo, title: 'long', body: 'x'.repeat(65_537) }));
      expect(e.status).toBe(422);
      expect(e.response.data.errors[0]).toMatchObject({ resource: 'Issue', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' });
      const ok = await kit.issues.create({ owner, repo, title: 'just fits', body: 'x'.repeat(65_536) });
      expect(ok.status).toBe(201);
      const c = await rejection(kit.issues.createComment({ owner, repo, issue_number: ok.data.number, body: 'y'.repeat(65_537) }));
      expect(c.status).toBe(422);
      const big = await rejection(kit.issues.create({ owner, repo, title: 'huge', body: 'x'.repeat(TEN_MB) }));
      expect(big.status).toBe(413);
    });
    test('database down: 503 Service Unavailable within 2 s', async () => {
      const r = await withDbHang(clones.github, () => kit.issues.listForRepo({ owner, repo }));
      expect(r.outcome.status).toBe(503);
      expect(r.outcome.response.data).toMatchObject({ message: 'Service Unavailable', status: '503' });
      expect(r.accepted).toBeGreaterThan(0);
      expect(r.ms).toBeLessThan(2_500);
      expect((await kit.issues.listForRepo({ owner, repo })).status).toBe(200);
    });
    test('tokens --user writes nothing: diff --exit-code stays 0, and the token reads as that user', async () => {
      const g = await h.run(['spin', 'github', '--name', `inbad-gh-${Date.now().toString(36)}`, '--fixture', 'acme', '--json']);
      expect(g.code).toBe(0);
      h.track(g.json.id);
      for (let i = 0; i < 3; i++) {
        const t = await h.run(['tokens', g.json.id, '--user', 'asym-bot', '--json']);
        expect(t.code).toBe(0);
        const as = new Octokit({ auth: t.json.token, baseUrl: g.json.endpoints.api, log: quiet, request: { retries: 0 } });
        expect((await as.users.getAuthenticated()).data.login).toBe('asym-bot');
      }
      expect((await h.run(['diff', g.json.id, '--exit-code', '--json'])).code).toBe(0);
    }, 120_000);
  });

  describe('stripe', () => {
    const sdk = () => {
      const u = new URL(clones.stripe.endpoints.api);
      return new Stripe(clones.stripe.tokens.botToken, { host: u.hostname, port: Number(u.port), protocol: 'http', maxNetworkRetries: 0, telemetry: false });
    };
    test('a NUL in a param is 400 invalid_request_error naming the param', async () => {
      const e = await rejection(sdk().customers.create({ name: NUL }));
      expect([e.type, e.statusCode, e.param]).toEqual(['StripeInvalidRequestError', 400, 'name']);
      const m = await rejection(sdk().customers.create({ metadata: { k: NUL } }));
      expect([m.statusCode, m.param]).toEqual([400, 'metadata[k]']);
    });
    test('metadata over Stripe\'s limits is 400; a 10 MB body is refused', async () => {
      const e = await rejection(sdk().customers.create({ metadata: { k: 'v'.repeat(501) } }));
      expect(e.statusCode).toBe(400);
      const big = await rejection(sdk().customers.create({ description: 'x'.repeat(TEN_MB) }));
      expect([big.type, big.statusCode, big.message]).toEqual(['StripeInvalidRequestError', 400, expect.stringContaining('Request body too large')]);
    });
    test('an integer past 2^53 is "Invalid integer", not stored as 1e+21 (the SDK sends digits only as strings)', async () => {
      const res = await fetch(`${clones.stripe.endpoints.api}/v1/customers`, { method: 'POST', headers: { authorization: `Bearer ${clones.stripe.tokens.botToken}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'balance=999999999999999999999' });
      const body = (await res.json()) as any;
      expect([res.status, body.error?.code, body.error?.param]).toEqual([400, 'parameter_invalid_integer', 'balance']);
    });
    test('database down: 503 api_error within 2 s', async () => {
      const r = await withDbHang(clones.stripe, () => sdk().customers.list({ limit: 1 }));
      expect([r.outcome.type, r.outcome.statusCode, r.outcome.raw?.type]).toEqual(['StripeAPIError', 503, 'api_error']);
      expect(r.accepted).toBeGreaterThan(0);
      expect(r.ms).toBeLessThan(2_500);
      expect((await sdk().customers.list({ limit: 1 })).object).toBe('list');
    });
  });

  describe('hubspot', () => {
    const sdk = () => new HubSpot({ accessToken: clones.hubspot.tokens.botToken, basePath: clones.hubspot.endpoints.api, numberOfApiCallRetries: 0 });
    const raw = (path: string, body: string) =>
      fetch(`${clones.hubspot.endpoints.api}${path}`, { method: 'POST', headers: { authorization: `Bearer ${clones.hubspot.tokens.botToken}`, 'content-type': 'application/json' }, body }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    const total = async () => (await sdk().crm.contacts.searchApi.doSearch({ filterGroups: [], limit: 1 } as never)).total;
    test('a NUL in a property is 400 VALIDATION_ERROR, not a 500', async () => {
      const e = await rejection(sdk().crm.contacts.basicApi.create({ properties: { firstname: NUL }, associations: [] }));
      expect(e.code).toBe(400);
      expect(e.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    });
    test('a JSON array as a create body is 400 and creates nothing (the SDK cannot send one)', async () => {
      const before = await total();
      const r = await raw('/crm/v3/objects/contacts', '[{"properties":{"email":"x@y.test"}}]');
      expect([r.status, r.body.category]).toEqual([400, 'VALIDATION_ERROR']);
      expect(await total()).toBe(before);
    });
    test('a property value over HubSpot\'s 65,536 characters is 400 and writes nothing; 65,536 is fine', async () => {
      const e = await rejection(sdk().crm.contacts.basicApi.create({ properties: { firstname: 'x'.repeat(65_537) }, associations: [] }));
      expect(e.code).toBe(400);
      expect(e.body.errors[0]).toMatchObject({ code: 'INVALID_PROPERTY_VALUE', context: { propertyName: ['firstname'] } });
      const ok = await sdk().crm.contacts.basicApi.create({ properties: { firstname: 'x'.repeat(65_536) }, associations: [] });
      expect(ok.properties.firstname?.length).toBe(65_536);
    });
    test('a 10 MB body is refused', async () => {
      const r = await raw('/crm/v3/objects/contacts', JSON.stringify({ properties: { firstname: 'x'.repeat(TEN_MB) } }));
      expect([r.status, r.body.status]).toEqual([413, 'error']);
    });
    test('database down: 503 within 2 s', async () => {
      const r = await withDbHang(clones.hubspot, () => sdk().crm.contacts.basicApi.getPage(5));
      expect(r.outcome.code).toBe(503);
      expect(r.outcome.body).toMatchObject({ status: 'error', category: 'SERVICE_UNAVAILABLE' });
      expect(r.accepted).toBeGreaterThan(0);
      expect(r.ms).toBeLessThan(2_500);
      expect((await sdk().crm.contacts.basicApi.getPage(5)).results.length).toBeGreaterThan(0);
    });
  });

  describe('notion', () => {
    const sdk = () => new Notion({ auth: clones.notion.tokens.botToken, baseUrl: clones.notion.endpoints.api, retry: false });
    test('a NUL in a string is 400 validation_error, not a 500', async () => {
      const e = await rejection(sdk().search({ query: NUL }));
      expect([e.status, e.code]).toEqual([400, 'validation_error']);
    });
    test('a payload over Notion\'s 500KB is 400 validation_error (10 MB too)', async () => {
      for (const size of [600_000, TEN_MB]) {
        const e = await rejection(sdk().search({ query: 'x'.repeat(size) }));
        expect([size, e.status, e.code]).toEqual([size, 400, 'validation_error']);
      }
    });
    test('database down: 503 service_unavailable within 2 s', async () => {
      const r = await withDbHang(clones.notion, () => sdk().users.list({}));
      expect([r.outcome.status, r.outcome.code]).toEqual([503, 'service_unavailable']);
      expect(r.accepted).toBeGreaterThan(0);
      expect(r.ms).toBeLessThan(2_500);
      expect((await sdk().users.list({})).object).toBe('list');
    });
  });
});
