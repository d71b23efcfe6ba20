/**
 * `asym verify <template>`: the template's official SDK drives a live clone through every
 * operation the clone implements; a recording proxy between the SDK and the clone sees
 * each exchange, maps it to an operation of operations.json and gathers three kinds of
 * evidence per operation: shape (status and body as documented), behaviour (checks the
 * scenario makes on data it chose) and errors (documented error cases answered with the
 * vendor's status and code). See score.ts for how they combine.
 */
import type { CloneInstance, CloneTokens } from '../contract/clone.ts';
import { AsymmetricError } from '../contract/errors.ts';

/** A clone that has been provisioned: its tokens are there. */
export type ProvisionedClone = CloneInstance & { tokens: CloneTokens };

/** One HTTP exchange seen by the recording proxy. */
export interface Exchange {
  method: string;
  /** Path and query as the SDK sent them, e.g. /api/chat.postMessage or /v1/customers?limit=3. */
  path: string;
  status: number;
  /** Parsed JSON body of the response, or undefined when it had none or was not JSON. */
  body: unknown;
  /** The request body as sent (GraphQL: the query names the operations). */
  requestBody?: string;
  /** The step that was running when the exchange happened. */
  step?: string;
  /** The request as sent, so error probes can replay it with one thing changed. */
  request?: { headers: Record<string, string>; body?: Uint8Array };
}

/** What a documented error case expects: the vendor's HTTP status and error code. */
export interface ExpectedError {
  status: number;
  code: string;
}

/** What a scenario gets: clients point at `apiUrl` (the proxy), never at the clone itself. */
export interface ScenarioContext {
  /** Base URL to give the SDK (same shape as clone.endpoints.api, but through the recorder). */
  readonly apiUrl: string;
  /** The clone under test: tokens (botToken, userToken, ids) are here. */
  readonly clone: ProvisionedClone;
  /**
   * Run one step. A step that throws is recorded as a failure with its message and the
   * scenario goes on; later steps that depend on it should tolerate missing values.
   */
  step(name: string, fn: () => Promise<void>, covers?: string[]): Promise<void>;
  /**
   * Behaviour evidence for `ops`: `fn` throws (or returns false) when the clone's data does
   * not show the effect. A check that cannot run because an earlier value is missing fails too.
   */
  check(ops: string | string[], name: string, fn: () => unknown): Promise<boolean>;
  /**
   * Error evidence for `op`: `call` makes one request the vendor documents as failing with
   * `expected`; the recorded answer must carry that status and code.
   */
  errorCase(op: string, name: string, expected: ExpectedError, call: () => Promise<unknown>): Promise<void>;
  /** Call the clone's admin surface (/__asym/<path>) with its secret. */
  admin(path: string, body?: unknown, method?: 'GET' | 'POST'): Promise<{ status: number; json: any }>;
  /** A short unique suffix for names created by this run. */
  readonly unique: string;
}

export type Scenario = (ctx: ScenarioContext) => Promise<void>;

/** An entry of templates/<name>/operations.json, reduced to what verify needs. */
export interface OperationEntry {
  /** Slack: the method name; REST APIs: "METHOD /path/{param}". */
  id: string;
  implemented: boolean;
}

export interface TemplateVerifier {
  template: string;
  /** The SDK that drives the checks, with its version, e.g. "@slack/web-api 8.2.0". */
  sdk: string;
  /** What the response bodies are checked against, for FidelityScore.source. */
  shapes: string;
  operations(): OperationEntry[];
  /** The operation id an exchange belongs to, or null if it is outside operations.json. */
  operationOf(method: string, path: string): string | null;
  /** GraphQL: every operation (root field) one exchange calls; overrides operationOf. */
  operationsOf?(ex: Exchange): string[];
  /** Is this a successful answer (e.g. 2xx, and Slack's ok: true)? Only those are shape-checked. */
  succeeded(ex: Exchange): boolean;
  /** The vendor's error code in an error answer (Slack `error`, Stripe `error.code`, ...). */
  errorCode(ex: Exchange): string | undefined;
  /** Generic error probes, replayed after the scenario from each operation's first success. */
  probes: ErrorProbe[];
  /** Problems with a successful response body against the vendor's shape; [] when it conforms. */
  validate(operation: string, ex: Exchange): string[];
  scenario: Scenario;
}

/** A replay of a recorded request with one thing changed, and the error the vendor documents for it. */
export interface ErrorProbe {
  name: string;
  /** The changed request, or null when the probe does not apply to this operation. */
  apply(op: string, ex: Exchange): { path: string; headers: Record<string, string>; body?: Uint8Array; expected: ExpectedError } | null;
}

/** Evidence of one kind for one operation: checks that passed of those made. */
export interface Evidence {
  passed: number;
  total: number;
  failures: string[];
}

export interface OperationResult {
  id: string;
  implemented: boolean;
  /** Successful calls the recorder saw. */
  calls: number;
  /** 1 when every successful answer had the documented status and body (and there was one), else 0. */
  shape: number;
  /** passed / total behaviour checks; 0 with none. */
  behaviour: number;
  /** passed / total documented error cases; 0 with none. */
  errors: number;
  /** shape × behaviour × errors. */
  score: number;
  /** score === 1: every kind of evidence holds. */
  matched: boolean;
  /** Shape problems, then failed behaviour checks and error cases. */
  problems: string[];
  evidence: { behaviour: Evidence; errors: Evidence };
}

export interface VerifyReport {
  template: string;
  clone: string;
  /** The clone's API base URL the SDK was pointed at (through the recorder): for a control plane's clone, the one it advertises. */
  endpoint: string;
  fidelity: import('../contract/fidelity.ts').FidelityScore;
  operations: OperationResult[];
  failedSteps: { step: string; error: string }[];
  /** The families of the vendor's list left out of scope, with their operation counts. */
  excluded: Record<string, number>;
  ms: number;
}

/** What a scenario throws when a step cannot go on (e.g. an earlier step left no value). */
export function stepFailed(message: string): AsymmetricError {
  return new AsymmetricError('VERIFY_STEP_FAILED', message);
}

/** A scenario's check of what it read back: fails the check (or step) with `what` unless `cond` holds. */
export function is(cond: unknown, what: string): void {
  if (!cond) throw stepFailed(what);
}
