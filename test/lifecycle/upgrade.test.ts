/**
 * upgrade: a template change (here: a new migration) gives a new image; the clone is
 * repinned to it, its data kept and the migration applied. Works on a copy of the
 * templates so the repository's own stay untouched.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloneHarness, historyTexts, postAndRead, slackClient } from '../support/clones.ts';
import { describeDocker } from '../support/docker.ts';
import { dumpDatabase } from '../support/infra.ts';
import { docker } from '../../src/docker/spawn.ts';

const templates = mkdtempSync(join(tmpdir(), 'asym-upgrade-tpl-'));
cpSync(join(import.meta.dir, '../../templates'), templates, { recursive: true });
process.env.ASYM_TEMPLATES_DIR = templates;
const h = cloneHarness('upg');
Object.assign(h.env, { ASYM_TEMPLATES_DIR: templates });
let oldImage = '';
let newImage = '';
afterAll(async () => {
  await h.cleanup();
  rmSync(templates, { recursive: true, force: true });
  delete process.env.ASYM_TEMPLATES_DIR;
}, 180_000);

describeDocker('upgrade', () => {
  let c: any;
  let channel: string;
  beforeAll(async () => {
    c = await h.spin('slack');
    oldImage = c.image;
  }, 300_000);

  test('repins to the rebuilt image, keeps data, applies the new migration (also after reset)', async () => {
    channel = await postAndRead(slackClient(c), 'before-upgrade', 'kept across the upgrade');
    const same = await h.run(['upgrade', c.id, '--json']);
    expect(same.code).toBe(0);
    expect(same.json.changed).toBe(false);

    writeFileSync(join(templates, 'slack/migrations/900_upgrade_probe.sql'), 'create table upgrade_probe (id int primary key);\n');
    const r = await h.run(['upgrade', c.id, '--json']);
    expect(r.code).toBe(0);
    expect(r.json.changed).toBe(true);
    expect(r.json.to).not.toBe(oldImage);
    newImage = r.json.to;
    const ls = await h.run(['ls', '--json']);
    const rec = ls.json.find((x: any) => x.id === c.id);
    expect(rec.image).toBe(r.json.to);
    expect(rec.imageDigest).toBeNull();
    const running = (await docker(['inspect', '--format', '{{.Config.Image}}', `${c.composeProject}-api-1`])).stdout.trim();
    expect(running).toBe(r.json.to);

    expect(await historyTexts(slackClient(c), channel)).toContain('kept across the upgrade');
    expect(await dumpDatabase(c.database)).toContain('CREATE TABLE public.upgrade_probe');

    const reset = await h.run(['reset', c.id, '--json']);
    expect(reset.code).toBe(0);
    expect((await slackClient(c).auth.test()).ok).toBe(true); // the first request re-applies pending migrations
    expect(await dumpDatabase(c.database)).toContain('CREATE TABLE public.upgrade_probe');
  }, 180_000);
});

afterAll(async () => {
  // The rebuilt image is specific to this test's template copy.
  if (newImage) await docker(['image', 'rm', newImage], { allowFailure: true });
}, 180_000);
