import type { CloneInstance, CloneSpec } from './clone.ts';
import type { SeedResult, SeedSpec } from './seed.ts';
import type { CloneStatus, LogLine, LogOptions } from './status.ts';

/**
 * The seam. Every method maps to a CLI verb; implementations throw AsymmetricError,
 * never a bare Error. LocalDockerProvider runs today; a CloudProvider (thin client of the
 * control plane) is planned behind the same interface.
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
