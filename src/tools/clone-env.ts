/**
 * A registered clone's tool environment: its endpoint and tokens from the registry, the
 * paths of the home's CA bundle and of the host-map preload. The commands `asym tokens
 * --env` and `asym env tokens --env` are thin over these.
 */
import { join } from 'node:path';
import { AsymmetricError } from '../contract/errors.ts';
import type { CloneRecord } from '../contract/clone.ts';
import type { CliProvider } from '../contract/provider.ts';
import { engineFor } from '../providers/index.ts';
import { getEnvironment } from '../env/environments.ts';
import { getClone } from '../registry/registry.ts';
import { templatesRoot } from '../templates/root.ts';
import { caFiles } from './tls.ts';
import { mergeToolEnvs, toolEnv, type ToolEnv } from './tool-env.ts';

/** The preload ships with the templates, so a compiled asym has it on disk too (unpacked). */
export function hostMapPreload(): string {
  return join(templatesRoot(), '_tools', 'host-map.cjs');
}

export function recordToolEnv(record: CloneRecord, opts: { only?: string; prefix?: boolean } = {}): ToolEnv {
  if (!record.tokens) throw new AsymmetricError('PROVISION_FAILED', `clone ${record.id} has no tokens (state ${record.state})`, { hint: 'spin it again' });
  const ca = caFiles();
  // This machine's clone: its endpoint as this machine's engine advertises it.
  const api = engineFor().instance(record).endpoints.api;
  return toolEnv(record.template, { api, tokens: record.tokens }, { caFile: ca.cert, bundleFile: ca.bundle, preloadFile: hostMapPreload() }, { tls: record.tls === true, ...opts });
}

/**
 * The same for a clone of any provider (a control plane's): its endpoint as the provider
 * advertises it. A --tls clone of a remote is refused: its CA lives on the server.
 */
export async function providerToolEnv(provider: CliProvider, id: string, only?: string): Promise<ToolEnv> {
  const record = await provider.get(id);
  if (!record.tokens) throw new AsymmetricError('PROVISION_FAILED', `clone ${record.id} has no tokens (state ${record.state})`, { hint: 'spin it again' });
  if (record.tls) throw new AsymmetricError('NOT_SUPPORTED', `clone ${id} serves HTTPS with the control plane's own CA, which this machine does not have`, { hint: 'spin it without --tls, or run asym tokens --env on the server' });
  return toolEnv(record.template, { api: provider.instance(record).endpoints.api, tokens: record.tokens }, { preloadFile: hostMapPreload() }, { tls: false, only });
}

export function cloneToolEnv(id: string, only?: string): ToolEnv {
  return recordToolEnv(getClone(id), { only });
}

/** Every member's variables in one set; `only` applies to the members that have that tool. */
export function environmentToolEnv(name: string, only?: string): { vars: Record<string, string>; notes: string[]; clones: string[] } {
  return membersToolEnv(name, getEnvironment(name).members.map((id) => getClone(id)), only, recordToolEnv);
}

/** The same for an environment of a control plane: its members' records and endpoints as the provider advertises them. */
export async function providerEnvironmentToolEnv(provider: CliProvider, name: string, members: string[], only?: string): Promise<{ vars: Record<string, string>; notes: string[]; clones: string[] }> {
  const records: CloneRecord[] = [];
  for (const id of members) records.push(await provider.get(id));
  return membersToolEnv(name, records, only, (record, opts) => {
    if (!record.tokens) throw new AsymmetricError('PROVISION_FAILED', `clone ${record.id} has no tokens (state ${record.state})`, { hint: 'spin it again' });
    if (record.tls) throw new AsymmetricError('NOT_SUPPORTED', `clone ${record.id} serves HTTPS with the control plane's own CA, which this machine does not have`, { hint: 'spin it without --tls' });
    return toolEnv(record.template, { api: provider.instance(record).endpoints.api, tokens: record.tokens }, { preloadFile: hostMapPreload() }, { tls: false, ...opts });
  });
}

function membersToolEnv(
  name: string,
  records: CloneRecord[],
  only: string | undefined,
  build: (record: CloneRecord, opts: { only?: string; prefix: boolean }) => ToolEnv,
): { vars: Record<string, string>; notes: string[]; clones: string[] } {
  const envs = records.map((r) => build(r, { prefix: true }));
  if (only !== undefined) {
    const withTool = records.filter((r) => envs.find((e) => e.template === r.template && e.tools.includes(only)));
    if (!withTool.length) {
      throw new AsymmetricError('INVALID_INPUT', `no clone of environment ${name} has a tool ${only}`, { hint: `tools: ${[...new Set(envs.flatMap((e) => e.tools))].join(', ')}` });
    }
    const picked = withTool.map((r) => build(r, { only, prefix: true }));
    return { vars: mergeToolEnvs(picked), notes: picked.flatMap((e) => e.notes), clones: withTool.map((r) => r.id) };
  }
  return { vars: mergeToolEnvs(envs), notes: envs.flatMap((e) => e.notes), clones: records.map((r) => r.id) };
}
