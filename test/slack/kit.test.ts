import { describe, expect, test } from 'bun:test';
import * as v from 'valibot';
import { hashToken, mintToken } from '../../templates/_kit/auth.ts';
import { readEnv } from '../../templates/_kit/env.ts';
import { indexedValues, nestBrackets, parseRequest } from '../../templates/_kit/http.ts';
import { decodeCursor, encodeCursor, microsFromTs, normTs, tsFromMicros } from '../../templates/slack/src/ids.ts';
import { METHODS } from '../../templates/slack/src/handlers/index.ts';
import { TemplateManifestSchema } from '../../src/contract/manifest.ts';
import manifest from '../../templates/slack/clone.manifest.json' with { type: 'json' };
import operations from '../../templates/slack/operations.json' with { type: 'json' };

/** Kit pieces and template metadata that need no Docker. */

describe('kit http parsing', () => {
  test('form bodies keep JSON-stringified fields as strings; query merges under body', async () => {
    const req = new Request('http://x/api/chat.postMessage?channel=Q&limit=5', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ channel: 'C1', blocks: JSON.stringify([{ type: 'divider' }]) }),
    });
    const r = await parseRequest(req);
    expect(r.params).toEqual({ channel: 'C1', limit: '5', blocks: '[{"type":"divider"}]' });
  });

  test('JSON and multipart bodies', async () => {
    const j = await parseRequest(new Request('http://x/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":[1]}' }));
    expect(j.body).toEqual({ a: [1] });
    const fd = new FormData();
    fd.append('channels', 'C1');
    fd.append('file', new Blob(['hi']), 'a.txt');
    const m = await parseRequest(new Request('http://x/', { method: 'POST', body: fd }));
    expect(m.body).toEqual({ channels: 'C1' });
    expect(await m.files.file!.text()).toBe('hi');
    await expect(parseRequest(new Request('http://x/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' }))).rejects.toMatchObject({ code: 'invalid_json' });
  });

  test('Stripe-style brackets nest into objects; indexed params read back in order', () => {
    const out = nestBrackets(new URLSearchParams('email=a%40b.co&metadata[k]=v&metadata[2024]=fy&items[1][price]=p2&items[0][price]=p1&expand[]=x&expand[]=y&address[city]=X'));
    expect(out).toEqual({ email: 'a@b.co', metadata: { k: 'v', '2024': 'fy' }, items: { '1': { price: 'p2' }, '0': { price: 'p1' } }, expand: { '0': 'x', '1': 'y' }, address: { city: 'X' } });
    expect(indexedValues(out.items)).toEqual([{ price: 'p1' }, { price: 'p2' }]);
    expect(indexedValues(out.expand)).toEqual(['x', 'y']);
    expect(indexedValues(out.metadata)).toBeUndefined();
    expect(indexedValues(['a'])).toEqual(['a']);
  });
});

describe('kit auth and env', () => {
  test('tokens are vendor-prefixed and hashed with SHA-256', () => {
    const t = mintToken('sk_test_');
    expect(t).toMatch(/^sk_test_[A-Za-z0-9]{32}$/);
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  test('env names and defaults', () => {
    const e = readEnv('/app/slack/src/server.ts', { DATABASE_URL: 'postgres://x/y', ASYM_ADMIN_SECRET: 's' });
    expect(e).toMatchObject({ port: 8080, templateDir: '/app/slack', redisUrl: null, publicUrl: 'http://127.0.0.1:8080' });
    expect(() => readEnv('/a/b/c.ts', {})).toThrow();
  });
});

describe('slack ids and cursors', () => {
  test('ts format round-trips', () => {
    expect(tsFromMicros(1_700_000_000_000_100n)).toBe('1700000000.000100');
    expect(microsFromTs('1700000000.0001')).toBe(1_700_000_000_000_100n);
    expect(normTs('1700000000')).toBe('1700000000.000000');
    expect(normTs('abc')).toBeNull();
  });

  test('cursors are opaque base64 of kind:value', () => {
    const c = encodeCursor('user', 'U123');
    expect(Buffer.from(c, 'base64').toString()).toBe('user:U123');
    expect(decodeCursor(c, 'user')).toBe('U123');
    expect(decodeCursor(c, 'channel')).toBeNull();
  });
});

describe('slack template metadata', () => {
  test('the manifest validates against the contract schema', () => {
    expect(v.safeParse(TemplateManifestSchema, manifest).success).toBe(true);
  });

  test('operations.json lists the in-scope methods and matches the implementation', () => {
    // Every method of the in-scope families (scripts/derive-operations.ts), served or not.
    expect(operations.length).toBe(106);
    for (const op of operations) expect(op.implemented).toBe(op.method in METHODS);
    for (const m of Object.keys(METHODS)) expect(operations.some((o) => o.method === m)).toBe(true);
    expect(operations.filter((o) => o.implemented).length).toBe(106);
  });
});
