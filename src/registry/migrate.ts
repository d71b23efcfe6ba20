import * as v from 'valibot';
import { REGISTRY_VERSION, RegistryFileV1Schema, type RegistryFile, type RegistryFileV1 } from '../contract/registry-file.ts';
import type { CloneRecord } from '../contract/clone.ts';
import type { Environment, EnvironmentState } from '../contract/environment.ts';

/**
 * v1 → v2: `groups` become `environments`, and each environment's members are rebuilt
 * from the legacy per-clone `group` tags. A tag naming a group the v1 file never listed
 * still yields an environment, so no membership is lost. The tags are then dropped:
 * in v2 membership lives only on the Environment.
 */
export function migrateV1(file: RegistryFileV1): RegistryFile {
  const now = new Date().toISOString();
  const envs = new Map<string, Environment>();
  for (const g of file.groups ?? []) {
    envs.set(g.name, {
      name: g.name,
      members: [],
      spec: g.spec ?? null,
      state: 'stopped',
      createdAt: g.createdAt ?? now,
      updatedAt: g.updatedAt ?? now,
    });
  }
  const clones: CloneRecord[] = [];
  for (const legacy of file.clones) {
    const { group, ...clone } = legacy;
    clones.push(clone);
    if (!group) continue;
    let env = envs.get(group);
    if (!env) {
      env = { name: group, members: [], spec: null, state: 'stopped', createdAt: clone.createdAt, updatedAt: clone.updatedAt };
      envs.set(group, env);
    }
    if (!env.members.includes(clone.id)) env.members.push(clone.id);
  }
  for (const env of envs.values()) env.state = environmentState(env.members.map((id) => clones.find((c) => c.id === id)?.state));
  return { version: REGISTRY_VERSION, clones, environments: [...envs.values()] };
}

export function environmentState(states: (string | undefined)[]): EnvironmentState {
  if (states.length === 0) return 'stopped';
  if (states.some((s) => s === 'failed')) return 'failed';
  const running = states.filter((s) => s === 'running').length;
  if (running === states.length) return 'running';
  return running === 0 ? 'stopped' : 'partial';
}

export function isV1(raw: unknown): raw is RegistryFileV1 {
  return typeof raw === 'object' && raw !== null && (raw as { version?: unknown }).version === 1 && v.is(RegistryFileV1Schema, raw);
}
