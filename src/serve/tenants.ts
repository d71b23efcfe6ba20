/**
 * Which tenant (API key name) owns which clone: `<home>/serve/owners.json`, a side file of
 * the control plane's registry, written only by the server process (renamed into place).
 *
 * Invariants:
 * - an id is claimed for its tenant before the engine creates anything, so a server that
 *   dies mid-create knows, when it starts again, whose operation it reconciles;
 * - the quota check and the claim happen together under one per-tenant queue, so N
 *   concurrent creates of one tenant can never all see "one slot left";
 * - a clone with no owner entry is nobody's: no tenant sees it (a clone spun locally in
 *   the server's home stays out of the API);
 * - environments are owned the same way (`environments`, name → tenant), claimed before the
 *   registry records them; they do not count against --max-clones, their members do.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as v from 'valibot';
import { AsymmetricError } from '../contract/errors.ts';
import { ensurePrivateDir, homePath } from '../registry/home.ts';
import { writeAtomic } from '../registry/registry.ts';

const OwnersSchema = v.object({ version: v.literal(1), clones: v.record(v.string(), v.string()), environments: v.optional(v.record(v.string(), v.string()), {}) });

export function ownersPath(): string {
  return homePath('serve', 'owners.json');
}

export class Tenants {
  private readonly owners: Map<string, string>;
  private readonly envOwners = new Map<string, string>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor() {
    this.owners = new Map();
    const path = ownersPath();
    if (!existsSync(path)) return;
    const parsed = v.safeParse(OwnersSchema, JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) throw new AsymmetricError('REGISTRY_CORRUPT', `${path} is not a valid owners file`, { hint: 'restore it from a backup; without it no tenant sees its clones' });
    for (const [id, t] of Object.entries(parsed.output.clones)) this.owners.set(id, t);
    for (const [name, t] of Object.entries(parsed.output.environments)) this.envOwners.set(name, t);
  }

  private save(): void {
    ensurePrivateDir(homePath('serve'));
    writeAtomic(ownersPath(), `${JSON.stringify({ version: 1, clones: Object.fromEntries(this.owners), environments: Object.fromEntries(this.envOwners) }, null, 2)}\n`);
  }

  ownerOf(id: string): string | undefined {
    return this.owners.get(id);
  }

  owned(tenant: string): string[] {
    return [...this.owners].filter(([, t]) => t === tenant).map(([id]) => id);
  }

  /** Run fn after every earlier call for this tenant has finished (a per-tenant mutex). */
  private serial<T>(tenant: string, fn: () => T | Promise<T>): Promise<T> {
    const prev = this.queues.get(tenant) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    this.queues.set(tenant, next.catch(() => {}));
    return next;
  }

  /**
   * Claim ids for a tenant within its quota, atomically per tenant. An id another tenant
   * holds is NAME_TAKEN (the same answer an id of this tenant's gets).
   */
  claim(tenant: string, ids: string[], maxClones: number | null): Promise<void> {
    return this.serial(tenant, () => {
      this.checkRoom(tenant, ids.length, maxClones);
      for (const id of ids) {
        if (this.owners.has(id)) throw new AsymmetricError('NAME_TAKEN', `a clone named ${id} already exists`, { hint: 'pick another --name' });
      }
      for (const id of ids) this.owners.set(id, tenant);
      this.save();
    });
  }

  /**
   * QUOTA_EXCEEDED unless the tenant has room for `n` more clones now. Alone it is an early
   * answer only (spin --from asks before it reads the upload); claim is what holds the room.
   */
  checkRoom(tenant: string, n: number, maxClones: number | null): void {
    const have = this.owned(tenant).length;
    if (maxClones !== null && have + n > maxClones) {
      throw new AsymmetricError('QUOTA_EXCEEDED', `key ${tenant} may hold ${maxClones} clone(s); it holds ${have}${n > 1 ? ` and asked for ${n} more` : ''}`, {
        hint: 'destroy a clone (asym ls, asym destroy ID --yes), or ask the operator for a larger --max-clones',
        details: { maxClones, clones: have },
      });
    }
  }

  release(ids: string[]): void {
    let changed = false;
    for (const id of ids) changed = this.owners.delete(id) || changed;
    if (changed) this.save();
  }

  environmentOwner(name: string): string | undefined {
    return this.envOwners.get(name);
  }

  /** An environment's name for a tenant; another tenant's is NAME_TAKEN. Synchronous, so two claims cannot interleave. */
  claimEnvironment(tenant: string, name: string): void {
    const owner = this.envOwners.get(name);
    if (owner === tenant) return;
    if (owner !== undefined) throw new AsymmetricError('NAME_TAKEN', `an environment named ${name} already exists`, { hint: 'give the environment another name' });
    this.envOwners.set(name, tenant);
    this.save();
  }

  releaseEnvironment(name: string): void {
    if (this.envOwners.delete(name)) this.save();
  }

  /** Drop environment claims with no environment behind them (at start). */
  reconcileEnvironments(existing: Set<string>): string[] {
    const gone = [...this.envOwners.keys()].filter((n) => !existing.has(n));
    for (const n of gone) this.envOwners.delete(n);
    if (gone.length) this.save();
    return gone;
  }

  /** Drop claims whose clone no longer exists (run at start, when nothing is in flight). */
  reconcile(existing: Set<string>): string[] {
    const gone = [...this.owners.keys()].filter((id) => !existing.has(id));
    this.release(gone);
    return gone;
  }
}
