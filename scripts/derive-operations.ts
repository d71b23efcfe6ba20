/**
 * Generates each template's operations.json from the vendor's reference list
 * (../shared/reference/operations), filtered by FAMILY and never by what the clone implements,
 * and src/verify/scopes.json: per template, the families in scope and the ones left out with
 * their operation counts, which `asym verify` prints next to the score. An operation is
 * marked implemented when the clone's own route table serves it. Deterministic: same inputs,
 * same bytes.
 *
 *   bun scripts/derive-operations.ts [reference-dir]
 *
 * A new template adds one entry to TEMPLATES (its reference list, how a line names its
 * family, the families in scope) and, if it keeps extra fields per operation, a row builder.
 * GitHub's list keeps its own generator (templates/github/scripts/operations.ts, the
 * reference in-scope list); this script only reads it back to name the families it leaves out.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatJson } from './shapes/format.ts';

const ROOT = join(import.meta.dir, '..');
const REF = process.argv[2] ?? join(ROOT, '..', 'shared', 'reference', 'operations');
if (!existsSync(REF)) {
  process.stderr.write(`no reference lists at ${REF}\n`);
  process.exit(2);
}
const lines = (name: string) => readFileSync(join(REF, name), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);

interface Row {
  key: string;
  family: string;
  row: Record<string, unknown>;
}
interface TemplateScope {
  reference: string;
  families: string[];
  rows(implemented: (key: string) => boolean): Promise<Row[]>;
  implemented(): Promise<Set<string>>;
}

const restSort = (a: Row, b: Row) => {
  const [am, ap] = a.key.split(' ') as [string, string];
  const [bm, bp] = b.key.split(' ') as [string, string];
  return ap === bp ? am.localeCompare(bm) : ap.localeCompare(bp);
};

// HubSpot's families are its API areas as the path names them: one per CRM object type, the
// v3 and v4 associations, pipelines, properties; elsewhere "<product>.<area>".
function hubspotFamily(path: string): string {
  const seg = path.split('/').filter(Boolean);
  if (seg[0] === 'crm' && seg[2] === 'objects' && seg[1] === 'v3') return `crm.objects.${seg[3]}`;
  if (seg[0] === 'crm' && seg[1] === 'v4') return 'crm.associations.v4';
  if (seg[0] === 'crm' && seg[2] === 'associations') return 'crm.associations.v3';
  const rest = seg.slice(1).filter((s) => !/^v\d+(alpha|beta)?\d*$/.test(s) && !s.startsWith('{'));
  return `${seg[0]}.${rest[0] ?? ''}`;
}

// Stripe's families are its resources (the first path segment); test helpers by the resource they help test.
function stripeFamily(path: string): string {
  const seg = path.split('/');
  return seg[2] === 'test_helpers' ? `test_helpers.${seg[3]}` : seg[2]!;
}

const TEMPLATES: Record<string, TemplateScope> = {
  slack: {
    reference: 'slack_methods.txt (every Web API method)',
    // By the method's first segment: auth.*, team.*, files.* are all in, not only what is served;
    // usergroups, reminders and bookmarks too, since the clone serves their whole families.
    families: ['auth', 'bookmarks', 'bots', 'chat', 'conversations', 'files', 'pins', 'reactions', 'reminders', 'search', 'team', 'usergroups', 'users'],
    implemented: async () => new Set(Object.keys((await import('../templates/slack/src/handlers/index.ts')).METHODS)),
    rows: async (impl) => {
      const tiersFile = join(REF, '..', 'specs', 'slack.rate_limit_tiers.json');
      const tiers = existsSync(tiersFile) ? (JSON.parse(readFileSync(tiersFile, 'utf8')) as Record<string, string>) : {};
      const all = [...new Set(lines('slack_methods.txt').filter((l) => /^[a-z][A-Za-z0-9.]+$/.test(l)))].sort();
      writeFileSync(join(ROOT, 'templates', 'slack', 'methods.all.json'), formatJson(all));
      return all.map((method) => ({ key: method, family: method.split('.')[0]!, row: { method, implemented: impl(method), tier: tiers[method] ?? 'Tier3' } }));
    },
  },
  notion: {
    reference: 'notion_ops.txt (@notionhq/client operations)',
    // By the SDK namespace; agents, OAuth and async tasks are left out.
    families: ['blocks', 'comments', 'custom-emojis', 'data-sources', 'databases', 'file-uploads', 'meeting-notes', 'pages', 'search', 'users', 'views'],
    implemented: async () => new Set((await import('../templates/notion/src/routes.ts')).ROUTES.map((r: { method: string; path: string }) => `${r.method} ${r.path}`)),
    rows: async (impl) => {
      const byKey = new Map<string, Row>();
      for (const l of lines('notion_ops.txt')) {
        const m = /^(GET|POST|PATCH|DELETE) (\S+)\s+(\S+)$/.exec(l);
        if (!m) continue;
        const [, method, path, sdk] = m as unknown as [string, string, string, string];
        const key = `${method} ${path}`;
        const prev = byKey.get(key);
        if (prev) (prev.row.sdk as string[]).push(sdk);
        else byKey.set(key, { key, family: sdk.split('.')[0]!, row: { method, path, sdk: [sdk], implemented: impl(key) } });
      }
      return [...byKey.values()].sort(restSort);
    },
  },
  hubspot: {
    reference: 'hubspot_ops_codes.txt (@hubspot/api-client operations with their success status)',
    families: ['crm.associations.v3', 'crm.associations.v4', 'crm.objects.companies', 'crm.objects.contacts', 'crm.objects.deals', 'crm.objects.tickets', 'crm.objects.{objectType}', 'crm.pipelines', 'crm.properties'],
    implemented: async () => new Set((await import('../templates/hubspot/src/routes.ts')).ROUTES.map((r: { method: string; path: string }) => `${r.method} ${r.path}`)),
    rows: async (impl) => {
      const byKey = new Map<string, Row>();
      for (const l of lines('hubspot_ops_codes.txt')) {
        const m = /^(GET|POST|PUT|PATCH|DELETE) (\S+) -> (\d+) \((.+)\)$/.exec(l);
        if (!m) continue;
        const [, method, path, status, sdk] = m as unknown as [string, string, string, string, string];
        const key = `${method} ${path}`;
        const prev = byKey.get(key);
        if (prev) (prev.row.sdk as string[]).push(sdk);
        else byKey.set(key, { key, family: hubspotFamily(path), row: { method, path, status: Number(status), sdk: [sdk], implemented: impl(key) } });
      }
      for (const r of byKey.values()) {
        (r.row.sdk as string[]).sort();
        // Keep the key order of the previous generator: implemented last.
        const { implemented, ...rest } = r.row;
        r.row = { ...rest, implemented };
      }
      return [...byKey.values()].sort(restSort);
    },
  },
  stripe: {
    reference: 'stripe_ops.txt (stripe SDK operations)',
    // By the resource (first path segment): what invoices stand on (payment intents and
    // methods, coupons, tax rates) is in scope whether or not the clone serves it.
    // Test helpers are families by what they help test: test clocks are in (customers join them).
    families: ['coupons', 'customers', 'invoiceitems', 'invoices', 'payment_intents', 'payment_methods', 'prices', 'products', 'tax_rates', 'test_helpers.test_clocks'],
    implemented: async () => new Set((await import('../templates/stripe/src/routes.ts')).ROUTES.map((r: { method: string; path: string }) => `${r.method} ${r.path}`)),
    rows: async (impl) =>
      lines('stripe_ops.txt')
        .map((l) => l.split(/\s+/) as [string, string])
        .filter(([, path]) => path?.startsWith('/v1/'))
        .map(([method, path]) => ({ key: `${method} ${path}`, family: stripeFamily(path), row: { method, path, implemented: impl(`${method} ${path}`) } }))
        .sort(restSort),
  },
};

type Scope = { reference: string; filter: string; included: Record<string, number>; excluded: Record<string, number> };
const scopes: Record<string, Scope> = {};
const tally = (rows: Row[]) => {
  const out: Record<string, number> = {};
  for (const r of rows.map((x) => x.family).sort()) out[r] = (out[r] ?? 0) + 1;
  return out;
};

for (const [template, t] of Object.entries(TEMPLATES)) {
  const served = await t.implemented();
  const all = await t.rows((k) => served.has(k));
  const wanted = new Set(t.families);
  const ops = all.filter((r) => wanted.has(r.family));
  const missing = t.families.filter((f) => !ops.some((r) => r.family === f));
  if (missing.length) process.stderr.write(`${template}: families with no operation in the reference: ${missing.join(', ')}\n`);
  const unlisted = [...served].filter((k) => !ops.some((r) => r.key === k));
  if (unlisted.length) process.stderr.write(`${template}: served but not in scope: ${unlisted.join(', ')}\n`);
  writeFileSync(join(ROOT, 'templates', template, 'operations.json'), `${JSON.stringify(ops.map((r) => r.row), null, 2)}\n`);
  scopes[template] = { reference: t.reference, filter: `families ${t.families.join(', ')}`, included: tally(ops), excluded: tally(all.filter((r) => !wanted.has(r.family))) };
  process.stdout.write(`${template}: ${ops.length} in scope (${ops.filter((r) => r.row.implemented).length} implemented), ${all.length - ops.length} left out\n`);
}

// GitHub: families are the OpenAPI categories ("issues", "repos", ...); its scope is the
// reference in-scope list, so the families left out are counted, not chosen, here.
{
  const github = JSON.parse(readFileSync(join(ROOT, 'templates', 'github', 'operations.json'), 'utf8')) as Array<{ method: string; path: string }>;
  const inScope = new Set(github.map((o) => `${o.method} ${o.path}`));
  const rows: Row[] = [];
  for (const l of lines('github_openapi_ops.txt')) {
    const m = /^(\w+) (\S+)\s+(\S+)\s+\[([^/\]]+)/.exec(l);
    if (m) rows.push({ key: `${m[1]} ${m[2]}`, family: m[4]!, row: {} });
  }
  const included = rows.filter((r) => inScope.has(r.key));
  const families = new Set(included.map((r) => r.family));
  scopes.github = {
    reference: 'github_inscope.txt and github_openapi_ops.txt (GitHub OpenAPI description)',
    filter: 'the reference in-scope list (users, orgs, repositories, issues and what hangs off them)',
    included: tally(included),
    // Left out: every operation of a category with nothing in scope, and the rest of partly covered ones.
    excluded: tally(rows.filter((r) => !inScope.has(r.key)).map((r) => (families.has(r.family) ? { ...r, family: `${r.family} (rest)` } : r))),
  };
  process.stdout.write(`github: ${github.length} in scope, ${rows.length - included.length} of the OpenAPI list left out\n`);
}

// Linear: its operations.json is scoped by entity (templates/linear/scripts/operations.ts);
// the root fields left out are counted here by their first word (agent…, customer…, …).
{
  const linear = JSON.parse(readFileSync(join(ROOT, 'templates', 'linear', 'operations.json'), 'utf8')) as Array<{ operation: string; kind: string; entity: string }>;
  const inScope = new Set(linear.map((o) => `${o.kind} ${o.operation}`));
  const rows: Row[] = [];
  for (const [file, kind] of [['linear_query.txt', 'query'], ['linear_mutation.txt', 'mutation']] as const) {
    for (const l of lines(file)) {
      const name = l.trim().split(/\s+/)[0];
      if (name && !inScope.has(`${kind} ${name}`)) rows.push({ key: `${kind} ${name}`, family: /^[a-z]+/.exec(name)?.[0] ?? name, row: {} });
    }
  }
  scopes.linear = {
    reference: 'linear_query.txt and linear_mutation.txt (root fields of the SDL)',
    filter: 'the root fields of the in-scope entities (viewer, users, organization, teams, workflow states, issues, comments, labels, projects, cycles, attachments)',
    included: tally(linear.map((o) => ({ key: o.operation, family: o.entity, row: {} }))),
    excluded: tally(rows),
  };
  process.stdout.write(`linear: ${linear.length} in scope, ${rows.length} root fields left out\n`);
}

writeFileSync(join(ROOT, 'src', 'verify', 'scopes.json'), `${JSON.stringify(scopes, null, 2)}\n`);
