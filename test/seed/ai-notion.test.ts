/** AI seeding of a real Notion clone, read back through @notionhq/client. */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { Client, collectPaginatedAPI } from '@notionhq/client';
import { cloneHarness } from '../support/clones.ts';
import { describeDocker } from '../support/docker.ts';
import { startFakeAnthropic } from '../support/fake-anthropic.ts';

const records = {
  users: [
    { name: 'Rosa Parks', email: 'rosa@example.test' },
    { name: 'Nikola Tesla', email: 'nikola@example.test' },
    { name: 'No Email', email: 'not-an-email' },
  ],
  databases: [
    { title: 'Bugs', description: 'Defects reported by customers', properties: { Severity: { type: 'select', options: ['S1', 'S2', 'S3'] }, State: { type: 'status' }, Owner: { type: 'people' }, Reported: { type: 'date' }, Points: { type: 'number' } } },
    { title: 'Broken', properties: { Weird: { type: 'formula' } } },
  ],
  pages: [
    { database: 'Bugs', title: 'Login fails on Safari', properties: { Severity: 'S1', State: 'In progress', Owner: ['rosa@example.test'], Reported: '2026-02-01', Points: 3 }, content: ['Steps: open the login page in Safari.'] },
    { database: 'Bugs', title: 'Typo on pricing page', properties: { Severity: 'S3', State: 'Done' } },
    { database: 'Bugs', title: 'Unknown state', properties: { State: 'Exploded' } },
    { database: 'No such database', title: 'Orphan' },
    { title: 'Team charter', content: ['We ship small changes often.', 'We review each other kindly.'] },
  ],
};

const h = cloneHarness('ainotion');
const fake = startFakeAnthropic({ key: 'test-key', models: ['claude-haiku-4-5'], records });
afterAll(async () => {
  fake.stop();
  await h.cleanup();
}, 180_000);

describeDocker('AI seeding a Notion clone', () => {
  let clone: any;
  beforeAll(async () => {
    clone = await h.spin('notion');
  }, 300_000);

  test('valid records are written through the API validation; invalid and dangling ones are rejected', async () => {
    const r = await h.run(['seed', clone.id, '--ai', '--json'], { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url });
    expect(r.code).toBe(0);
    // written: 2 users, 1 database, 3 pages; rejected: 1 user and 1 database (schema), 2 pages (clone: unknown status option, unknown database)
    expect(r.json.bySource.ai).toEqual({ written: 6, rejected: 4 });
    const reasons = r.json.rejections.filter((x: any) => x.entity === 'pages').map((x: any) => x.reason).join(' | ');
    expect(reasons).toMatch(/Exploded/);
    expect(reasons).toMatch(/No such database/);
    expect(fake.requests.map((q) => q.tool).sort()).toEqual(['write_databases', 'write_pages', 'write_users']);
    const pagePrompt = fake.requests.find((q) => q.tool === 'write_pages')!.body.messages[0].content;
    expect(pagePrompt).toContain('Bugs');
    expect(pagePrompt).toContain('rosa@example.test');

    const notion = new Client({ auth: clone.tokens.botToken, baseUrl: clone.endpoints.api, maxRetries: 0 } as never);
    const users = await notion.users.list({});
    expect(users.results.map((u) => u.name)).toEqual(expect.arrayContaining(['Rosa Parks', 'Nikola Tesla']));
    const ds = (await notion.search({ query: 'Bugs', filter: { property: 'object', value: 'data_source' } })).results[0]!;
    const rows: any[] = await collectPaginatedAPI(notion.dataSources.query, { data_source_id: ds.id, sorts: [{ property: 'Severity', direction: 'ascending' }] } as never);
    expect(rows.map((p) => p.properties.Name.title[0].plain_text)).toEqual(['Login fails on Safari', 'Typo on pricing page']);
    const rosa = users.results.find((u) => u.name === 'Rosa Parks')!.id;
    expect(rows[0].properties).toMatchObject({ Severity: { select: { name: 'S1' } }, State: { status: { name: 'In progress' } }, Reported: { date: { start: '2026-02-01' } }, Points: { number: 3 } });
    expect(rows[0].properties.Owner.people.map((u: any) => u.id)).toEqual([rosa]);
    const body = await notion.blocks.children.list({ block_id: rows[0].id });
    expect((body.results[0] as any).paragraph.rich_text[0].plain_text).toBe('Steps: open the login page in Safari.');
    const charter = (await notion.search({ query: 'Team charter' })).results[0]!;
    const md: any = await notion.pages.retrieveMarkdown({ page_id: charter.id } as never);
    expect(md.markdown).toBe('We ship small changes often.\nWe review each other kindly.');
  }, 60_000);
});
