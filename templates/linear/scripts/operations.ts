/**
 * Generates operations.json: the root fields of Linear's API (../shared/reference/operations/
 * linear_query.txt and linear_mutation.txt, public ones: [internal] excluded) whose entity is
 * in this template's scope, each marked implemented when the clone has a resolver for it.
 * A root field's entity is the longest schema type its name starts with (`issueLabelCreate`
 * -> IssueLabel, `projectLabelCreate` -> ProjectLabel, out of scope), so every operation of
 * an in-scope entity counts, implemented or not. Deterministic.
 *
 *   bun templates/linear/scripts/operations.ts <linear_query.txt> <linear_mutation.txt>
 */
import { isObjectType } from 'graphql';
import { join } from 'node:path';
import { linearSchema } from '../src/gql.ts';
import { RESOLVERS } from '../src/handlers/index.ts';

export const SCOPE = ['User', 'Organization', 'Team', 'TeamMembership', 'WorkflowState', 'Issue', 'IssueLabel', 'IssueRelation', 'IssueHistory', 'Comment', 'Attachment', 'Project', 'ProjectMilestone', 'ProjectUpdate', 'Cycle'];
const SPECIAL: Record<string, string> = { viewer: 'User', searchIssues: 'Issue', searchProjects: 'Project' };

const [queryFile, mutationFile] = process.argv.slice(2);
if (!queryFile || !mutationFile) {
  process.stderr.write('usage: bun templates/linear/scripts/operations.ts <linear_query.txt> <linear_mutation.txt>\n');
  process.exit(2);
}
const schema = linearSchema();
const entities = Object.values(schema.getTypeMap()).filter((t) => isObjectType(t) && t.getInterfaces().some((i) => i.name === 'Node')).map((t) => t.name);
const lc = (s: string) => s[0]!.toLowerCase() + s.slice(1);

function entityOf(field: string): string | null {
  if (SPECIAL[field]) return SPECIAL[field]!;
  let best: string | null = null;
  for (const e of entities) {
    const p = lc(e);
    if (!field.startsWith(p)) continue;
    const rest = field.slice(p.length);
    if (rest && !/^[A-Z]/.test(rest) && !/^e?s([A-Z]|$)/.test(rest)) continue;
    if (!best || e.length > best.length) best = e;
  }
  return best;
}

const ops: Array<{ operation: string; kind: 'query' | 'mutation'; entity: string; deprecated: boolean; implemented: boolean }> = [];
for (const [kind, file] of [['query', queryFile], ['mutation', mutationFile]] as const) {
  const root = kind === 'query' ? RESOLVERS.Query! : RESOLVERS.Mutation!;
  for (const line of (await Bun.file(file).text()).split('\n')) {
    const m = /^(\w+)(.*)$/.exec(line.trim());
    if (!m || m[2]!.includes('[internal]')) continue;
    const entity = entityOf(m[1]!);
    if (!entity || !SCOPE.includes(entity)) continue;
    ops.push({ operation: m[1]!, kind, entity, deprecated: m[2]!.includes('[deprecated]'), implemented: Boolean(root[m[1]!]) });
  }
}
ops.sort((a, b) => (a.kind === b.kind ? a.operation.localeCompare(b.operation) : a.kind.localeCompare(b.kind)));
const extra = [...Object.keys(RESOLVERS.Query!), ...Object.keys(RESOLVERS.Mutation!)].filter((k) => !ops.some((o) => o.operation === k));
if (extra.length) process.stderr.write(`resolvers outside the scoped list: ${extra.join(', ')}\n`);
await Bun.write(join(import.meta.dir, '..', 'operations.json'), `${JSON.stringify(ops, null, 2)}\n`);
process.stdout.write(`operations.json: ${ops.length} in scope, ${ops.filter((o) => o.implemented).length} implemented\n`);
