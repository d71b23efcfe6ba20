import { paginate, type ConnArgs } from '../connection.ts';
import type { SqlParams } from '../filter.ts';
import type { Rc, Row } from '../request.ts';
import type { TypeResolvers } from '../gql.ts';

/**
 * Field resolvers of the modelled types. Plain columns need none (the executor reads a
 * row's snake_case column for a camelCase field); these are the relations and the
 * computed fields.
 */
export const PRIORITY_LABELS = ['No priority', 'Urgent', 'High', 'Medium', 'Low'];

const base = (rc: Rc) => rc.ctx.env.publicUrl;
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
const scoped = (sql: (a: string, p: SqlParams) => string) => sql;
const eqId = (col: string, id: string) => scoped((a, p) => `a.${col} = ${p.add(id)}::uuid`);
const one = (entity: Parameters<Rc['load']>[0], col: string) => (s: Row, _a: unknown, rc: Rc) => rc.load(entity, s[col]);

/** The workspace's url key, read once per request (every issue, user and comment url needs it). */
const urlKeys = new WeakMap<Rc, Promise<string>>();
export function orgUrlKey(rc: Rc): Promise<string> {
  let found = urlKeys.get(rc);
  if (!found) {
    found = rc.ctx.db.q<{ url_key: string }>`select url_key from organization limit 1`.then((rows) => rows[0]?.url_key ?? 'acme');
    urlKeys.set(rc, found);
  }
  return found;
}

export const TYPES: TypeResolvers = {
  User: {
    isMe: (s: Row, _a, rc) => s.id === rc.viewerId,
    url: async (s: Row, _a, rc) => `${base(rc)}/${await orgUrlKey(rc)}/profiles/${s.display_name}`,
    avatarBackgroundColor: () => '#5e6ad2',
    initials: (s: Row) => String(s.name).split(/\s+/).map((w) => w[0] ?? '').join('').slice(0, 2).toUpperCase(),
    isAssignable: (s: Row) => s.active,
    organization: (_s, _a, rc) => organization(rc),
    assignedIssues: (s: Row, a: ConnArgs, rc) => paginate(rc, 'issue', a, eqId('assignee_id', s.id)),
    createdIssues: (s: Row, a: ConnArgs, rc) => paginate(rc, 'issue', a, eqId('creator_id', s.id)),
    teams: (s: Row, a: ConnArgs, rc) => paginate(rc, 'team', a, (x, p) => `exists (select 1 from team_members m where m.team_id = ${x}.id and m.user_id = ${p.add(s.id)}::uuid)`),
    teamMemberships: (s: Row, a: ConnArgs, rc) => paginate(rc, 'membership', a, eqId('user_id', s.id)),
  },
  Organization: {
    teams: (_s, a: ConnArgs, rc) => paginate(rc, 'team', a),
    users: (_s, a: ConnArgs, rc) => paginate(rc, 'user', a),
    labels: (_s, a: ConnArgs, rc) => paginate(rc, 'label', a),
    userCount: async (_s, _a, rc) => Number((await rc.ctx.db.q<{ n: number }>`select count(*)::int as n from users where active`)[0]?.n ?? 0),
    createdIssueCount: async (_s, _a, rc) => Number((await rc.ctx.db.q<{ n: number }>`select count(*)::int as n from issues`)[0]?.n ?? 0),
    periodUploadVolume: () => 0,
    allowedAuthServices: () => ['email', 'google'],
    gitBranchFormat: () => '{username}/{issueIdentifier}-{issueTitle}',
    roadmapEnabled: () => true,
  },
  Team: {
    displayName: (s: Row) => s.name,
    states: (s: Row, a: ConnArgs, rc) => paginate(rc, 'state', a, eqId('team_id', s.id), 'position'),
    members: (s: Row, a: ConnArgs, rc) => paginate(rc, 'user', a, (x, p) => `exists (select 1 from team_members m where m.user_id = ${x}.id and m.team_id = ${p.add(s.id)}::uuid)`),
    memberships: (s: Row, a: ConnArgs, rc) => paginate(rc, 'membership', a, eqId('team_id', s.id)),
    issues: (s: Row, a: ConnArgs, rc) => paginate(rc, 'issue', a, eqId('team_id', s.id)),
    labels: (s: Row, a: ConnArgs, rc) => paginate(rc, 'label', a, (x, p) => `(${x}.team_id = ${p.add(s.id)}::uuid or ${x}.team_id is null)`),
    cycles: (s: Row, a: ConnArgs, rc) => paginate(rc, 'cycle', a, eqId('team_id', s.id)),
    projects: (s: Row, a: ConnArgs, rc) => paginate(rc, 'project', a, (x, p) => `exists (select 1 from project_teams t where t.project_id = ${x}.id and t.team_id = ${p.add(s.id)}::uuid)`),
    organization: (_s, _a, rc) => organization(rc),
    activeCycle: async (s: Row, _a, rc) => (await rc.ctx.db.q<Row>`select * from cycles where team_id = ${s.id} and starts_at <= now() and ends_at > now() and completed_at is null and archived_at is null order by number limit 1`)[0] ?? null,
    issueCount: async (s: Row, _a, rc) => Number((await rc.ctx.db.q<{ n: number }>`select count(*)::int as n from issues where team_id = ${s.id} and archived_at is null and not trashed`)[0]?.n ?? 0),
    defaultIssueState: async (s: Row, _a, rc) => (await rc.ctx.db.q<Row>`select * from workflow_states where team_id = ${s.id} and type in ('backlog', 'unstarted') and archived_at is null order by (type = 'backlog') desc, position limit 1`)[0] ?? null,
    triageEnabled: () => false,
    cycleDuration: () => 2,
    cycleStartDay: () => 1,
    upcomingCycleCount: () => 2,
    cycleCooldownTime: () => 0,
    autoArchivePeriod: () => 6,
    issueEstimationType: () => 'fibonacci',
    defaultIssueEstimate: () => 1,
    timezone: () => 'Etc/UTC',
    inviteHash: (s: Row) => s.id.replace(/-/g, '').slice(0, 16),
    visibility: (s: Row) => (s.private ? 'private' : 'public'),
    viewerCanJoin: async (s: Row, _a, rc) => !(await isMember(rc, s.id)) && !s.private,
    viewerCanLeave: async (s: Row, _a, rc) => isMember(rc, s.id),
    viewerMembership: async (s: Row, _a, rc) => (await rc.ctx.db.q<Row>`select * from team_members where team_id = ${s.id} and user_id = ${rc.viewerId}`)[0] ?? null,
  },
  TeamMembership: {
    team: one('team', 'team_id'),
    user: one('user', 'user_id'),
    sortOrder: () => 0,
  },
  WorkflowState: {
    team: one('team', 'team_id'),
    issues: (s: Row, a: ConnArgs, rc) => paginate(rc, 'issue', a, eqId('state_id', s.id)),
  },
  IssueLabel: {
    team: one('team', 'team_id'),
    parent: one('label', 'parent_id'),
    creator: one('user', 'creator_id'),
    retiredBy: one('user', 'retired_by_id'),
    organization: (_s, _a, rc) => organization(rc),
    children: (s: Row, a: ConnArgs, rc) => paginate(rc, 'label', a, eqId('parent_id', s.id)),
    issues: (s: Row, a: ConnArgs, rc) => paginate(rc, 'issue', a, (x, p) => `exists (select 1 from issue_label_links l where l.issue_id = ${x}.id and l.label_id = ${p.add(s.id)}::uuid)`),
  },
  Issue: {
    identifier: (s: Row) => `${s.team_key}-${s.number}`,
    url: async (s: Row, _a, rc) => `${base(rc)}/${await orgUrlKey(rc)}/issue/${s.team_key}-${s.number}/${slug(s.title)}`,
    branchName: (s: Row) => `${s.team_key.toLowerCase()}-${s.number}-${slug(s.title)}`,
    priorityLabel: (s: Row) => PRIORITY_LABELS[s.priority] ?? 'No priority',
    prioritySortOrder: (s: Row) => (s.priority === 0 ? 5 : s.priority),
    boardOrder: (s: Row) => s.sort_order,
    subIssueSortOrder: (s: Row) => s.sort_order,
    customerTicketCount: () => 0,
    reactionData: () => [],
    labelIds: (s: Row) => s.label_ids ?? [],
    team: one('team', 'team_id'),
    state: one('state', 'state_id'),
    assignee: one('user', 'assignee_id'),
    creator: one('user', 'creator_id'),
    parent: one('issue', 'parent_id'),
    project: one('project', 'project_id'),
    projectMilestone: one('milestone', 'project_milestone_id'),
    cycle: one('cycle', 'cycle_id'),
    trashed: (s: Row) => (s.trashed ? true : null),
    children: (s: Row, a: ConnArgs, rc) => paginate(rc, 'issue', a, eqId('parent_id', s.id)),
    labels: (s: Row, a: ConnArgs, rc) => paginate(rc, 'label', a, (x, p) => `exists (select 1 from issue_label_links l where l.label_id = ${x}.id and l.issue_id = ${p.add(s.id)}::uuid)`),
    comments: (s: Row, a: ConnArgs, rc) => paginate(rc, 'comment', a, eqId('issue_id', s.id)),
    attachments: (s: Row, a: ConnArgs, rc) => paginate(rc, 'attachment', a, eqId('issue_id', s.id)),
    relations: (s: Row, a: ConnArgs, rc) => paginate(rc, 'relation', a, eqId('issue_id', s.id)),
    inverseRelations: (s: Row, a: ConnArgs, rc) => paginate(rc, 'relation', a, eqId('related_issue_id', s.id)),
    history: (s: Row, a: ConnArgs, rc) => paginate(rc, 'history', a, eqId('issue_id', s.id)),
    sharedAccess: async (s: Row, _a, rc) => {
      const ids = await sharedWith(rc, s.id);
      const users = (await Promise.all(ids.map((id) => rc.load('user', id)))).filter(Boolean);
      return { isShared: ids.length > 0, sharedWithCount: ids.length, sharedWithUsers: users, disallowedIssueFields: [], viewerHasOnlySharedAccess: ids.includes(rc.viewerId) && !(await isMember(rc, s.team_id)) };
    },
    // The creator and the assignee are subscribed unless they opted out; others by issueSubscribe.
    subscribers: (s: Row, a: ConnArgs, rc) => paginate(rc, 'user', a, (x, p) => {
      const issue = p.add(s.id);
      const sub = (yes: boolean) => `exists (select 1 from issue_subscriptions u where u.issue_id = ${issue}::uuid and u.user_id = ${x}.id and ${yes ? '' : 'not '}u.subscribed)`;
      return `((${x}.id = any(array[${p.add(s.creator_id)}::uuid, ${p.add(s.assignee_id)}::uuid]) and not ${sub(false)}) or ${sub(true)})`;
    }),
  },
  IssueHistory: {
    issue: one('issue', 'issue_id'),
    actor: one('user', 'actor_id'),
    actorId: (s: Row) => s.actor_id,
    fromState: (s: Row, _a, rc) => rc.load('state', s.changes.fromStateId),
    toState: (s: Row, _a, rc) => rc.load('state', s.changes.toStateId),
    fromAssignee: (s: Row, _a, rc) => rc.load('user', s.changes.fromAssigneeId),
    toAssignee: (s: Row, _a, rc) => rc.load('user', s.changes.toAssigneeId),
    fromStateId: (s: Row) => s.changes.fromStateId ?? null,
    toStateId: (s: Row) => s.changes.toStateId ?? null,
    fromAssigneeId: (s: Row) => s.changes.fromAssigneeId ?? null,
    toAssigneeId: (s: Row) => s.changes.toAssigneeId ?? null,
    fromPriority: (s: Row) => s.changes.fromPriority ?? null,
    toPriority: (s: Row) => s.changes.toPriority ?? null,
    fromTitle: (s: Row) => s.changes.fromTitle ?? null,
    toTitle: (s: Row) => s.changes.toTitle ?? null,
    fromEstimate: (s: Row) => s.changes.fromEstimate ?? null,
    toEstimate: (s: Row) => s.changes.toEstimate ?? null,
    fromDueDate: (s: Row) => s.changes.fromDueDate ?? null,
    toDueDate: (s: Row) => s.changes.toDueDate ?? null,
    addedLabelIds: (s: Row) => s.changes.addedLabelIds ?? null,
    removedLabelIds: (s: Row) => s.changes.removedLabelIds ?? null,
    archived: (s: Row) => s.changes.archived ?? null,
    trashed: (s: Row) => s.changes.trashed ?? null,
    updatedDescription: (s: Row) => s.changes.updatedDescription ?? null,
  },
  Comment: {
    issue: one('issue', 'issue_id'),
    issueId: (s: Row) => s.issue_id,
    user: one('user', 'user_id'),
    parent: one('comment', 'parent_id'),
    parentId: (s: Row) => s.parent_id,
    resolvingUser: one('user', 'resolving_user_id'),
    resolvingComment: one('comment', 'resolving_comment_id'),
    resolvingCommentId: (s: Row) => s.resolving_comment_id,
    url: async (s: Row, _a, rc) => {
      const i = await rc.load('issue', s.issue_id);
      return `${base(rc)}/${await orgUrlKey(rc)}/issue/${i?.team_key}-${i?.number}#comment-${s.id.slice(0, 8)}`;
    },
    reactionData: () => [],
    children: (s: Row, a: ConnArgs, rc) => paginate(rc, 'comment', a, eqId('parent_id', s.id)),
  },
  Attachment: {
    issue: one('issue', 'issue_id'),
    creator: one('user', 'creator_id'),
    groupBySource: () => false,
    // The integration an attachment came from (attachmentLink*), 'unknown' without one.
    sourceType: (s: Row) => s.source_type ?? 'unknown',
  },
  IssueNotification: {
    type: () => 'issueReminder',
    category: () => 'reminders',
    issue: one('issue', 'issue_id'),
    issueId: (s: Row) => s.issue_id,
    user: one('user', 'user_id'),
    team: async (s: Row, _a, rc) => rc.load('team', (await rc.load('issue', s.issue_id))?.team_id),
    inboxUrl: async (s: Row, _a, rc) => `${base(rc)}/${await orgUrlKey(rc)}/inbox/${s.id}`,
  },
  IssueRelation: {
    issue: one('issue', 'issue_id'),
    relatedIssue: one('issue', 'related_issue_id'),
  },
};

async function isMember(rc: Rc, teamId: string): Promise<boolean> {
  return (await rc.ctx.db.q`select 1 from team_members where team_id = ${teamId} and user_id = ${rc.viewerId}`).length > 0;
}

export async function organization(rc: Rc): Promise<Row | null> {
  return (await rc.ctx.db.q<Row>`select * from organization limit 1`)[0] ?? null;
}

/** Users an issue is shared with (issueShare), in the order they were added. */
export async function sharedWith(rc: Rc, issueId: string): Promise<string[]> {
  return (await rc.ctx.db.q<{ user_id: string }>`select user_id from issue_shares where issue_id = ${issueId} order by created_at, user_id`).map((r) => r.user_id);
}
