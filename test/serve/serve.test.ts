/**
 * asym serve and its thin client, end to end: a real server process on loopback with its
 * own home, driven by the real CLI with ASYM_REMOTE, and the official Slack SDK against a
 * clone it spun. What only a remote has: keys, tenants, quotas, HTTP statuses, concurrency.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { historyTexts, postAndRead, slackClient } from '../support/clones.ts';
import { describeDocker, labelled, uniqueName } from '../support/docker.ts';
import { serveHarness } from '../support/serve.ts';

const h = serveHarness('api');
afterAll(() => h.cleanup(), 240_000);

describeDocker('asym serve', () => {
  let a: string; // tenant team-a
  let b: string; // tenant team-b
  let clone: any;
  const name = uniqueName('srv');

  beforeAll(async () => {
    await h.start();
    a = await h.key('team-a');
    b = await h.key('team-b');
  }, 120_000);

  test('spin through the control plane: the same --json document, the registry stays on the server', async () => {
    const r = await h.run(a, ['spin', 'slack', '--name', name, '--json'], { ASYM_PROGRESS: '1' });
    expect(r.code).toBe(0);
    // The server's steps, as they happen, are the client's progress lines.
    expect(r.stderr).toMatch(/… starting containers\n[\s\S]*… waiting for health\n[\s\S]*… provisioning/);
    clone = r.json;
    expect(clone.id).toBe(name);
    expect(clone.state).toBe('running');
    expect(clone.endpoints.api).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(clone.tokens.botToken).toMatch(/^xoxb-/);
    expect(clone.owner).toBeUndefined();
    expect(existsSync(join(h.clientHome, 'registry.json'))).toBe(false);
    expect(existsSync(join(h.home, 'registry.json'))).toBe(true);
  }, 180_000);

  test('ls, status and tokens answer as for a local clone (tokens redacted in ls/status)', async () => {
    const ls = await h.run(a, ['ls', '--json']);
    expect(ls.code).toBe(0);
    expect(ls.json.map((c: any) => c.id)).toEqual([name]);
    expect(JSON.stringify(ls.json)).not.toContain(clone.tokens.botToken);
    const st = await h.run(a, ['status', name, '--json']);
    expect(st.code).toBe(0);
    expect(st.json.healthy).toBe(true);
    expect(st.json.services[0].state).toBe('running');
    const tk = await h.run(a, ['tokens', name, '--json']);
    expect(tk.json.botToken).toBe(clone.tokens.botToken);
  }, 60_000);

  test('the SDK talks to the clone; diff, snapshot/restore and reset work remotely', async () => {
    const slack = slackClient(clone);
    expect((await slack.auth.test()).ok).toBe(true);
    const channel = await postAndRead(slack, 'remote', 'first');
    const d = await h.run(a, ['diff', name, '--json']);
    expect(d.code).toBe(0);
    expect(d.json.summary.added).toBeGreaterThan(0);
    expect((await h.run(a, ['snapshot', name, 'one', '--json'])).code).toBe(0);
    const snaps = await h.run(a, ['snapshot', 'ls', name, '--json']);
    // stop and start through the stream: their steps, their documents.
    const stopped = await h.run(a, ['stop', name, '--json'], { ASYM_PROGRESS: '1' });
    expect([stopped.json, stopped.stderr.includes('… stopping containers')]).toEqual([{ id: name, state: 'stopped' }, true]);
    expect((await h.run(a, ['start', name, '--json'])).json).toEqual({ id: name, state: 'running' });
    expect(snaps.json.map((s: any) => s.name)).toEqual(['one']);
    await slack.chat.postMessage({ channel, text: 'second' });
    expect(await historyTexts(slack, channel)).toContain('second');
    expect((await h.run(a, ['restore', name, 'one', '--json'])).code).toBe(0);
    const after = await historyTexts(slack, channel);
    expect(after).toContain('first');
    expect(after).not.toContain('second');
    expect((await h.run(a, ['reset', name, '--json'])).code).toBe(0);
    await expect(slack.conversations.history({ channel })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    const clean = await h.run(a, ['diff', name, '--json']);
    expect(clean.json.summary.tables).toBe(0);
  }, 120_000);

  test('another tenant sees nothing of it: not in ls, and its id is CLONE_NOT_FOUND naming no other clone', async () => {
    const ls = await h.run(b, ['ls', '--json']);
    expect(ls.json).toEqual([]);
    for (const verb of [['status', name], ['tokens', name], ['reset', name], ['destroy', name, '--yes']]) {
      const r = await h.run(b, [...verb, '--json']);
      expect(r.code).toBe(1);
      expect(r.json.error.code).toBe('CLONE_NOT_FOUND');
      expect(r.stdout).toContain('no clone named');
      expect(r.json.error.hint).not.toContain(name);
    }
    // Same answer as an id that exists nowhere.
    const none = await h.run(b, ['status', 'no-such-clone', '--json']);
    expect({ ...none.json.error, message: '' }).toEqual({ ...(await h.run(b, ['status', name, '--json'])).json.error, message: '' });
    expect((await h.run(a, ['status', name, '--json'])).json.healthy).toBe(true);
  }, 60_000);

  test('a bad key is 401 UNAUTHORIZED (exit 1); no key at all too', async () => {
    const r = await h.run('asym_sk_not-a-key', ['ls', '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('UNAUTHORIZED');
    const raw = await h.api(null, 'GET', '/v1/clones');
    expect(raw.status).toBe(401);
    expect(((await raw.json()) as any).error.code).toBe('UNAUTHORIZED');
    expect((await h.api('wrong', 'GET', '/v1/clones')).status).toBe(401);
  });

  test('a revoked key is refused from the next request on', async () => {
    const k = await h.key('short-lived');
    expect((await h.run(k, ['ls', '--json'])).code).toBe(0);
    const rv = await h.run('', ['serve', 'keys', 'revoke', 'short-lived', '--json'], { ASYM_HOME: h.home, ASYM_REMOTE: '' });
    expect(rv.code).toBe(0);
    const r = await h.run(k, ['ls', '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('UNAUTHORIZED');
    const keys = await h.run('', ['serve', 'keys', 'ls', '--json'], { ASYM_HOME: h.home, ASYM_REMOTE: '' });
    expect(keys.json.find((x: any) => x.name === 'short-lived').revoked).toBe(true);
    expect(JSON.stringify(keys.json)).not.toContain(k);
    expect(JSON.stringify(keys.json)).not.toContain('sha256');
    // On disk: the key's sha256, never the key.
    const file = readFileSync(join(h.home, 'serve', 'keys.json'), 'utf8');
    expect(file).not.toContain(k);
    expect(file).toContain(createHash('sha256').update(k).digest('hex'));
    expect(statSync(join(h.home, 'serve', 'keys.json')).mode & 0o077).toBe(0);
  });

  test('errors carry fitting HTTP statuses', async () => {
    expect((await h.api(a, 'GET', '/v1/clones/nope')).status).toBe(404);
    const bad = await h.api(a, 'POST', '/v1/clones', { template: 'slack', name: 'Bad Name' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.code).toBe('INVALID_INPUT');
    const taken = await h.api(a, 'POST', '/v1/clones', { template: 'slack', name });
    expect(taken.status).toBe(409);
    expect(((await taken.json()) as any).error.code).toBe('NAME_TAKEN');
    expect((await h.api(a, 'POST', `/v1/clones/${name}/restore`, { name: 'never-taken' })).status).toBe(404);
    expect((await h.api(a, 'PUT', '/v1/clones')).status).toBe(405);
  });

  test('/v1/openapi.json is OpenAPI 3.1, its schemas those the CLI validates with', async () => {
    const res = await fetch(`${h.url}/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc: any = await res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/v1/clones/{id}/reset');
    expect(doc.paths['/v1/clones'].post.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/CloneSpec');
    expect(doc.components.schemas.CloneSpec.required).toEqual(['template']);
    expect(doc.components.schemas.CloneSpec.properties.name.pattern).toBe('^[a-z][a-z0-9-]{0,38}[a-z0-9]$');
  });

  test('8 concurrent creates from 3 keys: distinct ports, every clone running, a quota held exactly', async () => {
    const c = await h.key('team-c', 2);
    const keys = [a, b, c];
    const made: { key: string; id: string }[] = [];
    const results = await Promise.all(Array.from({ length: 8 }, async (_, i) => {
      const key = keys[i % 3]!;
      const id = uniqueName(`cc${i}`);
      const res = await h.api(key, 'POST', '/v1/clones', { template: 'slack', name: id });
      const body: any = await res.json();
      if (res.status === 201) made.push({ key, id });
      return { key, status: res.status, body };
    }));
    try {
      // team-c asked for 2 of the 8 (i = 2, 5) and may hold 2.
      const ok = results.filter((r) => r.status === 201);
      expect(results.filter((r) => r.status !== 201).map((r) => r.body.error.code)).toEqual([]);
      expect(ok.length).toBe(8);
      const ports = ok.map((r) => r.body.ports.api);
      expect(new Set(ports).size).toBe(8);
      for (const r of ok) expect(r.body.state).toBe('running');
      // team-c is now full: one more is QUOTA_EXCEEDED (403) and creates nothing.
      const over = await h.api(c, 'POST', '/v1/clones', { template: 'slack', name: uniqueName('over') });
      expect(over.status).toBe(403);
      expect(((await over.json()) as any).error.code).toBe('QUOTA_EXCEEDED');
      const lsC = await h.run(c, ['ls', '--json']);
      expect(lsC.json.length).toBe(2);
    } finally {
      await Promise.all(made.map((m) => h.api(m.key, 'DELETE', `/v1/clones/${m.id}`)));
    }
    for (const m of made) expect((await labelled(m.id)).containers).toEqual([]);
  }, 400_000);

  test('concurrent creates beyond a quota: exactly the quota succeeds', async () => {
    const d = await h.key('team-d', 1);
    const results = await Promise.all([0, 1, 2].map(async (i) => {
      const res = await h.api(d, 'POST', '/v1/clones', { template: 'slack', name: uniqueName(`q${i}`) });
      return { status: res.status, body: (await res.json()) as any };
    }));
    const ok = results.filter((r) => r.status === 201);
    try {
      expect(ok.length).toBe(1);
      expect(results.filter((r) => r.status === 403).length).toBe(2);
    } finally {
      for (const r of ok) await h.api(d, 'DELETE', `/v1/clones/${r.body.id}`);
    }
  }, 200_000);

  test('destroy through the control plane removes the clone and its containers', async () => {
    const r = await h.run(a, ['destroy', name, '--yes', '--json']);
    expect(r.code).toBe(0);
    expect(r.json).toEqual({ id: name, destroyed: true });
    expect((await h.run(a, ['ls', '--json'])).json).toEqual([]);
    expect((await labelled(name)).containers).toEqual([]);
  }, 60_000);

  test('local-only verbs say NOT_SUPPORTED under a remote', async () => {
    for (const verb of [['doctor'], ['images']]) {
      const r = await h.run(a, [...verb, '--json']);
      expect(r.code).toBe(1);
      expect(r.json.error.code).toBe('NOT_SUPPORTED');
    }
  });
});
