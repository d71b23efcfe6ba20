/**
 * Generates fixtures/acme.sql: the `acme` organisation's people, a dozen repositories
 * (public and private, one with issues disabled), labels, milestones, issues with labels,
 * assignees, milestones, comments, events and reactions, plus an outsider (`mallory`)
 * owning one public and one private repository; packages of asym-bot, alice and mallory, a
 * public project of asym-bot over acme/web issues, and an attestation of mallory/dotfiles
 * (what the REST API reads but cannot make). Fixed ids, fixed timestamps, a seeded
 * PRNG: the same script always writes the same bytes.
 *
 * The pack relies on what provision created, by its fixed ids: the organisation `acme`
 * (1000), `asym-admin` (1001, org admin) and `asym-bot` (1002, org member). Fixture ids
 * live in 2000..9999999; rows created at run time start at 10000000.
 *
 *   bun templates/github/scripts/gen-fixture.ts   (writes templates/github/fixtures/acme.sql)
 */
import { join } from 'node:path';
import { prng } from '../../_kit/prng.ts';
import { DEFAULT_LABELS } from '../src/default-labels.ts';

const { rand, pick } = prng(0x6174686b);
const q = (s: string | null | undefined) => (s === null || s === undefined ? 'null' : `'${s.replace(/'/g, "''")}'`);
const T0 = Date.UTC(2024, 0, 8, 9, 0, 0);
const ts = (hours: number) => q(new Date(T0 + hours * 3600_000).toISOString());
const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');

const ORG = 1000;
const ADMIN = 1001;
const BOT = 1002;

const PEOPLE: Array<[string, string, string, 'admin' | 'member' | null]> = [
  ['alice', 'Alice Chen', 'Berlin', 'admin'],
  ['bob', 'Bob Martinez', 'Austin, TX', 'member'],
  ['carol', 'Carol Okafor', 'Lagos', 'member'],
  ['dave', 'Dave Kim', 'Seoul', 'member'],
  ['erin', 'Erin Walsh', 'Dublin', 'member'],
  ['frank', 'Frank Müller', 'Munich', 'member'],
  ['grace', 'Grace Liu', 'Toronto', 'member'],
  ['heidi', 'Heidi Novak', 'Prague', 'member'],
  ['mallory', 'Mallory Stone', 'Denver, CO', null],
  ['oscar', 'Oscar Ruiz', 'Madrid', null],
];
const users = PEOPLE.map(([login, name, location, role], i) => ({ id: 2001 + i, login, name, location, role }));
const byLogin = (l: string) => users.find((u) => u.login === l)!.id;
const members = [ADMIN, BOT, ...users.filter((u) => u.role).map((u) => u.id)];

interface RepoSpec {
  owner: number;
  name: string;
  description: string;
  private: boolean;
  issues: number;
  languages: Record<string, number>;
  topics: string[];
  hasIssues?: boolean;
}
const REPOS: RepoSpec[] = [
  { owner: ORG, name: 'web', description: 'The Acme storefront', private: false, issues: 45, languages: { TypeScript: 482113, CSS: 40211, HTML: 9120 }, topics: ['web', 'storefront'] },
  { owner: ORG, name: 'api', description: 'Public REST API', private: false, issues: 12, languages: { Go: 301277, Shell: 2210 }, topics: ['api', 'golang'] },
  { owner: ORG, name: 'mobile', description: 'iOS and Android apps', private: true, issues: 8, languages: { Kotlin: 120034, Swift: 110932 }, topics: ['mobile'] },
  { owner: ORG, name: 'infra', description: 'Terraform and deployment tooling', private: true, issues: 6, languages: { HCL: 80311, Python: 12004 }, topics: ['terraform'] },
  { owner: ORG, name: 'docs', description: 'Developer documentation', private: false, issues: 5, languages: { MDX: 91000, JavaScript: 8100 }, topics: ['docs'] },
  { owner: ORG, name: 'design-system', description: 'Shared UI components', private: false, issues: 7, languages: { TypeScript: 150222, CSS: 30100 }, topics: ['react', 'design-system'] },
  { owner: ORG, name: 'data-pipeline', description: 'Nightly ETL jobs', private: true, issues: 4, languages: { Python: 210400, SQL: 22011 }, topics: ['etl'] },
  { owner: ORG, name: 'billing', description: 'Invoices and payments', private: true, issues: 6, languages: { Ruby: 170000 }, topics: [] },
  { owner: ORG, name: 'cli', description: 'The acme command-line tool', private: false, issues: 5, languages: { Rust: 99000 }, topics: ['cli', 'rust'] },
  { owner: ORG, name: 'sdk-js', description: 'JavaScript SDK', private: false, issues: 5, languages: { TypeScript: 70100 }, topics: ['sdk'] },
  { owner: ORG, name: 'handbook', description: 'Company handbook (issues disabled)', private: false, issues: 0, languages: {}, topics: [], hasIssues: false },
  { owner: ORG, name: 'secrets', description: 'Encrypted configuration', private: true, issues: 2, languages: { Shell: 4000 }, topics: [] },
  { owner: byLogin('mallory'), name: 'dotfiles', description: "Mallory's dotfiles", private: false, issues: 3, languages: { Shell: 12000 }, topics: [] },
  { owner: byLogin('mallory'), name: 'private-notes', description: 'Not for you', private: true, issues: 2, languages: { Markdown: 3000 }, topics: [] },
];

const CUSTOM_LABELS: Array<[string, string, string]> = [
  ['priority: high', 'b60205', 'Fix this first'],
  ['priority: low', 'c2e0c6', 'Whenever there is time'],
  ['area: backend', '1d76db', null as unknown as string],
];

const TITLES = [
  'Checkout fails when the cart is empty', 'Add dark mode', 'Slow response on the search endpoint', 'Typo in the README',
  'Crash on startup after upgrade', 'Support SSO login', 'Flaky test in CI', 'Improve error messages', 'Rate limit headers missing',
  'Migrate to the new build system', 'Broken link in docs', 'Add pagination to the list endpoint', 'Memory leak in worker',
  'Translate the settings page', 'Upgrade dependencies', 'Accessibility: focus outline missing', 'Timeout when exporting CSV',
  'Document the release process', 'Webhook retries are not idempotent', 'Add a health check endpoint',
];
const BODIES = [
  'Steps to reproduce:\n1. Open the page\n2. Click the button\n\nExpected: it works. Actual: it does not.',
  'This would help a lot of users. @alice what do you think?',
  'Seen in production since the last deploy. cc @asym-bot',
  'Low priority, but annoying.',
  null,
];
const COMMENTS = ['I can reproduce this.', 'Working on a fix.', 'Could you share the logs?', 'Fixed in the latest release.', 'Thanks for the report!', '+1, seeing this too', 'Duplicate of an older issue.'];
const REACTIONS = ['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes'];

const out: string[] = [];
const counts: Record<string, number> = {};
const add = (table: string, sql: string) => {
  counts[table] = (counts[table] ?? 0) + 1;
  out.push(sql);
};

for (const u of users) {
  add('users', `insert into users (id, login, type, name, email, location, bio, created_at, updated_at) values (${u.id}, ${q(u.login)}, 'User', ${q(u.name)}, ${q(`${u.login}@acme.test`)}, ${q(u.location)}, null, ${ts(-24 * 300 + u.id - 2000)}, ${ts(-24 * 30)});`);
}
for (const u of users.filter((x) => x.role)) add('org_members', `insert into org_members (org_id, user_id, role) values (${ORG}, ${u.id}, '${u.role}');`);

let labelId = 10000;
let milestoneId = 5000;
let issueId = 100000;
let commentId = 200000;
let eventId = 300000;
let reactionId = 400000;
/** "repo#number" → issue id, for the project items below. */
const issueIds = new Map<string, number>();

REPOS.forEach((r, ri) => {
  const repoId = 3001 + ri;
  const created = -24 * 200 + ri * 24;
  const ownerIsOrg = r.owner === ORG;
  const team = ownerIsOrg ? members : [r.owner];
  add('repos', `insert into repos (id, owner_id, name, description, private, has_issues, default_branch, topics, languages, size, stargazers_count, created_at, updated_at, pushed_at) values (${repoId}, ${r.owner}, ${q(r.name)}, ${q(r.description)}, ${r.private}, ${r.hasIssues ?? true}, 'main', ${q(`{${r.topics.join(',')}}`)}, ${q(JSON.stringify(r.languages))}, ${Object.values(r.languages).reduce((a, b) => a + b, 0) >> 10}, ${Math.floor(rand() * 400)}, ${ts(created)}, ${ts(created + 24 * 150)}, ${ts(created + 24 * 160)});`);
  add('branches', `insert into branches (repo_id, name, sha, protected) values (${repoId}, 'main', '${hex(40)}', ${ownerIsOrg});`);
  if (ri % 3 === 0) add('branches', `insert into branches (repo_id, name, sha, protected) values (${repoId}, 'develop', '${hex(40)}', false);`);
  if (ri % 4 === 0) add('branches', `insert into branches (repo_id, name, sha, protected) values (${repoId}, 'feature/search', '${hex(40)}', false);`);
  const contributors = team.filter((_, i) => i % (1 + (ri % 3)) === 0).slice(0, 6);
  contributors.forEach((uid, i) => add('repo_contributors', `insert into repo_contributors (repo_id, user_id, contributions) values (${repoId}, ${uid}, ${(contributors.length - i) * 17 + Math.floor(rand() * 10)});`));

  const labels: Array<{ id: number; name: string }> = [];
  for (const [name, color, description] of [...DEFAULT_LABELS, ...(ownerIsOrg ? CUSTOM_LABELS : [])]) {
    const id = labelId++;
    labels.push({ id, name });
    add('labels', `insert into labels (id, repo_id, name, color, description, is_default) values (${id}, ${repoId}, ${q(name)}, '${color}', ${q(description)}, ${DEFAULT_LABELS.some((d) => d[0] === name)});`);
  }
  const milestones: number[] = [];
  if (r.issues >= 5) {
    const specs: Array<[string, string, number | null]> = [['v1.0', 'closed', 24 * 30], ['v1.1', 'open', 24 * 90], ['Backlog', 'open', null]];
    specs.forEach(([title, state, due], mi) => {
      const id = milestoneId++;
      milestones.push(id);
      add('milestones', `insert into milestones (id, repo_id, number, title, description, state, due_on, creator_id, created_at, updated_at, closed_at) values (${id}, ${repoId}, ${mi + 1}, ${q(title)}, ${q(`${title} of ${r.name}`)}, '${state}', ${due === null ? 'null' : ts(due)}, ${ownerIsOrg ? ADMIN : r.owner}, ${ts(created + 24)}, ${ts(created + 48)}, ${state === 'closed' ? ts(24 * 31) : 'null'});`);
    });
  }
  for (let n = 1; n <= r.issues; n++) {
    const id = issueId++;
    issueIds.set(`${r.name}#${n}`, id);
    const opened = created + 24 * 5 + n * 7;
    const author = ownerIsOrg ? pick([...members, byLogin('oscar')]) : r.owner;
    const closed = rand() < 0.3;
    const ms = milestones.length && rand() < 0.6 ? pick(milestones) : null;
    const nComments = Math.floor(rand() * 4);
    const locked = n === 2 && r.name === 'api';
    const closer = closed ? pick(team) : null;
    add('issues', `insert into issues (id, repo_id, number, title, body, user_id, state, state_reason, locked, active_lock_reason, milestone_id, comments, closed_at, closed_by_id, created_at, updated_at) values (${id}, ${repoId}, ${n}, ${q(`${pick(TITLES)}${n > 20 ? ` (#${n})` : ''}`)}, ${q(pick(BODIES))}, ${author}, '${closed ? 'closed' : 'open'}', ${closed ? q(pick(['completed', 'completed', 'not_planned'])) : 'null'}, ${locked}, ${locked ? "'too heated'" : 'null'}, ${ms ?? 'null'}, ${nComments}, ${closed ? ts(opened + 30) : 'null'}, ${closer ?? 'null'}, ${ts(opened)}, ${ts(opened + 40 + nComments)});`);
    const chosen = new Set<number>();
    const nLabels = Math.floor(rand() * 3);
    for (let k = 0; k < nLabels; k++) chosen.add(pick(labels).id);
    for (const lid of chosen) {
      const l = labels.find((x) => x.id === lid)!;
      add('issue_labels', `insert into issue_labels (issue_id, label_id) values (${id}, ${lid});`);
      add('events', `insert into events (id, repo_id, issue_id, actor_id, event, payload, created_at) values (${eventId++}, ${repoId}, ${id}, ${author}, 'labeled', ${q(JSON.stringify({ label: { name: l.name, color: DEFAULT_LABELS.concat(CUSTOM_LABELS).find((d) => d[0] === l.name)![1] } }))}, ${ts(opened)});`);
    }
    // asym-bot is assigned to every fifth issue of acme's repositories, so an agent finds work.
    const assignees = new Set<number>();
    if (ownerIsOrg && n % 5 === 1) assignees.add(BOT);
    if (rand() < 0.5) assignees.add(pick(team));
    for (const uid of assignees) {
      add('issue_assignees', `insert into issue_assignees (issue_id, user_id) values (${id}, ${uid});`);
      add('events', `insert into events (id, repo_id, issue_id, actor_id, event, payload, created_at) values (${eventId++}, ${repoId}, ${id}, ${ownerIsOrg ? ADMIN : r.owner}, 'assigned', ${q(JSON.stringify({ assignee_id: uid, assigner_id: ownerIsOrg ? ADMIN : r.owner }))}, ${ts(opened + 1)});`);
    }
    if (ms) add('events', `insert into events (id, repo_id, issue_id, actor_id, event, payload, created_at) values (${eventId++}, ${repoId}, ${id}, ${author}, 'milestoned', ${q(JSON.stringify({ milestone: { title: ['v1.0', 'v1.1', 'Backlog'][milestones.indexOf(ms)] } }))}, ${ts(opened + 2)});`);
    for (let c = 0; c < nComments; c++) {
      const cid = commentId++;
      add('comments', `insert into comments (id, repo_id, issue_id, user_id, body, created_at, updated_at) values (${cid}, ${repoId}, ${id}, ${pick(team)}, ${q(pick(COMMENTS))}, ${ts(opened + 3 + c)}, ${ts(opened + 3 + c)});`);
      if (rand() < 0.3) add('reactions', `insert into reactions (id, repo_id, comment_id, user_id, content, created_at) values (${reactionId++}, ${repoId}, ${cid}, ${pick(team)}, '${pick(REACTIONS)}', ${ts(opened + 10 + c)});`);
    }
    if (closed) add('events', `insert into events (id, repo_id, issue_id, actor_id, event, payload, created_at) values (${eventId++}, ${repoId}, ${id}, ${closer}, 'closed', '{}', ${ts(opened + 30)});`);
    if (locked) add('events', `insert into events (id, repo_id, issue_id, actor_id, event, payload, created_at) values (${eventId++}, ${repoId}, ${id}, ${ADMIN}, 'locked', '{"lock_reason":"too heated"}', ${ts(opened + 31)});`);
    const seen = new Set<string>();
    for (let k = Math.floor(rand() * 3); k > 0; k--) {
      const uid = pick(team);
      const content = pick(REACTIONS);
      if (seen.has(`${uid}${content}`)) continue;
      seen.add(`${uid}${content}`);
      add('reactions', `insert into reactions (id, repo_id, issue_id, user_id, content, created_at) values (${reactionId++}, ${repoId}, ${id}, ${uid}, '${content}', ${ts(opened + 5)});`);
    }
  }
  out.push(`update repos set next_number = ${r.issues + 1} where id = ${repoId};`);
});

// Account-level records (after every PRNG draw above, so the rows before are unchanged).
const repoIdOf = (name: string) => 3001 + REPOS.findIndex((r) => r.name === name);
const PACKAGES: Array<{ owner: number; name: string; type: string; visibility: string; repo: string | null; conflict?: boolean; versions: Array<[string, string[], number, number]> }> = [
  { owner: BOT, name: 'acme-cli', type: 'npm', visibility: 'public', repo: 'cli', versions: [['1.0.0', [], 1200, 2_400_000], ['1.1.0', [], 860, 2_500_000], ['2.0.0', [], 140, 2_600_000]] },
  { owner: BOT, name: 'agent-runner', type: 'container', visibility: 'private', repo: null, versions: [['sha256:4f1c', ['v1'], 12, 180_000_000], ['sha256:9b2e', ['latest', 'v2'], 30, 190_000_000]] },
  { owner: BOT, name: 'legacy-runner', type: 'docker', visibility: 'public', repo: null, conflict: true, versions: [['0.9.0', ['0.9.0'], 3, 90_000_000]] },
  { owner: byLogin('alice'), name: 'alice-utils', type: 'npm', visibility: 'public', repo: null, versions: [['0.3.1', [], 45, 80_000]] },
  { owner: byLogin('mallory'), name: 'dotfiles-image', type: 'container', visibility: 'private', repo: 'dotfiles', versions: [['sha256:77aa', ['latest'], 1, 60_000_000]] },
];
let packageId = 500000;
let versionId = 510000;
PACKAGES.forEach((p, pi) => {
  const id = packageId++;
  add('packages', `insert into packages (id, owner_id, package_type, name, visibility, repo_id, docker_conflict, created_at, updated_at) values (${id}, ${p.owner}, '${p.type}', ${q(p.name)}, '${p.visibility}', ${p.repo ? repoIdOf(p.repo) : 'null'}, ${p.conflict === true}, ${ts(-24 * 90 + pi)}, ${ts(-24 * 10)});`);
  p.versions.forEach(([name, tags, downloads, size], vi) => {
    add('package_versions', `insert into package_versions (id, package_id, name, tags, downloads, size_bytes, created_at, updated_at) values (${versionId++}, ${id}, ${q(name)}, ${q(`{${tags.join(',')}}`)}, ${downloads}, ${size}, ${ts(-24 * 90 + pi + vi * 24 * 20)}, ${ts(-24 * 90 + pi + vi * 24 * 20)});`);
  });
});

const PROJECT = 520000;
add('projects_v2', `insert into projects_v2 (id, owner_id, number, title, short_description, public, creator_id, created_at, updated_at) values (${PROJECT}, ${BOT}, 1, 'Agent backlog', 'What asym-bot works on next', true, ${BOT}, ${ts(-24 * 60)}, ${ts(-24 * 5)});`);
const FIELDS: Array<[string, string, string[] | null]> = [['Title', 'title', null], ['Assignees', 'assignees', null], ['Status', 'single_select', ['Todo', 'In Progress', 'Done']], ['Labels', 'labels', null], ['Repository', 'repository', null], ['Milestone', 'milestone', null], ['Priority', 'single_select', ['P0', 'P1', 'P2']], ['Estimate', 'number', null]];
const COLORS = ['GRAY', 'BLUE', 'GREEN'];
const optionIds = new Map<string, string>();
FIELDS.forEach(([name, type, options], fi) => {
  const opts = options?.map((o, oi) => {
    const oid = (0x1f00a000 + fi * 16 + oi).toString(16);
    optionIds.set(`${name}:${o}`, oid);
    return { id: oid, name: o, color: COLORS[oi % COLORS.length], description: '' };
  });
  add('project_fields', `insert into project_fields (id, project_id, name, data_type, options, created_at, updated_at) values (${530000 + fi}, ${PROJECT}, ${q(name)}, '${type}', ${opts ? q(JSON.stringify(opts)) : 'null'}, ${ts(-24 * 60)}, ${ts(-24 * 60)});`);
});
const ITEMS: Array<[string, string, string, number]> = [['web#1', 'In Progress', 'P0', 3], ['web#2', 'Todo', 'P1', 5], ['web#3', 'Todo', 'P2', 1], ['cli#1', 'Done', 'P1', 2]];
ITEMS.forEach(([ref, status, priority, estimate], ii) => {
  const item = 540000 + ii;
  add('project_items', `insert into project_items (id, project_id, issue_id, creator_id, created_at, updated_at) values (${item}, ${PROJECT}, ${issueIds.get(ref)}, ${BOT}, ${ts(-24 * 50 + ii)}, ${ts(-24 * 5 + ii)});`);
  for (const [field, value] of [[530002, optionIds.get(`Status:${status}`)], [530006, optionIds.get(`Priority:${priority}`)], [530007, estimate]] as const) {
    add('project_item_values', `insert into project_item_values (item_id, field_id, value) values (${item}, ${field}, ${q(JSON.stringify(value))});`);
  }
});

const statement = { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'dotfiles.tar.gz', digest: { sha256: 'd0'.repeat(32) } }], predicateType: 'https://slsa.dev/provenance/v1', predicate: {} };
const bundle = { mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', verificationMaterial: { publicKey: { hint: 'a1'.repeat(16) }, tlogEntries: [] }, dsseEnvelope: { payload: Buffer.from(JSON.stringify(statement)).toString('base64'), payloadType: 'application/vnd.in-toto+json', signatures: [{ sig: Buffer.from('fixture-signature').toString('base64') }] } };
add('attestations', `insert into attestations (id, repo_id, subject_digest, predicate_type, bundle, created_at) values (550000, ${repoIdOf('dotfiles')}, 'sha256:${'d0'.repeat(32)}', 'https://slsa.dev/provenance/v1', ${q(JSON.stringify(bundle))}, ${ts(-24 * 20)});`);

const total = Object.values(counts).reduce((a, b) => a + b, 0);
const header = [
  `-- asym-fixture: acme records=${total} ${Object.entries(counts).map(([k, v]) => `${k}=${v}`).join(' ')}`,
  '-- Generated by templates/github/scripts/gen-fixture.ts; do not edit by hand.',
  '-- Requires a provisioned clone: org acme (1000), asym-admin (1001, org admin), asym-bot (1002, org member).',
  '-- acme: 12 repositories (web has 45 issues; handbook has issues disabled; mobile, infra, data-pipeline, billing, secrets are private).',
  '-- mallory (not an acme member) owns dotfiles (public) and private-notes (private, invisible to the provisioned users).',
  '-- Packages of asym-bot (acme-cli, agent-runner, legacy-runner: a docker migration conflict), alice and mallory; asym-bot\'s public project 1 "Agent backlog" over acme/web#1-3 and acme/cli#1; an attestation of mallory/dotfiles.',
];
await Bun.write(join(import.meta.dir, '..', 'fixtures', 'acme.sql'), `${[...header, ...out].join('\n')}\n`);
process.stdout.write(`fixtures/acme.sql: ${total} records\n`);
