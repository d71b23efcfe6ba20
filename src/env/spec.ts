/**
 * environment.yaml: an environment's name and the clones it is made of. Each clone entry is
 * a CloneSpec minus `group` (the environment is the group). Every problem is INVALID_INPUT
 * naming the file and the offending field, so a typo costs nothing: the file is read and
 * checked completely before any clone is touched.
 */
import * as v from 'valibot';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CloneNameSchema, CloneSpecSchema, type CloneSpec } from '../contract/clone.ts';
import { AsymmetricError } from '../contract/errors.ts';

const { group: _group, ...cloneEntries } = CloneSpecSchema.entries;

export const EnvironmentCloneSchema = v.strictObject(cloneEntries);
export type EnvironmentClone = v.InferOutput<typeof EnvironmentCloneSchema>;

export const EnvironmentFileSchema = v.strictObject({
  name: CloneNameSchema,
  clones: v.pipe(v.array(EnvironmentCloneSchema), v.minLength(1, 'list at least one clone')),
});
export type EnvironmentFile = v.InferOutput<typeof EnvironmentFileSchema>;

/** A checked file: clone names resolved (default `<env>-<template>`), `group` filled in. */
export interface EnvironmentDefinition {
  name: string;
  /** Absolute path of the file: what Environment.spec records. */
  path: string;
  clones: (CloneSpec & { name: string; group: string })[];
}

export const DEFAULT_ENVIRONMENT_FILE = 'environment.yaml';

function invalid(path: string, message: string, hint = 'see the environment.yaml example in the README'): AsymmetricError {
  return new AsymmetricError('INVALID_INPUT', `${path}: ${message}`, { hint });
}

/** `clones.0.seed.fixture` → `clones[0].seed.fixture`. */
function fieldPath(keys: readonly unknown[]): string {
  return keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('');
}

function describeIssue(issue: v.BaseIssue<unknown>): string {
  const keys = issue.path?.map((p) => p.key) ?? [];
  const field = fieldPath(keys);
  if (!field) return issue.message;
  if (issue.message.startsWith('Invalid key: Expected never')) return `unknown field ${field}`;
  if (issue.received === 'undefined' && issue.message.startsWith('Invalid key')) return `missing field ${field}`;
  return `${field}: ${issue.message}`;
}

/** Check a parsed document; `path` is only used in messages. */
export function checkEnvironmentFile(raw: unknown, path: string): EnvironmentDefinition {
  const parsed = v.safeParse(EnvironmentFileSchema, raw);
  if (!parsed.success) throw invalid(path, describeIssue(parsed.issues[0]!));
  const file = parsed.output;
  const seen = new Map<string, number>();
  const clones = file.clones.map((entry, i) => {
    const name = entry.name ?? `${file.name}-${entry.template}`;
    if (!entry.name && !v.is(CloneNameSchema, name)) {
      throw invalid(path, `clones[${i}]: the default name ${name} is not a valid clone name`, 'give the entry a name (2-40 lowercase letters, digits and dashes)');
    }
    const first = seen.get(name);
    if (first !== undefined) {
      throw invalid(path, `clones[${i}].name: ${name} is already used by clones[${first}]`, 'clone names default to <env>-<template>; give one of the two entries its own name');
    }
    seen.set(name, i);
    return { ...entry, name, group: file.name };
  });
  return { name: file.name, path, clones };
}

export function loadEnvironmentFile(file: string = DEFAULT_ENVIRONMENT_FILE): EnvironmentDefinition {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw invalid(path, code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? (e as Error).message})`, 'pass the file with -f PATH (default: ./environment.yaml)');
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw invalid(path, `not valid YAML: ${(e as Error).message.split('\n')[0]!.replace(/:\s*$/, '')}`);
  }
  return checkEnvironmentFile(raw, path);
}

/**
 * `env up` through a control plane: the file is read and checked on the client's machine, and
 * its content travels (clone names resolved), with the file's path there as the spec to record.
 */
export const EnvironmentRequestSchema = v.strictObject({ ...EnvironmentFileSchema.entries, spec: v.pipe(v.string(), v.nonEmpty()) });
export type EnvironmentRequest = v.InferOutput<typeof EnvironmentRequestSchema>;

export function environmentRequest(def: EnvironmentDefinition): EnvironmentRequest {
  return { name: def.name, spec: def.path, clones: def.clones.map(({ group: _, ...c }) => c) };
}

/** The definition a request describes, checked as a file is (INVALID_INPUT naming the field). */
export function definitionFrom(req: EnvironmentRequest): EnvironmentDefinition {
  return checkEnvironmentFile({ name: req.name, clones: req.clones }, req.spec);
}
