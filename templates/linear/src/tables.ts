/**
 * Each entity the clone stores: its table, the SELECT that yields its rows (joins included,
 * e.g. an issue's team key for its identifier), its GraphQL type, and the filter fields its
 * `*Filter` input offers, mapped onto SQL. The filter compiler (filter.ts) and the
 * connection builder (connection.ts) work from these descriptions alone.
 */
export type FieldKind = 'string' | 'number' | 'date' | 'id' | 'bool' | 'enum';
export type FilterField =
  | { kind: FieldKind; col: (a: string) => string }
  | { kind: 'one'; entity: EntityName; fk: (a: string) => string }
  | { kind: 'many'; entity: EntityName; link: (a: string, b: string) => string }
  | { kind: 'isMe'; col: (a: string) => string };

export type EntityName = 'issue' | 'user' | 'team' | 'state' | 'label' | 'comment' | 'project' | 'cycle' | 'attachment' | 'milestone' | 'projectUpdate' | 'relation' | 'membership' | 'history' | 'projectLabel' | 'viewPreferences' | 'reminder';

export interface Entity {
  table: string;
  typename: string;
  /** select list over alias `a` (always `a.*` plus computed columns). */
  select: (a: string) => string;
  filters: Record<string, FilterField>;
}

const col = (name: string) => (a: string) => `${a}.${name}`;
const f = (kind: FieldKind, name: string): FilterField => ({ kind, col: col(name) });
const base = { id: f('id', 'id'), createdAt: f('date', 'created_at'), updatedAt: f('date', 'updated_at') };
const plain = (table: string) => (a: string) => `${a}.* from ${table} ${a}`;

export const ENTITIES: Record<EntityName, Entity> = {
  issue: {
    table: 'issues',
    typename: 'Issue',
    select: (a) => `${a}.*, (select key from teams where id = ${a}.team_id) as team_key,
      array(select label_id from issue_label_links where issue_id = ${a}.id order by label_id) as label_ids from issues ${a}`,
    filters: {
      ...base,
      number: f('number', 'number'),
      title: f('string', 'title'),
      description: f('string', 'description'),
      priority: f('number', 'priority'),
      estimate: f('number', 'estimate'),
      dueDate: f('date', 'due_date'),
      startedAt: f('date', 'started_at'),
      completedAt: f('date', 'completed_at'),
      canceledAt: f('date', 'canceled_at'),
      archivedAt: f('date', 'archived_at'),
      searchableContent: { kind: 'string', col: (a) => `(${a}.title || ' ' || coalesce(${a}.description, ''))` },
      assignee: { kind: 'one', entity: 'user', fk: col('assignee_id') },
      creator: { kind: 'one', entity: 'user', fk: col('creator_id') },
      state: { kind: 'one', entity: 'state', fk: col('state_id') },
      team: { kind: 'one', entity: 'team', fk: col('team_id') },
      project: { kind: 'one', entity: 'project', fk: col('project_id') },
      projectMilestone: { kind: 'one', entity: 'milestone', fk: col('project_milestone_id') },
      cycle: { kind: 'one', entity: 'cycle', fk: col('cycle_id') },
      parent: { kind: 'one', entity: 'issue', fk: col('parent_id') },
      labels: { kind: 'many', entity: 'label', link: (a, b) => `exists (select 1 from issue_label_links l where l.issue_id = ${a}.id and l.label_id = ${b}.id)` },
      children: { kind: 'many', entity: 'issue', link: (a, b) => `${b}.parent_id = ${a}.id` },
      comments: { kind: 'many', entity: 'comment', link: (a, b) => `${b}.issue_id = ${a}.id` },
      attachments: { kind: 'many', entity: 'attachment', link: (a, b) => `${b}.issue_id = ${a}.id` },
    },
  },
  user: {
    table: 'users',
    typename: 'User',
    select: plain('users'),
    filters: {
      ...base,
      name: f('string', 'name'),
      displayName: f('string', 'display_name'),
      email: f('string', 'email'),
      active: f('bool', 'active'),
      admin: f('bool', 'admin'),
      app: f('bool', 'app'),
      isMe: { kind: 'isMe', col: col('id') },
      assignedIssues: { kind: 'many', entity: 'issue', link: (a, b) => `${b}.assignee_id = ${a}.id` },
    },
  },
  team: {
    table: 'teams',
    typename: 'Team',
    select: plain('teams'),
    filters: {
      ...base,
      key: f('string', 'key'),
      name: f('string', 'name'),
      description: f('string', 'description'),
      private: f('bool', 'private'),
      issues: { kind: 'many', entity: 'issue', link: (a, b) => `${b}.team_id = ${a}.id` },
      members: { kind: 'many', entity: 'user', link: (a, b) => `exists (select 1 from team_members m where m.team_id = ${a}.id and m.user_id = ${b}.id)` },
    },
  },
  state: {
    table: 'workflow_states',
    typename: 'WorkflowState',
    select: plain('workflow_states'),
    filters: {
      ...base,
      name: f('string', 'name'),
      type: f('string', 'type'),
      description: f('string', 'description'),
      position: f('number', 'position'),
      team: { kind: 'one', entity: 'team', fk: col('team_id') },
      issues: { kind: 'many', entity: 'issue', link: (a, b) => `${b}.state_id = ${a}.id` },
    },
  },
  label: {
    table: 'issue_labels',
    typename: 'IssueLabel',
    select: plain('issue_labels'),
    filters: {
      ...base,
      name: f('string', 'name'),
      isGroup: f('bool', 'is_group'),
      team: { kind: 'one', entity: 'team', fk: col('team_id') },
      parent: { kind: 'one', entity: 'label', fk: col('parent_id') },
      creator: { kind: 'one', entity: 'user', fk: col('creator_id') },
    },
  },
  comment: {
    table: 'comments',
    typename: 'Comment',
    select: plain('comments'),
    filters: {
      ...base,
      body: f('string', 'body'),
      user: { kind: 'one', entity: 'user', fk: col('user_id') },
      issue: { kind: 'one', entity: 'issue', fk: col('issue_id') },
      parent: { kind: 'one', entity: 'comment', fk: col('parent_id') },
      children: { kind: 'many', entity: 'comment', link: (a, b) => `${b}.parent_id = ${a}.id` },
    },
  },
  project: {
    table: 'projects',
    typename: 'Project',
    select: (a) => `${a}.*, array(select label_id from project_label_links where project_id = ${a}.id order by label_id) as label_ids from projects ${a}`,
    filters: {
      ...base,
      name: f('string', 'name'),
      slugId: f('string', 'slug_id'),
      state: f('string', 'state'),
      priority: f('number', 'priority'),
      startDate: f('date', 'start_date'),
      targetDate: f('date', 'target_date'),
      completedAt: f('date', 'completed_at'),
      canceledAt: f('date', 'canceled_at'),
      startedAt: f('date', 'started_at'),
      lead: { kind: 'one', entity: 'user', fk: col('lead_id') },
      creator: { kind: 'one', entity: 'user', fk: col('creator_id') },
      issues: { kind: 'many', entity: 'issue', link: (a, b) => `${b}.project_id = ${a}.id` },
      members: { kind: 'many', entity: 'user', link: (a, b) => `exists (select 1 from project_members m where m.project_id = ${a}.id and m.user_id = ${b}.id)` },
      accessibleTeams: { kind: 'many', entity: 'team', link: (a, b) => `exists (select 1 from project_teams m where m.project_id = ${a}.id and m.team_id = ${b}.id)` },
      labels: { kind: 'many', entity: 'projectLabel', link: (a, b) => `exists (select 1 from project_label_links l where l.project_id = ${a}.id and l.label_id = ${b}.id)` },
    },
  },
  cycle: {
    table: 'cycles',
    typename: 'Cycle',
    select: plain('cycles'),
    filters: {
      ...base,
      number: f('number', 'number'),
      name: f('string', 'name'),
      startsAt: f('date', 'starts_at'),
      endsAt: f('date', 'ends_at'),
      completedAt: f('date', 'completed_at'),
      isActive: { kind: 'bool', col: (a) => `(${a}.starts_at <= now() and ${a}.ends_at > now() and ${a}.completed_at is null)` },
      isPast: { kind: 'bool', col: (a) => `(${a}.ends_at <= now())` },
      isFuture: { kind: 'bool', col: (a) => `(${a}.starts_at > now())` },
      team: { kind: 'one', entity: 'team', fk: col('team_id') },
      issues: { kind: 'many', entity: 'issue', link: (a, b) => `${b}.cycle_id = ${a}.id` },
    },
  },
  attachment: {
    table: 'attachments',
    typename: 'Attachment',
    select: plain('attachments'),
    filters: { ...base, title: f('string', 'title'), subtitle: f('string', 'subtitle'), url: f('string', 'url'), creator: { kind: 'one', entity: 'user', fk: col('creator_id') } },
  },
  milestone: {
    table: 'project_milestones',
    typename: 'ProjectMilestone',
    select: plain('project_milestones'),
    filters: { ...base, name: f('string', 'name'), targetDate: f('date', 'target_date'), project: { kind: 'one', entity: 'project', fk: col('project_id') } },
  },
  projectUpdate: {
    table: 'project_updates',
    typename: 'ProjectUpdate',
    select: plain('project_updates'),
    filters: { ...base, body: f('string', 'body'), health: f('string', 'health'), project: { kind: 'one', entity: 'project', fk: col('project_id') }, user: { kind: 'one', entity: 'user', fk: col('user_id') } },
  },
  projectLabel: {
    table: 'project_labels',
    typename: 'ProjectLabel',
    select: plain('project_labels'),
    filters: { ...base, name: f('string', 'name'), isGroup: f('bool', 'is_group'), parent: { kind: 'one', entity: 'projectLabel', fk: col('parent_id') }, creator: { kind: 'one', entity: 'user', fk: col('creator_id') } },
  },
  // A reached issue reminder, served as the IssueNotification it becomes.
  reminder: {
    table: 'issue_reminders',
    typename: 'IssueNotification',
    select: (a) => `${a}.*, 'IssueNotification'::text as "__typename" from issue_reminders ${a}`,
    filters: { ...base, readAt: f('date', 'read_at') },
  },
  viewPreferences: { table: 'view_preferences', typename: 'ViewPreferences', select: plain('view_preferences'), filters: { ...base } },
  relation: { table: 'issue_relations', typename: 'IssueRelation', select: plain('issue_relations'), filters: { ...base, type: f('string', 'type') } },
  membership: { table: 'team_members', typename: 'TeamMembership', select: plain('team_members'), filters: { ...base } },
  history: { table: 'issue_history', typename: 'IssueHistory', select: plain('issue_history'), filters: { ...base } },
};
