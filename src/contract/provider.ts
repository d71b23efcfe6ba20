import type { CloneInstance, CloneRecord, CloneSpec, CloneTokens } from './clone.ts';
import type { ClockOp, ClockReading } from './clock.ts';
import type { AdminClient } from '../admin/client.ts';
import type { DiffOptions, SnapshotMeta, StateDiff } from './diff.ts';
import type { SeedResult, SeedSpec } from './seed.ts';
import type { CloneStatus, LogLine, LogOptions } from './status.ts';

/**
 * The seam. Every method maps to a CLI verb; implementations throw AsymmetricError,
 * never a bare Error. LocalDockerProvider runs clones on this machine; the CLI gets one
 * from src/providers (providerFor), never by constructing it.
 */
export interface CloneProvider {
  readonly kind: 'local' | 'cloud';

  create(spec: CloneSpec): Promise<CloneInstance>;
  start(id: string): Promise<void>;
  stop(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  status(id: string): Promise<CloneStatus>;
  logs(id: string, opts?: LogOptions): AsyncIterable<LogLine>;
  seed(id: string, spec: SeedSpec): Promise<SeedResult>;
  reset(id: string): Promise<void>;

  // Phase 2, optional.
  snapshot?(id: string, name: string): Promise<void>;
  restore?(id: string, name: string): Promise<void>;
}

export interface UpgradeResult {
  id: string;
  from: string | null;
  to: string;
  digest: string | null;
  changed: boolean;
}

/** `asym tokens <id>`: the clone's credentials and its admin secret. */
export type TokensResult = { id: string; adminSecret?: string } & Partial<CloneTokens>;

/**
 * What the CLI needs beyond the contract's verbs. Every command goes through this, so the
 * engine behind it (this machine's Docker, or a control plane) is the factory's choice.
 */
export interface CliProvider extends CloneProvider {
  /** Every clone record this provider holds (for a remote: the caller's tenant's). */
  list(): Promise<CloneRecord[]>;
  /** One record; CLONE_NOT_FOUND when absent. Transient states answer CLONE_BUSY / CLONE_INTERRUPTED. */
  get(id: string): Promise<CloneRecord>;
  /** The clone's /__asym admin client (verify drives a clone through it). */
  admin(record: CloneRecord): AdminClient;
  /** A record with its endpoints (what spin, status and env print). */
  instance(record: CloneRecord): CloneInstance;
  /** Start the clone if it is not up (containers gone or exited); true when it did anything. */
  ensureRunning(id: string): Promise<boolean>;
  /** `saveAs`: keep the seeded state as a pack of this home (replayed by SeedSpec.pack). */
  seed(id: string, spec: SeedSpec, opts?: SeedOptions): Promise<SeedResult>;
  tokens(id: string): Promise<TokensResult>;
  userToken(id: string, user: string): Promise<unknown>;
  /** The clone's settings; with a patch, merged first. */
  config(id: string, patch?: Record<string, unknown>): Promise<unknown>;
  upgrade(id: string): Promise<UpgradeResult>;
  diff(id: string, opts?: DiffOptions): Promise<StateDiff>;
  snapshot(id: string, name: string): Promise<void>;
  restore(id: string, name: string): Promise<void>;
  listSnapshots(id: string): Promise<SnapshotMeta[]>;
  removeSnapshot(id: string, name: string): Promise<void>;
  /** The clone's clock: show it, or set / advance / freeze / run it (src/contract/clock.ts). */
  clock(id: string, op: ClockOp): Promise<ClockReading>;
  /** N new clones from one clone's current state (a database copy, not a re-seed). */
  fork(id: string, n: number, opts?: { prefix?: string }): Promise<{ source: string; clones: CloneInstance[]; ms: number }>;

  // Portable worlds: one snapshot file (src/worlds/snapshot-file.ts) any machine brings back.
  // `file` is a path on the caller's machine.
  /** Write a named snapshot of the clone to `file`. */
  exportSnapshot(id: string, name: string, file: string): Promise<PortableExport>;
  /** A new clone holding the file's state (template from the file unless given), with tokens of its own. */
  createFrom(spec: Omit<CloneSpec, 'template' | 'seed' | 'world'> & { template?: string }, file: string): Promise<CloneInstance>;
  /** Replace the clone's state with the file's; its tokens stay its own. */
  restoreFrom(id: string, file: string): Promise<PortableImport>;
}

export interface SeedOptions {
  force?: boolean;
  /** Then keep the seeded state as a pack of this home, by this name. */
  saveAs?: string;
  /** Then write the seeded state to this file (a control plane saving a pack for its client). */
  saveTo?: string;
  /** With SeedSpec.pack: the pack's file, instead of the one of that name in this home (a client's, sent to a control plane). */
  packFile?: string;
}

/** What `asym snapshot export` reports. */
export interface PortableExport {
  id: string;
  snapshot: string | null;
  file: string;
  bytes: number;
  template: string;
  templateVersion: string;
  migrations: string[];
  redisKeys: number;
  ms: number;
}

/** What `asym restore --from` reports. */
export interface PortableImport {
  id: string;
  file: string;
  template: string;
  templateVersion: string;
  /** Migrations applied on top of the file's level (an older file migrated forward). */
  migrated: string[];
  redisKeys: number;
  ms: number;
}
