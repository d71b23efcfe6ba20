/**
 * The lifecycle suite every engine runs: the same assertions through the real CLI against
 * this machine's Docker (LocalDockerProvider), a control plane (asym serve, CloudProvider
 * behind ASYM_REMOTE) and a control plane on a Docker Swarm. Same flags, same --json
 * documents, same error codes and exit codes; the Slack SDK talks to the clone directly
 * either way. The lifecycle, state (snapshot, restore, reset), seed, environment and
 * portable-file verbs (snapshot export, spin --from, restore --from: the file on the
 * client's disk either way) all run on each engine.
 */
import { expect, test, beforeAll, afterAll } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v from 'valibot';
import { EnvListEntrySchema, EnvResetResultSchema, EnvUpResultSchema } from '../../src/contract/environment.ts';
import { encodeSnapshot, readSnapshot } from '../../src/worlds/snapshot-file.ts';
import { CLI, type CliResult } from './cli.ts';
import { historyTexts, postAndRead, slackClient } from './clones.ts';
import { uniqueName } from './docker.ts';

export interface Engine {
  run(args: string[]): Promise<CliResult>;
  /** The CLI's environment for this engine (to spawn a long-running verb). */
  env: Record<string, string>;
  /** What a clone's api endpoint looks like on this engine. */
  api: RegExp;
  /** Resources still labelled asym.clone=<id> on this engine (empty once destroyed). */
  leftovers(id: string): Promise<string[]>;
  cleanup(): Promise<void>;
}

/** The clone as `ls` lists it now (its endpoints may have moved). */
async function current(e: Engine, clone: any): Promise<any> {
  const listed = ((await e.run(['ls', '--json'])).json as any[]).find((c) => c.id === clone.id);
  return { ...clone, endpoints: listed.endpoints };
}

export function lifecycleSuite(kind: string, make: () => Promise<Engine>, describeIt: (label: string, fn: () => void) => void): void {
  describeIt(`lifecycle through the ${kind} provider`, () => {
    let e: Engine;
    let clone: any;
    let channel: string;
    const id = uniqueName(`both-${kind.slice(0, 3)}`);
    beforeAll(async () => {
      e = await make();
    }, 120_000);
    afterAll(() => e?.cleanup(), 180_000);

    test('spin --json: a running CloneInstance with endpoints and tokens', async () => {
      const r = await e.run(['spin', 'slack', '--name', id, '--json']);
      expect(r.code).toBe(0);
      clone = r.json;
      expect(clone).toMatchObject({ id, template: 'slack', mode: 'api', state: 'running', seed: null });
      expect(clone.endpoints.api).toMatch(e.api);
      expect(clone.tokens.botToken).toMatch(/^xoxb-/);
    }, 180_000);

    test('the SDK writes; stop and start keep the data', async () => {
      const slack = slackClient(clone);
      channel = await postAndRead(slack, 'both', `hello ${kind}`);
      expect((await e.run(['stop', id, '--json'])).json).toEqual({ id, state: 'stopped' });
      expect((await e.run(['start', id, '--json'])).json).toEqual({ id, state: 'running' });
      // A restarted clone may answer elsewhere (on Swarm, on the node its new task runs on).
      clone = await current(e, clone);
      expect(await historyTexts(slackClient(clone), channel)).toContain(`hello ${kind}`);
    }, 120_000);

    test('seed --fixture, then a second load is ALREADY_SEEDED with exit 1', async () => {
      const r = await e.run(['seed', id, '--fixture', 'acme', '--json']);
      expect(r.code).toBe(0);
      expect(r.json.written).toBeGreaterThan(0);
      expect(r.json.rejected).toBe(0);
      const again = await e.run(['seed', id, '--fixture', 'acme', '--json']);
      expect(again.code).toBe(1);
      expect(again.json.error.code).toBe('ALREADY_SEEDED');
    }, 120_000);

    test('snapshot, restore and reset', async () => {
      const slack = slackClient(clone);
      expect((await e.run(['snapshot', id, 'before', '--json'])).code).toBe(0);
      await slack.chat.postMessage({ channel, text: 'after the snapshot' });
      expect((await e.run(['restore', id, 'before', '--json'])).code).toBe(0);
      expect(await historyTexts(slack, channel)).not.toContain('after the snapshot');
      const missing = await e.run(['restore', id, 'never', '--json']);
      expect(missing.code).toBe(1);
      expect(missing.json.error.code).toBe('SNAPSHOT_NOT_FOUND');
      // Reset returns to the state after the last seed (which saved the pristine copy then).
      await slack.chat.postMessage({ channel, text: 'after the seed' });
      expect((await e.run(['reset', id, '--json'])).code).toBe(0);
      const texts = await historyTexts(slack, channel);
      expect(texts).toContain(`hello ${kind}`);
      expect(texts).not.toContain('after the seed');
      expect((await e.run(['diff', id, '--json'])).json.summary.tables).toBe(0);
    }, 120_000);

    test('logs (--follow), config, tokens --user, clock, upgrade and fork answer the same documents', async () => {
      const logs = await e.run(['logs', id, '--tail', '3', '--json']);
      expect(logs.code).toBe(0);
      expect(logs.json.length).toBeGreaterThan(0);
      expect(Object.keys(logs.json[0]).sort()).toEqual(['service', 'stream', 'text', 'timestamp']);
      // --follow: JSON lines until Ctrl-C, which ends it cleanly.
      const follow = Bun.spawn(['bun', CLI, 'logs', id, '--follow', '--json'], { env: { ...process.env, NO_COLOR: '1', ...e.env }, stdout: 'pipe', stderr: 'pipe' });
      const reader = follow.stdout.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      expect(JSON.parse(first.split('\n')[0]!)).toMatchObject({ service: 'api', text: expect.any(String) });
      follow.kill('SIGINT');
      expect(await follow.exited).toBe(0);
      const set = await e.run(['config', id, '{"rateLimits":{"enabled":true}}', '--json']);
      expect(set.json).toEqual({ ok: true, config: expect.objectContaining({ rateLimits: expect.objectContaining({ enabled: true }) }) });
      expect((await e.run(['config', id, '--json'])).json.config.rateLimits.enabled).toBe(true);
      const user = await e.run(['tokens', id, '--user', 'admin', '--json']);
      const { token, user_id: userId } = user.json;
      expect([user.json.ok, user.json.name, token]).toEqual([true, 'admin', expect.stringMatching(/^xoxp-/)]);
      expect((await slackClient(clone, token).auth.test()).user_id).toBe(userId);
      const adv = await e.run(['clock', id, 'advance', '1d', '--json']);
      expect(adv.code).toBe(0);
      expect(Object.keys(adv.json).sort()).toEqual(['at', 'frozen', 'id', 'offsetMs', 'world']);
      const up = await e.run(['upgrade', id, '--json']);
      expect(up.json).toMatchObject({ id, changed: false });
      const prefix = uniqueName(`bfork-${kind.slice(0, 3)}`);
      const fork = await e.run(['fork', id, '-n', '1', '--prefix', prefix, '--json']);
      expect(fork.code).toBe(0);
      expect(fork.json).toMatchObject({ source: id, clones: [{ id: `${prefix}-1`, state: 'running' }] });
      expect(await historyTexts(slackClient(fork.json.clones[0]), channel)).toContain(`hello ${kind}`);
      expect((await e.run(['destroy', `${prefix}-1`, '--yes', '--json'])).code).toBe(0);
    }, 120_000);

    test('unknown ids and bad input answer the same named errors', async () => {
      const none = await e.run(['status', 'no-such-clone', '--json']);
      expect(none.code).toBe(1);
      expect(none.json.error.code).toBe('CLONE_NOT_FOUND');
      const taken = await e.run(['spin', 'slack', '--name', id, '--json']);
      expect(taken.code).toBe(1);
      expect(taken.json.error.code).toBe('NAME_TAKEN');
      const tpl = await e.run(['spin', 'no-such-template', '--json']);
      expect(tpl.code).toBe(1);
      expect(tpl.json.error.code).toBe('TEMPLATE_NOT_FOUND');
    }, 60_000);

    test('destroy removes it', async () => {
      expect((await e.run(['destroy', id, '--yes', '--json'])).json).toEqual({ id, destroyed: true });
      expect((await e.run(['ls', '--json'])).json).toEqual([]);
      expect(await e.leftovers(id)).toEqual([]);
    }, 60_000);

    test('an environment: up, ls, the SDK writes, reset takes it back, down --destroy removes it', async () => {
      const name = uniqueName(`benv-${kind.slice(0, 3)}`);
      const dir = mkdtempSync(join(tmpdir(), 'asym-both-env-'));
      const spec = join(dir, 'environment.yaml');
      writeFileSync(spec, [`name: ${name}`, 'clones:', '  - template: slack', ''].join('\n'));
      try {
        const up = await e.run(['env', 'up', '-f', spec, '--json']);
        expect(up.code).toBe(0);
        const upDoc = v.parse(EnvUpResultSchema, up.json);
        expect(upDoc.environment).toMatchObject({ name, members: [`${name}-slack`], state: 'running' });
        const ls = await e.run(['env', 'ls', '--json']);
        expect(ls.json.map((x: any) => v.parse(EnvListEntrySchema, x).name)).toEqual([name]);
        const slack = slackClient(up.json.clones[0]);
        const ch = await postAndRead(slack, 'envroom', 'before reset');
        const reset = await e.run(['env', 'reset', name, '--json']);
        expect(reset.code).toBe(0);
        expect(v.parse(EnvResetResultSchema, reset.json)).toBeTruthy();
        const after = await slack.conversations.info({ channel: ch }).catch((err: { data?: { error?: string } }) => err.data?.error);
        expect(after).toBe('channel_not_found');
        const down = await e.run(['env', 'down', name, '--destroy', '--yes', '--json']);
        expect(down.code).toBe(0);
        expect((await e.run(['env', 'ls', '--json'])).json).toEqual([]);
        expect((await e.run(['ls', '--json'])).json).toEqual([]);
        const missing = await e.run(['env', 'status', name, '--json']);
        expect(missing.code).toBe(1);
        expect(missing.json.error.code).toBe('ENVIRONMENT_NOT_FOUND');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 240_000);

    test('a snapshot file: export, spin --from, restore --from; a newer file is refused and changes nothing', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'asym-both-files-'));
      const made: string[] = [];
      const hashOf = async (id: string) => (await e.run(['diff', id, '--json'])).json.hash.to as string;
      try {
        const srcId = uniqueName(`bsrc-${kind.slice(0, 3)}`);
        made.push(srcId);
        const src = (await e.run(['spin', 'slack', '--name', srcId, '--json'])).json;
        const slack = slackClient(src);
        const ch = await postAndRead(slack, 'portable', `travels ${kind}`);
        expect((await e.run(['snapshot', srcId, 's1', '--json'])).code).toBe(0);
        const file = join(dir, 's1.asym');
        const ex = await e.run(['snapshot', 'export', srcId, 's1', '-o', file, '--json']);
        expect(ex.code).toBe(0);
        expect(Object.keys(ex.json).sort()).toEqual(['bytes', 'file', 'id', 'migrations', 'ms', 'redisKeys', 'snapshot', 'template', 'templateVersion']);
        expect(ex.json).toMatchObject({ id: srcId, snapshot: 's1', file, template: 'slack', bytes: statSync(file).size });
        // spin --from: a new clone of that state, answering to its own tokens.
        const copyId = uniqueName(`bcopy-${kind.slice(0, 3)}`);
        made.push(copyId);
        const copy = await e.run(['spin', '--from', file, '--name', copyId, '--json']);
        expect(copy.code).toBe(0);
        expect(copy.json).toMatchObject({ id: copyId, template: 'slack', state: 'running', world: src.world });
        expect(copy.json.tokens.botToken).not.toBe(src.tokens.botToken);
        expect(await historyTexts(slackClient(copy.json), ch)).toContain(`travels ${kind}`);
        // restore --from puts the source back; its own tokens keep working.
        await slack.chat.postMessage({ channel: ch, text: 'after the export' });
        const rs = await e.run(['restore', srcId, '--from', file, '--json']);
        expect(rs.code).toBe(0);
        expect(Object.keys(rs.json).sort()).toEqual(['file', 'id', 'migrated', 'ms', 'redisKeys', 'template', 'templateVersion']);
        expect(rs.json).toMatchObject({ id: srcId, file, template: 'slack', migrated: [] });
        expect(await historyTexts(slack, ch)).not.toContain('after the export');
        // A file of a newer template version: SNAPSHOT_TOO_NEW, exit 1, nothing changed or created.
        const c = readSnapshot(file);
        const { format: _f, database: _d, redis: _r, payload: _p, checksum: _c, ...rest } = c.header;
        const newer = join(dir, 'newer.asym');
        writeFileSync(newer, encodeSnapshot({ ...rest, templateVersion: '99.0.0' } as any, c.database, c.redis));
        const before = await hashOf(srcId);
        const refused = await e.run(['restore', srcId, '--from', newer, '--json']);
        expect([refused.code, refused.json.error.code]).toEqual([1, 'SNAPSHOT_TOO_NEW']);
        expect(refused.json.error.hint).toMatch(/nothing was changed/);
        expect(await hashOf(srcId)).toBe(before);
        const spun = await e.run(['spin', '--from', newer, '--name', uniqueName('bnew'), '--json']);
        expect([spun.code, spun.json.error.code]).toEqual([1, 'SNAPSHOT_TOO_NEW']);
        expect((await e.run(['ls', '--json'])).json.map((x: any) => x.id).sort()).toEqual([...made].sort());
        const missing = await e.run(['restore', srcId, '--from', join(dir, 'absent.asym'), '--json']);
        expect([missing.code, missing.json.error.code]).toEqual([1, 'INVALID_INPUT']);
        expect(readFileSync(file).length).toBe(ex.json.bytes);
      } finally {
        for (const id of made) await e.run(['destroy', id, '--yes', '--json']);
        rmSync(dir, { recursive: true, force: true });
      }
    }, 240_000);
  });
}
