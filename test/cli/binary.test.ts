/**
 * The compiled single binary: it carries the templates, so it can spin a clone from a
 * directory that has no checkout of this repository.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asym } from '../support/cli.ts';
import { describeDocker, uniqueName } from '../support/docker.ts';
import { loadVerifier } from '../../src/verify/verifiers.ts';

const dir = mkdtempSync(join(tmpdir(), 'asym-bin-'));
const bin = join(dir, 'asym');
const home = join(dir, 'home');
const env = { ASYM_HOME: home };
const run = (args: string[]) => asym(args, env, [bin]);

beforeAll(() => {
  const b = Bun.spawnSync(['bun', join(import.meta.dir, '../../scripts/build.ts'), bin], { stdout: 'pipe', stderr: 'pipe' });
  if (b.exitCode !== 0) throw new Error(`build failed: ${b.stderr.toString()}`);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('compiled asym', () => {
  test('--version, --help and templates from the embedded copy', async () => {
    // The version and the commit it was built from (scripts/build.ts bakes both in).
    expect((await run(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+ \([0-9a-f]{12}(\+dirty)?\)$/);
    expect((await run(['--help'])).stdout).toContain('spin');
    const t = await run(['templates', '--json']);
    expect(t.code).toBe(0);
    expect(t.json.map((x: any) => x.name)).toContain('slack');
    expect(t.json.find((x: any) => x.name === 'slack').fixtures).toContain('acme');
  });

  test('the same strict command line', async () => {
    // No engine behind DOCKER_HOST: a binary that got past parsing could not make a clone either.
    const r = await asym(['spin', 'slack', '--fixure', 'acme', '--json'], { ...env, DOCKER_HOST: 'unix:///tmp/asym-no-such-docker.sock' }, [bin]);
    expect(r.json.error).toMatchObject({ code: 'INVALID_INPUT', hint: expect.stringContaining('did you mean --fixture?') });
    expect((await run(['ls', '--json'])).json).toEqual([]);
  });
});

describeDocker('compiled asym with Docker', () => {
  test('spins and destroys a clone with no checkout around it', async () => {
    const name = uniqueName('bin');
    const proc = Bun.spawn([bin, 'spin', 'slack', '--name', name, '--json'], { cwd: dir, env: { ...process.env, ...env, NO_COLOR: '1' }, stdout: 'pipe', stderr: 'pipe' });
    const out = await new Response(proc.stdout).text();
    expect(await proc.exited).toBe(0);
    const clone = JSON.parse(out);
    expect(clone.state).toBe('running');
    const health = await fetch(`${clone.endpoints.api}/__asym/health`);
    expect(health.status).toBe(200);
    const d = await run(['destroy', name, '--yes', '--json']);
    expect(d.json).toEqual({ id: name, destroyed: true });
  }, 120_000);

  test('spins Linear with the acme pack: the image runs the bundle the binary carries', async () => {
    const name = uniqueName('binlin');
    const proc = Bun.spawn([bin, 'spin', 'linear', '--name', name, '--fixture', 'acme', '--json'], { cwd: dir, env: { ...process.env, ...env, NO_COLOR: '1' }, stdout: 'pipe', stderr: 'pipe' });
    const out = await new Response(proc.stdout).text();
    expect(await proc.exited).toBe(0);
    const clone = JSON.parse(out);
    try {
      const res = await fetch(`${clone.endpoints.api}/graphql`, { method: 'POST', headers: { authorization: clone.tokens.botToken, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ issues(first: 250) { nodes { identifier } } teams { nodes { key } } }' }) });
      const body: any = await res.json();
      expect(body.data.issues.nodes.length).toBe(200);
      expect(body.data.teams.nodes.map((t: any) => t.key).sort()).toEqual(['ENG', 'OPS', 'WEB']);
    } finally {
      await run(['destroy', name, '--yes', '--json']);
    }
  }, 180_000);

  test('verify runs the official SDK bundled into the binary', async () => {
    const proc = Bun.spawn([bin, 'verify', 'github', '--json'], { cwd: dir, env: { ...process.env, ...env, NO_COLOR: '1' }, stdout: 'pipe', stderr: 'pipe' });
    const out = await new Response(proc.stdout).text();
    expect(await proc.exited).toBe(0);
    const report = JSON.parse(out);
    // The binary scores as the checkout does: the vendor's whole list, three parts, most of what it serves holding.
    expect(report.fidelity.operations.theirs).toBe((await loadVerifier('github'))!.operations().length);
    expect(report.fidelity.operations.matched).toBeGreaterThan(report.fidelity.operations.ours * 0.8);
    expect(report.fidelity.parts.errors.score).toBeGreaterThan(0);
    expect(report.fidelity.source).toContain('@octokit/rest');
  }, 120_000);
});
