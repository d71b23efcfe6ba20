import { afterAll, beforeAll, expect, test } from 'bun:test';
import { Client as HubSpot } from '@hubspot/api-client';
import { Client as Notion } from '@notionhq/client';
import { cloneHarness } from '../support/clones.ts';
import { describeDocker, uniqueName } from '../support/docker.ts';
import { startMcp, type McpSession } from '../support/mcp.ts';

/**
 * The vendors' own MCP servers (pinned in package.json), started with nothing but what
 * `asym tokens <id> --env --for TOOL --json` prints, driven over stdio by the MCP client;
 * what they write is read back through the vendor SDK.
 */
const h = cloneHarness('tools-mcp');
const group = uniqueName('tools-env');
let notion: any;
let hubspot: any;

async function toolEnv(id: string, tool: string): Promise<Record<string, string>> {
  const r = await h.run(['tokens', id, '--env', '--for', tool, '--json']);
  expect(r.code).toBe(0);
  return r.json;
}

describeDocker('vendor MCP servers against clones', () => {
  beforeAll(async () => {
    [notion, hubspot] = await Promise.all([h.spin('notion', ['--fixture', 'acme', '--group', group]), h.spin('hubspot', ['--group', group])]);
  }, 240_000);
  afterAll(() => h.cleanup(), 60_000);

  test('@notionhq/notion-mcp-server: find a page, create a child page with a paragraph, read it back', async () => {
    const env = await toolEnv(notion.id, 'notion-mcp');
    expect(env).toMatchObject({ NOTION_TOKEN: notion.tokens.botToken, BASE_URL: notion.endpoints.api });
    let mcp: McpSession | undefined;
    try {
      mcp = await startMcp('@notionhq/notion-mcp-server/bin/cli.mjs', env);
      expect(mcp.tools).toEqual(expect.arrayContaining(['API-get-self', 'API-post-search', 'API-post-page', 'API-patch-block-children']));

      const self = await mcp.call('API-get-self');
      expect(self.isError).toBe(false);
      expect(JSON.parse(self.text)).toMatchObject({ object: 'user', type: 'bot', id: notion.tokens.botUserId });

      const found = JSON.parse((await mcp.call('API-post-search', { query: 'Acme Home' })).text);
      const home = found.results.find((r: any) => r.object === 'page');
      expect(home?.id).toBe('b1000000-0000-4000-8000-000000000001');

      const created = await mcp.call('API-post-page', {
        parent: { page_id: home.id },
        properties: { title: [{ text: { content: 'Written by the MCP server' } }] },
      });
      expect(created.isError).toBe(false);
      const page = JSON.parse(created.text);
      expect(page.object).toBe('page');
      const appended = await mcp.call('API-patch-block-children', {
        block_id: page.id,
        children: [{ type: 'paragraph', paragraph: { rich_text: [{ type: 'text', text: { content: 'hello from MCP' } }] } }],
      });
      expect(appended.isError).toBe(false);

      // The SDK sees what the MCP server wrote.
      const sdk = new Notion({ auth: notion.tokens.botToken, baseUrl: notion.endpoints.api });
      const read: any = await sdk.pages.retrieve({ page_id: page.id });
      expect(read.parent).toMatchObject({ type: 'page_id', page_id: home.id });
      expect(read.properties.title.title[0].plain_text).toBe('Written by the MCP server');
      const children: any = await sdk.blocks.children.list({ block_id: page.id });
      expect(children.results.map((b: any) => b.paragraph?.rich_text?.[0]?.plain_text)).toEqual(['hello from MCP']);
    } finally {
      await mcp?.close();
    }
  }, 90_000);

  test('@hubspot/mcp-server: user details first (access-token-info), then create, search and list contacts', async () => {
    const env = await toolEnv(hubspot.id, 'hubspot-mcp');
    expect(env).toMatchObject({ PRIVATE_APP_ACCESS_TOKEN: hubspot.tokens.botToken, BASE_URL_OVERRIDE: hubspot.endpoints.api });
    let mcp: McpSession | undefined;
    try {
      mcp = await startMcp('@hubspot/mcp-server/dist/index.js', env);
      expect(mcp.tools).toEqual(expect.arrayContaining(['hubspot-get-user-details', 'hubspot-batch-create-objects', 'hubspot-search-objects', 'hubspot-list-objects']));

      // The tool the server tells agents to call before any other.
      const details = await mcp.call('hubspot-get-user-details');
      expect(details.isError).toBe(false);
      const info = JSON.parse(/- Token Info: ([\s\S]*?)\n- OwnerInfo/.exec(details.text)![1]!);
      expect(info).toMatchObject({ userId: Number(hubspot.tokens.botUserId), hubId: Number(hubspot.tokens.workspaceId), appId: Number(hubspot.tokens.appId) });
      expect(info.scopes).toContain('crm.objects.contacts.write');

      const created = await mcp.call('hubspot-batch-create-objects', {
        objectType: 'contacts',
        inputs: [{ properties: { email: 'ada@mcp.test', firstname: 'Ada' } }, { properties: { email: 'bob@mcp.test', firstname: 'Bob' } }],
      });
      expect(created.isError).toBe(false);
      expect(JSON.parse(created.text)).toMatchObject({ status: 'COMPLETE' });

      const search = await mcp.call('hubspot-search-objects', {
        objectType: 'contacts',
        filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: 'ada@mcp.test' }] }],
        properties: ['email', 'firstname'],
      });
      expect(JSON.parse(search.text).results.map((r: any) => r.properties.firstname)).toEqual(['Ada']);
      const listed = JSON.parse((await mcp.call('hubspot-list-objects', { objectType: 'contacts' })).text);
      expect(listed.results.map((r: any) => r.properties.email).sort()).toEqual(['ada@mcp.test', 'bob@mcp.test']);

      // The SDK sees the same two contacts.
      const sdk = new HubSpot({ accessToken: hubspot.tokens.botToken, basePath: hubspot.endpoints.api });
      const page = await sdk.crm.contacts.basicApi.getPage(10, undefined, ['email']);
      expect(page.results.map((r) => r.properties.email).sort()).toEqual(['ada@mcp.test', 'bob@mcp.test']);
    } finally {
      await mcp?.close();
    }
  }, 90_000);

  test('access-token-info: a wrong tokenKey is 401, a missing one 400, in HubSpot error envelopes', async () => {
    const url = `${hubspot.endpoints.api}/oauth/v2/private-apps/get/access-token-info`;
    const post = (body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const bad = await post({ tokenKey: 'pat-na1-00000000-0000-4000-8000-000000000000' });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
    const missing = await post({});
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    // The admin user's token describes the admin user.
    const admin = await post({ tokenKey: hubspot.tokens.userToken });
    expect(await admin.json()).toMatchObject({ userId: Number(hubspot.tokens.adminUserId), hubId: Number(hubspot.tokens.workspaceId) });
  });

  test('asym env tokens: every member’s tool variables in one set; --for picks the members that have the tool', async () => {
    const all = await h.run(['env', 'tokens', group, '--env', '--json']);
    expect(all.code).toBe(0);
    expect(all.json).toMatchObject({
      ASYM_NOTION_API_URL: notion.endpoints.api,
      ASYM_HUBSPOT_API_URL: hubspot.endpoints.api,
      NOTION_TOKEN: notion.tokens.botToken,
      BASE_URL: notion.endpoints.api,
      PRIVATE_APP_ACCESS_TOKEN: hubspot.tokens.botToken,
      BASE_URL_OVERRIDE: hubspot.endpoints.api,
    });
    const shell = await h.run(['env', 'tokens', group, '--env']);
    expect(shell.stdout).toContain(`export BASE_URL_OVERRIDE='${hubspot.endpoints.api}'`);
    const one = await h.run(['env', 'tokens', group, '--for', 'hubspot-mcp', '--json']);
    expect(Object.keys(one.json).sort()).toEqual(['ASYM_HUBSPOT_API_URL', 'ASYM_HUBSPOT_TOKEN', 'BASE_URL_OVERRIDE', 'PRIVATE_APP_ACCESS_TOKEN']);
    const bad = await h.run(['env', 'tokens', group, '--for', 'nope', '--json']);
    expect(bad.code).not.toBe(0);
    expect(bad.json.error).toMatchObject({ code: 'INVALID_INPUT' });
    expect(bad.json.error.hint).toContain('notion-mcp');
    const badOne = await h.run(['tokens', notion.id, '--env', '--for', 'gh', '--json']);
    expect(badOne.json.error).toMatchObject({ code: 'INVALID_INPUT', hint: 'tools: sdk, notion-mcp' });
  });
});
