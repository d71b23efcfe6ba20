/**
 * The environment an agent's own tools need to reach a clone: the SDK's base URL and token,
 * and for each vendor MCP server and CLI we document, the variables that tool really reads
 * (taken from each package's source, pinned in package.json, not from habit).
 *
 * Pure data: `toolEnv` builds the variables from a clone's URL and tokens, so the table is
 * unit-testable; commands add the home-specific paths (CA bundle, host-map preload).
 */
import { AsymmetricError } from '../contract/errors.ts';
import type { CloneTokens } from '../contract/clone.ts';

export interface ToolContext {
  /** The clone's API base URL, no trailing slash (http://127.0.0.1:41001 or https://…). */
  api: string;
  tokens: CloneTokens;
}

export interface ToolDef {
  name: string;
  /** What it is, as its users know it (package or binary). */
  what: string;
  vars(c: ToolContext): Record<string, string>;
  /** Vendor hosts the tool hard-codes: reached through the host-map preload (Node tools only). */
  hostMap?: string[];
  /** The tool only speaks HTTPS to a non-vendor host (gh, GitHub's MCP server): spin with --tls. */
  needsTls?: boolean;
}

const hostOf = (api: string) => new URL(api).host;

/** Per template, the SDK first (its conventional variables), then the tools. */
export const TOOLS: Record<string, ToolDef[]> = {
  slack: [
    { name: 'sdk', what: '@slack/web-api (slackApiUrl)', vars: (c) => ({ SLACK_API_URL: `${c.api}/api/`, SLACK_BOT_TOKEN: c.tokens.botToken, SLACK_USER_TOKEN: c.tokens.userToken }) },
    {
      // @modelcontextprotocol/server-slack calls fetch('https://slack.com/api/…') and reads only these two.
      name: 'slack-mcp',
      what: '@modelcontextprotocol/server-slack (hard-codes https://slack.com/api)',
      vars: (c) => ({ SLACK_BOT_TOKEN: c.tokens.botToken, SLACK_TEAM_ID: c.tokens.workspaceId }),
      hostMap: ['slack.com'],
    },
  ],
  github: [
    { name: 'sdk', what: '@octokit/rest (baseUrl)', vars: (c) => ({ GITHUB_API_URL: c.api, GITHUB_TOKEN: c.tokens.botToken }) },
    {
      // gh treats any host other than github.com as Enterprise Server: https://HOST/api/v3/, token from GH_ENTERPRISE_TOKEN.
      name: 'gh',
      what: 'GitHub CLI (Enterprise Server settings; HTTPS only)',
      vars: (c) => ({ GH_HOST: hostOf(c.api), GH_ENTERPRISE_TOKEN: c.tokens.botToken, GH_PROMPT_DISABLED: '1' }),
      needsTls: true,
    },
    {
      // github/github-mcp-server: GITHUB_HOST with the https:// scheme selects an Enterprise Server host (/api/v3).
      name: 'github-mcp-server',
      what: "GitHub's MCP server (github/github-mcp-server; Enterprise Server settings, HTTPS only)",
      vars: (c) => ({ GITHUB_PERSONAL_ACCESS_TOKEN: c.tokens.botToken, GITHUB_HOST: `https://${hostOf(c.api)}` }),
      needsTls: true,
    },
    {
      name: 'github-mcp-node',
      what: '@modelcontextprotocol/server-github (hard-codes https://api.github.com)',
      vars: (c) => ({ GITHUB_PERSONAL_ACCESS_TOKEN: c.tokens.botToken }),
      hostMap: ['api.github.com'],
    },
  ],
  stripe: [
    { name: 'sdk', what: "stripe (host/port/protocol options)", vars: (c) => ({ STRIPE_SECRET_KEY: c.tokens.botToken, STRIPE_API_URL: c.api }) },
    {
      // The stripe SDK inside @stripe/agent-toolkit reaches api.stripe.com through node:https.
      name: 'stripe-agent-toolkit',
      what: '@stripe/agent-toolkit (the stripe SDK; hard-codes api.stripe.com)',
      vars: (c) => ({ STRIPE_SECRET_KEY: c.tokens.botToken }),
      hostMap: ['api.stripe.com'],
    },
  ],
  hubspot: [
    { name: 'sdk', what: '@hubspot/api-client (basePath)', vars: (c) => ({ HUBSPOT_BASE_URL: c.api, HUBSPOT_ACCESS_TOKEN: c.tokens.botToken }) },
    {
      // @hubspot/mcp-server dist/utils/client.js: BASE_URL_OVERRIDE || 'https://api.hubspot.com'.
      name: 'hubspot-mcp',
      what: '@hubspot/mcp-server',
      vars: (c) => ({ PRIVATE_APP_ACCESS_TOKEN: c.tokens.botToken, BASE_URL_OVERRIDE: c.api }),
    },
  ],
  notion: [
    { name: 'sdk', what: '@notionhq/client (baseUrl)', vars: (c) => ({ NOTION_BASE_URL: c.api, NOTION_TOKEN: c.tokens.botToken }) },
    {
      // @notionhq/notion-mcp-server scripts/start-server.ts: BASE_URL replaces the spec's server; NOTION_TOKEN the bearer.
      name: 'notion-mcp',
      what: '@notionhq/notion-mcp-server',
      vars: (c) => ({ NOTION_TOKEN: c.tokens.botToken, BASE_URL: c.api }),
    },
  ],
};

export function toolsOf(template: string): ToolDef[] {
  return TOOLS[template] ?? [];
}

/** Where the trust and preload variables point; filled in by the caller from the home. */
export interface HomeFiles {
  /** PEM of the home's local CA (NODE_EXTRA_CA_CERTS adds it to Node's roots). */
  caFile?: string;
  /** System roots plus the local CA (SSL_CERT_FILE replaces OpenSSL's and Go's roots). */
  bundleFile?: string;
  /** The host-map preload (a CommonJS file for `node --require`). */
  preloadFile: string;
}

export interface ToolEnv {
  template: string;
  tools: string[];
  vars: Record<string, string>;
  /** Things the user should know (a tool that needs --tls on a plain clone). */
  notes: string[];
}

/**
 * Variables for one clone: common ASYM_* ones, then each selected tool's own; `tls` says the
 * clone serves HTTPS with a certificate of the home's CA. `only` restricts to one tool.
 */
export function toolEnv(template: string, c: ToolContext, files: HomeFiles, opts: { tls: boolean; only?: string; prefix?: boolean } = { tls: false }): ToolEnv {
  const all = toolsOf(template);
  let picked = all;
  if (opts.only !== undefined) {
    const found = all.find((t) => t.name === opts.only);
    if (!found) {
      throw new AsymmetricError('INVALID_INPUT', `unknown tool ${opts.only} for a ${template} clone`, {
        hint: `tools: ${all.map((t) => t.name).join(', ')}`,
        details: { tools: all.map((t) => ({ name: t.name, what: t.what })) },
      });
    }
    picked = [found];
  }
  const key = template.toUpperCase();
  const vars: Record<string, string> = opts.prefix
    ? { [`ASYM_${key}_API_URL`]: c.api, [`ASYM_${key}_TOKEN`]: c.tokens.botToken }
    : { ASYM_API_URL: c.api, ASYM_TOKEN: c.tokens.botToken };
  const notes: string[] = [];
  const hosts: string[] = [];
  for (const t of picked) {
    Object.assign(vars, t.vars(c));
    if (t.hostMap) hosts.push(...t.hostMap.map((h) => `${h}=${c.api}`));
    if (t.needsTls && !opts.tls) notes.push(`${t.name} speaks only HTTPS to a host other than the vendor's: spin the clone with --tls`);
  }
  if (hosts.length) {
    vars.ASYM_HOST_MAP = hosts.join(',');
    vars.NODE_OPTIONS = `--require ${files.preloadFile}`;
  }
  if (opts.tls && files.caFile) {
    vars.NODE_EXTRA_CA_CERTS = files.caFile;
    if (files.bundleFile) vars.SSL_CERT_FILE = files.bundleFile;
  }
  return { template, tools: picked.map((t) => t.name), vars, notes };
}

/**
 * Several clones' variables in one set (an environment). The vendor variables of different
 * templates do not collide; two clones of one template would, so that is refused.
 */
export function mergeToolEnvs(envs: ToolEnv[]): Record<string, string> {
  const seen = new Map<string, string>();
  const out: Record<string, string> = {};
  const hostMaps: string[] = [];
  for (const e of envs) {
    const other = seen.get(e.template);
    if (other !== undefined) {
      throw new AsymmetricError('INVALID_INPUT', `the environment has two ${e.template} clones; their tool variables would collide`, {
        hint: 'print each clone with asym tokens <id> --env',
      });
    }
    seen.set(e.template, e.template);
    for (const [k, val] of Object.entries(e.vars)) {
      if (k === 'ASYM_HOST_MAP') hostMaps.push(val);
      else out[k] = val;
    }
  }
  if (hostMaps.length) out.ASYM_HOST_MAP = hostMaps.join(',');
  return out;
}

/** `export K='v'` lines a shell can eval; single quotes make every value literal. */
export function shellExports(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([k, val]) => `export ${k}='${val.replace(/'/g, `'\\''`)}'`)
    .join('\n');
}
