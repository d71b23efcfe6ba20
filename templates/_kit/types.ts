import type { SQL } from 'bun';
import type { Db } from './db.ts';
import type { KitEnv } from './env.ts';
import type { InputLimits, InputProblem } from './input.ts';
import type { Prng } from './prng.ts';
import type { PrefixedRedis } from './redis.ts';
import type { World } from './world.ts';

/** What every handler and hook gets: the clone's environment and its stores. */
export interface KitContext {
  env: KitEnv;
  db: Db;
  redis: PrefixedRedis;
  /** The template's /__asym/config settings (cached; cleared on release). */
  config(): Promise<Record<string, unknown>>;
  log(line: string): void;
  /** The clone's clock (world.ts): use this, never the wall clock, for any time the API reports or stores. */
  now(): Date;
  /** The world this clone was provisioned with (seed and start time). */
  world(): World;
  /** A PRNG seeded by the world's seed and `label`: ids that must be the same in every clone of a world. */
  rng(label: string): Prng;
  /**
   * Per-server state (caches, counters): made by `init` on first use, one per server, and
   * cleared by the kit (its `clear()`) whenever the database is released, as on reset and
   * restore. Servers keep their state here, never in module-level variables.
   */
  state<T extends Clearable>(key: string, init: () => T): T;
}

export interface Clearable {
  clear(): void;
}

export interface SeedRejection {
  entity: string;
  index: number;
  reason: string;
}

export interface RecordsOutcome {
  written: number;
  rejected: number;
  rejections: SeedRejection[];
  warnings: string[];
}

/** The hooks a template hands to createServer. Only `routes` and `provision` are required. */
export interface TemplateHooks {
  template: string;
  version: string;
  /** The vendor API. Return null to fall through to `notFound`. */
  routes(req: Request, url: URL, ctx: KitContext): Promise<Response | null>;
  /** Vendor-shaped answer for an unmatched path (never a bare 404 for vendor paths). */
  notFound?(req: Request, url: URL): Response;
  /** Vendor-shaped 500 for an unexpected error. */
  errorEnvelope?(err: unknown, req: Request): Response;
  /**
   * Vendor-shaped answer for input the kit refused before routing (a NUL in a string, a body
   * over `inputLimits`). Without it the kit answers a plain 400 JSON.
   */
  badInput?(problem: InputProblem, req: Request): Response;
  /** The vendor's documented request limits (default DEFAULT_INPUT_LIMITS). */
  inputLimits?: InputLimits;
  /** Vendor-shaped "service unavailable" (503) for when the database cannot be reached. */
  unavailable?(req: Request): Response;
  /** Create the default app/workspace/users inside `tx`; returns the one-time token JSON. */
  provision(ctx: KitContext, tx: SQL): Promise<Record<string, unknown>>;
  /** Validate and write AI/harness records; bad records are rejected and counted, never thrown. */
  seedRecords?(ctx: KitContext, records: Record<string, unknown[]>): Promise<RecordsOutcome>;
  /** Remove seeded data before a forced re-seed. */
  clearSeeded?(ctx: KitContext, tx: SQL): Promise<void>;
  /** Validate a config patch and return the next full config (throw KitError with status 400). */
  configure?(current: Record<string, unknown>, patch: Record<string, unknown>, ctx: KitContext): Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Template-specific admin endpoints under /__asym/<template>/... (already admin-guarded). */
  adminRoutes?(req: Request, url: URL, ctx: KitContext): Promise<Response | null>;
  /** Called once the server listens (timers, background work). */
  start?(ctx: KitContext): void;
  /** Drop template caches (the database is about to be swapped). */
  onRelease?(): void;
  /** Stop timers on shutdown. */
  stop?(ctx: KitContext): void;
}
