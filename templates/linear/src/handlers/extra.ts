import { paginate, type ConnArgs } from '../connection.ts';
import type { Resolver } from '../gql.ts';
import { findIssue, need } from './query.ts';
import { invalidInput, linearError, notFound } from '../errors.ts';
import type { Rc, Row } from '../request.ts';
import { organization, sharedWith } from './types.ts';
import { columnsFrom, nextSyncId, updateRow } from '../write.ts';
import { clockNow } from '../../../_kit/clock.ts';

/** The smaller operations of the in-scope entities: suspend, retire, subscribe, search. */
const ok = async (rc: Parameters<Resolver>[2]) => ({ success: true, lastSyncId: await nextSyncId(rc) });

export const EXTRA_QUERIES: Record<string, Resolver> = {
  searchProjects: async (_s, a: ConnArgs & { term: string }, rc) => {
    const conn = await paginate(rc, 'project', a, (x, p) => `strpos(lower(${x}.name || ' ' || ${x}.description), lower(${p.add(a.term.trim())})) > 0`);
    return { ...conn, totalCount: conn.nodes.length, archivePayload: { success: true, lastSyncId: 0 } };
  },
  organizationExists: async (_s, { urlKey }: { urlKey: string }, rc) => {
    const org = await organization(rc);
    return { success: true, exists: !!org && String(org.url_key).toLowerCase() === urlKey.trim().toLowerCase() };
  },
  // The clone's notifications are the viewer's reached issue reminders (nothing else notifies).
  notifications: (_s, a: ConnArgs, rc) => paginate(rc, 'reminder', a, (x, p) => `${x}.user_id = ${p.add(rc.viewerId)}::uuid and ${x}.remind_at <= now()`),
  issueSearch: (_s, a: ConnArgs & { query?: string }, rc) =>
    paginate(rc, 'issue', a, a.query ? (x, p) => `strpos(lower(${x}.title || ' ' || coalesce(${x}.description, '')), lower(${p.add(a.query)})) > 0` : undefined),
};

export const EXTRA_MUTATIONS: Record<string, Resolver> = {
  organizationUpdate: async (_s, { input }: { input: Record<string, unknown> }, rc) => {
    const org = (await organization(rc))!;
    const sets = columnsFrom(input, { name: 'name', urlKey: 'url_key' });
    if (Object.keys(sets).length) await rc.ctx.db.unsafe(`update organization set ${Object.keys(sets).map((c, i) => `${c} = $${i + 2}`).join(', ')}, updated_at = now() where id = $1`, [org.id, ...Object.values(sets)]);
    return { ...(await ok(rc)), organization: await organization(rc) };
  },
  teamDelete: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'team', id, 'team');
    return { ...(await ok(rc)), entity: await updateRow(rc, 'team', id, { archived_at: clockNow() }) };
  },
  teamUnarchive: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'team', id, 'team');
    return { ...(await ok(rc)), entity: await updateRow(rc, 'team', id, { archived_at: null }) };
  },
  teamMembershipUpdate: async (_s, { id, input }: { id: string; input: { owner?: boolean } }, rc) => {
    await need(rc, 'membership', id, 'team membership');
    return { ...(await ok(rc)), teamMembership: await updateRow(rc, 'membership', id, columnsFrom(input, { owner: 'owner' })) };
  },
  projectUpdateArchive: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'projectUpdate', id, 'project update');
    return { ...(await ok(rc)), entity: await updateRow(rc, 'projectUpdate', id, { archived_at: clockNow() }) };
  },
  projectUpdateUnarchive: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'projectUpdate', id, 'project update');
    return { ...(await ok(rc)), entity: await updateRow(rc, 'projectUpdate', id, { archived_at: null }) };
  },
  projectUpdateDelete: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'projectUpdate', id, 'project update');
    await rc.ctx.db.q`delete from project_updates where id = ${id}`;
    rc.forget('projectUpdate', id);
    return { ...(await ok(rc)), entityId: id };
  },
  issueSubscribe: (_s, a: { id: string; userId?: string; userEmail?: string }, rc) => subscribe(rc, a, true),
  issueUnsubscribe: (_s, a: { id: string; userId?: string; userEmail?: string }, rc) => subscribe(rc, a, false),
  userSuspend: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'user', id, 'user');
    await updateRow(rc, 'user', id, { active: false });
    return ok(rc);
  },
  userUnsuspend: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'user', id, 'user');
    await updateRow(rc, 'user', id, { active: true });
    return ok(rc);
  },
  userChangeRole: async (_s, { id, role }: { id: string; role: string }, rc) => {
    const target = await need(rc, 'user', id, 'user');
    if (!(role in ROLE_RANK)) throw invalidInput(`role ${role} cannot be given: one of ${Object.keys(ROLE_RANK).join(', ')}`);
    const mine = rankOf(await need(rc, 'user', rc.viewerId, 'user'));
    if (mine < ROLE_RANK.admin! || ROLE_RANK[role]! > mine || rankOf(target) > mine) throw linearError('forbidden', 'Forbidden', { code: 'FORBIDDEN', statusCode: 403, userPresentableMessage: 'Changing roles needs an admin, who cannot give a role above their own or change the role of someone above them.' });
    await updateRow(rc, 'user', target.id, { owner: role === 'owner', admin: role === 'owner' || role === 'admin', guest: role === 'guest' });
    return ok(rc);
  },
  // The viewer's settings flags: incr / decr count, clear resets to 0, lock freezes the value.
  userFlagUpdate: async (_s, { flag, operation }: { flag: string; operation: 'incr' | 'decr' | 'clear' | 'lock' }, rc) => {
    const row = (await rc.ctx.db.q<{ value: number }>`select value from user_flags where user_id = ${rc.viewerId} and flag = ${flag}`)[0];
    const locked = row?.value === FLAG_LOCKED;
    const before = row?.value ?? 0;
    const value = locked ? before : operation === 'incr' ? before + 1 : operation === 'decr' ? Math.max(0, before - 1) : operation === 'clear' ? 0 : FLAG_LOCKED;
    await rc.ctx.db.q`insert into user_flags (user_id, flag, value) values (${rc.viewerId}, ${flag}, ${value}) on conflict (user_id, flag) do update set value = excluded.value`;
    return { ...(await ok(rc)), flag, value };
  },
  // One reminder per person and issue: a new time replaces the old one.
  issueReminder: async (_s, { id, reminderAt }: { id: string; reminderAt: string }, rc) => {
    const issue = await findIssue(rc, id);
    if (!issue) throw notFound('issue');
    const at = new Date(reminderAt);
    if (!(at > clockNow())) throw invalidInput('reminderAt must be in the future');
    await rc.ctx.db.q`insert into issue_reminders (id, issue_id, user_id, remind_at, created_at) values (${crypto.randomUUID()}, ${issue.id}, ${rc.viewerId}, ${at}, ${at})
      on conflict (issue_id, user_id) do update set remind_at = excluded.remind_at, created_at = excluded.created_at, read_at = null, updated_at = now()`;
    return { ...(await ok(rc)), issue };
  },
  issueShare: async (_s, { id, userId }: { id: string; userId: string }, rc) => {
    const issue = await findIssue(rc, id);
    if (!issue) throw notFound('issue');
    const user = await need(rc, 'user', userId, 'user');
    if (issue.parent_id && (await sharedWith(rc, issue.parent_id)).length) throw invalidInput('The issue inherits sharing from its parent issue and cannot be shared directly');
    if ((await rc.ctx.db.q`select 1 from team_members where team_id = ${issue.team_id} and user_id = ${user.id}`).length) throw invalidInput('The user is a member of the issue\'s team and can already access it');
    await rc.ctx.db.q`insert into issue_shares (issue_id, user_id) values (${issue.id}, ${user.id}) on conflict do nothing`;
    return { ...(await ok(rc)), issue };
  },
  issueUnshare: async (_s, { id, userId }: { id: string; userId: string }, rc) => {
    const issue = await findIssue(rc, id);
    if (!issue) throw notFound('issue');
    await need(rc, 'user', userId, 'user');
    await rc.ctx.db.q`delete from issue_shares where issue_id = ${issue.id} and user_id = ${userId}`;
    return { ...(await ok(rc)), issue };
  },
  issueLabelRetire: async (_s, { id }: { id: string }, rc) => {
    const label = await need(rc, 'label', id, 'label');
    if (label.retired_at) throw invalidInput('The label is already retired');
    return { ...(await ok(rc)), issueLabel: await updateRow(rc, 'label', id, { retired_at: clockNow(), retired_by_id: rc.viewerId }) };
  },
  issueLabelRestore: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'label', id, 'label');
    return { ...(await ok(rc)), issueLabel: await updateRow(rc, 'label', id, { retired_at: null, retired_by_id: null }) };
  },
};

/** The user an operation names by userId or userEmail, else the viewer. */
async function userOf(rc: Rc, a: { userId?: string | null; userEmail?: string | null }): Promise<Row> {
  if (a.userId) return need(rc, 'user', a.userId, 'user');
  if (a.userEmail) {
    const row = (await rc.ctx.db.q<{ id: string }>`select id from users where lower(email) = ${a.userEmail.toLowerCase()}`)[0];
    return need(rc, 'user', row?.id ?? '', 'user');
  }
  return need(rc, 'user', rc.viewerId, 'user');
}

async function subscribe(rc: Rc, a: { id: string; userId?: string; userEmail?: string }, yes: boolean) {
  const issue = await findIssue(rc, a.id);
  if (!issue) throw notFound('issue');
  const user = await userOf(rc, a);
  await rc.ctx.db.q`insert into issue_subscriptions (issue_id, user_id, subscribed) values (${issue.id}, ${user.id}, ${yes})
    on conflict (issue_id, user_id) do update set subscribed = excluded.subscribed`;
  return { ...(await ok(rc)), issue };
}

const ROLE_RANK: Record<string, number> = { guest: 0, user: 1, admin: 2, owner: 3 };
const rankOf = (u: Row) => (u.owner ? 3 : u.admin ? 2 : u.guest ? 0 : 1);
const FLAG_LOCKED = -1;

