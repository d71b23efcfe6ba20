/**
 * Client of a clone's /__asym admin surface. The CLI drives clones only through this and
 * Docker, so the same verbs can later drive a remote clone.
 */
import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { AsymmetricError } from '../contract/errors.ts';
import { CloneTokensSchema, type CloneTokens } from '../contract/clone.ts';
import { SeedResultSchema, type SeedResult } from '../contract/seed.ts';
import type { ClockReading } from '../contract/clock.ts';

const ClockAnswerSchema = v.object({
  clock: v.nullable(v.object({ at: v.string(), frozen: v.boolean() })),
  world: v.object({ seed: v.string(), start: v.string() }),
});

export type ClockAnswer = v.InferOutput<typeof ClockAnswerSchema> & { receivedAt: number };

/** A clock answer as the CLI reports it; a clone with no stored clock runs on the wall clock. */
export function clockReading(id: string, a: ClockAnswer): ClockReading {
  const at = a.clock?.at ?? new Date(a.receivedAt).toISOString();
  return { id, at, frozen: a.clock?.frozen ?? false, world: a.world, offsetMs: Date.parse(at) - a.receivedAt };
}

export class AdminClient {
  constructor(
    readonly baseUrl: string,
    private readonly secret: string,
    /** PEM file of the CA that signed a --tls clone's certificate. */
    private readonly caFile?: string,
  ) {}

  /** fetch options that trust the home's CA for a --tls clone (and nothing looser). */
  private tls(): { tls?: { ca: string } } {
    return this.caFile ? { tls: { ca: readFileSync(this.caFile, 'utf8') } } : {};
  }

  async health(timeoutMs = 1000): Promise<boolean> {
    try {
      const res = await fetch(`${this.baseUrl}/__asym/health`, { signal: AbortSignal.timeout(timeoutMs), ...this.tls() });
      await res.body?.cancel();
      return res.ok;
    } catch {
      return false;
    }
  }

  async call(path: string, body: unknown = {}, timeoutMs = 60_000, method: 'GET' | 'POST' = 'POST'): Promise<{ status: number; json: unknown }> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/__asym/${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-asym-admin': this.secret },
        body: method === 'POST' ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
        ...this.tls(),
      });
    } catch (e) {
      throw new AsymmetricError('CLONE_NOT_RUNNING', `the clone at ${this.baseUrl} did not answer: ${(e as Error).message}`, {
        hint: 'check it with asym status; start it with asym start',
        cause: e,
      });
    }
    const text = await res.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {}
    return { status: res.status, json };
  }

  async provision(world?: { seed: string; start: string }): Promise<CloneTokens> {
    const { status, json } = await this.call('provision', world ? { world } : {});
    const parsed = v.safeParse(CloneTokensSchema, json);
    if (status !== 200 || !parsed.success) {
      throw new AsymmetricError('PROVISION_FAILED', `provisioning the clone failed (HTTP ${status}): ${JSON.stringify(json).slice(0, 300)}`);
    }
    return parsed.output;
  }

  async seed(body: Record<string, unknown>): Promise<SeedResult> {
    const { status, json } = await this.call('seed', body, 300_000);
    if (status === 409) {
      throw new AsymmetricError('ALREADY_SEEDED', 'this clone already holds seeded data; a fixture pack loads only once', {
        hint: 'seed a fresh clone, reset one that was spun empty (asym reset <id>), or pass --force to clear the seeded data and load again',
      });
    }
    if (status === 404 && typeof json === 'object' && json && (json as { error?: string }).error === 'fixture_not_found') {
      throw new AsymmetricError('FIXTURE_NOT_FOUND', `no fixture named ${String(body.fixture)}`, { hint: 'asym templates lists each template’s fixture packs' });
    }
    const result = v.safeParse(v.object({ ...SeedResultSchema.entries }), json);
    if (status !== 200 || !result.success) {
      throw new AsymmetricError('SEED_FAILED', `seeding failed (HTTP ${status}): ${JSON.stringify(json).slice(0, 300)}`);
    }
    return result.output;
  }

  async release(): Promise<void> {
    const { status } = await this.call('release', {}, 10_000);
    if (status !== 200) throw new AsymmetricError('CLONE_NOT_RUNNING', `the clone refused to release its database (HTTP ${status})`);
  }

  async getConfig(): Promise<unknown> {
    const { status, json } = await this.call('config', undefined, 10_000, 'GET');
    if (status !== 200) throw new AsymmetricError('CLONE_NOT_RUNNING', `the clone did not return its configuration (HTTP ${status})`);
    return json;
  }

  async config(settings: Record<string, unknown>): Promise<unknown> {
    const { status, json } = await this.call('config', settings);
    if (status !== 200) throw new AsymmetricError('INVALID_INPUT', `the clone refused the configuration (HTTP ${status}): ${JSON.stringify(json).slice(0, 300)}`);
    return json;
  }

  /** The clone's clock: GET without an action, else set/advance/freeze/run/checkpoint. */
  async clock(action?: { action: string; at?: string; by?: string }): Promise<ClockAnswer> {
    const { status, json } = action ? await this.call('clock', action, 10_000) : await this.call('clock', {}, 10_000, 'GET');
    if (status !== 200) {
      const j = json as { error?: string; message?: string };
      if (status === 404) throw new AsymmetricError('NOT_SUPPORTED', 'this clone has no clock (spun by an older asym)', { hint: 'asym upgrade it, or spin it again' });
      throw new AsymmetricError('INVALID_INPUT', j.message ?? `clock refused (HTTP ${status})`);
    }
    const parsed = v.safeParse(ClockAnswerSchema, json);
    if (!parsed.success) throw new AsymmetricError('INTERNAL', `the clone answered its clock in an unknown shape: ${JSON.stringify(json).slice(0, 200)}`);
    return { ...parsed.output, receivedAt: Date.now() };
  }
}
