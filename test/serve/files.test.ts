/**
 * Snapshot files through asym serve: the real CLI as a remote client exports a snapshot to
 * its own disk, brings files back (spin --from, restore --from) and keeps AI seeds as packs
 * of its own home (seed --save-as, then --pack), while the server checks every file as a
 * local asym does. What only a remote has: the upload limit (FILE_TOO_LARGE), tenants, the
 * quota on spin --from, and a client that goes away mid-upload.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { connect } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historyTexts, slackClient } from '../support/clones.ts';
import { describeDocker, uniqueName } from '../support/docker.ts';
import { startFakeAnthropic } from '../support/fake-anthropic.ts';
import { until } from '../support/faults.ts';
import { serveHarness } from '../support/serve.ts';
import { encodeSnapshot, readSnapshot } from '../../src/worlds/snapshot-file.ts';

const LIMIT = 2_000_000;
const records = {
  users: [
    { name: 'ada.lovelace', real_name: 'Ada Lovelace', email: 'ada@acme.test', title: 'CTO' },
    { name: 'alan.turing', real_name: 'Alan Turing', email: 'alan@acme.test' },
  ],
  channels: [{ name: 'launch-plans', topic: 'Q4 launch', members: ['ada.lovelace', 'alan.turing'] }],
  messages: [{ channel: 'launch-plans', user: 'ada.lovelace', text: 'Kickoff tomorrow at 10' }],
};

const h = serveHarness('files');
const fake = startFakeAnthropic({ key: 'test-key', models: ['claude-haiku-4-5'], records });
const dir = mkdtempSync(join(tmpdir(), 'asym-serve-files-'));
afterAll(async () => {
  fake.stop();
  await h.cleanup();
  rmSync(dir, { recursive: true, force: true });
}, 240_000);

const uploads = () => (existsSync(join(h.home, 'serve', 'uploads')) ? readdirSync(join(h.home, 'serve', 'uploads')) : []);
const owners = () => JSON.parse(readFileSync(join(h.home, 'serve', 'owners.json'), 'utf8')).clones as Record<string, string>;

describeDocker('snapshot files through asym serve', () => {
  let a: string;
  let b: string;
  let src: any;
  let channel: string;
  const file = join(dir, 's1.asym');
  const hashOf = async (key: string, id: string) => (await h.run(key, ['diff', id, '--json'])).json.hash.to as string;

  beforeAll(async () => {
    await h.start({ ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url, ASYM_SERVE_MAX_UPLOAD: String(LIMIT) });
    a = await h.key('files-a');
    b = await h.key('files-b');
    const r = await h.run(a, ['spin', 'slack', '--name', uniqueName('fsrc'), '--json']);
    if (r.code !== 0) throw new Error(r.stdout + r.stderr);
    src = r.json;
    const slack = slackClient(src);
    channel = (await slack.conversations.create({ name: 'travels' })).channel!.id!;
    await slack.chat.postMessage({ channel, text: 'written on the server' });
    expect((await h.run(a, ['snapshot', src.id, 's1', '--json'])).code).toBe(0);
  }, 180_000);

  test('snapshot export writes the file on the client, whole, with the local --json document', async () => {
    const r = await h.run(a, ['snapshot', 'export', src.id, 's1', '-o', file, '--json']);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ id: src.id, snapshot: 's1', file, template: 'slack', templateVersion: expect.any(String), redisKeys: expect.any(Number) });
    expect(r.json.migrations).toContain('001_init.sql');
    expect(r.json.bytes).toBe(statSync(file).size);
    expect(readSnapshot(file).header).toMatchObject({ template: 'slack', world: src.world });
    expect(statSync(file).mode & 0o077).toBe(0);
    // The server kept no copy.
    expect(uploads()).toEqual([]);
    expect((await h.run(a, ['snapshot', 'export', src.id, 'nope', '-o', join(dir, 'x.asym'), '--json'])).json.error.code).toBe('SNAPSHOT_NOT_FOUND');
    expect((await h.run(a, ['snapshot', 'export', src.id, 's1', '-o', join(dir, 'no/such/x.asym'), '--json'])).json.error.code).toBe('INVALID_INPUT');
    expect(existsSync(join(dir, 'x.asym'))).toBe(false);
  }, 60_000);

  test('another tenant: export and restore --from of a clone not its own are CLONE_NOT_FOUND, and change nothing', async () => {
    const before = await hashOf(a, src.id);
    const out = join(dir, 'theirs.asym');
    for (const args of [['snapshot', 'export', src.id, 's1', '-o', out], ['restore', src.id, '--from', file]]) {
      const r = await h.run(b, [...args, '--json']);
      expect(r.code).toBe(1);
      expect(r.json.error.code).toBe('CLONE_NOT_FOUND');
      expect(r.json.error.hint).not.toContain(src.id);
    }
    expect(existsSync(out)).toBe(false);
    expect(await hashOf(a, src.id)).toBe(before);
    expect(uploads()).toEqual([]);
  }, 60_000);

  let copy: any;
  test('spin --from: a new clone on the server holding the file’s state, with its own tokens; the quota holds', async () => {
    const c = await h.key('files-c', 1);
    const name = uniqueName('ffrom');
    const r = await h.run(c, ['spin', '--from', file, '--name', name, '--json'], { ASYM_PROGRESS: '1' });
    expect(r.code).toBe(0);
    // The server's steps arrive as the client's progress lines.
    expect(r.stderr).toContain('… loading the snapshot');
    expect(r.stderr).toContain('… waiting for health');
    copy = { ...r.json, key: c };
    expect(copy).toMatchObject({ id: name, template: 'slack', state: 'running', world: src.world });
    expect(copy.tokens.botToken).not.toBe(src.tokens.botToken);
    expect((await historyTexts(slackClient(copy), channel)).filter((t) => !t.endsWith('has joined the channel'))).toEqual(['written on the server']);
    await expect(slackClient(copy, src.tokens.botToken).auth.test()).rejects.toThrow(/invalid_auth/);
    expect(owners()[name]).toBe('files-c');
    // The key of 1 is full: the next spin --from is refused before the file is read.
    const over = await h.run(c, ['spin', '--from', file, '--name', uniqueName('fover'), '--json']);
    expect(over.code).toBe(1);
    expect(over.json.error.code).toBe('QUOTA_EXCEEDED');
    expect((await h.run(c, ['ls', '--json'])).json.map((x: any) => x.id)).toEqual([name]);
    expect(uploads()).toEqual([]);
  }, 180_000);

  test('restore --from: refusals are the local named errors, name the client’s file and change nothing; a good file restores', async () => {
    const slack = slackClient(src);
    await slack.chat.postMessage({ channel, text: 'after the snapshot' });
    const before = await hashOf(a, src.id);
    const c = readSnapshot(file);
    const { format: _f, database: _d, redis: _r, payload: _p, checksum: _c, ...rest } = c.header;
    const newer = join(dir, 'newer.asym');
    writeFileSync(newer, encodeSnapshot({ ...rest, templateVersion: '99.0.0' } as any, c.database, c.redis));
    const migr = join(dir, 'migr.asym');
    writeFileSync(migr, encodeSnapshot({ ...rest, migrations: [...rest.migrations, '999_future.sql'] } as any, c.database, c.redis));
    const flipped = join(dir, 'flip.asym');
    const bytes = Buffer.from(readFileSync(file));
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0x01;
    writeFileSync(flipped, bytes);
    for (const [bad, code] of [[newer, 'SNAPSHOT_TOO_NEW'], [migr, 'SNAPSHOT_TOO_NEW'], [flipped, 'SNAPSHOT_CORRUPT']] as const) {
      const r = await h.run(a, ['restore', src.id, '--from', bad, '--json']);
      expect(r.code).toBe(1);
      expect(r.json.error.code).toBe(code);
      expect(r.json.error.hint).toMatch(/nothing was changed/);
      expect(r.json.error.message).toContain(bad);
      expect(r.json.error.message).not.toContain(h.home);
      expect(await hashOf(a, src.id)).toBe(before);
    }
    const s = await h.run(a, ['spin', '--from', newer, '--name', uniqueName('fnew'), '--json']);
    expect(s.json.error.code).toBe('SNAPSHOT_TOO_NEW');
    expect((await h.run(a, ['ls', '--json'])).json.map((x: any) => x.id)).toEqual([src.id]);
    const ok = await h.run(a, ['restore', src.id, '--from', file, '--json']);
    expect(ok.code).toBe(0);
    expect(ok.json).toMatchObject({ id: src.id, file, template: 'slack', migrated: [] });
    expect(await historyTexts(slack, channel)).not.toContain('after the snapshot');
    expect(uploads()).toEqual([]);
  }, 120_000);

  test('a file over ASYM_SERVE_MAX_UPLOAD is FILE_TOO_LARGE (413), whether its length is declared or not; nothing is kept', async () => {
    const big = join(dir, 'big.asym');
    writeFileSync(big, Buffer.concat([readFileSync(file), Buffer.alloc(LIMIT)]));
    const r = await h.run(a, ['restore', src.id, '--from', big, '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('FILE_TOO_LARGE');
    expect(r.json.error.details).toEqual({ maxBytes: LIMIT });
    // Chunked, with no Content-Length: counted as it arrives.
    const chunks = Array.from({ length: 40 }, () => new Uint8Array(100_000));
    const res = await fetch(`${h.url}/v1/clones?spec=${encodeURIComponent(JSON.stringify({ name: uniqueName('fbig') }))}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${a}`, 'content-type': 'application/vnd.asym.snapshot' },
      body: new ReadableStream({
        pull(c) {
          const next = chunks.shift();
          if (next) c.enqueue(next);
          else c.close();
        },
      }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).error.code).toBe('FILE_TOO_LARGE');
    expect((await h.run(a, ['ls', '--json'])).json.map((x: any) => x.id)).toEqual([src.id]);
    expect(uploads()).toEqual([]);
  }, 60_000);

  test('a client that goes away mid-upload leaves nothing behind: no clone, no claim, no part file', async () => {
    const bytes = readFileSync(file);
    const name = uniqueName('fcut');
    const url = new URL(h.url);
    const requests = () => (h.server.log().match(/POST \/v1\/clones /g) ?? []).length;
    const seen = requests();
    await new Promise<void>((resolve, reject) => {
      const sock = connect(Number(url.port), url.hostname, () => {
        sock.write([
          `POST /v1/clones?spec=${encodeURIComponent(JSON.stringify({ name }))} HTTP/1.1`,
          `host: ${url.host}`,
          `authorization: Bearer ${a}`,
          'content-type: application/vnd.asym.snapshot',
          `content-length: ${bytes.length}`,
          '',
          '',
        ].join('\r\n'));
        sock.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => setTimeout(() => {
          sock.destroy();
          resolve();
        }, 300));
      });
      sock.on('error', reject);
    });
    await until('the server to end the cut request', () => (requests() > seen ? true : undefined), 30_000);
    // Ended as interrupted (503): the engine never saw the part file.
    expect(h.server.log().match(/POST \/v1\/clones \d+/g)!.at(-1)).toBe('POST /v1/clones 503');
    expect((await h.run(a, ['ls', '--json'])).json.map((x: any) => x.id)).toEqual([src.id]);
    expect(Object.keys(owners())).not.toContain(name);
    expect(uploads()).toEqual([]);
  }, 60_000);

  test('seed --ai --save-as keeps the pack in the client’s home; --pack sends it back (seed and spin), same state, no model call', async () => {
    const saved = await h.run(a, ['seed', src.id, '--ai', '--volume', '2', '--save-as', 'rocket', '--json']);
    expect(saved.code).toBe(0);
    expect(saved.json.bySource.ai.written).toBeGreaterThan(0);
    const pack = join(h.clientHome, 'packs', 'slack', 'rocket.asym');
    expect(saved.json.warnings.join('\n')).toContain(`saved as pack rocket (${pack})`);
    expect(readSnapshot(pack).header).toMatchObject({ template: 'slack', world: src.world });
    expect(existsSync(join(h.home, 'packs'))).toBe(false);
    const calls = fake.requests.length;
    // A taken name is refused on the client, before the model is asked.
    const taken = await h.run(a, ['seed', src.id, '--ai', '--save-as', 'rocket', '--json']);
    expect(taken.json.error.code).toBe('NAME_TAKEN');
    expect(fake.requests.length).toBe(calls);
    // seed --pack on the spin --from clone (same world): the pack's state, the record says so.
    const r = await h.run(copy.key, ['seed', copy.id, '--pack', 'rocket', '--json']);
    expect(r.code).toBe(0);
    expect(await hashOf(copy.key, copy.id)).toBe(await hashOf(a, src.id));
    expect((await h.run(copy.key, ['ls', '--json'])).json[0].seed).toEqual({ pack: 'rocket' });
    expect((await h.run(copy.key, ['seed', copy.id, '--pack', 'nope', '--json'])).json.error.code).toBe('FIXTURE_NOT_FOUND');
    // spin --pack: a new clone of that state in one verb.
    const name = uniqueName('fpack');
    const s = await h.run(a, ['spin', 'slack', '--pack', 'rocket', '--name', name, '--json']);
    expect(s.code).toBe(0);
    expect(s.json.seed).toEqual({ pack: 'rocket' });
    expect(await hashOf(a, name)).toBe(await hashOf(a, src.id));
    expect(fake.requests.length).toBe(calls);
    expect(uploads()).toEqual([]);
  }, 240_000);

  test('/v1/openapi.json describes the file routes', async () => {
    const doc: any = await (await fetch(`${h.url}/v1/openapi.json`)).json();
    const exported = doc.paths['/v1/clones/{id}/snapshots/{name}/file'].get.responses['200'].content;
    expect(Object.keys(exported)).toEqual(['multipart/form-data']);
    expect(exported['multipart/form-data'].schema.properties.result.$ref).toBe('#/components/schemas/ExportResult');
    expect(Object.keys(doc.paths['/v1/clones/{id}/seed'].post.responses['200'].content).sort()).toEqual(['application/json', 'application/x-ndjson', 'multipart/form-data']);
    expect(Object.keys(doc.paths['/v1/clones'].post.requestBody.content).sort()).toEqual(['application/json', 'application/vnd.asym.snapshot']);
    expect(doc.paths['/v1/clones/{id}/restore'].post.parameters.map((p: any) => p.name)).toContain('file');
    expect(doc.components.schemas.CloneFromSpec.properties.template).toBeDefined();
    expect(doc.components.schemas.CloneFromSpec.properties.seed).toBeUndefined();
    expect(doc.components.schemas.SeedRequest.properties.savePack).toEqual({ type: 'boolean' });
  });
});
