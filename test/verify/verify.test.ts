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

  test('every template: each implemented operation answers through the SDK and conforms', async () => {
    const r = await h.run(['verify', '--json']);
    expect(r.code).toBe(0);
    expect(r.json.map((x: any) => x.template).sort()).toEqual(['github', 'hubspot', 'linear', 'notion', 'slack', 'stripe']);
    for (const report of r.json) {
      const template = report.template;
      const failing = report.operations.filter((o: any) => o.implemented && !o.matched).map((o: any) => `${o.id}: ${o.problems[0]}`);
      expect([template, failing]).toEqual([template, []]);
      expect([template, report.failedSteps]).toEqual([template, []]);
      const { ours, theirs, matched } = report.fidelity.operations;
      expect(matched).toBe(ours);
      // Notion's whole in-scope surface is 29 operations; the others have well over 50.
      expect(ours).toBeGreaterThan(template === 'notion' ? 25 : 50);
      expect(report.fidelity.score).toBeCloseTo(matched / theirs, 3);
      const cached = JSON.parse(readFileSync(join(h.env.ASYM_HOME, 'fidelity', `${template}.json`), 'utf8'));
      expect(v.safeParse(FidelityScoreSchema, cached).success).toBe(true);
      expect(cached).toEqual(report.fidelity);
      // The throwaway clone is destroyed: nothing of it in the registry or in Docker.
      const ps = Bun.spawnSync(['docker', 'ps', '-a', '--filter', `label=asym.clone=${report.clone}`, '--format', '{{.Names}}']);
      expect(ps.stdout.toString().trim()).toBe('');
    }
    expect((await h.run(['ls', '--json'])).json.filter((c: any) => c.id.startsWith('verify-'))).toEqual([]);
  }, 240_000);

  test('templates shows the cached score; a clone can be verified in place', async () => {
    const listed = (await h.run(['templates', '--json'])).json;
    const slack = listed.find((t: any) => t.name === 'slack');
    expect(slack.fidelity.operations.matched).toBe(slack.fidelity.operations.ours);
    const c = await h.spin('slack');
    const r = await h.run(['verify', 'slack', '--clone', c.id, '--json']);
    expect(r.code).toBe(0);
    expect(r.json.clone).toBe(c.id);
    expect(r.json.fidelity.operations.matched).toBe(r.json.fidelity.operations.ours);
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
