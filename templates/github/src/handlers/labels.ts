import { str } from '../../../_kit/http.ts';
import { GitHubError, invalid, notFound } from '../errors.ts';
import { listReply, pageOf, sliceReply } from '../paging.ts';
import * as render from '../render.ts';
import { fullName, issueByNumber, loadRepo } from '../store.ts';
import type { Gh, LabelRow, Repo, Reply } from '../types.ts';
import { me, names, noContent, ok } from './common.ts';
import { issuesRepo, resolveLabels, setIssueLabels, touchIssue } from './issue-model.ts';

const labelJson = (g: Gh, repo: Repo) => (l: LabelRow) => render.label(g.base, fullName(repo), l);

function color(v: unknown): string | undefined {
  const s = str(v);
  if (s === undefined) return undefined;
  const c = s.replace(/^#/, '').toLowerCase();
  if (!/^[0-9a-f]{6}$/.test(c)) invalid('Label', 'invalid', 'color');
  return c;
}

async function loadLabel(g: Gh, repo: Repo, name = g.params.name ?? ''): Promise<LabelRow> {
  const rows = await g.ctx.db.q<LabelRow>`select * from labels where repo_id = ${repo.id} and lower(name) = lower(${name})`;
  return rows[0] ?? notFound();
}

export async function listForRepo(g: Gh): Promise<Reply> {
  const repo = await loadRepo(g);
  const p = pageOf(g);
  const rows = await g.ctx.db.q<LabelRow>`select * from labels where repo_id = ${repo.id} order by lower(name) limit ${p.perPage} offset ${p.offset}`;
  const [c] = await g.ctx.db.q<{ n: number }>`select count(*)::int as n from labels where repo_id = ${repo.id}`;
  return listReply(g, p, rows.map(labelJson(g, repo)), c?.n ?? 0);
}

export async function create(g: Gh): Promise<Reply> {
  const repo = await loadRepo(g, 'write');
  const name = str(g.body.name)?.trim();
  if (!name) return invalid('Label', 'missing_field', 'name');
  const exists = await g.ctx.db.q`select 1 from labels where repo_id = ${repo.id} and lower(name) = lower(${name})`;
  if (exists.length) invalid('Label', 'already_exists', 'name');
  const [row] = await g.ctx.db.q<LabelRow>`insert into labels (repo_id, name, color, description)
    values (${repo.id}, ${name}, ${color(g.body.color) ?? 'ededed'}, ${str(g.body.description) ?? null}) returning *`;
  return { status: 201, body: labelJson(g, repo)(row!) };
}

export async function get(g: Gh): Promise<Reply> {
  const repo = await loadRepo(g);
  return ok(labelJson(g, repo)(await loadLabel(g, repo)));
}

export async function update(g: Gh): Promise<Reply> {
  const repo = await loadRepo(g, 'write');
  const l = await loadLabel(g, repo);
  const newName = str(g.body.new_name)?.trim() || l.name;
  if (newName.toLowerCase() !== l.name.toLowerCase()) {
    const taken = await g.ctx.db.q`select 1 from labels where repo_id = ${repo.id} and lower(name) = lower(${newName})`;
    if (taken.length) invalid('Label', 'already_exists', 'name');
  }
  const description = g.body.description === undefined ? l.description : (str(g.body.description) ?? null);
  const [row] = await g.ctx.db.q<LabelRow>`update labels set name = ${newName}, color = ${color(g.body.color) ?? l.color}, description = ${description}
    where id = ${l.id} returning *`;
  return ok(labelJson(g, repo)(row!));
}

export async function remove(g: Gh): Promise<Reply> {
  const repo = await loadRepo(g, 'write');
  const l = await loadLabel(g, repo);
  await g.ctx.db.q`delete from labels where id = ${l.id}`;
  return noContent();
}

async function issueLabels(g: Gh, issueId: number): Promise<LabelRow[]> {
  return g.ctx.db.q<LabelRow>`select l.* from issue_labels il join labels l on l.id = il.label_id where il.issue_id = ${issueId} order by lower(l.name)`;
}

export async function listOnIssue(g: Gh): Promise<Reply> {
  const repo = await issuesRepo(g);
  const issue = await issueByNumber(g, repo);
  return sliceReply(g, await issueLabels(g, issue.id), labelJson(g, repo));
}

function bodyLabels(g: Gh): string[] {
  const raw = g.body.labels ?? (Array.isArray(g.body) ? g.body : undefined);
  const list = names(raw);
  if (list === undefined) return invalid('Label', 'missing_field', 'labels');
  return list;
}

async function changeLabels(g: Gh, mode: 'add' | 'set'): Promise<Reply> {
  const viewer = me(g);
  const repo = await issuesRepo(g, 'write');
  const issue = await issueByNumber(g, repo);
  const wanted = bodyLabels(g);
  await g.ctx.db.tx(async (tx) => {
    const resolved = await resolveLabels(tx, repo.id, wanted);
    const current = mode === 'add' ? await tx<LabelRow[]>`select l.* from issue_labels il join labels l on l.id = il.label_id where il.issue_id = ${issue.id}` : [];
    await setIssueLabels(tx, repo.id, issue.id, viewer.id, [...current, ...resolved]);
    await touchIssue(tx, issue.id);
  });
  return ok((await issueLabels(g, issue.id)).map(labelJson(g, repo)));
}

export const addToIssue = (g: Gh) => changeLabels(g, 'add');
export const setOnIssue = (g: Gh) => changeLabels(g, 'set');

export async function removeAllFromIssue(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await issuesRepo(g, 'write');
  const issue = await issueByNumber(g, repo);
  await g.ctx.db.tx(async (tx) => {
    await setIssueLabels(tx, repo.id, issue.id, viewer.id, []);
    await touchIssue(tx, issue.id);
  });
  return noContent();
}

export async function removeFromIssue(g: Gh): Promise<Reply> {
  const viewer = me(g);
  const repo = await issuesRepo(g, 'write');
  const issue = await issueByNumber(g, repo);
  const current = await issueLabels(g, issue.id);
  const name = g.params.name ?? '';
  const target = current.find((l) => l.name.toLowerCase() === name.toLowerCase());
  if (!target) throw new GitHubError(404, 'Label does not exist');
  await g.ctx.db.tx(async (tx) => {
    await setIssueLabels(tx, repo.id, issue.id, viewer.id, current.filter((l) => l.id !== target.id));
    await touchIssue(tx, issue.id);
  });
  return ok((await issueLabels(g, issue.id)).map(labelJson(g, repo)));
}

export async function listForMilestone(g: Gh): Promise<Reply> {
  const repo = await issuesRepo(g);
  const n = Number(g.params.milestone_number);
  const ms = await g.ctx.db.q<{ id: number }>`select id from milestones where repo_id = ${repo.id} and number = ${Number.isInteger(n) ? n : -1}`;
  if (!ms[0]) return notFound();
  const rows = await g.ctx.db.q<LabelRow>`select distinct l.* from issues i join issue_labels il on il.issue_id = i.id join labels l on l.id = il.label_id
    where i.milestone_id = ${ms[0].id} order by l.id`;
  return sliceReply(g, rows, labelJson(g, repo));
}
