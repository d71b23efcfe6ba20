/**
 * Slack's full mode: the API plus a web view that shows the workspace as one of its people
 * sees it. The view holds no state: what it shows is what the API holds, and what it posts
 * lands in the API, as the person picked.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { cloneHarness, slackClient } from '../support/clones.ts';
import { describeDocker, labelled } from '../support/docker.ts';

const h = cloneHarness('web');
afterAll(() => h.cleanup(), 60_000);

describeDocker('slack full mode (web view)', () => {
  let c: any;
  let web: string;
  const call = async (method: string, params: Record<string, unknown> = {}, as?: string) => {
    const res = await fetch(`${web}/api/${method}${as ? `?as=${as}` : ''}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    c = await h.spin('slack', ['--mode', 'full', '--fixture', 'acme']);
    web = c.endpoints.web;
  }, 120_000);

  test('spin reports both endpoints and status both services healthy', async () => {
    expect(c.mode).toBe('full');
    expect(web).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(web).not.toBe(c.endpoints.api);
    const st = await h.run(['status', c.id, '--json']);
    expect(st.json.services.map((s: any) => [s.name, s.state, s.healthy])).toEqual([['api', 'running', true], ['web', 'running', true]]);
  });

  test('serves the page and its assets, nothing else', async () => {
    const page = await fetch(web);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<script type="module" src="/app.js">');
    for (const a of ['app.js', 'render.js', 'app.css']) expect((await fetch(`${web}/${a}`)).status).toBe(200);
    expect((await fetch(`${web}/server.ts`)).status).toBe(404);
    expect((await fetch(`${web}/..%2Fserver.ts`)).status).toBe(404);
    expect((await fetch(`${web}/api/auth.test`)).status).toBe(405);
  });

  test('reads what the API holds: a bot post shows in the view', async () => {
    const list = await call('conversations.list', { types: 'public_channel', limit: 200 });
    expect(list.body.ok).toBe(true);
    const general = list.body.channels.find((ch: any) => ch.is_general);
    expect(list.body.channels.length).toBeGreaterThan(3);
    const bot = slackClient(c);
    await bot.conversations.join({ channel: general.id });
    const posted = await bot.chat.postMessage({ channel: general.id, text: 'seen from the web view' });
    const hist = await call('conversations.history', { channel: general.id, limit: 5 });
    expect(hist.body.messages.map((m: any) => m.ts)).toContain(posted.ts);
  });

  test('posts as the person picked, and as the admin by default', async () => {
    const me = await call('auth.test');
    expect(me.body.user_id).toBe(c.tokens.adminUserId);
    const users = (await call('users.list', { limit: 200 })).body.members.filter((u: any) => !u.is_bot && u.id !== c.tokens.adminUserId && u.id !== 'USLACKBOT');
    const other = users[0];
    const as = await call('auth.test', {}, other.name);
    expect(as.body.user_id).toBe(other.id);
    const general = (await call('conversations.list', { limit: 200 })).body.channels.find((ch: any) => ch.is_general);
    const posted = await call('chat.postMessage', { channel: general.id, text: 'typed into the web view' }, other.name);
    expect(posted.body.ok).toBe(true);
    const seen = await slackClient(c, c.tokens.userToken).conversations.history({ channel: general.id, limit: 5 });
    expect(seen.messages!.find((m) => m.ts === posted.body.ts)?.user).toBe(other.id);
    const nobody = await call('auth.test', {}, 'nobody-here');
    expect([nobody.status, nobody.body.error]).toEqual([404, 'user_not_found']);
  });

  test('after reset the view still works (its tokens are minted again)', async () => {
    expect((await h.run(['reset', c.id, '--json'])).code).toBe(0);
    const me = await call('auth.test');
    expect(me.body.ok).toBe(true);
    const general = (await call('conversations.list', { limit: 200 })).body.channels.find((ch: any) => ch.is_general);
    const hist = await call('conversations.history', { channel: general.id, limit: 50 });
    expect(hist.body.messages.map((m: any) => m.text)).not.toContain('typed into the web view');
  });

  test('destroy removes both services', async () => {
    expect((await h.run(['destroy', c.id, '--yes', '--json'])).code).toBe(0);
    expect(await labelled(c.id)).toEqual({ containers: [], networks: [], volumes: [] });
  });
});
