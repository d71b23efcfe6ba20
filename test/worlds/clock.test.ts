/**
 * A clone's own clock (issue 16): `asym clock` sets, advances, freezes and runs it, and every
 * time the clone's API reports or stores follows it, seen through each vendor's official SDK.
 * Frozen clocks make the expected times exact.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { Octokit } from '@octokit/rest';
import Stripe from 'stripe';
import { Client as NotionClient } from '@notionhq/client';
import { Client as HubSpotClient } from '@hubspot/api-client';
import { LinearClient } from '@linear/sdk';
import { cloneHarness, slackClient } from '../support/clones.ts';
import { describeDocker } from '../support/docker.ts';

const h = cloneHarness('clock');
afterAll(() => h.cleanup(), 180_000);

const T = '2026-03-02T09:00:00.000Z';
const secs = (iso: string) => Date.parse(iso) / 1000;

async function clock(id: string, ...words: string[]) {
  const r = await h.run(['clock', id, ...words, '--json']);
  if (r.code !== 0) throw new Error(`clock ${words.join(' ')}: ${r.stdout} ${r.stderr}`);
  return r.json as { id: string; at: string; frozen: boolean; world: { start: string }; offsetMs: number };
}

describe('clock verbs: bad input is named before anything is sent', () => {
  for (const [words, what] of [
    [['advance', '2x'], 'not a duration'],
    [['advance', '--', '-5m'], 'not a duration'],
    [['advance', '5'], 'not a duration'],
    [['advance', '0s'], 'above zero'],
    [['advance'], 'needs a duration'],
    [['set', 'yesterday'], 'not an ISO 8601 time'],
    [['set', '2026-13-45T00:00:00Z'], 'not an ISO 8601 time'],
    [['freeze', 'now'], 'takes no value'],
    [['rewind'], 'unknown clock verb'],
  ] as [string[], string][]) {
    test(`clock x ${words.join(' ')}: INVALID_INPUT (${what})`, async () => {
      const r = await h.run(['clock', 'no-such-clone', '--json', ...words]);
      expect(r.code).not.toBe(0);
      expect(r.json.error.code).toBe('INVALID_INPUT');
      expect(r.json.error.message).toContain(what);
    });
  }
  test('a good verb on an unknown clone is CLONE_NOT_FOUND', async () => {
    const r = await h.run(['clock', 'no-such-clone', 'advance', '90s', '--json']);
    expect(r.json.error.code).toBe('CLONE_NOT_FOUND');
  });
});

describeDocker('a clone keeps its own time', () => {
  test('slack: ts and created follow the clock; freeze holds it; advance and set move it; reset returns it to the world start', async () => {
    const c = await h.spin('slack');
    const first = await clock(c.id);
    expect(first.frozen).toBe(false);
    expect(first.world.start).toBe('2026-01-01T00:00:00.000Z');
    // Right after spin the clock runs from the world's start, not from today.
    expect(Math.abs(Date.parse(first.at) - Date.parse(first.world.start))).toBeLessThan(120_000);

    expect((await clock(c.id, 'freeze')).frozen).toBe(true);
    const set = await clock(c.id, 'set', T);
    expect(set).toMatchObject({ at: T, frozen: true });
    const slack = slackClient(c);
    const ch = await slack.conversations.create({ name: `clock-${Date.now().toString(36)}` });
    expect(ch.channel!.created).toBe(secs(T));
    const a = await slack.chat.postMessage({ channel: ch.channel!.id!, text: 'one' });
    const b = await slack.chat.postMessage({ channel: ch.channel!.id!, text: 'two' });
    // Frozen: messages are at T (the channel's join message took T.000000), each 1 µs after
    // the last, so ts stay unique.
    expect(Math.floor(Number(a.ts))).toBe(secs(T));
    expect(b.ts).toBe(`${secs(T)}.${String(Number(a.ts!.split('.')[1]) + 1).padStart(6, '0')}`);

    const adv = await clock(c.id, 'advance', '1h30m');
    expect(adv).toMatchObject({ at: '2026-03-02T10:30:00.000Z', frozen: true });
    const later = await slack.chat.postMessage({ channel: ch.channel!.id!, text: 'three' });
    expect(Math.floor(Number(later.ts))).toBe(secs(T) + 5400);

    // Running again: it goes on from where it stood, at the wall clock's pace.
    const run = await clock(c.id, 'run');
    expect(run.frozen).toBe(false);
    expect(Date.parse(run.at) - Date.parse('2026-03-02T10:30:00.000Z')).toBeLessThan(5_000);
    const running = await slack.chat.postMessage({ channel: ch.channel!.id!, text: 'four' });
    expect(Number(running.ts)).toBeGreaterThanOrEqual(secs(T) + 5400);
    expect(Number(running.ts)).toBeLessThan(secs(T) + 5400 + 10);

    const reset = await h.run(['reset', c.id, '--json']);
    expect(reset.code).toBe(0);
    const back = await clock(c.id);
    expect(back.frozen).toBe(false);
    expect(Date.parse(back.at) - Date.parse(back.world.start)).toBeGreaterThanOrEqual(0);
    expect(Date.parse(back.at) - Date.parse(back.world.start)).toBeLessThan(30_000);
  }, 180_000);

  test('slack: a scheduled message posts when the clock passes post_at, not before, and never on real time while frozen', async () => {
    const c = await h.spin('slack');
    const slack = slackClient(c);
    await clock(c.id, 'freeze');
    await clock(c.id, 'set', T);
    const ch = (await slack.conversations.create({ name: `sched-${Date.now().toString(36)}` })).channel!.id!;
    const soon = await slack.chat.scheduleMessage({ channel: ch, text: 'in two seconds', post_at: secs(T) + 2 });
    const later = await slack.chat.scheduleMessage({ channel: ch, text: 'in an hour', post_at: secs(T) + 3600 });
    expect(soon.ok && later.ok).toBe(true);
    // The property under test is that real time passing does nothing: this wait is the test.
    await Bun.sleep(3_000);
    const pending = async () => (await slack.chat.scheduledMessages.list({ channel: ch })).scheduled_messages?.length ?? 0;
    // What people posted (the channel's join message aside).
    const posted = async () => ((await slack.conversations.history({ channel: ch })).messages ?? []).filter((m) => !m.subtype);
    expect(await pending()).toBe(2);
    expect(await posted()).toEqual([]);

    // Past the first, not the second: only the first posts, at its post_at, by the scheduler's own timer.
    await clock(c.id, 'advance', '10m');
    for (let i = 0; i < 100 && (await pending()) !== 1; i++) await Bun.sleep(50);
    expect(await pending()).toBe(1);
    let msgs = await posted();
    expect(msgs.map((m) => m.text)).toEqual(['in two seconds']);
    expect(Math.floor(Number(msgs[0]!.ts))).toBe(secs(T) + 2);

    await clock(c.id, 'advance', '1h');
    for (let i = 0; i < 100 && (await pending()) !== 0; i++) await Bun.sleep(50);
    expect(await pending()).toBe(0);
    msgs = await posted();
    expect(msgs.map((m) => m.text)).toEqual(['in an hour', 'in two seconds']);

    // A database swap (restore) and a restart re-arm the scheduler: still on the clone's
    // clock, so a message due tomorrow in clone time is not posted by today's wall clock.
    await clock(c.id, 'run');
    const now = Date.parse((await clock(c.id)).at) / 1000;
    expect((await slack.chat.scheduleMessage({ channel: ch, text: 'tomorrow', post_at: Math.floor(now) + 86_400 })).ok).toBe(true);
    expect((await h.run(['snapshot', c.id, 'sched', '--json'])).code).toBe(0);
    expect((await h.run(['restore', c.id, 'sched', '--json'])).code).toBe(0);
    expect((await h.run(['stop', c.id, '--json'])).code).toBe(0);
    expect((await h.run(['start', c.id, '--json'])).code).toBe(0);
    await Bun.sleep(1_000); // give a wrongly armed timer the time to fire
    expect(await pending()).toBe(1);
    expect((await posted()).map((m) => m.text)).toEqual(['in an hour', 'in two seconds']);
  }, 180_000);

  test('github: issue created_at, updated_at and closed_at follow the clock (octokit)', async () => {
    const c = await h.spin('github');
    const gh = new Octokit({ auth: c.tokens.botToken, baseUrl: c.endpoints.api, log: { debug() {}, info() {}, warn() {}, error() {} }, request: { retries: 0 } });
    await clock(c.id, 'freeze');
    await clock(c.id, 'set', T);
    const repo = (await gh.repos.createForAuthenticatedUser({ name: `clock-${Date.now().toString(36)}` })).data;
    expect(repo.created_at).toBe('2026-03-02T09:00:00Z');
    const issue = (await gh.issues.create({ owner: repo.owner.login, repo: repo.name, title: 'time' })).data;
    expect(issue.created_at).toBe('2026-03-02T09:00:00Z');
    expect(issue.updated_at).toBe('2026-03-02T09:00:00Z');
    await clock(c.id, 'advance', '2d');
    const closed = (await gh.issues.update({ owner: repo.owner.login, repo: repo.name, issue_number: issue.number, state: 'closed' })).data;
    expect(closed.closed_at).toBe('2026-03-04T09:00:00Z');
    expect(closed.created_at).toBe('2026-03-02T09:00:00Z');
    const comment = (await gh.issues.createComment({ owner: repo.owner.login, repo: repo.name, issue_number: issue.number, body: 'later' })).data;
    expect(comment.created_at).toBe('2026-03-04T09:00:00Z');

    // A running clock survives stop/start from where it stood, not from its last change.
    const ran = await clock(c.id, 'run');
    await Bun.sleep(1_500); // real time passing while it runs is what is checked
    expect((await h.run(['stop', c.id, '--json'])).code).toBe(0);
    expect((await h.run(['start', c.id, '--json'])).code).toBe(0);
    const after = await clock(c.id);
    expect(after.frozen).toBe(false);
    expect(Date.parse(after.at) - Date.parse(ran.at)).toBeGreaterThanOrEqual(1_400);
  }, 180_000);

  test('stripe: customer created follows the clock; test clocks create, retrieve, list, advance (forward only), delete with their customers', async () => {
    const c = await h.spin('stripe');
    const u = new URL(c.endpoints.api);
    const stripe = new Stripe(c.tokens.botToken, { host: u.hostname, port: Number(u.port), protocol: 'http', maxNetworkRetries: 0, telemetry: false });
    await clock(c.id, 'freeze');
    await clock(c.id, 'set', T);
    const plain = await stripe.customers.create({ email: 'now@example.com' });
    expect(plain.created).toBe(secs(T));
    expect(plain.test_clock).toBeNull();

    const past = secs('2025-06-01T00:00:00Z');
    const tc = await stripe.testHelpers.testClocks.create({ frozen_time: past, name: 'billing run' });
    expect(tc).toMatchObject({ object: 'test_helpers.test_clock', frozen_time: past, name: 'billing run', status: 'ready', livemode: false, created: secs(T), deletes_after: secs(T) + 7 * 86_400 });
    expect(tc.id).toMatch(/^clock_/);
    const inClock = await stripe.customers.create({ email: 'clocked@example.com', test_clock: tc.id });
    expect(inClock.test_clock).toBe(tc.id);
    expect(inClock.created).toBe(past);
    const listedCustomers = await stripe.customers.list({ test_clock: tc.id });
    expect(listedCustomers.data.map((x) => x.id)).toEqual([inClock.id]);

    const adv = await stripe.testHelpers.testClocks.advance(tc.id, { frozen_time: past + 86_400 });
    expect(adv.status).toBe('advancing');
    expect(adv.status_details.advancing?.target_frozen_time).toBe(past + 86_400);
    const ready = await stripe.testHelpers.testClocks.retrieve(tc.id);
    expect(ready).toMatchObject({ status: 'ready', frozen_time: past + 86_400 });
    const listed = await stripe.testHelpers.testClocks.list({ limit: 10 });
    expect(listed.data.map((x) => x.id)).toContain(tc.id);

    const backwards = await stripe.testHelpers.testClocks.advance(tc.id, { frozen_time: past }).then(() => null, (e) => e);
    expect(backwards?.statusCode).toBe(400);
    expect(backwards?.raw?.param).toBe('frozen_time');
    const tooFar = await stripe.testHelpers.testClocks.advance(tc.id, { frozen_time: past + 3 * 366 * 86_400 }).then(() => null, (e) => e);
    expect(tooFar?.statusCode).toBe(400);
    const missing = await stripe.testHelpers.testClocks.create({} as never).then(() => null, (e) => e);
    expect(missing?.raw?.code).toBe('parameter_missing');
    const unknown = await stripe.customers.create({ test_clock: 'clock_nope' }).then(() => null, (e) => e);
    expect(unknown?.statusCode).toBe(404);

    const deleted = await stripe.testHelpers.testClocks.del(tc.id);
    expect(deleted).toMatchObject({ id: tc.id, deleted: true });
    expect(((await stripe.customers.retrieve(inClock.id)) as { deleted?: boolean }).deleted).toBe(true);
    expect(((await stripe.customers.retrieve(plain.id)) as { deleted?: boolean }).deleted).toBeUndefined();
    const gone = await stripe.testHelpers.testClocks.retrieve(tc.id).then(() => null, (e) => e);
    expect(gone?.statusCode).toBe(404);
  }, 180_000);

  test('stripe: advancing a test clock finalizes its customers\' auto-advancing drafts an hour after creation, at that time', async () => {
    const c = await h.spin('stripe');
    const u = new URL(c.endpoints.api);
    const stripe = new Stripe(c.tokens.botToken, { host: u.hostname, port: Number(u.port), protocol: 'http', maxNetworkRetries: 0, telemetry: false });
    const start = secs('2025-03-01T00:00:00Z');
    const tc = await stripe.testHelpers.testClocks.create({ frozen_time: start });
    const cus = await stripe.customers.create({ email: 'billed@example.com', test_clock: tc.id });
    const other = await stripe.customers.create({ email: 'unclocked@example.com' });
    const draft = async (customer: string, auto: boolean) => {
      const inv = await stripe.invoices.create({ customer, auto_advance: auto, collection_method: 'send_invoice', days_until_due: 10 });
      await stripe.invoiceItems.create({ customer, invoice: inv.id, amount: 1200, currency: 'usd' });
      return inv;
    };
    const auto = await draft(cus.id, true);
    const manual = await draft(cus.id, false);
    const elsewhere = await draft(other.id, true);
    // Made in the clock, at its frozen time; due to finalize an hour later.
    expect(auto).toMatchObject({ test_clock: tc.id, created: start, automatically_finalizes_at: start + 3600, status: 'draft' });
    expect(elsewhere.test_clock).toBeNull();

    await stripe.testHelpers.testClocks.advance(tc.id, { frozen_time: start + 1800 });
    expect((await stripe.invoices.retrieve(auto.id)).status).toBe('draft');
    await stripe.testHelpers.testClocks.advance(tc.id, { frozen_time: start + 2 * 3600 });
    const done = await stripe.invoices.retrieve(auto.id);
    expect(done).toMatchObject({ status: 'open', amount_due: 1200, automatically_finalizes_at: null });
    expect(done.status_transitions.finalized_at).toBe(start + 3600);
    expect(done.due_date).toBe(start + 10 * 86_400); // days_until_due counts from creation
    expect(done.number).toMatch(/-0001$/);
    // Not auto-advancing, or not in the clock: left as they were.
    expect((await stripe.invoices.retrieve(manual.id)).status).toBe('draft');
    expect((await stripe.invoices.retrieve(elsewhere.id)).status).toBe('draft');
  }, 180_000);

  test('notion, hubspot, linear: created times follow the clock (their SDKs)', async () => {
    const [n, hs, ln] = await Promise.all([h.spin('notion', ['--fixture', 'acme']), h.spin('hubspot'), h.spin('linear', ['--fixture', 'acme'])]);
    for (const c of [n, hs, ln]) {
      await clock(c.id, 'freeze');
      await clock(c.id, 'set', T);
    }
    const notion = new NotionClient({ auth: n.tokens.botToken, baseUrl: n.endpoints.api } as never);
    const found = await notion.search({ filter: { property: 'object', value: 'page' } as never });
    const parent = found.results[0]!.id;
    const page = (await notion.pages.create({ parent: { page_id: parent }, properties: { title: { title: [{ text: { content: 'timed' } }] } } as never })) as { created_time: string; last_edited_time: string };
    expect(page.created_time).toBe(T);
    expect(page.last_edited_time).toBe(T);

    const hubspot = new HubSpotClient({ accessToken: hs.tokens.botToken, basePath: hs.endpoints.api, numberOfApiCallRetries: 0 });
    const contact = await hubspot.crm.contacts.basicApi.create({ properties: { email: `clock-${Date.now()}@example.com` }, associations: [] });
    expect(contact.createdAt.toISOString()).toBe(T);
    expect(contact.updatedAt.toISOString()).toBe(T);

    const linear = new LinearClient({ apiKey: ln.tokens.botToken, apiUrl: `${ln.endpoints.api}/graphql` });
    const team = (await linear.teams()).nodes[0]!;
    const created = await linear.createIssue({ teamId: team.id, title: 'timed' });
    const issue = (await created.issue)!;
    expect(issue.createdAt.toISOString()).toBe(T);
    expect(issue.updatedAt.toISOString()).toBe(T);
    await clock(ln.id, 'advance', '1d');
    await linear.updateIssue(issue.id, { title: 'timed again' });
    const again = await linear.issue(issue.id);
    expect(again.updatedAt.toISOString()).toBe('2026-03-03T09:00:00.000Z');
    expect(again.createdAt.toISOString()).toBe(T);
  }, 240_000);
});
