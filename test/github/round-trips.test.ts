import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Octokit } from '@octokit/rest';
import { RedisClient } from 'bun';
import { startTemplateOnHost, type HostClone } from '../support/template-host.ts';

/**
 * Round trips to Postgres per GitHub call, counted by the kit's Db (GET /__asym/debug/queries,
 * on with ASYM_DEBUG_QUERIES=1): issues.create's hot path is two statements (the repository
 * with the viewer's standing, then one statement writing the issue, labels, links and events),
 * and what it answers without reading back equals a read of the same issue.
 */

// The host server inherits this process's environment.
process.env.ASYM_DEBUG_QUERIES = '1';

interface Provisioned {
  botToken: string;
  userToken: string;
}

let host: HostClone<Provisioned>;
let bot: Octokit;
let adminKit: Octokit;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const kit = (token: string) => new Octokit({ auth: token, baseUrl: host.endpoints.api, log: quiet, request: { retries: 0 } });
const org = { owner: 'acme', repo: 'trips' };
let own = { owner: 'asym-bot', repo: 'mine' };

async function adminCall(path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${host.endpoints.api}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'x-asym-admin': host.adminSecret, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return res.json();
}

async function statements(): Promise<number> {
  return (await adminCall('/__asym/debug/queries')).statements as number;
}

/** Statements one call cost (the counter read itself runs no SQL). */
async function cost(fn: () => Promise<unknown>): Promise<number> {
  const before = await statements();
  await fn();
  return (await statements()) - before;
}

beforeAll(async () => {
  host = await startTemplateOnHost<Provisioned>('github');
  bot = kit(host.tokens.botToken);
  adminKit = kit(host.tokens.userToken);
  await adminKit.rest.repos.createInOrg({ org: 'acme', name: org.repo });
  const mine = (await bot.rest.repos.createForAuthenticatedUser({ name: 'mine' })).data;
  own = { owner: mine.owner.login, repo: mine.name };
}, 60_000);
afterAll(async () => {
  await host?.stop();
  delete process.env.ASYM_DEBUG_QUERIES;
}, 60_000);

describe('reads of issues', () => {
  test('issues.get and issues.listForRepo cost a few statements, the same for 1 issue as for 20', async () => {
    for (let i = 0; i < 20; i++) await adminKit.rest.issues.create({ ...org, title: `read ${i}`, labels: ['bug'], assignees: [] });
    await bot.rest.issues.listForRepo({ ...org, per_page: 1 }); // warm the caches
    const one = await cost(() => bot.rest.issues.listForRepo({ ...org, per_page: 1 }));
    const twenty = await cost(() => bot.rest.issues.listForRepo({ ...org, per_page: 20 }));
    expect(one).toBeGreaterThan(0);
    expect(twenty).toBe(one);
    // Labels, assignees, reactions, links and membership are one statement (were eight).
    expect(twenty).toBeLessThanOrEqual(7);
    const get = await cost(() => bot.rest.issues.get({ ...org, issue_number: 1 }));
    expect(get).toBeLessThanOrEqual(4);
  });
});

describe('issues.listForRepo checks the repository beside its page', () => {
  test('the check still decides: 404 for a missing or hidden repository, 410 with issues off, whatever the filters', async () => {
    const status = (p: Promise<unknown>) => p.then(() => 200, (e: { status: number }) => e.status);
    // A milestone number past int range makes the page's own statement fail: the 404 must win.
    expect(await status(bot.rest.issues.listForRepo({ owner: 'acme', repo: 'no-such-repo', milestone: '99999999999' }))).toBe(404);
    expect(await status(bot.rest.issues.listForRepo({ owner: 'nobody-here', repo: 'trips' }))).toBe(404);
    const hidden = (await adminKit.rest.repos.createInOrg({ org: 'acme', name: `hidden-${Date.now()}`, private: true })).data;
    await adminKit.rest.issues.create({ owner: 'acme', repo: hidden.name, title: 'secret' });
    const anonymous = new Octokit({ baseUrl: host.endpoints.api, log: quiet, request: { retries: 0 } });
    expect(await status(anonymous.rest.issues.listForRepo({ owner: 'acme', repo: hidden.name }))).toBe(404);
    expect((await adminKit.rest.issues.listForRepo({ owner: 'acme', repo: hidden.name })).data.map((i) => i.title)).toEqual(['secret']);
    await adminKit.rest.repos.update({ owner: 'acme', repo: hidden.name, has_issues: false });
    const off = await adminKit.rest.issues.listForRepo({ owner: 'acme', repo: hidden.name }).then(() => 200, (e: { status: number; response?: { data?: { message?: string } } }) => [e.status, e.response?.data?.message]);
    expect(off).toEqual([410, 'Issues are disabled for this repo']);
    // Names match as loadRepo matches them, whatever their case.
    const page = await bot.rest.issues.listForRepo({ owner: 'ACME', repo: org.repo.toUpperCase(), per_page: 2 });
    expect(page.data.length).toBe(2);
    expect(page.data[0]!.repository_url).toContain(`/repos/acme/${org.repo}`);
  });
});

describe('issues.create round trips', () => {
  test('at most 2 statements once warm, labels (found and created) included', async () => {
    await bot.rest.issues.create({ ...org, title: 'warm-up', labels: ['bug'] }); // token, viewer, config caches
    const n = await cost(() => bot.rest.issues.create({ ...org, title: 'counted', body: 'b', labels: ['bug', `fresh-${Date.now()}`] }));
    expect(n).toBeGreaterThan(0); // the counter counts
    expect(n).toBeLessThanOrEqual(2);
    const plain = await cost(() => bot.rest.issues.create({ ...own, title: 'no labels' }));
    expect(plain).toBeLessThanOrEqual(2);
  });

  test('the answer equals a read of the issue (org member, labels, assignees)', async () => {
    const made = await bot.rest.issues.create({ ...org, title: 'same either way', body: 'x', labels: ['Zeta', 'bug', 'alpha', 'BUG'], assignees: ['asym-bot', 'asym-admin'] });
    const read = await bot.rest.issues.get({ ...org, issue_number: made.data.number });
    expect(made.status).toBe(201);
    expect(made.data).toEqual(read.data);
    expect(made.data.author_association).toBe('MEMBER');
    expect(made.data.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual(['alpha', 'bug', 'Zeta']);
    expect(made.data.assignees!.map((a) => a.login)).toEqual(['asym-admin', 'asym-bot']); // by id, as a read orders them
  });

  test('the owner of a personal repository is OWNER, and a number follows the last', async () => {
    const a = await bot.rest.issues.create({ ...own, title: 'one' });
    const b = await bot.rest.issues.create({ ...own, title: 'two' });
    expect(b.data.number).toBe(a.data.number + 1);
    expect(a.data.author_association).toBe('OWNER');
    expect(a.data).toEqual((await bot.rest.issues.get({ ...own, issue_number: a.data.number })).data);
  });

  test('events are written in the order given: labeled per label, then assigned, then milestoned', async () => {
    const ms = await adminKit.rest.issues.createMilestone({ ...org, title: 'v1' });
    const made = await bot.rest.issues.create({ ...org, title: 'events', labels: ['second', 'first'], assignees: ['asym-admin'], milestone: ms.data.number });
    expect(made.data).toEqual((await bot.rest.issues.get({ ...org, issue_number: made.data.number })).data);
    expect(made.data.milestone?.open_issues).toBe(1);
    const events = (await bot.rest.issues.listEvents({ ...org, issue_number: made.data.number })).data;
    expect(events.map((e) => [e.event, (e as { label?: { name: string } }).label?.name ?? (e as { milestone?: { title: string } }).milestone?.title ?? (e as { assignee?: { login: string } }).assignee?.login])).toEqual([
      ['labeled', 'second'],
      ['labeled', 'first'],
      ['assigned', 'asym-admin'],
      ['milestoned', 'v1'],
    ]);
  });

  test('without push access labels, assignees and milestone are dropped silently', async () => {
    const made = await adminKit.rest.users.getAuthenticated(); // a second identity exists
    expect(made.data.login).toBe('asym-admin');
    const onOthers = await adminKit.rest.issues.create({ ...own, title: 'drive-by', labels: ['nope'], assignees: ['asym-bot'] });
    expect(onOthers.data.labels).toEqual([]);
    expect(onOthers.data.assignees).toEqual([]);
    expect(onOthers.data.author_association).toBe('NONE');
    expect(onOthers.data).toEqual((await adminKit.rest.issues.get({ ...own, issue_number: onOthers.data.number })).data);
  });
});

describe('rate limit counted in one Redis round trip', () => {
  test('the request over the limit is refused and not counted; a 304 is not counted', async () => {
    const first = await bot.rest.users.getAuthenticated();
    const used = Number(first.headers['x-ratelimit-used']);
    await adminCall('/__asym/config', { rate_limit: used + 2 });
    try {
      const a = await bot.rest.users.getAuthenticated();
      expect(Number(a.headers['x-ratelimit-used'])).toBe(used + 1);
      const etag = a.headers.etag!;
      const hit = await fetch(`${host.endpoints.api}/user`, { headers: { authorization: `token ${host.tokens.botToken}`, 'if-none-match': etag } });
      expect(hit.status).toBe(304);
      expect(Number(hit.headers.get('x-ratelimit-used'))).toBe(used + 1);
      const b = await bot.rest.users.getAuthenticated();
      expect(Number(b.headers['x-ratelimit-used'])).toBe(used + 2);
      expect(b.headers['x-ratelimit-remaining']).toBe('0');
      for (let i = 0; i < 2; i++) {
        const over = await fetch(`${host.endpoints.api}/user`, { headers: { authorization: `token ${host.tokens.botToken}` } });
        expect(over.status).toBe(403);
        expect(((await over.json()) as { message: string }).message).toContain('API rate limit exceeded');
        expect(over.headers.get('x-ratelimit-used')).toBe(String(used + 2));
        expect(over.headers.get('x-ratelimit-remaining')).toBe('0');
      }
    } finally {
      await adminCall('/__asym/config', { rate_limit: 1_000_000 });
    }
    const after = await bot.rest.users.getAuthenticated();
    expect(Number(after.headers['x-ratelimit-used'])).toBe(used + 3);
  });
});

describe('rate windows wait for Redis once per window', () => {
  test('a counted call does not wait for Redis, whose count stays the store (a release reads it again)', async () => {
    const redis = new RedisClient(host.redisUrl);
    try {
      const me = await bot.rest.users.getAuthenticated();
      const first = Number(me.headers['x-ratelimit-used']); // the window's first count on this server
      // This user's key of this hour's window (another user's, or the last hour's when the run
      // crosses an hour, would hold another count): the window starts an hour before its reset.
      const key = `${host.redisPrefix}:rl:user:${me.data.id}:${Number(me.headers['x-ratelimit-reset']) - 3600}`;
      expect(Number(await redis.get(key))).toBe(first);
      // Writes stall for 700 ms: a call that waited for its INCRBY would take that long.
      await redis.send('CLIENT', ['PAUSE', '700', 'WRITE']);
      const t = performance.now();
      const paused = await bot.rest.users.getAuthenticated();
      expect(performance.now() - t).toBeLessThan(400);
      expect(Number(paused.headers['x-ratelimit-used'])).toBe(first + 1);
      // The increment reaches Redis once writes resume: the store agrees with the answer.
      let stored = 0;
      for (let i = 0; i < 40 && stored !== first + 1; i++) {
        await Bun.sleep(50);
        stored = Number(await redis.get(key!));
      }
      expect(stored).toBe(first + 1);
      // Parallel calls count one each, on the copy and in Redis alike.
      const many = await Promise.all(Array.from({ length: 8 }, () => bot.rest.users.getAuthenticated()));
      expect(many.map((r) => Number(r.headers['x-ratelimit-used'])).sort((a, b) => a - b)).toEqual(Array.from({ length: 8 }, (_, i) => first + 2 + i));
      await Bun.sleep(100);
      expect(Number(await redis.get(key!))).toBe(first + 9);
      // A restore puts another count in Redis and releases the server: the next call reads it.
      await redis.set(key!, '100');
      await adminCall('/__asym/release', {});
      expect(Number((await bot.rest.users.getAuthenticated()).headers['x-ratelimit-used'])).toBe(101);
    } finally {
      await redis.send('CLIENT', ['UNPAUSE']).catch(() => undefined);
      redis.close();
    }
  });
});
