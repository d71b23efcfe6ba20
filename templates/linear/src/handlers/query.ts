import { paginate, type ConnArgs } from '../connection.ts';
import { notFound } from '../errors.ts';
import type { Rc, Row } from '../request.ts';
import type { EntityName } from '../tables.ts';
import type { Resolver } from '../gql.ts';
import { organization } from './types.ts';

/** Root queries of the modelled entities: `thing(id)` and `things(filter, paging)`. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function need(rc: Rc, entity: EntityName, id: string, label: string): Promise<Row> {
  const row = await rc.load(entity, id);
  if (!row) throw notFound(label);
  return row;
}

/** An issue by UUID or by identifier (`ENG-12`, or with a key the team used before), as Linear's issue(id:) accepts both. */
export async function findIssue(rc: Rc, id: string): Promise<Row | null> {
  if (UUID.test(id)) return rc.load('issue', id);
  const m = /^([A-Za-z0-9_]+)-(\d+)$/.exec(id);
  if (!m) return null;
  const rows = await rc.ctx.db.q<{ id: string }>`select i.id from issues i join teams t on t.id = i.team_id where (upper(t.key) = ${m[1]!.toUpperCase()} or exists (select 1 from team_keys k where k.team_id = t.id and upper(k.key) = ${m[1]!.toUpperCase()})) and i.number = ${Number(m[2])}`;
  return rows[0] ? rc.load('issue', rows[0].id) : null;
}

async function findTeam(rc: Rc, id: string): Promise<Row | null> {
  if (UUID.test(id)) return rc.load('team', id);
  // A key the team used before a rename still names it, until teamKeyDelete removes it.
  const rows = await rc.ctx.db.q<{ id: string }>`select id from teams where upper(key) = ${id.toUpperCase()} union all select team_id from team_keys where upper(key) = ${id.toUpperCase()}`;
  return rows[0] ? rc.load('team', rows[0].id) : null;
}

const byId = (entity: EntityName, label: string): Resolver => (_s, a: { id: string }, rc) => need(rc, entity, a.id, label);
const list = (entity: EntityName): Resolver => (_s, a: ConnArgs, rc) => paginate(rc, entity, a);

export const QUERY: Record<string, Resolver> = {
  viewer: (_s, _a, rc) => need(rc, 'user', rc.viewerId, 'user'),
  organization: (_s, _a, rc) => organization(rc),
  user: byId('user', 'user'),
  users: (_s, a: ConnArgs & { includeDisabled?: boolean }, rc) => paginate(rc, 'user', a, a.includeDisabled ? undefined : (x) => `${x}.active`),
  team: async (_s, a: { id: string }, rc) => (await findTeam(rc, a.id)) ?? Promise.reject(notFound('team')),
  teams: list('team'),
  teamMembership: byId('membership', 'team membership'),
  teamMemberships: list('membership'),
  workflowState: byId('state', 'workflow state'),
  workflowStates: list('state'),
  issue: async (_s, a: { id: string }, rc) => (await findIssue(rc, a.id)) ?? Promise.reject(notFound('issue')),
  issues: list('issue'),
  issueLabel: byId('label', 'label'),
  issueLabels: list('label'),
  issueRelation: byId('relation', 'issue relation'),
  issueRelations: list('relation'),
  comment: async (_s, a: { id?: string; hash?: string }, rc) => need(rc, 'comment', a.id ?? '', 'comment'),
  comments: list('comment'),
  attachment: byId('attachment', 'attachment'),
  attachments: list('attachment'),
  attachmentsForURL: (_s, a: ConnArgs & { url: string }, rc) => paginate(rc, 'attachment', a, (x, p) => `${x}.url = ${p.add(a.url)}`),
  project: async (_s, a: { id: string }, rc) => {
    const rows = await rc.ctx.db.q<{ id: string }>`select id from projects where id::text = ${a.id} or slug_id = ${a.id} limit 1`;
    return need(rc, 'project', rows[0]?.id ?? '', 'project');
  },
  projects: list('project'),
  projectMilestone: byId('milestone', 'project milestone'),
  projectMilestones: list('milestone'),
  projectUpdate: byId('projectUpdate', 'project update'),
  projectUpdates: list('projectUpdate'),
  cycle: byId('cycle', 'cycle'),
  cycles: list('cycle'),
  issuePriorityValues: () => [0, 1, 2, 3, 4].map((priority) => ({ priority, label: ['No priority', 'Urgent', 'High', 'Medium', 'Low'][priority] })),
  searchIssues: async (_s, a: ConnArgs & { term: string; teamId?: string; includeComments?: boolean }, rc) => {
    const conn = await paginate(rc, 'issue', a, (x, p) => {
      const term = p.add(a.term.trim());
      const parts = [`strpos(lower(${x}.title || ' ' || coalesce(${x}.description, '')), lower(${term})) > 0`,
        `upper((select key from teams where id = ${x}.team_id) || '-' || ${x}.number) = upper(${term})`];
      if (a.includeComments) parts.push(`exists (select 1 from comments c where c.issue_id = ${x}.id and strpos(lower(c.body), lower(${term})) > 0)`);
      return `(${parts.join(' or ')})${a.teamId ? ` and ${x}.team_id = ${p.add(a.teamId)}::uuid` : ''}`;
    });
    return { ...conn, totalCount: conn.nodes.length, archivePayload: { success: true, lastSyncId: 0 } };
  },
};
