/**
 * The first vertical slice, end to end against a real Docker daemon: `asym spin slack
 * --json`, the official @slack/web-api against the clone, and every lifecycle verb.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { cloneHarness, historyTexts, postAndRead, slackClient } from '../support/clones.ts';
import { describeDocker, labelled, uniqueName } from '../support/docker.ts';
import { databaseExists, redisKeys } from '../support/infra.ts';
import { docker } from '../../src/docker/spawn.ts';
import { WebClient } from '@slack/web-api';

const h = cloneHarness('life');
afterAll(() => h.cleanup(), 180_000);

describeDocker('slack clone lifecycle', () => {
  let a: any;
  let b: any;
  let channel: string;
  beforeAll(async () => {
    a = await h.spin('slack');
    b = await h.spin('slack');
  }, 300_000);

  test('spin --json prints a CloneInstance with endpoints and minted tokens', () => {
    expect(a.state).toBe('running');
    expect(a.template).toBe('slack');
    expect(a.mode).toBe('api');
    expect(a.endpoints.api).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(a.tokens.botToken).toMatch(/^xoxb-/);
    expect(a.tokens.userToken).toMatch(/^xoxp-/);
    expect(a.database).not.toBe(b.database);
    expect(a.imageDigest).toBeNull();
  });

  test('the official SDK posts a message and reads it back', async () => {
    const slack = slackClient(a);
    const auth = await slack.auth.test();
    expect(auth.ok).toBe(true);
    expect(auth.user_id).toBe(a.tokens.botUserId);
    channel = await postAndRead(slack, 'lifecycle', 'hello from the lifecycle test');
    expect(await historyTexts(slack, channel)).toContain('hello from the lifecycle test');
  });

  test('a bad token is invalid_auth; an unknown channel is channel_not_found', async () => {
    const bad = slackClient(a, 'xoxb-not-a-real-token');
    await expect(bad.auth.test()).rejects.toMatchObject({ data: { ok: false, error: 'invalid_auth' } });
    await expect(slackClient(a).conversations.history({ channel: 'C0NOPE' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
  });

  test('two clones are isolated', async () => {
    const other = slackClient(b);
    const list = await other.conversations.list({ types: 'public_channel,private_channel' });
    expect((list.channels ?? []).map((c) => c.name)).not.toContain('lifecycle');
    await expect(other.conversations.history({ channel })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
  });

  test('ls and status redact tokens; tokens prints them', async () => {
    const ls = await h.run(['ls', '--json']);
    const row = ls.json.find((c: any) => c.id === a.id);
    expect(row.tokens.botToken).not.toBe(a.tokens.botToken);
    expect(row.tokens.botToken.startsWith('xoxb-')).toBe(true);
    expect(JSON.stringify(ls.json)).not.toContain(a.tokens.botToken);
    const st = await h.run(['status', a.id, '--json']);
    expect(JSON.stringify(st.json)).not.toContain(a.tokens.userToken);
    const tk = await h.run(['tokens', a.id, '--json']);
    expect(tk.json.botToken).toBe(a.tokens.botToken);
  });

  test('tokens --user mints a token to act as any user of the clone', async () => {
    const r = await h.run(['tokens', a.id, '--user', 'admin', '--json']);
    expect(r.code).toBe(0);
    expect(r.json.token).toMatch(/^xoxp-/);
    const me = await slackClient(a, r.json.token).auth.test();
    expect(me.user_id).toBe(a.tokens.adminUserId);
    const nobody = await h.run(['tokens', a.id, '--user', 'nobody-here', '--json']);
    expect(nobody.json.error.code).toBe('INVALID_INPUT');
  });

  test('config turns on rate limits per clone; the SDK meets a 429 with Retry-After', async () => {
    const bad = await h.run(['config', a.id, '{not json', '--json']);
    expect(bad.json.error.code).toBe('INVALID_INPUT');
    const set = await h.run(['config', a.id, JSON.stringify({ rateLimits: { enabled: true, methods: { 'auth.test': 2 } } }), '--json']);
    expect(set.code).toBe(0);
    const shown = await h.run(['config', a.id, '--json']);
    expect(JSON.stringify(shown.json)).toContain('auth.test');
    const limited = new WebClient(a.tokens.botToken, { slackApiUrl: `${a.endpoints.api}/api/`, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
    let err: any;
    for (let i = 0; i < 5 && !err; i++) await limited.auth.test().catch((e) => (err = e));
    expect(err?.code).toBe('slack_webapi_rate_limited_error');
    expect(err.retryAfter).toBeGreaterThan(0);
    await h.run(['config', a.id, JSON.stringify({ rateLimits: { enabled: false } }), '--json']);
    expect((await limited.auth.test()).ok).toBe(true);
  });

  test('status reports live per-service health', async () => {
    const st = await h.run(['status', a.id, '--json']);
    expect(st.code).toBe(0);
    expect(st.json.state).toBe('running');
    expect(st.json.healthy).toBe(true);
    expect(st.json.services).toEqual([{ name: 'api', state: 'running', port: Number(a.endpoints.api.split(':')[2]), healthy: true }]);
  });

  test('logs --json returns the clone’s request lines', async () => {
    const r = await h.run(['logs', a.id, '--json', '--tail', '50']);
    expect(r.code).toBe(0);
    expect(Array.isArray(r.json)).toBe(true);
    expect(r.json.some((l: any) => l.service === 'api' && l.text.includes('chat.postMessage'))).toBe(true);
    const bad = await h.run(['logs', a.id, '--json', '--service', 'nope']);
    expect(bad.json.error.code).toBe('INVALID_INPUT');
  });

  test('logs --follow streams until interrupted', async () => {
    const proc = Bun.spawn(['bun', `${import.meta.dir}/../../src/cli/main.ts`, 'logs', a.id, '--follow', '--json', '--tail', '0'], {
      env: { ...process.env, ...h.env }, stdout: 'pipe', stderr: 'pipe',
    });
    // Read the stream as it comes and keep posting until a line shows up: how long the
    // follower takes to attach depends on the machine, so no fixed sleep decides this.
    const lines: any[] = [];
    let buffered = '';
    const reader = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of proc.stdout as ReadableStream<Uint8Array>) {
        buffered += decoder.decode(chunk, { stream: true });
        const parts = buffered.split('\n');
        buffered = parts.pop()!;
        for (const l of parts) if (l.trim()) lines.push(JSON.parse(l));
      }
    })();
    const seen = () => lines.some((l) => l.text.includes('chat.postMessage'));
    const deadline = Date.now() + 15_000;
    while (!seen() && Date.now() < deadline) {
      await slackClient(a).chat.postMessage({ channel, text: 'while following' });
      await Bun.sleep(300);
    }
    proc.kill('SIGINT');
    const code = await proc.exited;
    await reader;
    expect(seen()).toBe(true);
    expect(lines.every((l) => l.service === 'api' && typeof l.text === 'string')).toBe(true);
    expect(code === 0 || code === 130 || code === null || code === 143).toBe(true);
  }, 30_000);

  test('health flaps are recorded: running → unhealthy → running', async () => {
    const container = `${a.composeProject}-api-1`;
    await docker(['pause', container]);
    try {
      const st = await h.run(['status', a.id, '--json']);
      expect(st.json.state).toBe('unhealthy');
      expect(st.json.healthy).toBe(false);
      expect((await h.run(['ls', '--json'])).json.find((c: any) => c.id === a.id).state).toBe('unhealthy');
    } finally {
      await docker(['unpause', container]);
    }
    const back = await h.run(['status', a.id, '--json']);
    expect(back.json.state).toBe('running');
    expect((await h.run(['ls', '--json'])).json.find((c: any) => c.id === a.id).state).toBe('running');
  }, 30_000);

  test('stop then start keeps the data', async () => {
    const stop = await h.run(['stop', a.id, '--json']);
    expect(stop.json).toEqual({ id: a.id, state: 'stopped' });
    const st = await h.run(['status', a.id, '--json']);
    expect(st.json.state).toBe('stopped');
    expect(st.json.services[0].state).toBe('exited');
    const again = await h.run(['stop', a.id, '--json']);
    expect(again.code).toBe(0);
    const start = await h.run(['start', a.id, '--json']);
    expect(start.json).toEqual({ id: a.id, state: 'running' });
    expect(await historyTexts(slackClient(a), channel)).toContain('hello from the lifecycle test');
  }, 60_000);

  test('a name already taken is NAME_TAKEN', async () => {
    const r = await h.run(['spin', 'slack', '--name', a.id, '--json']);
    expect(r.json.error.code).toBe('NAME_TAKEN');
  });

  test('destroy leaves no container, network, volume, database or Redis key', async () => {
    const r = await h.run(['destroy', b.id, '--yes', '--json']);
    expect(r.json).toEqual({ id: b.id, destroyed: true });
    expect(await labelled(b.id)).toEqual({ containers: [], networks: [], volumes: [] });
    expect(await databaseExists(b.database)).toBe(false);
    expect(await databaseExists(`${b.database}__pristine`)).toBe(false);
    expect(await redisKeys(b.redisPrefix)).toBe(0);
    const ls = await h.run(['ls', '--json']);
    expect(ls.json.map((c: any) => c.id)).not.toContain(b.id);
  }, 60_000);

  test('containers removed by hand show as gone', async () => {
    const ids = (await docker(['ps', '-aq', '--filter', `label=asym.clone=${a.id}`])).stdout.split('\n').filter(Boolean);
    expect(ids.length).toBeGreaterThan(0);
    await docker(['rm', '-f', ...ids]);
    const st = await h.run(['status', a.id, '--json']);
    expect(st.json.state).toBe('gone');
    expect(st.json.services[0].state).toBe('missing');
    const ls = await h.run(['ls', '--json']);
    expect(ls.json.find((c: any) => c.id === a.id).state).toBe('running'); // gone is never persisted
  });
});

describeDocker('a spin that fails health', () => {
  test('is cleaned up and recorded failed', async () => {
    const name = uniqueName('fail');
    h.track(name);
    const r = await h.run(['spin', 'slack', '--name', name, '--json'], { ASYM_HEALTH_TIMEOUT_MS: '1' });
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('UNHEALTHY');
    expect(await labelled(name)).toEqual({ containers: [], networks: [], volumes: [] });
    expect(await databaseExists(`asym_${name.replace(/-/g, '_')}`)).toBe(false);
    const ls = await h.run(['ls', '--json']);
    const rec = ls.json.find((c: any) => c.id === name);
    expect(rec.state).toBe('failed');
    expect(rec.error).toContain('UNHEALTHY');
    // A failed record can be destroyed, and its name reused.
    const d = await h.run(['destroy', name, '--yes', '--json']);
    expect(d.code).toBe(0);
  }, 120_000);
});

describeDocker('a port taken between allocation and docker', () => {
  test('spin picks other ports and succeeds', async () => {
    const name = uniqueName('port');
    h.track(name);
    const registry = `${h.env.ASYM_HOME}/registry.json`;
    // Grab the port the moment the registry records it, before compose can bind it: what a
    // random outgoing connection taking that source port looks like to asym.
    let held: { stop(closeActive?: boolean): void } | undefined;
    let stolen = 0;
    const watching = (async () => {
      const deadline = Date.now() + 60_000;
      while (!held && Date.now() < deadline) {
        try {
          const rec = JSON.parse(await Bun.file(registry).text()).clones.find((c: any) => c.id === name);
          if (rec?.ports?.api) {
            stolen = rec.ports.api;
            held = Bun.listen({ hostname: '127.0.0.1', port: stolen, socket: { data() {} } });
            break;
          }
        } catch {}
        await Bun.sleep(2);
      }
    })();
    try {
      const r = await h.run(['spin', 'slack', '--name', name, '--json', '--port-range', '43600-43640']);
      await watching;
      expect(held).toBeDefined();
      expect(r.code).toBe(0);
      expect(r.json.ports.api).not.toBe(stolen);
      expect((await fetch(`${r.json.endpoints.api}/__asym/health`)).status).toBe(200);
    } finally {
      held?.stop(true);
    }
    expect((await h.run(['destroy', name, '--yes', '--json'])).code).toBe(0);
  }, 120_000);
});
