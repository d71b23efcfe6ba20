/** test/support/template-host.ts runs any template on the host: healthy, provisioned, seeded on request, its database gone after stop. */
import { afterAll, expect, test } from 'bun:test';
import { SQL } from 'bun';
import { fixturesOf, listTemplates } from '../../src/templates/catalog.ts';
import { describeDocker } from '../support/docker.ts';
import { startTemplateOnHost, type HostClone } from '../support/template-host.ts';

const clones: HostClone[] = [];
afterAll(() => Promise.all(clones.map((c) => c.stop())), 60_000);

describeDocker('every template on the host', () => {
  test('each answers health, provision minted its vendor-shaped tokens, and the fixture pack loads', async () => {
    const templates = listTemplates();
    expect(templates.length).toBeGreaterThanOrEqual(6);
    clones.push(...(await Promise.all(templates.map((t) => startTemplateOnHost(t.manifest.name, { fixture: fixturesOf(t)[0] })))));
    const PREFIX: Record<string, RegExp> = { slack: /^xoxb-/, stripe: /^sk_test_/, github: /^ghp_/, linear: /^lin_api_/, notion: /^ntn_/, hubspot: /^pat-na1-/ };
    for (const c of clones) {
      expect([c.template, (await fetch(`${c.endpoints.api}/__asym/health`)).status]).toEqual([c.template, 200]);
      if (PREFIX[c.template]) expect(c.tokens.botToken).toMatch(PREFIX[c.template]!);
      expect([c.template, c.seeded!.written > 0, c.seeded!.rejected]).toEqual([c.template, true, 0]);
    }
  }, 120_000);

  test('stop drops the clone\'s database', async () => {
    const c = await startTemplateOnHost('notion');
    await c.stop();
    const admin = new SQL(c.databaseUrl.replace(/\/[^/]+$/, '/postgres'), { max: 1 });
    const name = c.databaseUrl.split('/').pop()!;
    const rows = await admin`select 1 from pg_database where datname = ${name}`;
    await admin.close();
    expect(rows.length).toBe(0);
  }, 60_000);
});
