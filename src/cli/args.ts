import * as v from 'valibot';
import { AsymmetricError } from '../contract/errors.ts';

export const jsonArgs = {
  json: { type: 'boolean', description: 'Print exactly one JSON document on stdout (errors too); never prompt' },
} as const;

export const idArg = {
  id: { type: 'positional', description: 'Clone id (asym ls lists them)', required: false },
} as const;

/** Parse user input through a schema; a failure is INVALID_INPUT naming the flag. */
export function parseInput<S extends v.GenericSchema>(schema: S, value: unknown, what: string): v.InferOutput<S> {
  const r = v.safeParse(schema, value);
  if (!r.success) {
    const issue = r.issues[0]!;
    const path = v.getDotPath(issue);
    throw new AsymmetricError('INVALID_INPUT', `${what}${path ? ` (${path})` : ''}: ${issue.message}`, { hint: 'see --help' });
  }
  return r.output;
}

export function requireId(id: unknown, verb: string): string {
  if (typeof id !== 'string' || !id) {
    throw new AsymmetricError('INVALID_INPUT', 'missing clone id', { hint: `usage: asym ${verb} <id> (asym ls lists clones)` });
  }
  return id;
}
