/**
 * Generates fixtures/acme.sql: the Linear workspace of "Acme": 20 people, three teams (the
 * provisioned ENG plus WEB and OPS) with their default workflow states, workspace and team
 * labels, four projects with milestones and updates, three cycles per team (past, current,
 * next), 200 issues across them (assignees, priorities, estimates, labels, sub-issues, due
 * dates, relations) and about 150 comments, some in threads. Deterministic: a seeded PRNG,
 * fixed UUIDs and timestamps relative to a fixed date, so the same script writes the same bytes.
 *
 *   bun templates/linear/scripts/gen-fixture.ts [out.sql]
 */
import { join } from 'node:path';
import { prng } from '../../_kit/prng.ts';
import { ADMIN_ID, TEAM_ID } from '../src/provision.ts';
import { DEFAULT_STATES } from '../src/handlers/teams.ts';

const { pick, int, rand } = prng(0x11ea2);
const BASE = Date.UTC(2026, 0, 5, 9, 0, 0);
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const counters: Record<string, number> = {};
/** Fixed UUIDs by kind: 1a users, 1b teams, 1c states, 1d labels, 1f projects, 20 cycles, 21 issues, 22 comments, 23 milestones, 24 updates, 25 members, 26 relations. */
const uid = (kind: string) => {
  counters[kind] = (counters[kind] ?? 0) + 1;
  return `${kind}000000-0000-4000-8000-${String(counters[kind]).padStart(12, '0')}`;
};
const esc = (s: string) => s.replace(/'/g, "''");
const q = (v: unknown) => (v === null || v === undefined ? 'null' : typeof v === 'number' || typeof v === 'boolean' ? String(v) : `'${esc(String(v))}'`);
const out: string[] = [];
let records = 0;
const row = (table: string, values: Record<string, unknown>) => {
  out.push(`insert into ${table} (${Object.keys(values).join(', ')}) values (${Object.values(values).map(q).join(', ')});`);
  records++;
};

const PEOPLE = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Linus Torvalds', 'Margaret Hamilton', 'Dennis Ritchie', 'Barbara Liskov', 'Ken Thompson', 'Frances Allen',
  'Donald Knuth', 'Radia Perlman', 'Tim Berners-Lee', 'Hedy Lamarr', 'John McCarthy', 'Shafi Goldwasser', 'Edsger Dijkstra', 'Annie Easley', 'Guido van Rossum'];
const users = [ADMIN_ID];
for (const [i, name] of PEOPLE.entries()) {
  const id = uid('1a');
  const first = name.split(' ')[0]!.toLowerCase();
  users.push(id);
  row('users', { id, name, display_name: first, email: `${first}@acme.test`, admin: i < 2, created_at: iso(BASE + i * 3600_000), updated_at: iso(BASE + i * 3600_000) });
}

const teams = [{ id: TEAM_ID, key: 'ENG', states: [] as Array<{ id: string; type: string }>, members: users.slice(0, 10) }];
for (const [key, name] of [['WEB', 'Web'], ['OPS', 'Operations']] as const) {
  const id = uid('1b');
  row('teams', { id, key, name, description: `The ${name} team`, color: key === 'WEB' ? '#26b5ce' : '#f2994a', created_at: iso(BASE + DAY), updated_at: iso(BASE + DAY) });
  teams.push({ id, key, states: [], members: key === 'WEB' ? [ADMIN_ID, ...users.slice(8, 15)] : [ADMIN_ID, ...users.slice(14)] });
}
// ENG's states exist from provisioning; the fixture reads them by position.
for (const t of teams) {
  for (const [i, [name, type, color]] of DEFAULT_STATES.entries()) {
    if (t.id === TEAM_ID) {
      t.states.push({ id: `(select id from workflow_states where team_id = '${TEAM_ID}' and position = ${i})`, type });
      continue;
    }
    const id = uid('1c');
    row('workflow_states', { id, team_id: t.id, name, type, color, position: i, created_at: iso(BASE + DAY), updated_at: iso(BASE + DAY) });
    t.states.push({ id: `'${id}'`, type });
  }
  for (const m of t.members) {
    if (t.id === TEAM_ID && m === ADMIN_ID) continue;
    row('team_members', { id: uid('25'), team_id: t.id, user_id: m, created_at: iso(BASE + DAY), updated_at: iso(BASE + DAY) });
  }
}

const labels: Array<{ id: string; team: string | null }> = [];
for (const [name, color] of [['Bug', '#eb5757'], ['Feature', '#bb87fc'], ['Improvement', '#4ea7fc'], ['Tech debt', '#f2994a']] as const) {
  const id = uid('1d');
  row('issue_labels', { id, name, color, created_at: iso(BASE), updated_at: iso(BASE), creator_id: ADMIN_ID });
  labels.push({ id, team: null });
}
for (const t of teams) {
  for (const name of t.key === 'ENG' ? ['backend', 'frontend', 'infra'] : t.key === 'WEB' ? ['marketing-site', 'docs'] : ['incident', 'on-call']) {
    const id = uid('1d');
    row('issue_labels', { id, team_id: t.id, name, color: '#95a2b3', created_at: iso(BASE + DAY), updated_at: iso(BASE + DAY), creator_id: ADMIN_ID });
    labels.push({ id, team: t.id });
  }
}

const projects: Array<{ id: string; teams: string[]; milestones: string[] }> = [];
for (const [i, [name, state, ts]] of ([['Mobile launch', 'started', [0, 1]], ['Billing v2', 'started', [0]], ['Docs refresh', 'planned', [1]], ['SOC 2', 'completed', [2, 0]]] as const).entries()) {
  const id = uid('1f');
  const start = BASE + i * 5 * DAY;
  row('projects', { id, name, description: `${name}: the ${state} project`, state, priority: (i % 4) + 1, lead_id: users[1 + i * 3], creator_id: ADMIN_ID, start_date: iso(start).slice(0, 10), target_date: iso(start + 90 * DAY).slice(0, 10),
    slug_id: id.replace(/-/g, '').slice(-12), sort_order: i, started_at: state === 'planned' ? null : iso(start), completed_at: state === 'completed' ? iso(start + 60 * DAY) : null, created_at: iso(start), updated_at: iso(start) });
  const pt = ts.map((k) => teams[k]!.id);
  for (const t of pt) { out.push(`insert into project_teams (project_id, team_id) values ('${id}', '${t}');`); records++; }
  for (const m of [users[1 + i * 3]!, users[2 + i * 3]!]) { out.push(`insert into project_members (project_id, user_id) values ('${id}', '${m}');`); records++; }
  const milestones = [];
  for (const [k, ms] of ['Alpha', 'Beta', 'GA'].entries()) {
    const mid = uid('23');
    row('project_milestones', { id: mid, project_id: id, name: ms, target_date: iso(start + (k + 1) * 30 * DAY).slice(0, 10), sort_order: k, created_at: iso(start), updated_at: iso(start) });
    milestones.push(mid);
  }
  row('project_updates', { id: uid('24'), project_id: id, user_id: users[1 + i * 3], body: `Week ${i + 1}: ${pick(['on track', 'slipping a little', 'ahead of plan'])}.`, health: pick(['onTrack', 'atRisk', 'onTrack']), created_at: iso(start + 7 * DAY), updated_at: iso(start + 7 * DAY) });
  projects.push({ id, teams: pt, milestones });
}

// Cycles: two weeks each, relative to the clone's "now" at load time so one is always active.
const cycles = new Map<string, string[]>();
for (const t of teams) {
  const ids = [];
  for (let n = 1; n <= 3; n++) {
    const id = uid('20');
    const offset = (n - 2) * 14;
    out.push(`insert into cycles (id, team_id, number, starts_at, ends_at, completed_at, created_at, updated_at) values ('${id}', '${t.id}', ${n}, date_trunc('day', now()) + interval '${offset - 3} days', date_trunc('day', now()) + interval '${offset + 11} days', ${n === 1 ? "date_trunc('day', now()) - interval '17 days'" : 'null'}, '${iso(BASE)}', '${iso(BASE)}');`);
    records++;
    ids.push(id);
  }
  cycles.set(t.id, ids);
}

const VERBS = ['Fix', 'Add', 'Refactor', 'Investigate', 'Document', 'Speed up', 'Remove', 'Migrate'];
const THINGS = ['login flow', 'billing webhook', 'search index', 'CSV export', 'onboarding email', 'rate limiter', 'dark mode', 'audit log', 'API pagination', 'mobile push', 'SSO settings', 'deploy pipeline', 'error pages', 'cache layer'];
const issues: Array<{ id: string; team: string }> = [];
const numbers = new Map<string, number>();
for (let i = 0; i < 200; i++) {
  const t = teams[i % 7 < 4 ? 0 : i % 7 < 6 ? 1 : 2]!;
  const n = (numbers.get(t.id) ?? 0) + 1;
  numbers.set(t.id, n);
  const id = uid('21');
  const st = pick(t.states);
  const created = BASE + 2 * DAY + i * 4 * 3600_000;
  const project = rand() < 0.55 ? pick(projects.filter((p) => p.teams.includes(t.id))) : undefined;
  const parent = rand() < 0.12 ? issues.filter((x) => x.team === t.id).at(-int(1, 3)) : undefined;
  const cyc = rand() < 0.6 ? pick(cycles.get(t.id)!) : null;
  const done = st.type === 'completed' ? `'${iso(created + 3 * DAY)}'` : 'null';
  out.push(`insert into issues (id, team_id, number, title, description, priority, estimate, state_id, assignee_id, creator_id, parent_id, project_id, project_milestone_id, cycle_id, due_date, sort_order, started_at, completed_at, canceled_at, created_at, updated_at) values ('${id}', '${t.id}', ${n}, ${q(`${pick(VERBS)} ${pick(THINGS)}`)}, ${q(rand() < 0.7 ? `Steps and context for issue ${i + 1}.` : null)}, ${int(0, 4)}, ${rand() < 0.6 ? pick([1, 2, 3, 5, 8]) : 'null'}, ${st.id}, ${rand() < 0.8 ? q(pick(t.members)) : 'null'}, ${q(pick(t.members))}, ${q(parent?.id ?? null)}, ${q(project?.id ?? null)}, ${q(project && rand() < 0.5 ? pick(project.milestones) : null)}, ${q(cyc)}, ${rand() < 0.3 ? q(iso(created + int(5, 40) * DAY).slice(0, 10)) : 'null'}, ${i}, ${st.type === 'started' || st.type === 'completed' ? q(iso(created + DAY)) : 'null'}, ${done}, ${st.type === 'canceled' ? q(iso(created + 2 * DAY)) : 'null'}, '${iso(created)}', '${iso(created + 3600_000)}');`);
  records++;
  issues.push({ id, team: t.id });
  for (const l of labels.filter((x) => (x.team === null || x.team === t.id) && rand() < 0.18)) { out.push(`insert into issue_label_links (issue_id, label_id) values ('${id}', '${l.id}');`); records++; }
  if (rand() < 0.5) {
    const cid = uid('22');
    const author = pick(t.members);
    row('comments', { id: cid, issue_id: id, user_id: author, body: pick(['I can reproduce this.', 'Taking a look today.', 'Is this still happening?', 'Fixed in the latest deploy.', 'Needs a design pass first.']), created_at: iso(created + 5 * 3600_000), updated_at: iso(created + 5 * 3600_000) });
    if (rand() < 0.5) row('comments', { id: uid('22'), issue_id: id, parent_id: cid, user_id: pick(t.members), body: pick(['Thanks!', 'Agreed.', 'On it.', 'Can you share logs?']), created_at: iso(created + 7 * 3600_000), updated_at: iso(created + 7 * 3600_000) });
  }
}
for (let k = 0; k < 12; k++) {
  const a = pick(issues);
  const b = pick(issues);
  if (a.id === b.id) continue;
  row('issue_relations', { id: uid('26'), issue_id: a.id, related_issue_id: b.id, type: pick(['blocks', 'related', 'duplicate']), created_at: iso(BASE + 30 * DAY), updated_at: iso(BASE + 30 * DAY) });
}
for (const t of teams) out.push(`update teams set issue_count = ${numbers.get(t.id) ?? 0}, cycle_count = 3 where id = '${t.id}';`);

const header = [
  `-- asym-fixture: acme records=${records} users=${PEOPLE.length} teams=2 issues=${issues.length}`,
  '-- Acme on Linear: three teams with workflow states, labels, four projects with milestones and updates, cycles, 200 issues with comments and relations.',
  '-- Generated by templates/linear/scripts/gen-fixture.ts; do not edit by hand.',
];
await Bun.write(process.argv[2] ?? join(import.meta.dir, '..', 'fixtures', 'acme.sql'), `${[...header, ...out].join('\n')}\n`);
