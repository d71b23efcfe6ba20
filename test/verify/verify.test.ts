/**
 * `asym verify` end to end: each template's official SDK drives a throwaway clone through
 * every implemented operation; every one must answer and conform, the score is cached and
 * shown by `asym templates`, and the throwaway clone is gone afterwards.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { FidelityScoreSchema } from '../../src/contract/fidelity.ts';
import { cloneHarness } from '../support/clones.ts';
import { describeDocker } from '../support/docker.ts';

describeDocker('asym verify', () => {
  const h = cloneHarness('verify');
  afterAll(() => h.cleanup(), 60_000);

  test('every template: the vendor\'s list in scope, three scores per operation, the score cached', async () => {
    const r = await h.run(['verify', '--json']);
    expect(r.code).toBe(0);
    expect(r.json.map((x: any) => x.template).sort()).toEqual(['github', 'hubspot', 'linear', 'notion', 'slack', 'stripe']);
    // Denominators: the reference list filtered by family (scripts/derive-operations.ts), not by what is served.
    const THEIRS: Record<string, number> = { slack: 106, notion: 45, hubspot: 112, stripe: 98, github: 254, linear: 135 };
    for (const report of r.json) {
      const template = report.template;
      const { ours, theirs, matched } = report.fidelity.operations;
      expect([template, theirs]).toEqual([template, THEIRS[template]]);
      expect(ours).toBeLessThanOrEqual(theirs);
      // Every implemented operation answered at least once through the SDK.
      const silent = report.operations.filter((o: any) => o.implemented && o.calls === 0).map((o: any) => o.id);
      expect([template, silent]).toEqual([template, []]);
      const mean = (f: (o: any) => number) => Math.round((report.operations.reduce((a: number, o: any) => a + f(o), 0) / theirs) * 10_000) / 10_000;
      expect(report.fidelity.score).toBeCloseTo(mean((o) => o.shape * o.behaviour * o.errors), 3);
      for (const k of ['shape', 'behaviour', 'errors']) expect(report.fidelity.parts[k].score).toBeCloseTo(mean((o) => o[k]), 3);
      expect(matched).toBe(report.operations.filter((o: any) => o.score === 1).length);
      expect(report.operations.filter((o: any) => !o.implemented).every((o: any) => o.score === 0)).toBe(true);
      // The error probes ran: a bad token is refused as the vendor refuses it, on nearly every operation.
      expect(report.fidelity.parts.errors.score).toBeGreaterThan(0.3);
      expect(Object.keys(report.excluded).length).toBeGreaterThan(0);
      expect(report.fidelity.excluded).toEqual(report.excluded);
      const cached = JSON.parse(readFileSync(join(h.env.ASYM_HOME, 'fidelity', `${template}.json`), 'utf8'));
      expect(v.safeParse(FidelityScoreSchema, cached).success).toBe(true);
      expect(cached).toEqual(report.fidelity);
      // The throwaway clone is destroyed: nothing of it in the registry or in Docker.
      const ps = Bun.spawnSync(['docker', 'ps', '-a', '--filter', `label=asym.clone=${report.clone}`, '--format', '{{.Names}}']);
      expect(ps.stdout.toString().trim()).toBe('');
    }
    expect((await h.run(['ls', '--json'])).json.filter((c: any) => c.id.startsWith('verify-'))).toEqual([]);
    // Text output: the per-operation table and the families left out.
    const text = await h.run(['verify', 'notion']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/OPERATION\s+SHAPE\s+BEHAVIOUR\s+ERRORS\s+SCORE/);
    expect(text.stdout).toContain('GET /v1/users/{user_id}');
    expect(text.stdout).toContain("families of the vendor's list left out: agents");
  }, 300_000);

  test('a score cached before the three parts existed still reads', () => {
    const old = { score: 1, operations: { ours: 71, theirs: 71, matched: 71 }, checkedAt: '2026-11-01T00:00:00.000Z', source: 'asym verify' };
    expect(v.safeParse(FidelityScoreSchema, old).success).toBe(true);
  });

  test('templates shows the cached score; a clone can be verified in place', async () => {
    const listed = (await h.run(['templates', '--json'])).json;
    const slack = listed.find((t: any) => t.name === 'slack');
    expect(slack.fidelity.operations.theirs).toBe(106);
    expect(Object.keys(slack.fidelity.parts)).toEqual(['shape', 'behaviour', 'errors']);
    const shown = await h.run(['templates']);
    expect(shown.stdout).toMatch(/slack .*% \(\d+\/106\) · shape \d+% behaviour \d+% errors \d+%/);
    const c = await h.spin('slack');
    const r = await h.run(['verify', 'slack', '--clone', c.id, '--json']);
    expect(r.code).toBe(0);
    expect(r.json.clone).toBe(c.id);
    expect(r.json.fidelity.parts.behaviour.score).toBeGreaterThan(0.5);
    // Verifying in place leaves the clone running (and its data there).
    expect((await h.run(['status', c.id, '--json'])).json.state).toBe('running');
    const wrong = await h.run(['verify', 'stripe', '--clone', c.id, '--json']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.json.error.code).toBe('INVALID_INPUT');
  }, 120_000);
});

describe('asym verify input errors', () => {
  const h = cloneHarness('verify-errors');
  afterAll(() => h.cleanup());
  test('--clone without a template, an unknown template, an unknown clone', async () => {
    expect((await h.run(['verify', '--clone', 'x', '--json'])).json.error.code).toBe('INVALID_INPUT');
    expect((await h.run(['verify', 'nope', '--json'])).json.error.code).toBe('TEMPLATE_NOT_FOUND');
    expect((await h.run(['verify', 'slack', '--clone', 'ghost', '--json'])).json.error.code).toBe('CLONE_NOT_FOUND');
  });
});
