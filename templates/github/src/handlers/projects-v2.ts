import { GitHubError, invalid, notFound } from '../errors.ts';
import * as render from '../render.ts';
import { loadRepo, renderIssues, userByLogin, usersByIds } from '../store.ts';
import type { Gh, IssueRow, Reply, UserRow } from '../types.ts';
import { noContent, ok } from './common.ts';
import { pullByNumber, renderPull } from './pulls.ts';

/**
 * Projects (v2) owned by users. A public project is readable by anyone, a private one by its
 * owner only (404 to others); items are added, updated and removed by the owner (403 to others
 * on a public project). Items are issues and pull requests the viewer can read (others are
 * left out of lists); each holds a value per custom field (text, number, date, single-select
 * option id, iteration id; null clears). Lists page by cursor (`before`/`after`, Link header).
 * An item shows its Title field, or the fields named by `fields` (ids, comma-separated or
 * repeated). Scopes: `read:project` to read, `project` to write.
 */

interface ProjectRow {
  id: number;
  owner_id: number;
  number: number;
  title: string;
  short_description: string | null;
  public: boolean;
  closed_at: Date | null;
  creator_id: number | null;
  created_at: Date;
  updated_at: Date;
}

export interface FieldRow {
  id: number;
  project_id: number;
  name: string;
  data_type: string;
  options: Array<{ id: string; name: string; color: string; description: string }> | null;
  configuration: { start_day: number; duration: number; iterations: Array<{ id: string; title: string; start_date: string; duration: number }> } | null;
  created_at: Date;
  updated_at: Date;
}

interface ItemRow {
  id: number;
  project_id: number;
  issue_id: number;
  creator_id: number | null;
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** Fields every project has (GitHub makes them with the project); seeds add the custom ones. */
export const BUILT_IN_FIELDS = ['Title', 'Assignees', 'Status', 'Labels', 'Repository', 'Milestone'] as const;
const BUILT_IN_TYPE: Record<string, string> = { Title: 'title', Assignees: 'assignees', Status: 'single_select', Labels: 'labels', Repository: 'repository', Milestone: 'milestone' };
export const builtInType = (name: string): string => BUILT_IN_TYPE[name]!;
const READ_ONLY = new Set(['title', 'assignees', 'labels', 'repository', 'milestone', 'linked_pull_requests', 'reviewers']);

const projectUrl = (g: Gh, owner: UserRow, p: ProjectRow) => `${g.base}/users/${owner.login}/projectsV2/${p.number}`;

async function ownerOf(g: Gh): Promise<UserRow> {
  return (await userByLogin(g, g.params.username ?? '')) ?? notFound();
}

const canSee = (g: Gh, owner: UserRow, p: ProjectRow) => p.public || g.viewer?.id === owner.id;

async function projectOf(g: Gh, owner: UserRow, write = false): Promise<ProjectRow> {
  const n = Number(g.params.project_number);
  if (!Number.isInteger(n) || n < 1 || n > 2_147_483_647) return notFound();
  const [p] = await g.ctx.db.q<ProjectRow>`select * from projects_v2 where owner_id = ${owner.id} and number = ${n}`;
  if (!p || !canSee(g, owner, p)) return notFound();
  if (write && g.viewer?.id !== owner.id) throw new GitHubError(403, 'You do not have permission to edit this project.');
  return p;
}

function projectJson(g: Gh, owner: UserRow, p: ProjectRow, creator: UserRow | undefined): Record<string, unknown> {
  return {
    id: p.id,
    node_id: render.nodeId('ProjectV2', p.id),
    owner: render.simpleUser(g.base, owner),
    creator: render.simpleUser(g.base, creator ?? owner),
    title: p.title,
    description: p.short_description,
    public: p.public,
    closed_at: render.iso(p.closed_at),
    created_at: render.iso(p.created_at),
    updated_at: render.iso(p.updated_at),
    number: p.number,
    short_description: p.short_description,
    deleted_at: null,
    deleted_by: null,
    state: p.closed_at ? 'closed' : 'open',
    latest_status_update: null,
    is_template: false,
  };
}

const rich = (s: string) => ({ raw: s, html: Bun.escapeHTML(s) });

function fieldJson(g: Gh, owner: UserRow, p: ProjectRow, f: FieldRow): Record<string, unknown> {
  return {
    id: f.id,
    node_id: render.nodeId('ProjectV2Field', f.id),
    project_url: projectUrl(g, owner, p),
    name: f.name,
    data_type: f.data_type,
    ...(f.options ? { options: f.options.map((o) => ({ id: o.id, name: rich(o.name), color: o.color, description: rich(o.description) })) } : {}),
    ...(f.configuration ? { configuration: { start_day: f.configuration.start_day, duration: f.configuration.duration, iterations: f.configuration.iterations.map((i) => ({ ...i, title: rich(i.title), completed: false })) } } : {}),
    created_at: render.iso(f.created_at),
    updated_at: render.iso(f.updated_at),
  };
}

/** Cursor paging (`after`/`before` are item ids, base64): the page's rows and a Link header. */
function cursorPage<T extends { id: number }>(g: Gh, all: T[]): { rows: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, Number.parseInt(String(g.query.per_page ?? '30'), 10) || 30));
  const decode = (v: unknown) => (typeof v === 'string' && v ? Number(Buffer.from(v, 'base64url').toString()) : null);
  const after = decode(g.query.after);
  const before = decode(g.query.before);
  let list = all;
  if (after !== null) list = list.filter((x) => x.id > after);
  if (before !== null) list = list.filter((x) => x.id < before).slice(-perPage);
  const rows = list.slice(0, perPage);
  const link = (rel: string, key: string, id: number) => {
    const q = new URLSearchParams(g.url.searchParams);
    q.delete('after');
    q.delete('before');
    q.set(key, Buffer.from(String(id)).toString('base64url'));
    return `<${g.base}${g.url.pathname}?${q}>; rel="${rel}"`;
  };
  const parts: string[] = [];
  const last = rows.at(-1);
  const first = rows[0];
  if (last && all.some((x) => x.id > last.id)) parts.push(link('next', 'after', last.id));
  if (first && all.some((x) => x.id < first.id)) parts.push(link('prev', 'before', first.id));
  return { rows, headers: parts.length ? { link: parts.join(', ') } : {} };
}

export async function list(g: Gh): Promise<Reply> {
  const owner = await ownerOf(g);
  const q = typeof g.query.q === 'string' ? g.query.q.trim().toLowerCase() : '';
  const rows = (await g.ctx.db.q<ProjectRow>`select * from projects_v2 where owner_id = ${owner.id} order by id`).filter((p) => canSee(g, owner, p) && (!q || p.title.toLowerCase().includes(q)));
  const { rows: page, headers } = cursorPage(g, rows);
  const creators = await usersByIds(g, page.map((p) => p.creator_id));
  return { status: 200, body: page.map((p) => projectJson(g, owner, p, creators.get(p.creator_id ?? -1))), headers };
}

export async function get(g: Gh): Promise<Reply> {
  const owner = await ownerOf(g);
  const p = await projectOf(g, owner);
  const creators = await usersByIds(g, [p.creator_id]);
  return ok(projectJson(g, owner, p, creators.get(p.creator_id ?? -1)));
}

const fieldsOf = (g: Gh, projectId: number) => g.ctx.db.q<FieldRow>`select * from project_fields where project_id = ${projectId} order by id`;

export async function listFields(g: Gh): Promise<Reply> {
  const owner = await ownerOf(g);
  const p = await projectOf(g, owner);
  const { rows, headers } = cursorPage(g, await fieldsOf(g, p.id));
  return { status: 200, body: rows.map((f) => fieldJson(g, owner, p, f)), headers };
}

export async function getField(g: Gh): Promise<Reply> {
  const owner = await ownerOf(g);
  const p = await projectOf(g, owner);
  const f = (await fieldsOf(g, p.id)).find((x) => String(x.id) === g.params.field_id) ?? notFound();
  return ok(fieldJson(g, owner, p, f));
}

/** The field ids asked for by `fields` (`1,2` or repeated `fields[]`); the Title field otherwise. */
function askedFields(g: Gh, fields: FieldRow[], extra: number[] = []): FieldRow[] {
  const raw = g.query.fields ?? g.query['fields[]'];
  const ids = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).flatMap((x) => String(x).split(',')).map((s) => s.trim()).filter(Boolean);
  if (ids.length > 50) invalid('ProjectV2Item', 'invalid', 'fields', { message: 'at most 50 fields' });
  const want = new Set([...ids, ...extra.map(String)]);
  if (!want.size) return fields.filter((f) => f.data_type === 'title');
  return fields.filter((f) => want.has(String(f.id)));
}

interface Loaded {
  issue: IssueRow;
  content: Record<string, unknown>;
}

/** The items' issues and pull requests, rendered as the viewer may see them (unreadable ones are left out). */
async function contents(g: Gh, items: ItemRow[]): Promise<Map<number, Loaded>> {
  const out = new Map<number, Loaded>();
  if (!items.length) return out;
  const issues = await g.ctx.db.q<IssueRow & { owner_login: string; repo_name: string }>`
    select i.*, u.login as owner_login, r.name as repo_name from issues i join repos r on r.id = i.repo_id join users u on u.id = r.owner_id
    where i.id = any(${items.map((i) => i.issue_id)}::int[])`;
  for (const row of issues) {
    const { owner_login, repo_name, ...issue } = row;
    const repo = await loadRepo(g, 'read', owner_login, repo_name).catch(() => null);
    if (!repo) continue;
    const content = issue.is_pull_request ? await renderPull(g, repo, await pullByNumber(g, repo, String(issue.number))) : (await renderIssues(g, [issue], { repo }))[0]!;
    out.set(issue.id, { issue, content });
  }
  return out;
}

async function renderItems(g: Gh, owner: UserRow, p: ProjectRow, items: ItemRow[], fields: FieldRow[] | null): Promise<Record<string, unknown>[]> {
  const loaded = await contents(g, items);
  const creators = await usersByIds(g, items.map((i) => i.creator_id));
  const values = items.length ? await g.ctx.db.q<{ item_id: number; field_id: number; value: unknown }>`select * from project_item_values where item_id = any(${items.map((i) => i.id)}::int[])` : [];
  const out: Record<string, unknown>[] = [];
  for (const it of items) {
    const c = loaded.get(it.issue_id);
    if (!c) continue;
    const json: Record<string, unknown> = {
      id: it.id,
      node_id: render.nodeId('ProjectV2Item', it.id),
      project_url: projectUrl(g, owner, p),
      content_type: c.issue.is_pull_request ? 'PullRequest' : 'Issue',
      content: c.content,
      creator: render.simpleUser(g.base, creators.get(it.creator_id ?? -1) ?? owner),
      created_at: render.iso(it.created_at),
      updated_at: render.iso(it.updated_at),
      archived_at: render.iso(it.archived_at),
      item_url: `${projectUrl(g, owner, p)}/items/${it.id}`,
    };
    if (fields) json.fields = fields.map((f) => ({ id: f.id, name: f.name, data_type: f.data_type, value: fieldValue(f, c, values.find((v) => v.item_id === it.id && v.field_id === f.id)?.value) }));
    out.push(json);
  }
  return out;
}

/** A field's value on an item: built-ins read from the issue, custom ones from the stored value. */
function fieldValue(f: FieldRow, c: Loaded, stored: unknown): unknown {
  const content = c.content;
  switch (f.data_type) {
    case 'title':
      return { ...rich(c.issue.title), number: c.issue.number, url: content.html_url, issue_id: c.issue.id, state: c.issue.state, state_reason: c.issue.state_reason, is_draft: content.draft === true };
    case 'assignees':
      return content.assignees ?? [];
    case 'labels':
      return content.labels ?? [];
    case 'milestone':
      return content.milestone ?? null;
    case 'repository': {
      const m = /\/repos\/([^/]+\/[^/]+)\//.exec(String(content.url));
      return m ? { full_name: m[1] } : null;
    }
  }
  if (stored === undefined || stored === null) return null;
  if (f.data_type === 'single_select') {
    const o = f.options?.find((x) => x.id === stored);
    return o ? { id: o.id, name: rich(o.name), color: o.color, description: rich(o.description) } : null;
  }
  if (f.data_type === 'iteration') {
    const i = f.configuration?.iterations.find((x) => x.id === stored);
    return i ? { id: i.id, title: rich(i.title), start_date: i.start_date, duration: i.duration } : null;
  }
  return stored;
}

/** `q`: `is:issue`, `is:pr`, `is:open`, `is:closed`, `is:archived`, and words of the title. */
const QUALIFIERS: Record<string, (it: ItemRow, c: Loaded) => boolean> = {
  'is:issue': (_, c) => !c.issue.is_pull_request,
  'is:pr': (_, c) => c.issue.is_pull_request,
  'is:open': (_, c) => c.issue.state === 'open',
  'is:closed': (_, c) => c.issue.state === 'closed',
  'is:archived': (it) => it.archived_at !== null,
};

function matches(q: string, it: ItemRow, c: Loaded | undefined): boolean {
  if (!c) return false;
  return q.toLowerCase().split(/\s+/).filter(Boolean).every((term) => (QUALIFIERS[term] ? QUALIFIERS[term](it, c) : c.issue.title.toLowerCase().includes(term)));
}

const itemsOf = (g: Gh, projectId: number) => g.ctx.db.q<ItemRow>`select * from project_items where project_id = ${projectId} order by id`;

export async function listItems(g: Gh): Promise<Reply> {
  const owner = await ownerOf(g);
  const p = await projectOf(g, owner);
  let items = await itemsOf(g, p.id);
  const q = typeof g.query.q === 'string' ? g.query.q : '';
  if (q.trim()) {
    const loaded = await contents(g, items);
    items = items.filter((it) => matches(q, it, loaded.get(it.issue_id)));
  }
  const { rows, headers } = cursorPage(g, items);
  return { status: 200, body: await renderItems(g, owner, p, rows, askedFields(g, await fieldsOf(g, p.id))), headers };
}

async function itemOf(g: Gh, p: ProjectRow): Promise<ItemRow> {
  const id = Number(g.params.item_id);
  if (!Number.isInteger(id) || id < 1 || id > 2_147_483_647) return notFound();
  const [it] = await g.ctx.db.q<ItemRow>`select * from project_items where id = ${id} and project_id = ${p.id}`;
  return it ?? notFound();
}

export async function getItem(g: Gh): Promise<Reply> {
  const owner = await ownerOf(g);
  const p = await projectOf(g, owner);
  const [json] = await renderItems(g, owner, p, [await itemOf(g, p)], askedFields(g, await fieldsOf(g, p.id)));
  return json ? ok(json) : notFound();
}

/** POST .../items: an issue or pull request, by `id` or by `owner`, `repo` and `number`. */
export async function addItem(g: Gh): Promise<Reply> {
  const owner = await ownerOf(g);
  const p = await projectOf(g, owner, true);
  const b = g.body;
  if (b.type === undefined || b.type === null) invalid('ProjectV2Item', 'missing_field', 'type');
  if (b.type !== 'Issue' && b.type !== 'PullRequest') invalid('ProjectV2Item', 'invalid', 'type', { value: b.type });
  let issue: (IssueRow & { owner_login: string; repo_name: string }) | undefined;
  if (b.id !== undefined && b.id !== null) {
    if (!Number.isInteger(b.id)) invalid('ProjectV2Item', 'invalid', 'id', { value: b.id });
    [issue] = await g.ctx.db.q`select i.*, u.login as owner_login, r.name as repo_name from issues i join repos r on r.id = i.repo_id join users u on u.id = r.owner_id where i.id = ${b.id as number}`;
  } else {
    if (typeof b.owner !== 'string' || typeof b.repo !== 'string' || !Number.isInteger(b.number)) invalid('ProjectV2Item', 'missing_field', 'id', { message: 'give id, or owner, repo and number' });
    [issue] = await g.ctx.db.q`select i.*, u.login as owner_login, r.name as repo_name from issues i join repos r on r.id = i.repo_id join users u on u.id = r.owner_id
      where lower(u.login) = lower(${b.owner as string}) and lower(r.name) = lower(${b.repo as string}) and i.number = ${b.number as number}`;
  }
  // An issue the viewer cannot read is not there.
  if (!issue || !(await loadRepo(g, 'read', issue.owner_login, issue.repo_name).catch(() => null))) return notFound();
  if (issue.is_pull_request !== (b.type === 'PullRequest')) invalid('ProjectV2Item', 'invalid', 'type', { message: `${b.type === 'Issue' ? 'a pull request is not an Issue' : 'an issue is not a PullRequest'}` });
  const [created] = await g.ctx.db.q<ItemRow>`insert into project_items (project_id, issue_id, creator_id) values (${p.id}, ${issue.id}, ${g.viewer!.id})
    on conflict (project_id, issue_id) do update set updated_at = project_items.updated_at returning *`;
  await g.ctx.db.q`update projects_v2 set updated_at = now() where id = ${p.id}`;
  const [json] = await renderItems(g, owner, p, [created!], null);
  return { status: 201, body: json };
}

function checkValue(f: FieldRow, value: unknown): unknown {
  const bad = (message: string) => invalid('ProjectV2ItemFieldValue', 'invalid', 'value', { message: `${f.name}: ${message}` });
  if (READ_ONLY.has(f.data_type)) return bad(`${f.data_type} fields cannot be updated through this endpoint`);
  if (value === null) return null;
  switch (f.data_type) {
    case 'text':
      return typeof value === 'string' ? value : bad('a text field takes a string');
    case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      return Number.isFinite(n) ? n : bad('a number field takes a number');
    }
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? value : bad('a date field takes a date (YYYY-MM-DD)');
    case 'single_select':
      return f.options?.some((o) => o.id === value) ? value : bad('not an option of this field');
    case 'iteration':
      return f.configuration?.iterations.some((i) => i.id === value) ? value : bad('not an iteration of this field');
  }
  return bad('this field cannot be set');
}

/** PATCH .../items/{item_id}: `fields: [{id, value}]`, every one checked before any is written. */
export async function updateItem(g: Gh): Promise<Reply> {
  const owner = await ownerOf(g);
  const p = await projectOf(g, owner, true);
  const it = await itemOf(g, p);
  const list = g.body.fields;
  if (list === undefined || list === null) invalid('ProjectV2Item', 'missing_field', 'fields');
  if (!Array.isArray(list) || !list.length) return invalid('ProjectV2Item', 'invalid', 'fields');
  const fields = await fieldsOf(g, p.id);
  const writes = list.map((x: unknown) => {
    const e = (x ?? {}) as Record<string, unknown>;
    const f = fields.find((y) => y.id === Number(e.id)) ?? invalid('ProjectV2Field', 'invalid', 'id', { value: e.id, message: `field ${String(e.id)} is not a field of this project` });
    if (!('value' in e)) invalid('ProjectV2ItemFieldValue', 'missing_field', 'value');
    return { f, value: checkValue(f, e.value) };
  });
  await g.ctx.db.tx(async (tx) => {
    for (const w of writes) {
      if (w.value === null) await tx`delete from project_item_values where item_id = ${it.id} and field_id = ${w.f.id}`;
      else await tx`insert into project_item_values (item_id, field_id, value) values (${it.id}, ${w.f.id}, ${JSON.stringify(w.value)}::text::jsonb) on conflict (item_id, field_id) do update set value = excluded.value`;
    }
    await tx`update project_items set updated_at = now() where id = ${it.id}`;
  });
  const shown = askedFields(g, fields, writes.map((w) => w.f.id));
  const [json] = await renderItems(g, owner, p, [(await itemOf(g, p))], [...fields.filter((f) => f.data_type === 'title' && !shown.includes(f)), ...shown]);
  return ok(json);
}

export async function deleteItem(g: Gh): Promise<Reply> {
  const owner = await ownerOf(g);
  const p = await projectOf(g, owner, true);
  const it = await itemOf(g, p);
  await g.ctx.db.q`delete from project_items where id = ${it.id}`;
  return noContent();
}
