import { invalidInput } from './errors.ts';
import { compileFilter, SqlParams } from './filter.ts';
import type { Rc, Row } from './request.ts';
import { ENTITIES, type EntityName } from './tables.ts';

/**
 * Relay connections as Linear serves them: `nodes`, `edges { node cursor }`, `pageInfo`.
 * Ordered by `orderBy` (createdAt, the default, or updatedAt), newest first, then id; the
 * cursor is the node's id and pages are keyset (stable under inserts). `first` defaults
 * to 50 and may not exceed 250, as on Linear.
 */
export interface ConnArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  filter?: unknown;
  orderBy?: string | null;
  includeArchived?: boolean | null;
}

const NO_ARCHIVE = new Set(['team_members', 'issue_history', 'project_teams']);
export const MAX_PAGE = 250;

export interface Connection {
  nodes: Row[];
  edges: Array<{ node: Row; cursor: string }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export function connectionOf(rows: Row[], hasNext = false, hasPrev = false): Connection {
  return {
    nodes: rows,
    edges: rows.map((node) => ({ node, cursor: node.id })),
    pageInfo: { hasNextPage: hasNext, hasPreviousPage: hasPrev, startCursor: rows[0]?.id ?? null, endCursor: rows.at(-1)?.id ?? null },
  };
}

/** A page of `entity` rows matching `scope` (SQL over alias a, with its own params) and args.filter. */
export async function paginate(rc: Rc, entity: EntityName, args: ConnArgs, scope?: (a: string, p: SqlParams) => string, order?: string): Promise<Connection> {
  const e = ENTITIES[entity];
  const first = args.first ?? null;
  const last = args.last ?? null;
  for (const [name, n] of [['first', first], ['last', last]] as const) {
    if (n !== null && (n < 0 || n > MAX_PAGE)) throw invalidInput(`${name} must be between 0 and ${MAX_PAGE}`);
  }
  const p = new SqlParams();
  const where: string[] = [];
  if (scope) where.push(scope('a', p));
  if (!args.includeArchived && !NO_ARCHIVE.has(e.table)) where.push('a.archived_at is null');
  if (entity === 'issue') where.push('not a.trashed');
  if (args.filter) where.push(compileFilter(entity, 'a', args.filter, p, { viewerId: rc.viewerId }));
  const sortCol = order ?? (args.orderBy === 'updatedAt' ? 'updated_at' : 'created_at');
  const desc = !order;
  const dir = desc ? 'desc' : 'asc';
  const cmpNext = desc ? '<' : '>';
  const cmpPrev = desc ? '>' : '<';
  if (args.after) where.push(`(a.${sortCol}, a.id) ${cmpNext} (select ${sortCol}, id from ${e.table} where id = ${p.add(args.after)}::uuid)`);
  if (args.before) where.push(`(a.${sortCol}, a.id) ${cmpPrev} (select ${sortCol}, id from ${e.table} where id = ${p.add(args.before)}::uuid)`);
  const backwards = last !== null && first === null;
  const limit = backwards ? last : (first ?? 50);
  const sql = `select ${e.select('a')} where ${where.length ? where.join(' and ') : 'true'}
    order by a.${sortCol} ${backwards ? (desc ? 'asc' : 'desc') : dir}, a.id ${backwards ? (desc ? 'asc' : 'desc') : dir} limit ${limit + 1}`;
  const rows = await rc.ctx.db.unsafe<Row>(sql, p.values);
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (backwards) page.reverse();
  return connectionOf(page, backwards ? Boolean(args.before) : more, backwards ? more : Boolean(args.after));
}
