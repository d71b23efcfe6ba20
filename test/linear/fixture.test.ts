/** The Linear acme pack through @linear/sdk, and reset / snapshot / diff on a Linear clone. */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { LinearClient } from '@linear/sdk';
import { cloneHarness } from '../support/clones.ts';
import { describeDocker } from '../support/docker.ts';

const h = cloneHarness('linear-fx');
let clone: any;
let linear: LinearClient;

describeDocker('linear acme fixture and lifecycle', () => {
  beforeAll(async () => {
    clone = await h.spin('linear', ['--fixture', 'acme']);
    linear = new LinearClient({ apiKey: clone.tokens.botToken, apiUrl: `${clone.endpoints.api}/graphql` });
  }, 240_000);
  afterAll(() => h.cleanup(), 60_000);

  test('acme: teams, people, 200 issues across projects and cycles, an active cycle per team', async () => {
    expect((await linear.teams()).nodes.map((t) => t.key).sort()).toEqual(['ENG', 'OPS', 'WEB']);
    expect((await linear.users({ first: 100 })).nodes.length).toBe(20);
    let page = await linear.issues({ first: 250 });
    expect(page.nodes.length).toBe(200);
    expect(page.pageInfo.hasNextPage).toBe(false);
    page = await linear.issues({ first: 50, filter: { project: { name: { eq: 'Mobile launch' } } } });
    expect(page.nodes.length).toBeGreaterThan(5);
    for (const t of (await linear.teams()).nodes) expect((await t.activeCycle)?.number).toBe(2);
    const grace = await linear.issues({ filter: { assignee: { email: { eq: 'grace@acme.test' } } }, first: 250 });
    for (const i of grace.nodes) expect((await i.assignee)!.email).toBe('grace@acme.test');
    expect((await linear.comments({ first: 250 })).nodes.length).toBeGreaterThan(80);
  });

  test('reset undoes an agent\'s writes; diff and snapshot see them', async () => {
    const eng = await linear.team('ENG');
    const made = await (await linear.createIssue({ teamId: eng.id, title: 'Agent wrote this' })).issue!;
    expect(made.identifier).toMatch(/^ENG-\d+$/);
    const diff = await h.run(['diff', clone.id, '--json']);
    expect(diff.code).toBe(0);
    expect(JSON.stringify(diff.json)).toContain('issues');
    expect((await h.run(['snapshot', clone.id, 'after-write', '--json'])).code).toBe(0);
    expect((await h.run(['reset', clone.id, '--json'])).code).toBe(0);
    const again = new LinearClient({ apiKey: clone.tokens.botToken, apiUrl: `${clone.endpoints.api}/graphql` });
    expect((await again.searchIssues('Agent wrote this')).nodes.length).toBe(0);
    expect((await h.run(['restore', clone.id, 'after-write', '--json'])).code).toBe(0);
    expect((await again.searchIssues('Agent wrote this')).nodes.length).toBe(1);
  }, 60_000);
});
