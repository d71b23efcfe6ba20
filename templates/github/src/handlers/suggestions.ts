import { KitError } from '../../../_kit/errors.ts';
import { json, str } from '../../../_kit/http.ts';
import type { KitContext } from '../../../_kit/types.ts';
import { GitHubError, forbidden, notFound } from '../errors.ts';
import { listReply, pageOf } from '../paging.ts';
import * as render from '../render.ts';
import { issueByNumber } from '../store.ts';
import type { Gh, IssueRow, Reply, UserRow } from '../types.ts';
import { me, ok } from './common.ts';
import { addEvent, assignable, issuesRepo, setIssueAssignees, setIssueLabels, type IssueRepo } from './issue-model.ts';

/**
 * Issue suggestions (/repos/{owner}/{repo}/issues/{n}/suggestions): changes an agent proposes
 * (add_label, add_assignee, add_field, close_issue), pending until someone with triage access
 * approves (the change is applied, with its timeline event where the clone records one, and
 * competing pending suggestions for the same change are dismissed) or dismisses them. Issues
 * only, not pull requests (422). Issue types are not modelled, so no `set_type`. GitHub's
 * agents make suggestions; here POST /__asym/github/issue-suggestions does.
 */

const STATES = ['pending', 'applied', 'approved', 'dismissed', 'replaced', 'invalidated'] as const;
const ACTIONS = ['set_type', 'add_label', 'add_field', 'add_assignee', 'close_issue'] as const;
const CLOSE_REASONS = ['completed', 'not_planned', 'duplicate'];

interface SuggestionRow {
  id: number;
  issue_id: number;
  action: (typeof ACTIONS)[number];
  state: (typeof STATES)[number];
  target_id: number | null;
  target_value: unknown;
  rationale: string | null;
  confidence: string | null;
  actor_id: number | null;
  issue_event_id: number | null;
  resolved_by: number | null;
  created_at: Date;
  updated_at: Date;
}

const suggestionJson = (s: SuggestionRow) => ({
  id: s.id,
  issue_id: s.issue_id,
  action: s.action,
  state: s.state,
  target_id: s.target_id,
  target_value: s.target_value ?? null,
  rationale: s.rationale,
  confidence: s.confidence,
  actor_id: s.actor_id,
  issue_event_id: s.issue_event_id,
  resolved_by: s.resolved_by,
  created_at: render.iso(s.created_at),
  updated_at: render.iso(s.updated_at),
});

async function issueOf(g: Gh): Promise<{ repo: IssueRepo; issue: IssueRow }> {
  const repo = await issuesRepo(g);
  const issue = await issueByNumber(g, repo);
  if (issue.is_pull_request) throw new GitHubError(422, 'Validation Failed', { errors: [{ resource: 'IssueSuggestion', code: 'custom', message: 'Suggestions are supported on issues, not pull requests' }] });
  return { repo, issue };
}

export async function list(g: Gh): Promise<Reply> {
  const { repo, issue } = await issueOf(g);
  if (!repo.perms.triage) return notFound();
  const state = str(g.query.state) ?? 'pending';
  const action = str(g.query.action);
  if (state !== 'all' && !(STATES as readonly string[]).includes(state)) throw new GitHubError(422, 'Validation Failed', { errors: [{ resource: 'IssueSuggestion', code: 'invalid', field: 'state', value: state }] });
  if (action !== undefined && !(ACTIONS as readonly string[]).includes(action)) throw new GitHubError(422, 'Validation Failed', { errors: [{ resource: 'IssueSuggestion', code: 'invalid', field: 'action', value: action }] });
  const p = pageOf(g);
  const where = (select: string, tail = '') => g.ctx.db.unsafe<SuggestionRow & { n: number }>(
    `select ${select} from issue_suggestions where issue_id = $1 and ($2 = 'all' or state = $2) and ($3::text is null or action = $3) ${tail}`,
    [issue.id, state, action ?? null],
  );
  const rows = await where('*', `order by id limit ${p.perPage} offset ${p.offset}`);
  const total = (await where('count(*)::int as n'))[0]?.n ?? 0;
  return listReply(g, p, rows.map(suggestionJson), total);
}

async function pending(g: Gh): Promise<{ repo: IssueRepo; issue: IssueRow; s: SuggestionRow; viewer: UserRow }> {
  const viewer = me(g);
  const { repo, issue } = await issueOf(g);
  if (!repo.perms.triage) forbidden('Must have triage access to the repository.');
  const id = Number(g.params.suggestion_id);
  if (!Number.isInteger(id) || id > 2_147_483_647) return notFound();
  const s = (await g.ctx.db.q<SuggestionRow>`select * from issue_suggestions where id = ${id} and issue_id = ${issue.id}`)[0] ?? notFound();
  if (s.state !== 'pending') throw new GitHubError(422, 'Validation Failed', { errors: [{ resource: 'IssueSuggestion', code: 'custom', field: 'state', message: `The suggestion is ${s.state}, not pending` }] });
  return { repo, issue, s, viewer };
}

export async function approve(g: Gh): Promise<Reply> {
  const { repo, issue, s, viewer } = await pending(g);
  const assignee = s.action === 'add_assignee' ? (await assignable(g, repo)).find((u) => u.id === s.target_id) : undefined;
  if (s.action === 'add_assignee' && !assignee) throw new GitHubError(422, 'Validation Failed', { errors: [{ resource: 'IssueSuggestion', code: 'invalid', field: 'target_id', message: 'The suggested assignee cannot be assigned to this issue' }] });
  const row = await g.ctx.db.tx(async (tx) => {
    const before = (await tx`select coalesce(max(id), 0)::int as id from events where issue_id = ${issue.id}`)[0] as { id: number };
    if (s.action === 'add_label') {
      const labels = (await tx`select l.* from labels l where l.repo_id = ${repo.id} and (l.id = ${s.target_id} or l.id in (select label_id from issue_labels where issue_id = ${issue.id}))`) as Parameters<typeof setIssueLabels>[4];
      await setIssueLabels(tx, repo.id, issue.id, viewer.id, labels);
    } else if (s.action === 'add_assignee') {
      const current = (await tx`select u.* from issue_assignees a join users u on u.id = a.user_id where a.issue_id = ${issue.id}`) as UserRow[];
      await setIssueAssignees(tx, repo.id, issue.id, viewer.id, [...current.filter((u) => u.id !== assignee!.id), assignee!]);
    } else if (s.action === 'close_issue' && issue.state === 'open') {
      const why = typeof s.target_value === 'string' && CLOSE_REASONS.includes(s.target_value) ? s.target_value : 'completed';
      await tx`update issues set state = 'closed', state_reason = ${why}, closed_at = now(), closed_by_id = ${viewer.id} where id = ${issue.id}`;
      await addEvent(tx, repo.id, issue.id, viewer.id, 'closed', { state_reason: why });
    } else if (s.action === 'add_field') {
      await tx`insert into issue_field_values (issue_id, field_id, value) values (${issue.id}, ${s.target_id}, ${JSON.stringify(s.target_value)}::text::jsonb)
        on conflict (issue_id, field_id) do update set value = excluded.value`;
    }
    await tx`update issues set updated_at = now() where id = ${issue.id}`;
    const event = (await tx`select max(id)::int as id from events where issue_id = ${issue.id} and id > ${before.id}`)[0] as { id: number | null };
    const now = g.ctx.now();
    // Competing pending suggestions for the same change are dismissed.
    await tx`update issue_suggestions set state = 'dismissed', resolved_by = ${viewer.id}, updated_at = ${now}
      where issue_id = ${issue.id} and state = 'pending' and id <> ${s.id} and action = ${s.action} and target_id is not distinct from ${s.target_id}`;
    const [updated] = (await tx`update issue_suggestions set state = 'approved', resolved_by = ${viewer.id}, issue_event_id = ${event.id}, updated_at = ${now} where id = ${s.id} returning *`) as SuggestionRow[];
    return updated!;
  });
  return ok(suggestionJson(row));
}

export async function dismiss(g: Gh): Promise<Reply> {
  const { s, viewer } = await pending(g);
  const [row] = await g.ctx.db.q<SuggestionRow>`update issue_suggestions set state = 'dismissed', resolved_by = ${viewer.id}, updated_at = ${g.ctx.now()} where id = ${s.id} returning *`;
  return ok(suggestionJson(row!));
}

/** POST /__asym/github/issue-suggestions {owner, repo, issue_number, action, target_id?, target_value?, rationale?, confidence?, actor?}. */
export async function adminCreate(b: Record<string, unknown>, ctx: KitContext): Promise<Response> {
  const bad = (msg: string): never => {
    throw new KitError('invalid_suggestion', msg, { status: 400 });
  };
  const issue = (await ctx.db.q<IssueRow & { owner_id: number }>`
    select i.*, r.owner_id from issues i join repos r on r.id = i.repo_id join users u on u.id = r.owner_id
    where lower(u.login) = lower(${String(b.owner ?? '')}) and lower(r.name) = lower(${String(b.repo ?? '')}) and i.number = ${Number(b.issue_number) || 0}`)[0];
  if (!issue) throw new KitError('issue_not_found', 'no such issue', { status: 404 });
  if (issue.is_pull_request) bad('suggestions are for issues, not pull requests');
  const action = String(b.action ?? '');
  if (!['add_label', 'add_assignee', 'add_field', 'close_issue'].includes(action)) bad('action must be add_label, add_assignee, add_field or close_issue (issue types are not modelled)');
  const target = b.target_id === undefined || b.target_id === null ? null : Number(b.target_id);
  const exists = async (found: unknown[]) => {
    if (!found.length) bad(`target_id ${target} is not a ${action.replace('add_', '')} of this repository`);
  };
  if (action === 'add_label') await exists(await ctx.db.q`select 1 from labels where id = ${target ?? 0} and repo_id = ${issue.repo_id}`);
  if (action === 'add_assignee') await exists(await ctx.db.q`select 1 from users where id = ${target ?? 0}`);
  if (action === 'add_field') await exists(await ctx.db.q`select 1 from issue_fields where id = ${target ?? 0} and org_id = ${issue.owner_id}`);
  if (b.confidence !== undefined && !['LOW', 'MEDIUM', 'HIGH'].includes(String(b.confidence))) bad('confidence must be LOW, MEDIUM or HIGH');
  const actor = b.actor === undefined ? null : ((await ctx.db.q<{ id: number }>`select id from users where lower(login) = lower(${String(b.actor)})`)[0]?.id ?? bad(`no user ${String(b.actor)}`));
  const now = ctx.now();
  const [row] = await ctx.db.q<SuggestionRow>`
    insert into issue_suggestions (issue_id, action, target_id, target_value, rationale, confidence, actor_id, created_at, updated_at)
    values (${issue.id}, ${action}, ${target}, ${b.target_value === undefined ? null : JSON.stringify(b.target_value)}::text::jsonb, ${typeof b.rationale === 'string' ? b.rationale : null},
      ${b.confidence === undefined ? null : String(b.confidence)}, ${actor}, ${now}, ${now})
    returning *`;
  return json({ ok: true, suggestion: suggestionJson(row!) });
}
