import { randomBytes, randomUUID } from 'node:crypto';
import { GitHubError, invalid, notFound } from '../errors.ts';
import { listReply, pageOf } from '../paging.ts';
import * as render from '../render.ts';
import { loadRepo, renderRepo, usersByIds } from '../store.ts';
import type { Gh, Reply, Repo, RepoRow, UserRow } from '../types.ts';
import { me, ok } from './common.ts';
import { createForAuthenticatedUser } from './repos.ts';

/**
 * The authenticated user's codespaces (/user/codespaces). A codespace is made on a
 * repository the user can read (`repository_id`, at `ref`, default its default branch) or on
 * a pull request (`pull_request`: its head branch), one or the other. Its state follows
 * GitHub's: made `Available`; stop makes it `Shutdown`, start `Available` again. A machine
 * change (PATCH `machine`) is applied at the next start, as GitHub's description says. An
 * export writes the branch `codespace-<name>` at the codespace's ref (push access needed,
 * else the export `failed`; forks are not modelled). A codespace made on a template
 * repository is unpublished until published to a new repository of the user (which gets a
 * first commit, as `auto_init` makes); publishing a published one is a 422.
 */

export interface CodespaceRow {
  id: number;
  name: string;
  owner_id: number;
  repo_id: number;
  ref: string;
  pull_number: number | null;
  published: boolean;
  display_name: string | null;
  environment_id: string;
  machine: string;
  pending_machine: string | null;
  devcontainer_path: string | null;
  location: string;
  idle_timeout_minutes: number;
  retention_period_minutes: number | null;
  state: string;
  recent_folders: string[];
  created_at: Date;
  updated_at: Date;
  last_used_at: Date;
}

interface ExportRow {
  id: number;
  codespace_id: number;
  state: 'succeeded' | 'failed';
  branch: string;
  sha: string;
  completed_at: Date | null;
}

/** GitHub's Linux machine types (name, cores, GB of memory, GB of storage). */
const MACHINES: Array<[string, number, number, number]> = [
  ['basicLinux32gb', 2, 8, 32],
  ['standardLinux32gb', 4, 16, 32],
  ['premiumLinux', 8, 32, 64],
  ['largePremiumLinux', 16, 64, 128],
];
const GB = 1024 ** 3;
function machineJson(name: string): Record<string, unknown> | null {
  const m = MACHINES.find(([n]) => n === name);
  if (!m) return null;
  const [, cpus, mem, disk] = m;
  return { name, display_name: `${cpus} cores, ${mem} GB RAM, ${disk} GB storage`, operating_system: 'linux', storage_in_bytes: disk * GB, memory_in_bytes: mem * GB, cpus, prebuild_availability: null };
}

/** `geo` (the request) to `location` (the codespace), and the location when none is asked for. */
const GEO: Record<string, string> = { EuropeWest: 'WestEurope', SoutheastAsia: 'SouthEastAsia', UsEast: 'EastUs', UsWest: 'WestUs2' };
const LOCATIONS = Object.values(GEO);
const MAX_RETENTION = 43_200;

const WORDS = [
  ['bookish', 'fluffy', 'glowing', 'jubilant', 'literate', 'miniature', 'potential', 'sturdy'],
  ['space', 'garbanzo', 'waffle', 'spork', 'trout', 'robot', 'umbrella', 'fishstick'],
  ['pancake', 'disco', 'journey', 'memory', 'engine', 'parakeet', 'couscous', 'adventure'],
];
const pick = (xs: string[]) => xs[randomBytes(1)[0]! % xs.length]!;
const suffix = () => Array.from(randomBytes(10), (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** A repository by id as the viewer may see it (permissions and scopes as loadRepo checks them), else 404. */
export async function repoById(g: Gh, id: unknown): Promise<Repo & { perms: render.RepoPermissions }> {
  const n = typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : id;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n > 2_147_483_647) return notFound();
  const rows = await g.ctx.db.q<{ login: string; name: string }>`select u.login, r.name from repos r join users u on u.id = r.owner_id where r.id = ${n}`;
  if (!rows[0]) return notFound();
  // A GET's scope rule (read access) whatever the method: the codespace reads the repository.
  return loadRepo({ ...g, req: new Request(g.req.url, { method: 'GET' }) }, 'read', rows[0].login, rows[0].name);
}

async function mine(g: Gh, name = g.params.codespace_name ?? ''): Promise<CodespaceRow> {
  const rows = await g.ctx.db.q<CodespaceRow>`select * from codespaces where owner_id = ${me(g).id} and name = ${name}`;
  return rows[0] ?? notFound();
}

async function renderCodespaces(g: Gh, rows: CodespaceRow[], fullRepository = false): Promise<Record<string, unknown>[]> {
  const repos = rows.length ? await g.ctx.db.q<RepoRow>`select * from repos where id = any(${[...new Set(rows.map((c) => c.repo_id))]}::int[])` : [];
  const users = await usersByIds(g, [...rows.map((c) => c.owner_id), ...repos.map((r) => r.owner_id)]);
  const repoJson = new Map<number, Record<string, unknown>>();
  for (const r of repos) repoJson.set(r.id, await renderRepo(g, { ...r, owner: users.get(r.owner_id)! }, fullRepository));
  return rows.map((c) => codespaceJson(g, c, users.get(c.owner_id)!, repoJson.get(c.repo_id)!));
}

function codespaceJson(g: Gh, c: CodespaceRow, owner: UserRow, repository: Record<string, unknown>): Record<string, unknown> {
  const url = `${g.base}/user/codespaces/${c.name}`;
  const retention = c.retention_period_minutes;
  return {
    id: c.id,
    name: c.name,
    display_name: c.display_name,
    environment_id: c.environment_id,
    owner: render.simpleUser(g.base, owner),
    billable_owner: render.simpleUser(g.base, owner),
    repository,
    machine: machineJson(c.machine),
    devcontainer_path: c.devcontainer_path,
    prebuild: false,
    created_at: render.iso(c.created_at),
    updated_at: render.iso(c.updated_at),
    last_used_at: render.iso(c.last_used_at),
    state: c.state,
    url,
    git_status: { ahead: 0, behind: 0, has_unpushed_changes: false, has_uncommitted_changes: false, ref: c.ref },
    location: c.location,
    idle_timeout_minutes: c.idle_timeout_minutes,
    web_url: `https://${c.name}.github.dev`,
    machines_url: `${url}/machines`,
    start_url: `${url}/start`,
    stop_url: `${url}/stop`,
    publish_url: c.published ? null : `${url}/publish`,
    pulls_url: c.pull_number ? `${g.base}/repos/${repository.full_name as string}/pulls/${c.pull_number}` : null,
    recent_folders: c.recent_folders,
    runtime_constraints: { allowed_port_privacy_settings: ['private', 'org', 'public'] },
    pending_operation: false,
    pending_operation_disabled_reason: null,
    idle_timeout_notice: null,
    retention_period_minutes: retention,
    // Counted from when it went idle (stopped), as GitHub's description of retention says.
    retention_expires_at: retention !== null && c.state === 'Shutdown' ? render.iso(new Date(c.last_used_at.getTime() + retention * 60_000)) : null,
    last_known_stop_notice: null,
  };
}

const one = async (g: Gh, c: CodespaceRow, status = 200, fullRepository = false): Promise<Reply> => ok((await renderCodespaces(g, [c], fullRepository))[0], status);

/** JSON-schema style 422 for a body that breaks the operation's schema. */
const badRequest = (why: string): never => {
  throw new GitHubError(422, `Invalid request.\n\n${why}`);
};

function intField(g: Gh, field: string, min: number, max: number): number | undefined {
  const v = g.body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) return badRequest(`For '${field}', ${JSON.stringify(v)} is not an integer.`);
  if (v < min || v > max) invalid('Codespace', 'invalid', field, { message: `${field} must be between ${min} and ${max}` });
  return v;
}

function stringField(g: Gh, field: string): string | undefined {
  const v = g.body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return badRequest(`For '${field}', ${JSON.stringify(v)} is not a string.`);
  return v;
}

function machineField(g: Gh): string | undefined {
  const m = stringField(g, 'machine');
  if (m !== undefined && !machineJson(m)) invalid('Codespace', 'invalid', 'machine', { message: `${m} is not a valid machine type` });
  return m;
}

export async function list(g: Gh): Promise<Reply> {
  const u = me(g);
  const p = pageOf(g);
  const repoFilter = g.query.repository_id === undefined ? null : Number(g.query.repository_id);
  if (repoFilter !== null && !Number.isSafeInteger(repoFilter)) badRequest(`For 'repository_id', ${JSON.stringify(g.query.repository_id)} is not an integer.`);
  const rows = await g.ctx.db.q<CodespaceRow>`select * from codespaces where owner_id = ${u.id} and (${repoFilter}::int is null or repo_id = ${repoFilter}::int) order by id desc limit ${p.perPage} offset ${p.offset}`;
  const count = await g.ctx.db.q<{ n: number }>`select count(*)::int as n from codespaces where owner_id = ${u.id} and (${repoFilter}::int is null or repo_id = ${repoFilter}::int)`;
  const total = count[0]?.n ?? 0;
  return listReply(g, p, { total_count: total, codespaces: await renderCodespaces(g, rows) }, total);
}

export async function create(g: Gh): Promise<Reply> {
  const u = me(g);
  const pr = g.body.pull_request;
  const hasRepo = g.body.repository_id !== undefined && g.body.repository_id !== null;
  const hasPull = pr !== undefined && pr !== null;
  if (hasRepo === hasPull) badRequest(hasRepo ? 'Give repository_id or pull_request, not both.' : "No subschema in \"oneOf\" matched: 'repository_id' or 'pull_request' is required.");
  let repo: Repo & { perms: render.RepoPermissions };
  let ref: string;
  let pullNumber: number | null = null;
  if (hasPull) {
    if (typeof pr !== 'object' || Array.isArray(pr)) return badRequest(`For 'pull_request', ${JSON.stringify(pr)} is not an object.`);
    const { pull_request_number: number, repository_id: repoId } = pr as Record<string, unknown>;
    if (typeof number !== 'number' || !Number.isInteger(number) || repoId === undefined) return badRequest("For 'pull_request', 'pull_request_number' and 'repository_id' are required integers.");
    repo = await repoById(g, repoId);
    const pulls = await g.ctx.db.q<{ head_ref: string }>`select p.head_ref from pulls p join issues i on i.id = p.issue_id where i.repo_id = ${repo.id} and i.number = ${number}`;
    ref = (pulls[0] ?? notFound()).head_ref;
    pullNumber = number;
  } else {
    repo = await repoById(g, g.body.repository_id);
    ref = stringField(g, 'ref') ?? repo.default_branch;
    const branch = await g.ctx.db.q`select 1 from branches where repo_id = ${repo.id} and name = ${ref.replace(/^refs\/heads\//, '')}`;
    if (!branch.length) invalid('Codespace', 'invalid', 'ref', { message: `ref ${ref} does not exist in ${repo.owner.login}/${repo.name}` });
    ref = ref.replace(/^refs\/heads\//, '');
  }
  const geo = stringField(g, 'geo');
  if (geo !== undefined && !GEO[geo]) badRequest(`For 'geo', ${JSON.stringify(geo)} is not a member of ${JSON.stringify(Object.keys(GEO))}.`);
  const location = stringField(g, 'location');
  const machine = machineField(g) ?? MACHINES[0]![0];
  const idle = intField(g, 'idle_timeout_minutes', 5, 240) ?? 30;
  const retention = intField(g, 'retention_period_minutes', 0, MAX_RETENTION) ?? null;
  const now = g.ctx.now();
  const name = `${slug(u.login)}-${slug(repo.name)}-${suffix()}`;
  const rows = await g.ctx.db.q<CodespaceRow>`
    insert into codespaces (name, owner_id, repo_id, ref, pull_number, published, display_name, environment_id, machine, devcontainer_path, location, idle_timeout_minutes, retention_period_minutes, state, recent_folders, created_at, updated_at, last_used_at)
    values (${name}, ${u.id}, ${repo.id}, ${ref}, ${pullNumber}, ${!repo.is_template}, ${stringField(g, 'display_name') ?? `${pick(WORDS[0]!)} ${pick(WORDS[1]!)} ${pick(WORDS[2]!)}`},
      ${randomUUID()}, ${machine}, ${stringField(g, 'devcontainer_path') ?? null}, ${geo ? GEO[geo]! : location && LOCATIONS.includes(location) ? location : 'WestUs2'},
      ${idle}, ${retention}, 'Available', ${stringField(g, 'working_directory') ? [stringField(g, 'working_directory')!] : []}::text[], ${now}, ${now}, ${now})
    returning *`;
  return one(g, rows[0]!, 201);
}

export async function get(g: Gh): Promise<Reply> {
  return one(g, await mine(g));
}

export async function update(g: Gh): Promise<Reply> {
  const c = await mine(g);
  const machine = machineField(g);
  const display = stringField(g, 'display_name');
  const folders = g.body.recent_folders;
  if (folders !== undefined && (!Array.isArray(folders) || folders.some((f) => typeof f !== 'string'))) badRequest(`For 'recent_folders', ${JSON.stringify(folders)} is not an array of strings.`);
  const rows = await g.ctx.db.q<CodespaceRow>`
    update codespaces set
      pending_machine = case when ${machine ?? null}::text is null then pending_machine when ${machine ?? null}::text = machine then null else ${machine ?? null}::text end,
      display_name = coalesce(${display ?? null}::text, display_name),
      recent_folders = coalesce(${(folders as string[] | undefined) ?? null}::text[], recent_folders),
      updated_at = ${g.ctx.now()}
    where id = ${c.id} returning *`;
  return one(g, rows[0]!);
}

export async function remove(g: Gh): Promise<Reply> {
  const c = await mine(g);
  await g.ctx.db.q`delete from codespaces where id = ${c.id}`;
  return { status: 202, body: {} };
}

export async function start(g: Gh): Promise<Reply> {
  const c = await mine(g);
  if (c.state === 'Available') return one(g, c);
  const rows = await g.ctx.db.q<CodespaceRow>`
    update codespaces set state = 'Available', machine = coalesce(pending_machine, machine), pending_machine = null, last_used_at = ${g.ctx.now()}, updated_at = ${g.ctx.now()}
    where id = ${c.id} returning *`;
  return one(g, rows[0]!);
}

export async function stop(g: Gh): Promise<Reply> {
  const c = await mine(g);
  if (c.state === 'Shutdown') return one(g, c);
  const rows = await g.ctx.db.q<CodespaceRow>`update codespaces set state = 'Shutdown', last_used_at = ${g.ctx.now()}, updated_at = ${g.ctx.now()} where id = ${c.id} returning *`;
  return one(g, rows[0]!);
}

export async function listMachines(g: Gh): Promise<Reply> {
  await mine(g);
  return ok({ total_count: MACHINES.length, machines: MACHINES.map(([n]) => machineJson(n)) });
}

function exportJson(g: Gh, c: CodespaceRow, e: ExportRow, repoFull: string): Record<string, unknown> {
  return {
    state: e.state,
    completed_at: render.iso(e.completed_at),
    branch: e.branch,
    sha: e.sha,
    id: String(e.id),
    export_url: `${g.base}/user/codespaces/${c.name}/exports/${e.id}`,
    html_url: e.state === 'succeeded' ? `${render.htmlBase(g.base)}/${repoFull}/tree/${e.branch}` : null,
  };
}

async function repoFullName(g: Gh, repoId: number): Promise<{ full: string; repo: Repo }> {
  const rows = await g.ctx.db.q<RepoRow & { login: string }>`select r.*, u.login from repos r join users u on u.id = r.owner_id where r.id = ${repoId}`;
  const r = rows[0] ?? notFound();
  const owner = (await usersByIds(g, [r.owner_id])).get(r.owner_id)!;
  return { full: `${r.login}/${r.name}`, repo: { ...r, owner } };
}

export async function exportCodespace(g: Gh): Promise<Reply> {
  const c = await mine(g);
  const { full, repo } = await repoFullName(g, c.repo_id);
  const head = await g.ctx.db.q<{ sha: string }>`select sha from branches where repo_id = ${c.repo_id} and name = ${c.ref}`;
  if (!head[0]) invalid('Codespace', 'custom', 'ref', { message: `the branch ${c.ref} is gone from ${full}` });
  const branch = `codespace-${c.name}`;
  const viewer = me(g);
  const role = repo.owner.type === 'Organization' ? (await g.ctx.db.q<{ role: string }>`select role from org_members where org_id = ${repo.owner_id} and user_id = ${viewer.id}`)[0]?.role : null;
  const canPush = repo.owner_id === viewer.id || Boolean(role);
  const e = await g.ctx.db.tx(async (tx) => {
    if (canPush) await tx`insert into branches (repo_id, name, sha) values (${c.repo_id}, ${branch}, ${head[0]!.sha}) on conflict (repo_id, name) do update set sha = excluded.sha`;
    const rows = (await tx`insert into codespace_exports (codespace_id, state, branch, sha, completed_at)
      values (${c.id}, ${canPush ? 'succeeded' : 'failed'}, ${branch}, ${head[0]!.sha}, ${g.ctx.now()}) returning *`) as ExportRow[];
    return rows[0]!;
  });
  return ok(exportJson(g, c, e, full), 202);
}

export async function getExport(g: Gh): Promise<Reply> {
  const c = await mine(g);
  const id = g.params.export_id ?? '';
  const rows = id === 'latest'
    ? await g.ctx.db.q<ExportRow>`select * from codespace_exports where codespace_id = ${c.id} order by id desc limit 1`
    : /^\d{1,9}$/.test(id) ? await g.ctx.db.q<ExportRow>`select * from codespace_exports where codespace_id = ${c.id} and id = ${Number(id)}` : [];
  const e = rows[0] ?? notFound();
  return ok(exportJson(g, c, e, (await repoFullName(g, c.repo_id)).full));
}

export async function publish(g: Gh): Promise<Reply> {
  const c = await mine(g);
  if (c.published) invalid('Codespace', 'custom', undefined, { message: 'This codespace is already published to a repository' });
  const template = await repoFullName(g, c.repo_id);
  // The new repository is made as POST /user/repos makes one (its name rules and 422s).
  const made = await createForAuthenticatedUser({ ...g, body: { name: stringField(g, 'name') ?? template.repo.name, private: g.body.private ?? false, auto_init: true } });
  const repoId = (made.body as { id: number; default_branch: string }).id;
  const rows = await g.ctx.db.q<CodespaceRow>`
    update codespaces set repo_id = ${repoId}, ref = ${(made.body as { default_branch: string }).default_branch}, published = true, updated_at = ${g.ctx.now()}
    where id = ${c.id} returning *`;
  return one(g, rows[0]!, 201, true);
}
