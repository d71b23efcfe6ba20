import { afterAll, beforeAll, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { cloneHarness } from '../support/clones.ts';
import { describeDocker } from '../support/docker.ts';
import { NODE_MODULES, startMcp, type McpSession } from '../support/mcp.ts';

/**
 * The host-map preload (templates/_tools/host-map.cjs) for Node tools that hard-code the
 * vendor's host, with nothing but what `asym tokens --env --for TOOL --json` prints:
 * the reference Slack MCP server (global fetch to https://slack.com, here to a --tls clone)
 * the reference GitHub MCP server (node-fetch, i.e. node:https, to api.github.com), and the
 * stripe SDK in plain Node (node:https to api.stripe.com), both to http clones.
 */
const h = cloneHarness('tools-map');
let slack: any;
let stripe: any;
let github: any;

async function toolEnv(id: string, tool: string): Promise<Record<string, string>> {
  const r = await h.run(['tokens', id, '--env', '--for', tool, '--json']);
  expect(r.code).toBe(0);
  return r.json;
}

async function node(script: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const p = Bun.spawn(['node', '-e', script], { cwd: join(NODE_MODULES, '..'), env: { PATH: process.env.PATH!, ...env }, stdout: 'pipe', stderr: 'pipe' });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, stdout, stderr };
}

describeDocker('host-map preload for tools that hard-code the vendor host', () => {
  beforeAll(async () => {
    [slack, stripe, github] = await Promise.all([h.spin('slack', ['--fixture', 'acme', '--tls']), h.spin('stripe'), h.spin('github')]);
  }, 240_000);
  afterAll(() => h.cleanup(), 60_000);

  test('@modelcontextprotocol/server-slack lists channels and posts to a --tls clone', async () => {
    const env = await toolEnv(slack.id, 'slack-mcp');
    expect(env).toMatchObject({ SLACK_BOT_TOKEN: slack.tokens.botToken, SLACK_TEAM_ID: slack.tokens.workspaceId, ASYM_HOST_MAP: `slack.com=${slack.endpoints.api}` });
    expect(env.NODE_OPTIONS).toMatch(/^--require .*host-map\.cjs$/);
    let mcp: McpSession | undefined;
    try {
      mcp = await startMcp('@modelcontextprotocol/server-slack/dist/index.js', env);
      expect(mcp.tools).toEqual(expect.arrayContaining(['slack_list_channels', 'slack_post_message', 'slack_get_channel_history']));
      const listed = JSON.parse((await mcp.call('slack_list_channels', { limit: 100 })).text);
      expect(listed.ok).toBe(true);
      const general = listed.channels.find((c: any) => c.name === 'general');
      expect(general).toBeDefined();

      const posted = JSON.parse((await mcp.call('slack_post_message', { channel_id: general.id, text: 'posted through the host map' })).text);
      expect(posted).toMatchObject({ ok: true, channel: general.id });

      // The clone holds it: read back over HTTPS, trusting the home CA and nothing looser.
      const ca = readFileSync(env.NODE_EXTRA_CA_CERTS!, 'utf8');
      const history = await fetch(`${slack.endpoints.api}/api/conversations.history?channel=${general.id}&limit=5`, { headers: { authorization: `Bearer ${slack.tokens.botToken}` }, tls: { ca } }).then((r) => r.json() as Promise<any>);
      expect(history.messages[0]).toMatchObject({ text: 'posted through the host map', ts: posted.ts });
      // And the MCP server reads it back through the map too.
      const viaMcp = JSON.parse((await mcp.call('slack_get_channel_history', { channel_id: general.id, limit: 1 })).text);
      expect(viaMcp.messages[0].text).toBe('posted through the host map');
    } finally {
      await mcp?.close();
    }
  }, 90_000);

  test('@modelcontextprotocol/server-github creates a repository and an issue, lists and closes it', async () => {
    const env = await toolEnv(github.id, 'github-mcp-node');
    expect(env).toMatchObject({ GITHUB_PERSONAL_ACCESS_TOKEN: github.tokens.botToken, ASYM_HOST_MAP: `api.github.com=${github.endpoints.api}` });
    let mcp: McpSession | undefined;
    try {
      mcp = await startMcp('@modelcontextprotocol/server-github/dist/index.js', env);
      expect(mcp.tools).toEqual(expect.arrayContaining(['create_repository', 'create_issue', 'list_issues', 'update_issue']));
      const repo = JSON.parse((await mcp.call('create_repository', { name: 'mapped' })).text);
      expect(repo.full_name).toBe('asym-bot/mapped');
      const issue = JSON.parse((await mcp.call('create_issue', { owner: 'asym-bot', repo: 'mapped', title: 'Filed through the host map', body: 'via node-fetch' })).text);
      expect(issue).toMatchObject({ number: 1, state: 'open' });
      const listed = JSON.parse((await mcp.call('list_issues', { owner: 'asym-bot', repo: 'mapped' })).text);
      expect(listed.map((i: any) => i.title)).toEqual(['Filed through the host map']);
      const closed = JSON.parse((await mcp.call('update_issue', { owner: 'asym-bot', repo: 'mapped', issue_number: 1, state: 'closed' })).text);
      expect(closed.state).toBe('closed');

      const octokit = new Octokit({ auth: github.tokens.botToken, baseUrl: github.endpoints.api });
      const seen = (await octokit.issues.get({ owner: 'asym-bot', repo: 'mapped', issue_number: 1 })).data;
      expect(seen).toMatchObject({ title: 'Filed through the host map', state: 'closed', body: 'via node-fetch' });
    } finally {
      await mcp?.close();
    }
  }, 90_000);

  test('the stripe SDK in plain Node (node:https to api.stripe.com) reaches an http clone', async () => {
    const env = await toolEnv(stripe.id, 'stripe-agent-toolkit');
    expect(env.ASYM_HOST_MAP).toBe(`api.stripe.com=${stripe.endpoints.api}`);
    // No host/port options: the SDK aims at https://api.stripe.com as it would in any tool.
    const r = await node(
      `const Stripe = require('stripe');
       const s = new Stripe(process.env.STRIPE_SECRET_KEY, { maxNetworkRetries: 0 });
       (async () => {
         const c = await s.customers.create({ email: 'mapped@asym.test' });
         const got = await s.customers.retrieve(c.id);
         console.log(JSON.stringify({ id: c.id, email: got.email }));
       })().catch((e) => { console.error(e.message); process.exit(1); });`,
      env,
    );
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.email).toBe('mapped@asym.test');
    // The customer is in the clone, not anywhere else.
    const res = await fetch(`${stripe.endpoints.api}/v1/customers/${out.id}`, { headers: { authorization: `Bearer ${stripe.tokens.botToken}` } });
    expect(((await res.json()) as any).email).toBe('mapped@asym.test');
  }, 60_000);

  test('hosts outside the map are untouched; ESM named imports of node:https are mapped too', async () => {
    const env = await toolEnv(stripe.id, 'stripe-agent-toolkit');
    const r = await node(
      `const { remap } = require(${JSON.stringify(env.NODE_OPTIONS!.replace('--require ', ''))});
       console.log(JSON.stringify([remap('https://api.stripe.com/v1/x?y=1'), remap('https://example.com/a'), remap('https://API.STRIPE.COM/v1')]));
       import('node:https').then(({ request }) => {
         const req = request('https://api.stripe.com/v1/customers?limit=1', { headers: { authorization: 'Bearer ' + process.env.STRIPE_SECRET_KEY } }, (res) => { console.log(res.statusCode); res.resume(); });
         req.end();
       });`,
      env,
    );
    const [first, status] = r.stdout.trim().split('\n');
    expect(JSON.parse(first!)).toEqual([`${stripe.endpoints.api}/v1/x?y=1`, null, `${stripe.endpoints.api}/v1`]);
    expect(status).toBe('200');
  }, 30_000);
});
