/** The kit's generic input, token and database-down parts, without Docker. */
import { describe, expect, test } from 'bun:test';
import { DB_UNAVAILABLE, Db } from '../../templates/_kit/db.ts';
import { isKitError } from '../../templates/_kit/errors.ts';
import { checkInput, findNul, intInRange } from '../../templates/_kit/input.ts';
import { signPayload, verifyPayload } from '../../templates/_kit/signed-token.ts';

const post = (body: string, type: string | null, path = '/x') =>
  new Request(`http://clone${path}`, { method: 'POST', body, headers: type ? { 'content-type': type } : {} });

describe('checkInput', () => {
  test('finds a NUL in JSON strings and keys, form values, the query and the path', async () => {
    const cases: [Request, string][] = [
      [post(JSON.stringify({ a: { b: ['ok', 'x\u0000'] } }), 'application/json'), 'a.b[1]'],
      [post(JSON.stringify({ 'k\u0000': 1 }), 'application/json'), 'k\u0000'],
      [post('text=a%00b&channel=C1', 'application/x-www-form-urlencoded'), 'text'],
      [post('metadata[k]=%00', null), 'metadata[k]'],
      [post('{}', 'application/json', '/x?q=a%00'), 'query.q'],
      [post('{}', 'application/json', '/repos/a%00b'), 'path'],
    ];
    for (const [req, field] of cases) {
      const r = await checkInput(req, new URL(req.url));
      expect(r.problem).toEqual({ kind: 'nul', field });
    }
  });

  test('a literal backslash-u0000 in a string is not a NUL, and the body is still readable after the check', async () => {
    const text = JSON.stringify({ a: '\\u0000 is how JSON writes it' });
    const req = post(text, 'application/json');
    const r = await checkInput(req, new URL(req.url));
    expect(r.problem).toBeNull();
    expect(await r.req.text()).toBe(text);
  });

  test('bodies over the limit are refused by declared and by actual size; uploads pass untouched', async () => {
    const big = post('x'.repeat(2_000), 'application/json');
    expect((await checkInput(big, new URL(big.url), { maxBodyBytes: 1_000 })).problem).toEqual({ kind: 'too_large', limit: 1_000, size: 2_000 });
    const upload = post('\u0000'.repeat(2_000), 'application/octet-stream');
    const r = await checkInput(upload, new URL(upload.url), { maxBodyBytes: 1_000 });
    expect(r.problem).toBeNull();
    expect(r.req).toBe(upload);
  });

  test('findNul and intInRange', () => {
    expect(findNul({ a: [{ b: 'fine' }] })).toBeNull();
    expect(intInRange('99999999999999999', 1, 1, 1_000_000)).toBe(1_000_000);
    expect(intInRange('-5', 1, 1, 10)).toBe(1);
    expect(intInRange('abc', 7, 1, 10)).toBe(7);
    expect(intInRange('1e400', 7, 1, 10)).toBe(7);
  });
});

describe('signed tokens', () => {
  test('verify only with the same secret and purpose, and not once altered', () => {
    const t = signPayload('s3cret', 'slack-user-token', { u: 'U1' });
    expect(verifyPayload('s3cret', 'slack-user-token', t)).toEqual({ u: 'U1' });
    expect(verifyPayload('other', 'slack-user-token', t)).toBeNull();
    expect(verifyPayload('s3cret', 'github-user-token', t)).toBeNull();
    const [body, sig] = t.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ u: 'U2' })).toString('base64url');
    expect(verifyPayload('s3cret', 'slack-user-token', `${forgedBody}.${sig}`)).toBeNull();
    expect(verifyPayload('s3cret', 'slack-user-token', `${body}.`)).toBeNull();
    expect(verifyPayload('s3cret', 'slack-user-token', 'garbage')).toBeNull();
  });
});

describe('Db with the database unreachable', () => {
  const db = (url = 'postgres://asym:x@127.0.0.1:1/none') => new Db({ url, migrationsDir: '/nonexistent' });

  test('a hung Postgres (the fault switch) is db_unavailable in about 1.5 s, and the hang saw the connection', async () => {
    const d = db();
    await d.setFault('hang');
    const started = performance.now();
    const e = await d.q`select 1`.then(() => null, (x) => x);
    const ms = performance.now() - started;
    expect(isKitError(e) && [e.code, e.status]).toEqual([DB_UNAVAILABLE, 503]);
    expect(ms).toBeLessThan(2_000);
    expect(ms).toBeGreaterThan(1_000);
    expect(d.fault?.accepted).toBeGreaterThan(0);
    await d.setFault(null);
    expect(d.fault).toBeNull();
    await d.release();
  });

  test('a refused connection is db_unavailable at once (one retry, no 30 s wait)', async () => {
    const d = db();
    const started = performance.now();
    const e = await d.q`select 1`.then(() => null, (x) => x);
    expect(isKitError(e) && e.code).toBe(DB_UNAVAILABLE);
    expect(performance.now() - started).toBeLessThan(1_000);
    await d.release();
  });
});
