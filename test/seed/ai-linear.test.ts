/** AI seeding of a real Linear clone, read back through @linear/sdk. */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { LinearClient } from '@linear/sdk';
import { cloneHarness } from '../support/clones.ts';
import { describeDocker } from '../support/docker.ts';
import { startFakeAnthropic } from '../support/fake-anthropic.ts';

const records = {
  users: [
    { name: 'Rosa Parks', email: 'rosa@example.test' },
    { name: 'No Email', email: 'not-an-email' },
  ],
  teams: [
    { name: 'Mobile', key: 'MOB' },
    { name: 'Engineering again', key: 'ENG' },
  ],
  projects: [
    { name: 'App redesign', teams: ['MOB'], state: 'started' },
    { name: 'Nowhere', teams: ['NOPE'] },
  ],
  issues: [
    { team: 'MOB', title: 'Crash on launch', state: 'In Progress', priority: 1, assignee: 'rosa@example.test', project: 'App redesign', labels: ['Bug'] },
    { team: 'MOB', title: 'Polish icons', priority: 4 },
    { team: 'MOB', title: 'Bad state', state: 'Exploded' },
    { team: 'XYZ', title: 'No such team' },
  ],
};

const h = cloneHarness('ailinear');
const fake = startFakeAnthropic({ key: 'test-key', models: ['claude-haiku-4-5'], records });
afterAll(async () => {
  fake.stop();
  await h.cleanup();
}, 180_000);

describeDocker('AI seeding a Linear clone', () => {
  let clone: any;
  beforeAll(async () => {
    clone = await h.spin('linear');
  }, 300_000);

  test('valid records are written through the API code; invalid and dangling ones are rejected', async () => {
    const r = await h.run(['seed', clone.id, '--ai', '--json'], { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url });
    expect(r.code).toBe(0);
    // written: 1 user, 1 team, 1 project, 2 issues; rejected: 1 user and 1 issue (schema), 1 team (key taken), 1 project, 1 issue (clone: unknown team)
    expect(r.json.bySource.ai).toEqual({ written: 5, rejected: 5 });
    const reasons = r.json.rejections.map((x: any) => x.reason).join(' | ');
    expect(reasons).toMatch(/already in use/);
    expect(reasons).toMatch(/NOPE/);
    expect(reasons).toMatch(/XYZ/);
    const linear = new LinearClient({ apiKey: clone.tokens.botToken, apiUrl: `${clone.endpoints.api}/graphql` });
    const mob = await linear.team('MOB');
    const issues = await mob.issues();
    expect(issues.nodes.map((i) => i.identifier).sort()).toEqual(['MOB-1', 'MOB-2']);
    const crash = issues.nodes.find((i) => i.title === 'Crash on launch')!;
    expect(crash.priorityLabel).toBe('Urgent');
    expect((await crash.state)!.name).toBe('In Progress');
    expect((await crash.assignee)!.email).toBe('rosa@example.test');
    expect((await crash.project)!.name).toBe('App redesign');
    expect((await crash.labels()).nodes.map((l) => l.name)).toEqual(['Bug']);
  }, 60_000);
});
