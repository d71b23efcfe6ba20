import { execute, GraphQLError, parse, validate, type DocumentNode } from 'graphql';
import { GitHubError } from '../errors.ts';
import { create as createRest, update as updateRest } from '../handlers/issues.ts';
import type { Gh, IssueRow, Reply } from '../types.ts';
import { decodeId, issueModel, notResolved, repoById, repoByName, userModel } from './models.ts';
import { githubSchema } from './schema.ts';

/**
 * POST /graphql and /api/graphql. Writes go through the REST handlers (issues.create and
 * issues.update), so a GraphQL write is the same rows, events and checks as a REST one.
 * Errors are GitHub's GraphQL shape: HTTP 200 with `errors` (message, locations, path, and
 * `type` for execution errors or `extensions.code` for validation ones).
 */
const DOCS = 'https://docs.github.com/graphql';

type Args = Record<string, any>;

async function viaRest(g: Gh, handler: (g: Gh) => Promise<Reply>, params: Record<string, string>, body: Record<string, unknown>): Promise<Record<string, any>> {
  try {
    const r = await handler({ ...g, params, body, query: {} });
    return r.body as Record<string, any>;
  } catch (e) {
    if (!(e instanceof GitHubError)) throw e;
    const type = e.status === 404 ? 'NOT_FOUND' : e.status === 403 ? 'FORBIDDEN' : 'UNPROCESSABLE';
    throw new GraphQLError(e.message, { extensions: { type } });
  }
}

async function issueById(g: Gh, id: string, path: string[]) {
  const dbId = decodeId(id, 'Issue');
  const [row] = dbId === null ? [] : await g.ctx.db.q<IssueRow>`select * from issues where id = ${dbId}`;
  const repo = row ? await repoById(g, row.repo_id) : null;
  if (!row || !repo) return notResolved(`Could not resolve to a node with the global id of '${id}'`, path);
  return { row, repo };
}

async function reload(g: Gh, repoId: number, issueId: number) {
  const repo = (await repoById(g, repoId))!;
  const [row] = await g.ctx.db.q<IssueRow>`select * from issues where id = ${issueId}`;
  return issueModel(g, repo, row!);
}

function roots(g: Gh) {
  return {
    viewer: () => userModel(g, g.viewer!),
    user: async ({ login }: Args) => {
      const [u] = await g.ctx.db.q<any>`select * from users where lower(login) = lower(${login})`;
      return u ? userModel(g, u) : notResolved(`Could not resolve to a User with the login of '${login}'.`, ['user']);
    },
    repository: ({ owner, name }: Args) => repoByName(g, owner, name, ['repository']),
    node: async ({ id }: Args) => {
      const text = Buffer.from(String(id), 'base64').toString('utf8');
      const type = /^\d\d:([A-Za-z]+)\d+$/.exec(text)?.[1];
      if (type === 'Issue') return (await issueById(g, id, ['node'])).row && issueById(g, id, ['node']).then(({ row, repo }) => issueModel(g, repo, row));
      if (type === 'Repository') {
        const repo = await repoById(g, decodeId(id, 'Repository') ?? -1);
        if (repo) return repoByName(g, repo.owner.login, repo.name, ['node']);
      }
      if (type === 'User') {
        const [u] = await g.ctx.db.q<any>`select * from users where id = ${decodeId(id, 'User') ?? -1}`;
        if (u) return userModel(g, u);
      }
      return notResolved(`Could not resolve to a node with the global id of '${id}'`, ['node']);
    },
    createIssue: async ({ input }: Args) => {
      const repo = await repoById(g, decodeId(input.repositoryId, 'Repository') ?? -1);
      if (!repo) return notResolved(`Could not resolve to a node with the global id of '${input.repositoryId}'`, ['createIssue']);
      const labels = await idsToNames(g, input.labelIds, 'Label', 'labels', 'name');
      const assignees = await idsToNames(g, input.assigneeIds, 'User', 'users', 'login');
      const made = await viaRest(g, createRest, { owner: repo.owner.login, repo: repo.name }, { title: input.title, body: input.body ?? undefined, labels, assignees });
      return { clientMutationId: input.clientMutationId ?? null, issue: await reload(g, repo.id, made.id) };
    },
    closeIssue: async ({ input }: Args) => {
      const { row, repo } = await issueById(g, input.issueId, ['closeIssue']);
      const reason = input.stateReason === 'NOT_PLANNED' ? 'not_planned' : 'completed';
      await viaRest(g, updateRest, { owner: repo.owner.login, repo: repo.name, issue_number: String(row.number) }, { state: 'closed', state_reason: reason });
      return { clientMutationId: input.clientMutationId ?? null, issue: await reload(g, repo.id, row.id) };
    },
    reopenIssue: async ({ input }: Args) => {
      const { row, repo } = await issueById(g, input.issueId, ['reopenIssue']);
      await viaRest(g, updateRest, { owner: repo.owner.login, repo: repo.name, issue_number: String(row.number) }, { state: 'open' });
      return { clientMutationId: input.clientMutationId ?? null, issue: await reload(g, repo.id, row.id) };
    },
  };
}

async function idsToNames(g: Gh, ids: unknown, type: string, table: 'labels' | 'users', col: 'name' | 'login'): Promise<string[] | undefined> {
  if (!Array.isArray(ids) || !ids.length) return undefined;
  const dbIds = ids.map((id) => decodeId(String(id), type));
  const bad = ids.find((_, k) => dbIds[k] === null);
  if (bad !== undefined) notResolved(`Could not resolve to a node with the global id of '${bad}'`);
  const rows = await g.ctx.db.unsafe<Record<string, string>>(`select ${col} from ${table} where id = any($1::int[])`, [dbIds]);
  return rows.map((r) => r[col]!);
}

/** graphql-js names the problem; GitHub words it its own way, with a code. */
function validationError(e: GraphQLError): Record<string, unknown> {
  const locations = e.locations?.map((l) => ({ line: l.line, column: l.column }));
  const field = /^Cannot query field "(\w+)" on type "(\w+)"/.exec(e.message);
  if (field) return { path: [], extensions: { code: 'undefinedField', typeName: field[2], fieldName: field[1] }, locations, message: `Field '${field[1]}' doesn't exist on type '${field[2]}'` };
  const arg = /^Unknown argument "(\w+)" on field "(\w+)\.(\w+)"/.exec(e.message);
  if (arg) return { path: [], extensions: { code: 'argumentNotAccepted', name: arg[3], typeName: 'Field', argumentName: arg[1] }, locations, message: `Field '${arg[3]}' doesn't accept argument '${arg[1]}'` };
  return { path: [], extensions: { code: 'invalidQuery' }, locations, message: e.message };
}

export async function handleGraphql(g: Gh): Promise<Reply> {
  if (g.req.method !== 'POST') throw new GitHubError(404, 'Not Found');
  if (!g.viewer) return { status: 401, body: { message: 'This endpoint requires you to be authenticated.', documentation_url: `${DOCS}/guides/forming-calls-with-graphql#authenticating-with-graphql` } };
  const { query, variables, operationName } = g.body as { query?: unknown; variables?: unknown; operationName?: unknown };
  if (typeof query !== 'string' || !query.trim()) return { status: 200, body: { errors: [{ message: 'A query attribute must be specified and must be a string.' }] } };
  let doc: DocumentNode;
  try {
    doc = parse(query);
  } catch (e) {
    const err = e as GraphQLError;
    return { status: 200, body: { errors: [{ message: `Parse error on ${JSON.stringify(err.message)}`, locations: err.locations }] } };
  }
  const invalid = validate(githubSchema, doc);
  if (invalid.length) return { status: 200, body: { errors: invalid.map(validationError) } };
  const result = await execute({
    schema: githubSchema, document: doc, rootValue: roots(g),
    variableValues: variables && typeof variables === 'object' ? (variables as Record<string, unknown>) : undefined,
    operationName: typeof operationName === 'string' && operationName ? operationName : undefined,
  });
  const body: Record<string, unknown> = { data: result.data ?? null };
  if (result.errors?.length) {
    for (const e of result.errors) if (!e.extensions?.type && !(e.originalError instanceof GraphQLError)) g.ctx.log(`graphql: ${e.message}`);
    body.errors = result.errors.map((e) => ({
      type: (e.extensions?.type as string | undefined) ?? (e.originalError instanceof GraphQLError || !e.originalError ? 'INVALID' : 'INTERNAL'),
      path: e.path, locations: e.locations?.map((l) => ({ line: l.line, column: l.column })),
      message: e.originalError && !(e.originalError instanceof GraphQLError) && !e.extensions?.type ? 'Something went wrong while executing your query.' : e.message,
    }));
  }
  return { status: 200, body };
}
