import type { Params } from '../../_kit/http.ts';
import type { KitContext } from '../../_kit/types.ts';
import type { Obj } from './store.ts';

/** What a handler gets: the parsed params, the ids captured from its path, and the caller. */
export interface Call {
  ctx: KitContext;
  method: string;
  path: string;
  params: Params;
  ids: string[];
  account: AccountInfo;
}

export interface AccountInfo {
  accountId: string;
  accountName: string;
  principalId: string;
  country: string;
  defaultCurrency: string;
}

export type Handler = (c: Call) => Promise<Obj>;

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** As in operations.json, ids as {id}. */
  path: string;
  handler: Handler;
  /** Search routes consume `expand[]=total_count` themselves. */
  search?: boolean;
}
