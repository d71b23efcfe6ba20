/**
 * One clock for an environment's clones, so a Slack message and the GitHub issue it mentions
 * agree on time.
 *
 * The environment stores no clock of its own: its members' clocks are the truth, and they are
 * kept equal. A change goes in three passes over the running members: freeze every one (no
 * member drifts while the others are being set), set every one to one target computed once
 * from the first member's frozen reading (set: the given time; advance: that reading plus the
 * duration; freeze and run: that reading), then, when the clock is to run, start every one.
 * Members then differ only by the milliseconds between the last pass's calls, and a frozen
 * environment not at all. A member that fails is reported in `results` and the others still
 * move; `asym env clock <name>` shows the skew, and running the verb again realigns them.
 *
 * A clone that joins later (env up spinning a new member, spin --group) adopts the reading of
 * a member already there (joinEnvClock); env reset puts every member back at the world's start.
 */
import type { ClockOp, ClockReading } from '../contract/clock.ts';
import type { EnvironmentResult } from '../contract/environment.ts';
import type { CliProvider } from '../contract/provider.ts';
import { toAsymmetricError } from '../contract/errors.ts';
import { findClone, readRegistry } from '../registry/registry.ts';
import { providerFor } from '../providers/index.ts';
import { parseDuration } from '../worlds/clock.ts';
import { getEnvironment } from './environments.ts';

export interface EnvClockResult {
  environment: string;
  /** The shared reading (the first member's), null when no member answered. */
  clock: { at: string; frozen: boolean } | null;
  members: ClockReading[];
  results: EnvironmentResult[];
  /** Largest difference between two members' clocks, in ms (0 when they agree). */
  skewMs: number;
}

/**
 * Largest difference between two members' clocks at one instant: a frozen clock reads its `at`,
 * a running one its offset from the wall clock carried to now.
 */
function skew(readings: ClockReading[]): number {
  if (readings.length < 2) return 0;
  const now = Date.now();
  const values = readings.map((r) => (r.frozen ? Date.parse(r.at) : now + r.offsetMs));
  return Math.max(...values) - Math.min(...values);
}

/** Running members in order; the others are failed results from the start. */
function runningMembers(name: string): { ids: string[]; results: EnvironmentResult[] } {
  const reg = readRegistry();
  const ids: string[] = [];
  const results: EnvironmentResult[] = [];
  for (const id of getEnvironment(name).members) {
    const state = findClone(reg, id)?.state;
    if (state === 'running') ids.push(id);
    else results.push({ clone: id, ok: false, error: { code: 'CLONE_NOT_RUNNING', message: `${id} is ${state ?? 'gone'}; its clock was not changed` } });
  }
  return { ids, results };
}

/**
 * Apply `op` to every member of `ids` at once (concurrent calls, so members move within the
 * same few milliseconds); failures become results and drop the member from the next passes.
 */
async function pass(provider: CliProvider, ids: string[], op: ClockOp, results: Map<string, EnvironmentResult>): Promise<Map<string, ClockReading>> {
  const live = ids.filter((id) => results.get(id)?.ok !== false);
  const answers = await Promise.all(
    live.map((id) =>
      provider.clock(id, op).then(
        (r) => ({ id, r }),
        (e) => ({ id, e: toAsymmetricError(e) }),
      ),
    ),
  );
  const out = new Map<string, ClockReading>();
  for (const a of answers) {
    if ('r' in a) {
      out.set(a.id, a.r);
      results.set(a.id, { clone: a.id, ok: true });
    } else results.set(a.id, { clone: a.id, ok: false, error: { code: a.e.code, message: a.e.message } });
  }
  return out;
}

export async function envClock(name: string, op: ClockOp, provider: CliProvider = providerFor()): Promise<EnvClockResult> {
  const { ids, results: idle } = runningMembers(name);
  const results = new Map<string, EnvironmentResult>();
  let readings: Map<string, ClockReading>;
  if (op.op === 'show') {
    readings = await pass(provider, ids, op, results);
  } else {
    // set and advance leave the clock frozen or running as it was: the first member says which.
    const before = await pass(provider, ids, { op: 'show' }, results);
    const priorFrozen = ids.map((id) => before.get(id)).find((r) => r)?.frozen ?? false;
    const frozen = await pass(provider, ids, { op: 'freeze' }, results);
    const leader = ids.map((id) => frozen.get(id)).find((r) => r);
    readings = frozen;
    if (leader) {
      let target = leader.at;
      if (op.op === 'set') target = op.at;
      if (op.op === 'advance') target = new Date(Date.parse(leader.at) + (parseDuration(op.by) ?? 0)).toISOString();
      readings = await pass(provider, [...frozen.keys()], { op: 'set', at: target }, results);
      const run = op.op === 'run' || ((op.op === 'set' || op.op === 'advance') && !priorFrozen);
      if (run) readings = await pass(provider, [...readings.keys()], { op: 'run' }, results);
    }
  }
  const members = ids.flatMap((id) => readings.get(id) ?? []);
  const first = members[0];
  return {
    environment: name,
    clock: first ? { at: first.at, frozen: first.frozen } : null,
    members,
    results: [...ids.map((id) => results.get(id)!).filter(Boolean), ...idle],
    skewMs: skew(members),
  };
}

/**
 * A clone that just joined `name` takes the environment's clock: the reading of the first
 * other running member, carried forward by the time the call took, frozen or running like it.
 * Returns null when there is no other member to agree with.
 */
export async function joinEnvClock(name: string, id: string, provider: CliProvider = providerFor()): Promise<ClockReading | null> {
  const { ids } = runningMembers(name);
  for (const other of ids) {
    if (other === id) continue;
    let ref: ClockReading;
    try {
      ref = await provider.clock(other, { op: 'show' });
    } catch {
      continue;
    }
    const at = ref.frozen ? ref.at : new Date(Date.now() + ref.offsetMs).toISOString();
    if (ref.frozen) await provider.clock(id, { op: 'freeze' });
    await provider.clock(id, { op: 'set', at });
    if (!ref.frozen) return provider.clock(id, { op: 'run' });
    return provider.clock(id, { op: 'show' });
  }
  return null;
}

/** After env reset: every member back at the first member's world start, running, in step. */
export async function alignAfterReset(name: string, provider: CliProvider = providerFor()): Promise<void> {
  const { ids } = runningMembers(name);
  if (ids.length < 2) return;
  const first = await provider.clock(ids[0]!, { op: 'show' }).catch(() => null);
  // Each member's pristine clock is {start, running}; setting the start again writes the same row.
  if (first) await envClock(name, { op: 'set', at: first.world.start }, provider);
}
