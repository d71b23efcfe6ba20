/**
 * The verify machinery without Docker: the recorder proxies and records real HTTP, the
 * scorer refuses what does not conform, and a server that answers off-shape scores lower.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { WebClient } from '@slack/web-api';
import { AdminClient } from '../../src/admin/client.ts';
import { restMatcher } from '../../src/verify/match.ts';
import { runVerification, score, startRecorder } from '../../src/verify/runner.ts';
import type { Exchange, TemplateVerifier } from '../../src/verify/types.ts';
import { loadVerifier } from '../../src/verify/verifiers.ts';
import { stripeObjectErrors } from '../../templates/stripe/verify/shapes.ts';
import slackOps from '../../templates/slack/operations.json';

let upstream: ReturnType<typeof Bun.serve>;
beforeAll(() => {
  // Stands in for a clone whose auth.test answers with a number where Slack has a string.
  upstream = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      const url = new URL(req.url);
      if (url.pathname === '/api/auth.test') return Response.json({ ok: true, url: 'http://x/', team: 'T', user: 'bot', team_id: 'T1', user_id: 42 });
      if (url.pathname === '/api/team.info') return Response.json({ ok: true, team: { id: 'T1', name: 'acme', domain: 'acme' } });
      if (url.pathname === '/api/users.info') return Response.json({ ok: false, error: 'user_not_found' });
      if (url.pathname === '/empty') return new Response(null, { status: 204, headers: { 'x-seen': req.method } });
      return Response.json({ method: req.method, body: await req.text(), auth: req.headers.get('authorization') }, { status: 201, headers: { 'x-upstream': '1' } });
    },
  });
});
afterAll(() => void upstream.stop(true));

const clone = () =>
  ({
    id: 'fake',
    endpoints: { api: `http://127.0.0.1:${upstream.port}`, web: null },
    tokens: { botToken: 'xoxb-1', userToken: 'xoxp-1', appId: 'A', workspaceId: 'T1', botUserId: 'U1', adminUserId: 'U2' },
  }) as never;

describe('recorder', () => {
  test('forwards method, body, headers and status, and keeps the exchange', async () => {
    const rec = startRecorder(`http://127.0.0.1:${upstream.port}`);
    try {
      const res = await fetch(`${rec.url}/v1/things?limit=2`, { method: 'POST', body: 'a=1', headers: { authorization: 'Bearer k' } });
      expect(res.status).toBe(201);
      expect(res.headers.get('x-upstream')).toBe('1');
      expect(await res.json()).toEqual({ method: 'POST', body: 'a=1', auth: 'Bearer k' });
      const empty = await fetch(`${rec.url}/empty`, { method: 'DELETE' });
      expect(empty.status).toBe(204);
      expect(rec.exchanges).toMatchObject([
        { method: 'POST', path: '/v1/things?limit=2', status: 201, body: { method: 'POST', body: 'a=1', auth: 'Bearer k' } },
        { method: 'DELETE', path: '/empty', status: 204, body: undefined },
      ]);
    } finally {
      rec.stop();
    }
  });
});

describe('scoring', () => {
  const verifier = (validate: (op: string, ex: Exchange) => string[]): TemplateVerifier => ({
    template: 't',
    sdk: 'sdk 1',
    shapes: 'shapes',
    operations: () => [
      { id: 'GET /a', implemented: true },
      { id: 'GET /a/{id}', implemented: true },
      { id: 'POST /a', implemented: true },
      { id: 'DELETE /a/{id}', implemented: false },
    ],
    operationOf: restMatcher(['GET /a', 'GET /a/{id}', 'POST /a', 'DELETE /a/{id}']),
    succeeded: (ex) => ex.status < 300,
    validate,
    errorCode: () => undefined,
    probes: [],
    scenario: async () => {},
  });

  test('shape needs a success that conforms; failures and unimplemented operations never match', () => {
    const exchanges: Exchange[] = [
      { method: 'GET', path: '/a?limit=1', status: 200, body: [] },
      { method: 'GET', path: '/a/1', status: 200, body: { bad: true } },
      { method: 'POST', path: '/a', status: 422, body: {} },
      { method: 'DELETE', path: '/a/1', status: 204, body: undefined },
      { method: 'GET', path: '/elsewhere', status: 200, body: {} },
    ];
    const r = score(verifier((_op, ex) => ((ex.body as { bad?: boolean })?.bad ? ['$.bad: not expected'] : [])), exchanges);
    const by = Object.fromEntries(r.map((o) => [o.id, o]));
    // Shape alone is not a match: with no behaviour check and no error case an operation scores 0.
    expect(by['GET /a']).toMatchObject({ calls: 1, shape: 1, behaviour: 0, errors: 0, score: 0, matched: false, problems: ['no behaviour check', 'no error case'] });
    expect(by['GET /a/{id}']).toMatchObject({ calls: 1, shape: 0, matched: false, problems: ['$.bad: not expected', 'no behaviour check', 'no error case'] });
    expect(by['POST /a']).toMatchObject({ calls: 0, shape: 0, matched: false });
    expect(by['POST /a']!.problems[0]).toBe('never answered successfully during the run');
    expect(by['DELETE /a/{id}']).toMatchObject({ implemented: false, matched: false, score: 0 });
  });

  test('score is shape × behaviour × errors; a failed step fails what it called and what it covers', () => {
    const exchanges: Exchange[] = [
      { method: 'GET', path: '/a', status: 200, body: [], step: 'one' },
      { method: 'GET', path: '/a/1', status: 200, body: {}, step: 'two' },
      { method: 'POST', path: '/a', status: 201, body: {}, step: 'three' },
    ];
    const checks = [
      { ops: ['GET /a'], name: 'lists', ok: true },
      { ops: ['GET /a'], name: 'error: bad token', ok: true },
      { ops: ['GET /a/{id}'], name: 'reads back', ok: true },
      { ops: ['GET /a/{id}'], name: 'error: not found', ok: false, detail: 'expected 404' },
      { ops: ['GET /a/{id}'], name: 'error: bad token', ok: true },
      { ops: ['POST /a'], name: 'creates', ok: true },
      { ops: ['POST /a'], name: 'error: bad token', ok: true },
    ];
    const r = score(verifier(() => []), { exchanges, checks, failedSteps: [{ step: 'three', error: 'boom', covers: ['DELETE /a/{id}'] }] });
    const by = Object.fromEntries(r.map((o) => [o.id, o]));
    expect(by['GET /a']).toMatchObject({ shape: 1, behaviour: 1, errors: 1, score: 1, matched: true });
    expect(by['GET /a/{id}']).toMatchObject({ shape: 1, behaviour: 1, errors: 0.5, score: 0.5, matched: false });
    expect(by['POST /a']).toMatchObject({ behaviour: 0.5, score: 0.5 });
    expect(by['POST /a']!.problems).toContain('step "three" failed: boom');
    expect(by['DELETE /a/{id}']!.evidence.behaviour).toMatchObject({ passed: 0, total: 1 });
  });

  test('a literal path segment wins over a parameter', () => {
    const m = restMatcher(['GET /v1/customers/{id}', 'GET /v1/customers/search', 'POST /v1/customers/{id}']);
    expect(m('GET', '/v1/customers/search?query=x')).toBe('GET /v1/customers/search');
    expect(m('GET', '/v1/customers/cus_1')).toBe('GET /v1/customers/{id}');
    expect(m('PUT', '/v1/customers/cus_1')).toBeNull();
  });

  test('stripe bodies are checked by their object type, lists item by item', () => {
    expect(stripeObjectErrors({ object: 'list', data: [], has_more: false, url: '/v1/customers' })).toEqual([]);
    const wrong = stripeObjectErrors({ object: 'list', data: [{ id: 'cus_1', object: 'customer', balance: 'lots' }], has_more: false, url: '/v1/customers' });
    expect(wrong.some((e) => e.startsWith('$.data[0]'))).toBe(true);
    expect(stripeObjectErrors({ object: 'search_result', data: [], has_more: false, url: '/v1/customers/search' })).toEqual(['$.next_page: required']);
  });
});

describe('a clone that answers off-shape scores lower', () => {
  test('the Slack verifier flags a wrong type and missing fields, and an error answer is not a match', async () => {
    const slack = (await loadVerifier('slack'))!;
    const verifier: TemplateVerifier = {
      ...slack,
      scenario: async (ctx) => {
        const web = new WebClient(ctx.clone.tokens.botToken, { slackApiUrl: `${ctx.apiUrl}/api/`, retryConfig: { retries: 0 } });
        await ctx.step('auth', async () => void (await web.auth.test()));
        await ctx.step('team', async () => void (await web.team.info()));
        await ctx.step('user', async () => void (await web.users.info({ user: 'U404' })));
      },
    };
    const report = await runVerification(verifier, clone(), new AdminClient(`http://127.0.0.1:${upstream.port}`, 's'));
    const by = Object.fromEntries(report.operations.map((o) => [o.id, o]));
    expect(by['auth.test']!.shape).toBe(0);
    expect(by['auth.test']!.problems[0]).toBe('auth.test.user_id: expected string, got number 42');
    // The stand-in's team has only id, name and domain: Slack's required team fields are missing.
    expect(by['team.info']!.shape).toBe(0);
    expect(by['team.info']!.problems.some((p) => p.includes('required field missing'))).toBe(true);
    expect(by['users.info']!.shape).toBe(0);
    // The stand-in accepts any token: the bad-token probe fails for the two that answered.
    expect(by['team.info']!.evidence.errors).toMatchObject({ passed: 0, total: 1 });
    expect(report.failedSteps).toEqual([{ step: 'user', error: expect.stringContaining('user_not_found') }]);
    expect(by['users.info']!.evidence.behaviour.failures[0]).toContain('step "user" failed');
    const n = slackOps.length;
    expect(report.fidelity.operations).toEqual({ ours: n - slackOps.filter((o) => !o.implemented).length, theirs: n, matched: 0 });
    expect(report.fidelity.parts!.shape).toEqual({ score: 0, passed: 0 });
    expect(report.fidelity.score).toBe(0);
  });
});
