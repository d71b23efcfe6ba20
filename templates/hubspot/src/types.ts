import type { KitContext } from '../../_kit/types.ts';
import type { Caller } from './auth.ts';
import type { Catalog } from './catalog.ts';
import type { ObjectType } from './schema.ts';

/** What a handler gets: the request, its parsed JSON body, path captures and the caller. */
export interface Call {
  ctx: KitContext;
  method: string;
  path: string;
  url: URL;
  query: URLSearchParams;
  body: Record<string, any>;
  /** Path captures after the object type (for /crm/v3/objects/{objectType}/… the type is resolved into `type`). */
  ids: string[];
  /** The object type of a /crm/v3/objects route (fixed or from its {objectType}). */
  type: ObjectType;
  caller: Caller;
  /** The portal's property definitions (HubSpot's and custom) as of this request. */
  catalog: Catalog;
}

export interface Result {
  status: number;
  body?: unknown;
}

export type Handler = (c: Call) => Promise<Result>;

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** As in operations.json (HubSpot's path template). */
  path: string;
  handler: Handler;
  /** Fixed object type (contacts/companies/deals routes); else the first capture names it. */
  type?: ObjectType;
  /** The route's first capture is an object type ({objectType}). */
  typed?: boolean;
}
