import { validation } from './errors.ts';

/** Ids, rich text, times: the small pieces every Notion object is made of. */
export type Json = Record<string, any>;

/** A Notion id with or without dashes, normalised to the dashed lowercase form; null if not a UUID. */
export function normId(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const hex = v.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function needId(v: unknown, path: string): string {
  const id = normId(v);
  if (!id) throw validation(`${path.split('.')[0]} failed validation: ${path} should be a valid uuid, instead was \`${JSON.stringify(v)}\`.`);
  return id;
}

export const iso = (d: Date | string): string => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());
export const partialUser = (id: string) => ({ object: 'user', id });

const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** A short property id like Notion's (e.g. "aB3x"). */
export function shortId(rand: () => number = Math.random): string {
  let s = '';
  for (let i = 0; i < 4; i++) s += ALPHA[Math.floor(rand() * ALPHA.length)];
  return s;
}

export const COLORS = ['default', 'gray', 'brown', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'red'] as const;
const API_COLORS = new Set<string>([...COLORS, ...COLORS.filter((c) => c !== 'default').map((c) => `${c}_background`), 'default_background']);

export function annotations(a: unknown, path: string): Json {
  const out: Json = { bold: false, italic: false, strikethrough: false, underline: false, code: false, color: 'default' };
  if (a === undefined || a === null) return out;
  if (typeof a !== 'object') throw validation(`body failed validation: ${path} should be an object, instead was \`${JSON.stringify(a)}\`.`);
  for (const k of ['bold', 'italic', 'strikethrough', 'underline', 'code']) {
    const v = (a as Json)[k];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') throw validation(`body failed validation: ${path}.${k} should be a boolean, instead was \`${JSON.stringify(v)}\`.`);
    out[k] = v;
  }
  const c = (a as Json).color;
  if (c !== undefined) {
    if (typeof c !== 'string' || !API_COLORS.has(c)) throw validation(`body failed validation: ${path}.color should be a valid color, instead was \`${JSON.stringify(c)}\`.`);
    out.color = c;
  }
  return out;
}

export function color(c: unknown, path: string, fallback = 'default'): string {
  if (c === undefined || c === null) return fallback;
  if (typeof c !== 'string' || !API_COLORS.has(c)) throw validation(`body failed validation: ${path} should be a valid color, instead was \`${JSON.stringify(c)}\`.`);
  return c;
}

/** Request rich text (text, mention of user/page/date, equation) into the response form. */
export function richText(input: unknown, path: string, names: (id: string) => string | undefined = () => undefined): Json[] {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input)) throw validation(`body failed validation: ${path} should be an array, instead was \`${JSON.stringify(input)}\`.`);
  if (input.length > 100) throw validation(`body failed validation: ${path}.length should be ≤ \`100\`, instead was \`${input.length}\`.`);
  return input.map((raw, i) => {
    const p = `${path}[${i}]`;
    const it = (raw ?? {}) as Json;
    const ann = annotations(it.annotations, `${p}.annotations`);
    if (it.text !== undefined || it.type === 'text') {
      const content = it.text?.content;
      if (typeof content !== 'string') throw validation(`body failed validation: ${p}.text.content should be a string, instead was \`${JSON.stringify(content)}\`.`);
      if (content.length > 2000) throw validation(`body failed validation: ${p}.text.content.length should be ≤ \`2000\`, instead was \`${content.length}\`.`);
      const url = it.text?.link?.url;
      if (url !== undefined && typeof url !== 'string') throw validation(`body failed validation: ${p}.text.link.url should be a string, instead was \`${JSON.stringify(url)}\`.`);
      return { type: 'text', text: { content, link: url ? { url } : null }, annotations: ann, plain_text: content, href: url ?? null };
    }
    if (it.mention !== undefined || it.type === 'mention') {
      const m = (it.mention ?? {}) as Json;
      if (m.user) {
        const id = needId(m.user.id, `body.${p}.mention.user.id`);
        return { type: 'mention', mention: { type: 'user', user: { object: 'user', id } }, annotations: ann, plain_text: `@${names(id) ?? 'Unknown user'}`, href: null };
      }
      if (m.page) {
        const id = needId(m.page.id, `body.${p}.mention.page.id`);
        return { type: 'mention', mention: { type: 'page', page: { id } }, annotations: ann, plain_text: names(id) ?? 'Untitled', href: `https://www.notion.so/${id.replace(/-/g, '')}` };
      }
      if (m.date) {
        const d = dateValue(m.date, `${p}.mention.date`);
        return { type: 'mention', mention: { type: 'date', date: d }, annotations: ann, plain_text: d.end ? `${d.start} → ${d.end}` : d.start, href: null };
      }
      throw validation(`body failed validation: ${p}.mention should be one of user, page, date in this clone.`);
    }
    if (it.equation !== undefined) {
      const expression = it.equation?.expression;
      if (typeof expression !== 'string') throw validation(`body failed validation: ${p}.equation.expression should be a string, instead was \`${JSON.stringify(expression)}\`.`);
      return { type: 'equation', equation: { expression }, annotations: ann, plain_text: expression, href: null };
    }
    throw validation(`body failed validation: ${p}.text should be defined, instead was \`undefined\`.`);
  });
}

export const plain = (rt: Json[] | undefined | null): string => (rt ?? []).map((r) => r.plain_text ?? '').join('');
export const textRt = (content: string): Json[] => (content ? richText([{ text: { content } }], 'x') : []);

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;
export function dateValue(d: unknown, path: string): { start: string; end: string | null; time_zone: string | null } {
  const o = (d ?? {}) as Json;
  if (typeof o.start !== 'string' || !DATE.test(o.start) || Number.isNaN(Date.parse(o.start))) {
    throw validation(`body failed validation: ${path}.start should be a valid ISO 8601 date string, instead was \`${JSON.stringify(o.start)}\`.`);
  }
  if (o.end !== undefined && o.end !== null && (typeof o.end !== 'string' || !DATE.test(o.end))) {
    throw validation(`body failed validation: ${path}.end should be a valid ISO 8601 date string, instead was \`${JSON.stringify(o.end)}\`.`);
  }
  return { start: o.start, end: o.end ?? null, time_zone: typeof o.time_zone === 'string' ? o.time_zone : null };
}

/**
 * File objects made from a request's `{type: "file_upload", file_upload: {id}}` by
 * handlers/file-uploads.ts (resolveUploads): only these count as Notion-hosted files, so a
 * request cannot name a `file` URL of its own, as in Notion.
 */
const ATTACHED = new WeakSet<object>();
export const markAttached = (o: Json): Json => (ATTACHED.add(o), o);
export const attached = (o: unknown): boolean => !!o && typeof o === 'object' && ATTACHED.has(o);

/** Icons and covers as the API accepts and answers them (emoji, external files, file uploads). */
export function icon(v: unknown, path: string): Json | null {
  if (v === null) return null;
  const o = (v ?? {}) as Json;
  if (o.type === 'emoji' || (o.emoji && !o.type)) {
    if (typeof o.emoji !== 'string' || !o.emoji) throw validation(`body failed validation: ${path}.emoji should be a string, instead was \`${JSON.stringify(o.emoji)}\`.`);
    return { type: 'emoji', emoji: o.emoji };
  }
  if (attached(o)) return { type: 'file', file: o.file, file_upload_id: o.file_upload_id };
  if (o.type === 'external' || o.external) {
    if (typeof o.external?.url !== 'string') throw validation(`body failed validation: ${path}.external.url should be a string, instead was \`${JSON.stringify(o.external?.url)}\`.`);
    return { type: 'external', external: { url: o.external.url } };
  }
  throw validation(`body failed validation: ${path}.emoji should be defined, instead was \`undefined\`.`);
}

export function cover(v: unknown, path: string): Json | null {
  if (v === null) return null;
  const o = (v ?? {}) as Json;
  if (attached(o)) return { type: 'file', file: o.file, file_upload_id: o.file_upload_id };
  if (typeof o.external?.url !== 'string') throw validation(`body failed validation: ${path}.external.url should be a string, instead was \`${JSON.stringify(o.external?.url)}\`.`);
  return { type: 'external', external: { url: o.external.url } };
}

export function pageSize(v: unknown, path = 'body.page_size'): number {
  if (v === undefined || v === null || v === '') return 100;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 100) {
    throw validation(`${path.split('.')[0]} failed validation: ${path} should be a number between 1 and 100, instead was \`${JSON.stringify(v)}\`.`);
  }
  return n;
}

/** A list page by cursor (the id of the first item of the page). */
export function paginate<T>(items: T[], idOf: (t: T) => string, cursor: unknown, size: number, path = 'body.start_cursor'): { results: T[]; next_cursor: string | null; has_more: boolean } {
  let start = 0;
  if (cursor !== undefined && cursor !== null && cursor !== '') {
    const c = String(cursor);
    start = items.findIndex((t) => idOf(t) === c);
    if (start < 0) throw validation(`${path.split('.')[0]} failed validation: ${path} is not a valid cursor, instead was \`${JSON.stringify(cursor)}\`.`);
  }
  const results = items.slice(start, start + size);
  const next = items[start + size];
  return { results, next_cursor: next ? idOf(next) : null, has_more: !!next };
}
