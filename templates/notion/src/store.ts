import type { KitContext } from '../../_kit/types.ts';
import type { Caller } from './auth.ts';
import { notFound, validation } from './errors.ts';
import { renderValue, type PageMeta, type PropConfig } from './properties.ts';
import { isShared, seesAll } from './sharing.ts';
import { iso, partialUser, plain, type Json } from './util.ts';
import { MAX_FILE_BYTES, renderFile } from './handlers/file-uploads.ts';
import { meetingNotesJson } from './handlers/meeting-notes.ts';

/**
 * Reads and renders the clone's objects. One `Store` serves one request: users and data
 * source schemas are loaded once per request and reused while rendering. The `need*`
 * lookups and `container` answer 404 for what the caller cannot see (src/sharing.ts), so
 * every handler that reads or writes an object by id goes through the one visibility check.
 */
export interface UserRow { id: string; type: string; name: string | null; avatar_url: string | null; email: string | null }
export interface DbRow { id: string; parent: Json; title: Json[]; description: Json[]; icon: Json | null; cover: Json | null; is_inline: boolean; is_locked: boolean; in_trash: boolean; created_time: Date; last_edited_time: Date; created_by: string; last_edited_by: string }
export interface DsRow { id: string; database_id: string; title: Json[]; description: Json[]; properties: PropConfig[]; icon: Json | null; in_trash: boolean; next_unique: number; created_time: Date; last_edited_time: Date; created_by: string; last_edited_by: string }
export interface PageRow { id: string; parent: Json; data_source_id: string | null; values: Json; icon: Json | null; cover: Json | null; in_trash: boolean; is_locked: boolean; created_time: Date; last_edited_time: Date; created_by: string; last_edited_by: string; seq: string | number }
export interface BlockRow { id: string; parent_type: string; parent_id: string; pos: number; type: string; content: Json; in_trash: boolean; created_time: Date; last_edited_time: Date; created_by: string; last_edited_by: string }


export class Store {
  readonly ctx: KitContext;
  readonly caller: Caller;
  #users: Map<string, UserRow> | null = null;
  #ds = new Map<string, DsRow | null>();
  #workspace: { id: string; name: string } | null = null;
  #seen = new Map<string, boolean>();

  constructor(ctx: KitContext, caller: Caller) {
    this.ctx = ctx;
    this.caller = caller;
  }

  /** Whether the caller can see object `id` (a person: always; the integration: shared, or under something shared). */
  async canSee(id: string): Promise<boolean> {
    if (seesAll(this.caller)) return true;
    let v = this.#seen.get(id);
    if (v === undefined) {
      v = await isShared(this.ctx, id);
      this.#seen.set(id, v);
    }
    return v;
  }

  /** The visibility check: Notion's 404 object_not_found for an object the caller cannot see. */
  async see(kind: string, id: string): Promise<void> {
    if (!(await this.canSee(id))) throw notFound(kind, id);
  }

  get base(): string {
    return this.ctx.env.publicUrl;
  }

  async workspace(): Promise<{ id: string; name: string }> {
    this.#workspace ??= ((await this.ctx.db.q<{ id: string; name: string }>`select id, name from workspace limit 1`)[0] ?? { id: '', name: 'Workspace' });
    return this.#workspace;
  }

  async users(): Promise<Map<string, UserRow>> {
    if (!this.#users) {
      const rows = await this.ctx.db.q<UserRow>`select id, type, name, avatar_url, email from users order by seq`;
      this.#users = new Map(rows.map((r) => [r.id, r]));
    }
    return this.#users;
  }

  async renderUser(u: UserRow): Promise<Json> {
    const out: Json = { object: 'user', id: u.id, name: u.name, avatar_url: u.avatar_url, type: u.type };
    if (u.type === 'bot') {
      const ws = await this.workspace();
      out.bot = { owner: { type: 'workspace', workspace: true }, workspace_name: ws.name, workspace_id: ws.id, workspace_limits: { max_file_upload_size_in_bytes: MAX_FILE_BYTES } };
    } else out.person = u.email ? { email: u.email } : {};
    return out;
  }

  /** Synchronous user rendering for property values (users must be loaded first). */
  userSync(id: string): Json {
    const u = this.#users?.get(id);
    if (!u) return partialUser(id);
    if (u.type === 'bot') return { object: 'user', id: u.id, name: u.name, avatar_url: u.avatar_url, type: 'bot', bot: {} };
    return { object: 'user', id: u.id, name: u.name, avatar_url: u.avatar_url, type: 'person', person: u.email ? { email: u.email } : {} };
  }

  // ---- databases and data sources

  async db(id: string): Promise<DbRow | null> {
    return (await this.ctx.db.q<DbRow>`select * from databases where id = ${id}`)[0] ?? null;
  }

  async needDb(id: string): Promise<DbRow> {
    const d = await this.db(id);
    if (!d || !(await this.canSee(id))) throw notFound('database', id);
    return d;
  }

  async ds(id: string): Promise<DsRow | null> {
    if (!this.#ds.has(id)) this.#ds.set(id, (await this.ctx.db.q<DsRow>`select * from data_sources where id = ${id}`)[0] ?? null);
    return this.#ds.get(id) ?? null;
  }

  forget(id: string): void {
    this.#ds.delete(id);
  }

  async needDs(id: string): Promise<DsRow> {
    const d = await this.ds(id);
    if (!d || !(await this.canSee(id))) throw notFound('data source', id);
    return d;
  }

  async dsOfDb(dbId: string): Promise<DsRow[]> {
    return this.ctx.db.q<DsRow>`select * from data_sources where database_id = ${dbId} order by seq`;
  }

  url(id: string, title = ''): string {
    const slug = title.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
    return `${this.base}/${slug ? `${slug}-` : ''}${id.replace(/-/g, '')}`;
  }

  async renderDb(d: DbRow): Promise<Json> {
    const sources = await this.dsOfDb(d.id);
    return {
      object: 'database',
      id: d.id,
      title: d.title,
      description: d.description,
      parent: d.parent,
      is_inline: d.is_inline,
      in_trash: d.in_trash,
      archived: d.in_trash,
      is_locked: d.is_locked,
      created_time: iso(d.created_time),
      last_edited_time: iso(d.last_edited_time),
      data_sources: sources.filter((s) => !s.in_trash).map((s) => ({ id: s.id, name: plain(s.title) })),
      icon: renderFile(d.icon),
      cover: renderFile(d.cover),
      url: this.url(d.id, plain(d.title)),
      public_url: null,
    };
  }

  async renderDs(s: DsRow): Promise<Json> {
    const d = await this.db(s.database_id);
    const properties: Json = {};
    for (const p of s.properties) properties[p.name] = p;
    return {
      object: 'data_source',
      id: s.id,
      title: s.title,
      description: s.description,
      parent: { type: 'database_id', database_id: s.database_id },
      database_parent: d?.parent ?? { type: 'workspace', workspace: true },
      is_inline: d?.is_inline ?? false,
      in_trash: s.in_trash,
      archived: s.in_trash,
      created_time: iso(s.created_time),
      last_edited_time: iso(s.last_edited_time),
      created_by: partialUser(s.created_by),
      last_edited_by: partialUser(s.last_edited_by),
      properties,
      icon: renderFile(s.icon ?? d?.icon ?? null),
      cover: renderFile(d?.cover ?? null),
      url: this.url(s.id),
      public_url: null,
    };
  }

  // ---- pages

  async page(id: string): Promise<PageRow | null> {
    return (await this.ctx.db.q<PageRow>`select * from pages where id = ${id}`)[0] ?? null;
  }

  async needPage(id: string): Promise<PageRow> {
    const p = await this.page(id);
    if (!p || !(await this.canSee(id))) throw notFound('page', id);
    return p;
  }

  async pagesOfDs(dsId: string): Promise<PageRow[]> {
    return this.ctx.db.q<PageRow>`select * from pages where data_source_id = ${dsId} and not in_trash order by seq`;
  }

  meta(p: PageRow): PageMeta {
    return { id: p.id, created_time: iso(p.created_time), last_edited_time: iso(p.last_edited_time), created_by: p.created_by, last_edited_by: p.last_edited_by, unique: typeof p.values.__unique === 'number' ? p.values.__unique : null };
  }

  /** Title of a page (plain text), for urls, child_page blocks and search. */
  async pageTitle(p: PageRow): Promise<string> {
    if (!p.data_source_id) return plain(p.values.title);
    const ds = await this.ds(p.data_source_id);
    const t = ds?.properties.find((x) => x.type === 'title');
    return t ? plain(p.values[t.id]) : '';
  }

  async renderProperties(p: PageRow): Promise<Json> {
    await this.users();
    const meta = this.meta(p);
    const user = (id: string) => this.userSync(id);
    if (!p.data_source_id) return { title: { id: 'title', type: 'title', title: p.values.title ?? [] } };
    const ds = await this.ds(p.data_source_id);
    const out: Json = {};
    for (const prop of ds?.properties ?? []) out[prop.name] = renderValue(prop, p.values[prop.id], meta, user);
    return out;
  }

  async renderPage(p: PageRow): Promise<Json> {
    const properties = await this.renderProperties(p);
    const title = plain((Object.values(properties).find((v: Json) => v.type === 'title') as Json | undefined)?.title);
    return {
      object: 'page',
      id: p.id,
      created_time: iso(p.created_time),
      last_edited_time: iso(p.last_edited_time),
      created_by: partialUser(p.created_by),
      last_edited_by: partialUser(p.last_edited_by),
      cover: renderFile(p.cover),
      icon: renderFile(p.icon),
      parent: p.parent,
      in_trash: p.in_trash,
      archived: p.in_trash,
      is_archived: p.in_trash,
      is_locked: p.is_locked,
      properties,
      url: this.url(p.id, title),
      public_url: null,
    };
  }

  // ---- blocks

  async block(id: string): Promise<BlockRow | null> {
    return (await this.ctx.db.q<BlockRow>`select * from blocks where id = ${id}`)[0] ?? null;
  }

  async children(parentId: string): Promise<BlockRow[]> {
    return this.ctx.db.q<BlockRow>`select * from blocks where parent_id = ${parentId} and not in_trash order by pos, seq`;
  }

  async hasChildren(id: string): Promise<boolean> {
    return (await this.ctx.db.q`select 1 from blocks where parent_id = ${id} and not in_trash limit 1`).length > 0;
  }

  /**
   * A children listing in one query: whether `id` is a page or block, whether the caller can
   * see it (the walk up of sharing.ts's isShared, skipped for a person), and its live children in order, each with
   * whether it has children of its own. Throws 404 as `container` does.
   */
  async childrenListing(id: string): Promise<Array<BlockRow & { has_kids: boolean }>> {
    const all = seesAll(this.caller);
    const rows = await this.ctx.db.q<{ found: boolean; visible: boolean; kids: Array<BlockRow & { has_kids: boolean }> | null }>`
      with recursive up(id) as (
        select ${id}::text
        union
        select e.parent_id from up cross join lateral (
          select tree_parent as parent_id from pages where pages.id = up.id
          union all select database_id from data_sources where data_sources.id = up.id
          union all select tree_parent from databases where databases.id = up.id
          union all select parent_id from blocks where blocks.id = up.id and type not in ('child_page', 'child_database')
        ) e where e.parent_id is not null and not ${all}::boolean
      )
      select (exists (select 1 from blocks where id = ${id}) or exists (select 1 from pages where id = ${id})) as found,
        (${all}::boolean or exists (select 1 from up join shares s on s.id = up.id)) as visible,
        (select jsonb_agg(to_jsonb(k) || jsonb_build_object('has_kids', exists (select 1 from blocks g where g.parent_id = k.id and not g.in_trash)) order by k.pos, k.seq)
           from blocks k where k.parent_id = ${id} and not k.in_trash) as kids`;
    const r = rows[0];
    if (!r?.found || !r.visible) throw notFound('block', id);
    this.#seen.set(id, true);
    return r.kids ?? [];
  }

  async renderBlock(b: BlockRow, hasKids?: boolean): Promise<Json> {
    let content = b.content;
    if (b.type === 'child_page') {
      const p = await this.page(b.id);
      content = { title: p ? await this.pageTitle(p) : '' };
    } else if (b.type === 'child_database') {
      const d = await this.db(b.id);
      content = { title: plain(d?.title) };
    } else if (b.type === 'meeting_notes') {
      content = meetingNotesJson(content);
    } else if (content.type === 'file') {
      const { file_upload_id: _, ...rest } = content;
      content = { ...rest, ...renderFile(content) };
    }
    return {
      object: 'block',
      id: b.id,
      parent: b.parent_type === 'page_id' ? { type: 'page_id', page_id: b.parent_id } : { type: 'block_id', block_id: b.parent_id },
      created_time: iso(b.created_time),
      last_edited_time: iso(b.last_edited_time),
      created_by: partialUser(b.created_by),
      last_edited_by: partialUser(b.last_edited_by),
      has_children: b.type === 'child_database' ? false : (hasKids ?? (await this.hasChildren(b.id))),
      in_trash: b.in_trash,
      archived: b.in_trash,
      type: b.type,
      [b.type]: content,
    };
  }

  /** A page that is not a block row (a data source row, a workspace page) as a child_page block. */
  async pageAsBlock(p: PageRow): Promise<Json> {
    return {
      object: 'block',
      id: p.id,
      parent: p.parent.type === 'data_source_id' ? { type: 'database_id', database_id: p.parent.database_id } : p.parent,
      created_time: iso(p.created_time),
      last_edited_time: iso(p.last_edited_time),
      created_by: partialUser(p.created_by),
      last_edited_by: partialUser(p.last_edited_by),
      has_children: await this.hasChildren(p.id),
      in_trash: p.in_trash,
      archived: p.in_trash,
      type: 'child_page',
      child_page: { title: await this.pageTitle(p) },
    };
  }

  /** The container (page or block) of a children list, or a 404. */
  async container(id: string): Promise<{ kind: 'page' | 'block'; trashed: boolean; type?: string }> {
    const b = await this.block(id);
    const p = b ? null : await this.page(id);
    if ((!b && !p) || !(await this.canSee(id))) throw notFound('block', id);
    if (b) return { kind: b.type === 'child_page' ? 'page' : 'block', trashed: b.in_trash, type: b.type };
    return { kind: 'page', trashed: p!.in_trash };
  }

  async needLivePageOrBlock(id: string): Promise<'page' | 'block'> {
    const c = await this.container(id);
    if (c.trashed) throw validation("Can't edit block that is archived. You must unarchive the block before editing.");
    return c.kind;
  }
}
