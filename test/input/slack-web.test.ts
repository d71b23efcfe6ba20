/**
 * Issue 11, Slack web view: reading never writes (the view's and `tokens --user`'s
 * credentials are not part of the world's state) and the view is not an open door (no
 * cross-origin writes, only the methods the page itself calls).
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { cloneHarness, slackClient } from '../support/clones.ts';
import { describeDocker } from '../support/docker.ts';

const h = cloneHarness('inweb');
afterAll(() => h.cleanup(), 60_000);

describeDocker('slack web view: reads write nothing, writes only from its own page', () => {
  let c: any;
  let web: string;
  const view = (method: string, params: Record<string, unknown> = {}, as?: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${web}/api/${method}${as ? `?as=${encodeURIComponent(as)}` : ''}`, { method: 'POST', headers, body: JSON.stringify(params) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
  const unchanged = async () => (await h.run(['diff', c.id, '--exit-code', '--json'])).code;

  beforeAll(async () => {
    c = await h.spin('slack', ['--mode', 'full', '--fixture', 'acme']);
    web = c.endpoints.web;
  }, 180_000);

  test('reading a channel as several people, and tokens --user, leave diff --exit-code at 0', async () => {
    const people = (await view('users.list', { limit: 200 })).body.members.filter((u: any) => !u.is_bot && u.id !== 'USLACKBOT').slice(0, 3);
    expect(people.length).toBe(3);
    const general = (await view('conversations.list', { limit: 200 })).body.channels.find((ch: any) => ch.is_general);
    for (const p of people) {
      const hist = await view('conversations.history', { channel: general.id, limit: 5 }, p.name);
      expect(hist.body.ok).toBe(true);
    }
    const minted = await h.run(['tokens', c.id, '--user', people[0].name, '--json']);
    expect(minted.code).toBe(0);
    // The minted credential works: it reads as that person.
    const me = await slackClient(c, minted.json.token).auth.test();
    expect(me.user_id).toBe(people[0].id);
    expect(await unchanged()).toBe(0);
  }, 60_000);

  test('a token minted for a person can still post, and that post is a change', async () => {
    const minted = await h.run(['tokens', c.id, '--user', 'admin', '--json']);
    const general = (await view('conversations.list', { limit: 200 })).body.channels.find((ch: any) => ch.is_general);
    const posted = await slackClient(c, minted.json.token).chat.postMessage({ channel: general.id, text: 'a real write' });
    expect(posted.ok).toBe(true);
    expect(await unchanged()).toBe(1);
    expect((await h.run(['reset', c.id, '--json'])).code).toBe(0);
    expect(await unchanged()).toBe(0);
  }, 60_000);

  test('a forged signed token is invalid_auth', async () => {
    const minted = await h.run(['tokens', c.id, '--user', 'admin', '--json']);
    const token: string = minted.json.token;
    const forged = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    const err = await slackClient(c, forged).auth.test().then(() => 'no_error', (e: any) => e.data?.error);
    expect(err).toBe('invalid_auth');
  });

  test('a page on another origin cannot post through the view', async () => {
    const general = (await view('conversations.list', { limit: 200 })).body.channels.find((ch: any) => ch.is_general);
    const before = (await slackClient(c, c.tokens.userToken).conversations.history({ channel: general.id, limit: 50 })).messages!.length;
    const attacks: Record<string, string>[] = [
      { origin: 'http://evil.example', 'content-type': 'text/plain' },
      { origin: 'http://evil.example', 'content-type': 'application/json' },
      { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/x-www-form-urlencoded' },
    ];
    for (const headers of attacks) {
      const r = await view('chat.postMessage', { channel: general.id, text: 'pwned' }, 'admin', headers);
      expect([headers, r.status, r.body.ok]).toEqual([headers, 403, false]);
    }
    const after = (await slackClient(c, c.tokens.userToken).conversations.history({ channel: general.id, limit: 50 })).messages!.length;
    expect(after).toBe(before);
    // The view's own page still works: same origin, JSON.
    const own = await view('auth.test', {}, undefined, { origin: web, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' });
    expect([own.status, own.body.ok]).toEqual([200, true]);
  });

  test('forwards only the methods the page uses', async () => {
    for (const method of ['admin.users.setAdmin', 'conversations.create', 'users.profile.set', 'chat.delete']) {
      const r = await view(method, { name: 'x' });
      expect([method, r.status, r.body.error]).toEqual([method, 403, 'not_allowed']);
    }
    expect((await view('users.list', { limit: 1 })).body.ok).toBe(true);
  });
});
