import { KitError } from '../../../_kit/errors.ts';
import { json } from '../../../_kit/http.ts';
import type { KitContext } from '../../../_kit/types.ts';
import { GitHubError, forbidden, invalid, notFound } from '../errors.ts';
import { sliceReply } from '../paging.ts';
import * as render from '../render.ts';
import { issueByNumber } from '../store.ts';
import type { Gh, Reply } from '../types.ts';
import { noContent, ok } from './common.ts';
import { issuesRepo, type IssueRepo } from './issue-model.ts';

/**
 * Issue field values (/repos/{owner}/{repo}/issues/{n}/issue-field-values): values of the
 * issue fields the repository's organisation defines (text, number, date, single_select,
 * multi_select), checked against the field's type and options. POST adds (an empty array
 * clears all), PUT replaces all, DELETE removes one (404 when not set); writes need push
 * access (403). A user's repository has no organisation, so no fields: any field_id is 422.
 * The fields themselves are made with POST /__asym/github/issue-fields (the org issue-fields
 * API is not emulated).
 */

const TYPES = ['text', 'date', 'single_select', 'multi_select', 'number'] as const;
const COLORS = ['gray', 'blue', 'green', 'yellow', 'orange', 'red', 'pink', 'purple'];
const MAX_VALUES = 25;
const DATE = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

interface FieldRow {
  id: number;
  name: string;
  data_type: (typeof TYPES)[number];
}
interface OptionRow {
  id: number;
  field_id: number;
  name: string;
  color: string;
  description: string | null;
}
interface ValueRow {
  field_id: number;
  value: unknown;
}

async function fieldsOf(g: Gh, repo: IssueRepo): Promise<{ fields: Map<number, FieldRow>; options: OptionRow[] }> {
  const fields = repo.owner.type === 'Organization' ? await g.ctx.db.q<FieldRow>`select id, name, data_type from issue_fields where org_id = ${repo.owner_id}` : [];
  const options = fields.length ? await g.ctx.db.q<OptionRow>`select id, field_id, name, color, description from issue_field_options where field_id = any(${fields.map((f) => f.id)}::int[]) order by priority, id` : [];
  return { fields: new Map(fields.map((f) => [f.id, f])), options };
}

async function current(g: Gh, issueId: number, repo: IssueRepo): Promise<Record<string, unknown>[]> {
  const { fields, options } = await fieldsOf(g, repo);
  const rows = await g.ctx.db.q<ValueRow>`select field_id, value from issue_field_values where issue_id = ${issueId} order by field_id`;
  return rows.filter((v) => fields.has(v.field_id)).map((v) => {
    const f = fields.get(v.field_id)!;
    const opt = (name: unknown) => options.find((o) => o.field_id === f.id && o.name === name);
    const optJson = (o: OptionRow | undefined) => (o ? { id: o.id, name: o.name, color: o.color } : null);
    return {
      issue_field_id: f.id,
      issue_field_name: f.name,
      node_id: render.nodeId('IssueFieldValue', f.id),
      data_type: f.data_type,
      value: f.data_type === 'multi_select' ? null : v.value,
      ...(f.data_type === 'single_select' ? { single_select_option: optJson(opt(v.value)) } : {}),
      ...(f.data_type === 'multi_select' ? { multi_select_options: (v.value as string[]).map((n) => optJson(opt(n))) } : {}),
    };
  });
}

/** The body's values, each checked against its field's type and options (422 otherwise). */
async function valuesOf(g: Gh, repo: IssueRepo, allowArrays: boolean): Promise<Array<{ field_id: number; value: unknown }>> {
  const raw = g.body.issue_field_values;
  if (!Array.isArray(raw)) throw new GitHubError(422, `Invalid request.\n\nFor 'issue_field_values', ${JSON.stringify(raw ?? null)} is not an array.`);
  if (raw.length > MAX_VALUES) throw new GitHubError(422, `Invalid request.\n\nFor 'issue_field_values', the array has more than the maximum of ${MAX_VALUES} items.`);
  const { fields, options } = await fieldsOf(g, repo);
  const out = new Map<number, unknown>();
  for (const item of raw) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw new GitHubError(422, `Invalid request.\n\n${JSON.stringify(item)} is not an object.`);
    const { field_id: id, value, ...extra } = item as Record<string, unknown>;
    if (Object.keys(extra).length) throw new GitHubError(422, `Invalid request.\n\n${JSON.stringify(Object.keys(extra)[0])} is not a permitted key.`);
    if (typeof id !== 'number' || !Number.isInteger(id) || value === undefined) throw new GitHubError(422, "Invalid request.\n\n'field_id' and 'value' are required.");
    const f = fields.get(id) ?? invalid('IssueFieldValue', 'invalid', 'field_id', { message: `${id} is not an issue field of this repository's organization` });
    const names = options.filter((o) => o.field_id === f.id).map((o) => o.name);
    const bad = (why: string): never => invalid('IssueFieldValue', 'invalid', 'value', { message: `${f.name}: ${why}` });
    if (Array.isArray(value) && !allowArrays) bad('an array is not accepted here');
    if (f.data_type === 'text' && typeof value !== 'string') bad('expected a string');
    if (f.data_type === 'number' && (typeof value !== 'number' || !Number.isFinite(value))) bad('expected a number');
    if (f.data_type === 'date' && (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(value)))) bad('expected an ISO 8601 date');
    if (f.data_type === 'single_select' && (typeof value !== 'string' || !names.includes(value))) bad(`expected one of ${names.join(', ')}`);
    if (f.data_type === 'multi_select' && !(Array.isArray(value) ? value : [value]).every((v) => typeof v === 'string' && names.includes(v))) bad(`expected options among ${names.join(', ')}`);
    out.set(id, f.data_type === 'multi_select' ? [...new Set(Array.isArray(value) ? value : [value])] : f.data_type === 'date' ? (value as string).slice(0, 10) : value);
  }
  return [...out].map(([field_id, value]) => ({ field_id, value }));
}

async function writable(g: Gh): Promise<{ repo: IssueRepo; issueId: number }> {
  const repo = await issuesRepo(g);
  const issue = await issueByNumber(g, repo);
  if (!repo.perms.push) forbidden('You must have push access to set issue field values.');
  return { repo, issueId: issue.id };
}

async function write(g: Gh, replace: boolean): Promise<Reply> {
  const { repo, issueId } = await writable(g);
  const values = await valuesOf(g, repo, !replace);
  await g.ctx.db.tx(async (tx) => {
    if (replace || !values.length) await tx`delete from issue_field_values where issue_id = ${issueId}`;
    for (const v of values) {
      await tx`insert into issue_field_values (issue_id, field_id, value) values (${issueId}, ${v.field_id}, ${JSON.stringify(v.value)}::text::jsonb)
        on conflict (issue_id, field_id) do update set value = excluded.value`;
    }
  });
  return ok(await current(g, issueId, repo));
}

export async function list(g: Gh): Promise<Reply> {
  const repo = await issuesRepo(g);
  const issue = await issueByNumber(g, repo);
  return sliceReply(g, await current(g, issue.id, repo));
}

export const add = (g: Gh) => write(g, false);
export const set = (g: Gh) => write(g, true);

export async function remove(g: Gh): Promise<Reply> {
  const { issueId } = await writable(g);
  const id = Number(g.params.issue_field_id);
  if (!Number.isInteger(id) || id > 2_147_483_647) return notFound();
  const gone = await g.ctx.db.q`delete from issue_field_values where issue_id = ${issueId} and field_id = ${id} returning 1`;
  if (!gone.length) return notFound();
  return noContent();
}

/** POST /__asym/github/issue-fields {org, name, data_type, description?, options?: [{name, color?, description?}]}. */
export async function adminCreate(b: Record<string, unknown>, ctx: KitContext): Promise<Response> {
  const org = (await ctx.db.q<{ id: number }>`select id from users where lower(login) = lower(${String(b.org ?? '')}) and type = 'Organization'`)[0];
  if (!org) throw new KitError('org_not_found', `no organization ${String(b.org)}`, { status: 404 });
  const name = typeof b.name === 'string' ? b.name.trim() : '';
  const type = b.data_type as (typeof TYPES)[number];
  if (!name || !TYPES.includes(type)) throw new KitError('invalid_field', `name and data_type (${TYPES.join(', ')}) are required`, { status: 400 });
  const opts = Array.isArray(b.options) ? (b.options as Array<Record<string, unknown>>) : [];
  const select = type === 'single_select' || type === 'multi_select';
  if (select !== opts.length > 0 || opts.some((o) => typeof o?.name !== 'string' || (o.color !== undefined && !COLORS.includes(String(o.color))))) {
    throw new KitError('invalid_options', `options (each {name, color: ${COLORS.join('|')}}) are required for select fields and only for them`, { status: 400 });
  }
  const taken = await ctx.db.q`select 1 from issue_fields where org_id = ${org.id} and lower(name) = lower(${name})`;
  if (taken.length) throw new KitError('field_exists', `the organization has a field named ${name}`, { status: 409 });
  const field = await ctx.db.tx(async (tx) => {
    const [f] = (await tx`insert into issue_fields (org_id, name, description, data_type) values (${org.id}, ${name}, ${typeof b.description === 'string' ? b.description : null}, ${type}) returning id, name, data_type`) as FieldRow[];
    const options: OptionRow[] = [];
    for (const [i, o] of opts.entries()) {
      options.push(...((await tx`insert into issue_field_options (field_id, name, color, description, priority) values (${f!.id}, ${o.name as string}, ${String(o.color ?? 'gray')}, ${typeof o.description === 'string' ? o.description : null}, ${i}) returning id, field_id, name, color, description`) as OptionRow[]));
    }
    return { ...f!, options: options.map((o) => ({ id: o.id, name: o.name, color: o.color })) };
  });
  return json({ ok: true, field });
}
