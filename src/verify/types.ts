/**
 * `asym verify <template>`: the template's official SDK drives a live clone through every
 * operation the clone implements; a recording proxy between the SDK and the clone sees
 * each exchange, maps it to an operation of operations.json and checks the response body
 * against the vendor's published shape. FidelityScore = matched / theirs.
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
  step(name: string, fn: () => Promise<void>): Promise<void>;
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
  /** Is this a successful answer (e.g. 2xx, and Slack's ok: true)? Only those count. */
  succeeded(ex: Exchange): boolean;
  /** Problems with a successful response body against the vendor's shape; [] when it conforms. */
  validate(operation: string, ex: Exchange): string[];
  scenario: Scenario;
}

export interface OperationResult {
  id: string;
  implemented: boolean;
  /** Successful calls the recorder saw. */
  calls: number;
  matched: boolean;
  problems: string[];
}

export interface VerifyReport {
  template: string;
  clone: string;
  fidelity: import('../contract/fidelity.ts').FidelityScore;
  operations: OperationResult[];
  failedSteps: { step: string; error: string }[];
  ms: number;
}

/** What a scenario throws when a step cannot go on (e.g. an earlier step left no value). */
export function stepFailed(message: string): AsymmetricError {
  return new AsymmetricError('VERIFY_STEP_FAILED', message);
}
