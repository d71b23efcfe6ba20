/**
 * Environment membership, the environments half of the registry: written only here. A spin
 * with `group` joins (inside the same registry update that records the clone, so a clone is
 * never recorded without its environment); forgetting a clone leaves every environment.
 */
import type { RegistryFile } from '../contract/registry-file.ts';
import { environmentState } from '../registry/migrate.ts';

const now = () => new Date().toISOString();

/** Add `id` to environment `name`, creating the environment when it is new. */
export function joinEnvironment(reg: RegistryFile, name: string, id: string): void {
  let env = reg.environments.find((e) => e.name === name);
  if (!env) {
    env = { name, members: [], spec: null, state: 'stopped', createdAt: now(), updatedAt: now() };
    reg.environments.push(env);
  }
  if (!env.members.includes(id)) env.members.push(id);
  env.updatedAt = now();
}

/** Remove `id` from every environment it belongs to, recomputing their states. */
export function leaveEnvironments(reg: RegistryFile, id: string): void {
  for (const env of reg.environments) {
    if (!env.members.includes(id)) continue;
    env.members = env.members.filter((m) => m !== id);
    env.state = environmentState(env.members.map((m) => reg.clones.find((c) => c.id === m)?.state));
    env.updatedAt = now();
  }
}
