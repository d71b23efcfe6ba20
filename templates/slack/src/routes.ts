import type { Handler } from './types.ts';
import { METHODS } from './handlers/index.ts';

/** A Web API method: served at /api/<name> over any HTTP method, as Slack serves them. */
export interface Route {
  method: '*';
  path: string;
  /** Slack's method name (chat.postMessage). */
  name: string;
  handler: Handler;
}

/** Every Web API method the clone emulates, as the kit's route table. */
export const ROUTES: Route[] = Object.entries(METHODS).map(([name, handler]) => ({ method: '*', path: `/api/${name}`, name, handler }));
