import type { KitContext } from '../../../_kit/types.ts';
import { clockNow } from '../../../_kit/clock.ts';
import type { Caller } from '../auth.ts';
import { validation } from '../errors.ts';
import type { ValueEnv } from '../properties.ts';
import type { Store } from '../store.ts';
import { needId, type Json } from '../util.ts';

/** What every Notion handler gets: the kit's context, a store over it, the caller and the parsed request. */
export interface Call {
  ctx: KitContext;
  store: Store;
  caller: Caller;
  body: Json;
  query: URLSearchParams;
  ids: string[];
}
export type Handler = (c: Call) => Promise<unknown>;

/** Notion's answer to an edit of anything in the trash. */
export const ARCHIVED = "Can't edit block that is archived. You must unarchive the block before editing.";

export const now = () => clockNow().toISOString();
export const asObj = (v: unknown, path: string): Json => {
  if (v === undefined) throw validation(`body failed validation: ${path} should be defined, instead was \`undefined\`.`);
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw validation(`body failed validation: ${path} should be an object, instead was \`${JSON.stringify(v)}\`.`);
  return v as Json;
};
export const pathId = (c: Call, i: number, name: string) => needId(c.ids[i], `path.${name}`);
export const listOf = (type: string, page: { results: unknown[]; next_cursor: string | null; has_more: boolean }) => ({ object: 'list', results: page.results, next_cursor: page.next_cursor, has_more: page.has_more, type, [type]: {} });

/** A page's properties cut to those `filter_properties` names (by name or id); all of them when none is named. */
export function onlyProperties(properties: Json, filterProps: string[]): Json {
  if (!filterProps.length) return properties;
  return Object.fromEntries(Object.entries(properties).filter(([n, v]) => filterProps.includes(n) || filterProps.includes((v as Json).id)));
}

export async function valueEnv(store: Store): Promise<ValueEnv> {
  const users = await store.users();
  const pageDs = new Map((await store.ctx.db.q<{ id: string; data_source_id: string | null }>`select id, data_source_id from pages where not in_trash`).map((r) => [r.id, r.data_source_id]));
  return { userExists: (id) => users.has(id), pageIn: (id, ds) => pageDs.get(id) === ds, names: (id) => users.get(id)?.name ?? undefined };
}
export const names = async (store: Store) => {
  const users = await store.users();
  return (id: string) => users.get(id)?.name ?? undefined;
};
