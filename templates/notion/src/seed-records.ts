import type { SQL } from 'bun';
import { isKitError } from '../../_kit/errors.ts';
import { validation as validationError } from './errors.ts';
import type { KitContext, RecordsOutcome } from '../../_kit/types.ts';
import type { Caller } from './auth.ts';
import { ROUTES } from './routes.ts';
import { ADMIN_ID, BOT_ID, GETTING_STARTED_BLOCK_ID, GETTING_STARTED_ID } from './provision.ts';
import { share } from './sharing.ts';
import { Store } from './store.ts';
import { plain, textRt, type Json } from './util.ts';
import { clockNow } from '../../_kit/clock.ts';

/**
 * Records from an AI seed (or a harness), validated one by one through the same handlers as
 * the API (a bad record is rejected with a reason and counted, never thrown):
 *
 *   users:     { name, email }                                  people of the workspace
 *   databases: { title, description?, properties: { Name: { type, options? } } }   under the "Seeded content" page
 *   pages:     { database?: title, title, properties?: { Name: value }, content?: [paragraph text] }
 *
 * A page value is a string (text, select, status, url, email, phone, date), a number, a
 * boolean, or an array of strings (multi_select; people by email or name).
 */
type Rec = Record<string, unknown>;
const ENTITIES = ['users', 'databases', 'pages'];
const ROOT_TITLE = 'Seeded content';

const route = (method: string, path: string) => ROUTES.find((r) => r.method === method && r.path === path)!;
/** Records are written as the integration would write them, through the same visibility check. */
const BOT: Caller = { userId: BOT_ID, type: 'bot' };
async function call(ctx: KitContext, method: string, path: string, ids: string[], body: Json): Promise<Json> {
  return (await route(method, path).handler({ ctx, store: new Store(ctx, BOT), caller: BOT, body, query: new URLSearchParams(), ids })) as Json;
}
const rt = (s: string) => [{ type: 'text', text: { content: s } }];

/**
 * The "Seeded content" page: a workspace-level page of the admin's, shared with the
 * integration when it is made (as an admin would share it), so seeded records are visible to
 * the integration and written through the same checks as its own calls.
 */
async function rootPage(ctx: KitContext): Promise<string> {
  const rows = await ctx.db.q<{ id: string }>`select id from pages where parent->>'type' = 'workspace' and "values"->'title'->0->>'plain_text' = ${ROOT_TITLE} limit 1`;
  if (rows[0]) return rows[0].id;
  const id = crypto.randomUUID();
  const at = clockNow();
  await ctx.db.tx(async (txx) => {
    const tx = txx as unknown as SQL;
    await tx`insert into pages (id, parent, data_source_id, "values", created_time, last_edited_time, created_by, last_edited_by)
      values (${id}, '{"type":"workspace","workspace":true}'::jsonb, null, ${JSON.stringify({ title: textRt(ROOT_TITLE) })}::text::jsonb, ${at.toISOString()}, ${at.toISOString()}, ${ADMIN_ID}, ${ADMIN_ID})`;
    await share(tx, id, 'page', at);
  });
  return id;
}

function valueFor(type: string, v: unknown, people: Map<string, string>): Json {
  const s = String(v);
  switch (type) {
    case 'title':
      return { title: rt(s) };
    case 'rich_text':
      return { rich_text: rt(s) };
    case 'number':
      return { number: typeof v === 'number' ? v : Number.isFinite(Number(v)) ? Number(v) : (v as never) };
    case 'checkbox':
      return { checkbox: v };
    case 'select':
      return { select: { name: s } };
    case 'status':
      return { status: { name: s } };
    case 'multi_select':
      return { multi_select: (Array.isArray(v) ? v : [v]).map((x) => ({ name: String(x) })) };
    case 'date':
      return { date: { start: s } };
    case 'people':
      return { people: (Array.isArray(v) ? v : [v]).map((x) => ({ id: people.get(String(x).toLowerCase()) ?? String(x) })) };
    case 'url':
    case 'email':
    case 'phone_number':
      return { [type]: s };
    default:
      return { [type]: v };
  }
}

export async function seedNotionRecords(ctx: KitContext, records: Record<string, unknown[]>): Promise<RecordsOutcome> {
  const out: RecordsOutcome = { written: 0, rejected: 0, rejections: [], warnings: [] };
  const reject = (entity: string, index: number, reason: string) => {
    out.rejected++;
    out.rejections.push({ entity, index, reason });
  };
  for (const e of Object.keys(records)) if (!ENTITIES.includes(e)) out.warnings.push(`unknown entity ${e}; skipped`);
  const attempt = async (entity: string, i: number, fn: () => Promise<void>) => {
    try {
      await fn();
      out.written++;
    } catch (e) {
      if (!isKitError(e)) throw e;
      reject(entity, i, e.message);
    }
  };

  for (const [i, raw] of (records.users ?? []).entries()) {
    const r = (raw ?? {}) as Rec;
    if (typeof r.name !== 'string' || !r.name.trim() || typeof r.email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(r.email)) {
      reject('users', i, 'name and a valid email are required');
      continue;
    }
    const dup = await ctx.db.q`select 1 from users where lower(email) = ${r.email.toLowerCase()}`;
    if (dup.length) {
      reject('users', i, `a user with email ${r.email} exists already`);
      continue;
    }
    await ctx.db.q`insert into users (id, type, name, avatar_url, email) values (${crypto.randomUUID()}, 'person', ${r.name.trim()}, null, ${r.email.toLowerCase()})`;
    out.written++;
  }

  const needsRoot = (records.databases ?? []).length > 0 || (records.pages ?? []).some((p) => !(p as Rec)?.database);
  const root = needsRoot ? await rootPage(ctx) : '';
  for (const [i, raw] of (records.databases ?? []).entries()) {
    const r = (raw ?? {}) as Rec;
    await attempt('databases', i, async () => {
      if (typeof r.title !== 'string' || !r.title.trim()) throw validationError('title is required');
      const existing = await ctx.db.q<{ title: Json[] }>`select title from data_sources where not in_trash`;
      if (existing.some((d) => plain(d.title).toLowerCase() === (r.title as string).trim().toLowerCase())) throw validationError(`a database titled ${r.title} exists already`);
      const props: Json = { Name: { title: {} } };
      for (const [name, conf] of Object.entries((r.properties ?? {}) as Record<string, Rec>)) {
        const type = String(conf?.type ?? '');
        const options = Array.isArray(conf?.options) ? conf.options.map((o) => ({ name: String(o) })) : undefined;
        props[name] = { [type]: options ? { options } : {} };
      }
      await call(ctx, 'POST', '/v1/databases', [], { parent: { type: 'page_id', page_id: root }, title: rt(r.title.trim()), description: typeof r.description === 'string' ? rt(r.description) : [], initial_data_source: { properties: props } });
    });
  }

  const users = await ctx.db.q<{ id: string; name: string; email: string | null }>`select id, name, email from users`;
  const people = new Map<string, string>();
  for (const u of users) {
    if (u.email) people.set(u.email.toLowerCase(), u.id);
    if (u.name) people.set(u.name.toLowerCase(), u.id);
  }
  for (const [i, raw] of (records.pages ?? []).entries()) {
    const r = (raw ?? {}) as Rec;
    await attempt('pages', i, async () => {
      if (typeof r.title !== 'string' || !r.title.trim()) throw validationError('title is required');
      const content = (Array.isArray(r.content) ? r.content : []).map((t) => ({ paragraph: { rich_text: rt(String(t)) } }));
      if (typeof r.database === 'string' && r.database.trim()) {
        const sources = await ctx.db.q<{ id: string; title: Json[]; properties: Json[] }>`select id, title, properties from data_sources where not in_trash order by seq`;
        const ds = sources.find((s) => plain(s.title).toLowerCase() === (r.database as string).trim().toLowerCase());
        if (!ds) throw validationError(`no database titled ${r.database}`);
        const titleProp = ds.properties.find((p) => p.type === 'title')!;
        const properties: Json = { [titleProp.name]: { title: rt(r.title.trim()) } };
        for (const [name, v] of Object.entries((r.properties ?? {}) as Rec)) {
          const prop = ds.properties.find((p) => p.name === name);
          if (!prop) throw validationError(`${name} is not a property of ${r.database}`);
          properties[name] = valueFor(prop.type, v, people);
        }
        await call(ctx, 'POST', '/v1/pages', [], { parent: { data_source_id: ds.id }, properties, ...(content.length ? { children: content } : {}) });
      } else {
        await call(ctx, 'POST', '/v1/pages', [], { parent: { page_id: root }, properties: { title: { title: rt(r.title.trim()) } }, ...(content.length ? { children: content } : {}) });
      }
    });
  }
  return out;
}


/**
 * Before a forced re-seed: every page, database, block, comment and share goes, but what
 * provision made stays (users, tokens, the "Getting started" page, its paragraph and its share).
 */
export async function clearNotionSeeded(_ctx: KitContext, tx: SQL): Promise<void> {
  await tx`delete from custom_emojis`;
  await tx`delete from view_queries`;
  await tx`delete from views`;
  await tx`delete from file_upload_parts`;
  await tx`delete from file_uploads`;
  await tx`delete from comments`;
  await tx`delete from blocks where id <> ${GETTING_STARTED_BLOCK_ID}`;
  await tx`delete from pages where id <> ${GETTING_STARTED_ID}`;
  await tx`delete from data_sources`;
  await tx`delete from databases`;
  await tx`delete from shares where id <> ${GETTING_STARTED_ID}`;
  await tx`delete from users where type = 'person' and id <> ${ADMIN_ID}`;
}
