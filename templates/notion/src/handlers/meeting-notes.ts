import type { SQL } from 'bun';
import { clockNow } from '../../../_kit/clock.ts';
import { validation } from '../errors.ts';
import type { BlockRow } from '../store.ts';
import { needId, plain, textRt, type Json } from '../util.ts';
import { asObj, type Call } from './common.ts';
import { attachUpload } from './file-uploads.ts';
import { insertBlocks, parentPageFor } from './tree.ts';

/**
 * AI meeting notes (POST /v1/blocks/meeting_notes, POST /v1/blocks/meeting_notes/query). A
 * meeting note is a `meeting_notes` block: created from a completed audio or video file
 * upload in a parent page, or from an existing audio, video or file block backed by a file
 * upload (placed right after it). The clone does not transcribe: a new note is
 * `transcription_in_progress` and stays so. The query answers the notes whose attendees include
 * the caller (the creator is the first attendee), filtered, sorted (newest first by default) and
 * cut to `limit` (at most 50; no cursor, `has_more` says whether more matched).
 */

/** The languages Notion's meeting notes take (`language`; "auto" detects it). */
const LANGUAGES = ['auto', 'en', 'zh-CN', 'zh-TW', 'es', 'fr', 'de', 'ja', 'ko', 'pt', 'ru', 'th', 'vi', 'id', 'da', 'fi', 'no', 'nl', 'it', 'sv', 'ar', 'he', 'pl'];
const MAX_LIMIT = 50;
const MAX_TITLE = 2000;

const bad = (path: string, why: string) => validation(`body failed validation: ${path} ${why}`);

/** The stored note as the API answers it: `source`, `language`, `options` and `attendee_ids` are the clone's own. */
export function meetingNotesJson(content: Json): Json {
  const { source: _s, language: _l, options: _o, attendee_ids: _a, ...shown } = content;
  return shown;
}

const isMedia = (contentType: string | null | undefined) => /^(audio|video)\//.test(contentType ?? '');

async function uploadOf(c: Call, id: string): Promise<{ content_type: string | null } | undefined> {
  return (await c.ctx.db.q<{ content_type: string | null }>`select content_type from file_uploads where id = ${id}`)[0];
}

/** Where the note goes and what it is made from, checked as Notion's create endpoint describes. */
async function placement(c: Call): Promise<{ parentId: string; parentType: 'page_id' | 'block_id'; after: string | null; source: Json }> {
  const source = asObj(c.body.source, 'body.source');
  if (source.type === 'file_upload') {
    const uploadId = needId(source.file_upload_id, 'body.source.file_upload_id');
    if (c.body.parent === undefined) throw bad('body.parent', 'should be defined: a file upload source needs a page_id parent.');
    const parent = asObj(c.body.parent, 'body.parent');
    if (parent.type !== undefined && parent.type !== 'page_id') throw bad('body.parent.type', `should be \`page_id\`, instead was \`${JSON.stringify(parent.type)}\`.`);
    const parentId = await parentPageFor(c.store, parent, 'body.parent');
    // Attaching checks the upload is the caller's and uploaded, and keeps it.
    await attachUpload(c.store, { file_upload: { id: uploadId } }, 'body.source');
    const u = await uploadOf(c, uploadId);
    if (!isMedia(u?.content_type)) throw validation(`File upload ${uploadId} is ${u?.content_type ?? 'not a known type'}; a meeting note is made from an audio or video file.`);
    return { parentId, parentType: 'page_id', after: null, source: { type: 'file_upload', file_upload_id: uploadId } };
  }
  if (source.type === 'block') {
    if (c.body.parent !== undefined) throw bad('body.parent', 'should not be present with a block source: the meeting note goes next to the block.');
    const blockId = needId(source.block_id, 'body.source.block_id');
    await c.store.see('block', blockId);
    const b: BlockRow | null = await c.store.block(blockId);
    if (!b || b.in_trash) throw validation(`Block ${blockId} does not exist or is in the trash.`);
    const uploadId = b.content?.file_upload_id as string | undefined;
    if (!['audio', 'video', 'file'].includes(b.type) || !uploadId) throw validation(`Block ${blockId} is a ${b.type} block${uploadId ? '' : ' without a file upload'}; a meeting note is made from an audio, video or file block backed by a file upload.`);
    if (!isMedia((await uploadOf(c, uploadId))?.content_type)) throw validation(`The file of block ${blockId} is not audio or video.`);
    return { parentId: b.parent_id, parentType: b.parent_type as 'page_id' | 'block_id', after: blockId, source: { type: 'block', block_id: blockId } };
  }
  throw bad('body.source.type', `should be \`file_upload\` or \`block\`, instead was \`${JSON.stringify(source.type ?? null)}\`.`);
}

export async function create(c: Call) {
  const title = c.body.title;
  if (title !== undefined && typeof title !== 'string') throw bad('body.title', `should be a string, instead was \`${JSON.stringify(title)}\`.`);
  if (typeof title === 'string' && title.length > MAX_TITLE) throw bad('body.title.length', `should be ≤ ${MAX_TITLE}, instead was ${title.length}.`);
  const language = c.body.language ?? 'auto';
  if (!LANGUAGES.includes(language)) throw bad('body.language', `should be one of ${LANGUAGES.map((l) => `\`${l}\``).join(', ')}, instead was \`${JSON.stringify(language)}\`.`);
  const options = c.body.options === undefined ? {} : asObj(c.body.options, 'body.options');
  if (options.kickoff_summary !== undefined && typeof options.kickoff_summary !== 'boolean') throw bad('body.options.kickoff_summary', 'should be a boolean.');
  const where = await placement(c);
  const at = clockNow().toISOString();
  const content: Json = {
    title: textRt(title ?? ''),
    status: 'transcription_in_progress',
    recording: { start_time: at },
    source: where.source,
    language,
    options,
    attendee_ids: [c.caller.userId],
  };
  const [id] = await c.ctx.db.tx((tx) => insertBlocks(tx as unknown as SQL, c.caller, where.parentId, where.parentType, [{ type: 'meeting_notes', content, children: [] }], where.after));
  return renderNote(c, (await c.store.block(id!))!);
}

/** A meeting notes block as these two endpoints answer it: the block without its `parent`. */
async function renderNote(c: Call, row: BlockRow): Promise<Json> {
  const { parent: _, ...rest } = await c.store.renderBlock(row, false);
  return rest;
}

// ---- query

type Note = { row: BlockRow; content: Json };
const TEXT_OPS = ['string_is', 'string_is_not', 'string_contains', 'string_does_not_contain', 'string_starts_with', 'string_ends_with', 'is_empty', 'is_not_empty'];
const DATE_OPS = ['date_is', 'date_is_before', 'date_is_after', 'date_is_on_or_before', 'date_is_on_or_after', 'date_is_within', 'date_is_relative_to', 'is_empty', 'is_not_empty'];
const PERSON_OPS = ['person_contains', 'person_does_not_contain', 'is_empty', 'is_not_empty'];
const PROPS: Record<string, { ops: string[]; kind: 'text' | 'date' | 'person' }> = {
  title: { ops: TEXT_OPS, kind: 'text' },
  created_time: { ops: DATE_OPS, kind: 'date' },
  last_edited_time: { ops: DATE_OPS, kind: 'date' },
  created_by: { ops: PERSON_OPS, kind: 'person' },
  last_edited_by: { ops: PERSON_OPS, kind: 'person' },
  attendees: { ops: PERSON_OPS, kind: 'person' },
};

const day = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (d: string, n: number) => day(new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000));
const UNIT_DAYS: Record<string, number> = { day: 1, week: 7, month: 30, year: 365 };

/** A relative date value ("today", "tomorrow", "yesterday", "one_week_ago", …) as a day. */
function relativeDay(v: string, path: string): string {
  const today = day(clockNow());
  const offsets: Record<string, number> = { today: 0, tomorrow: 1, yesterday: -1, one_week_ago: -7, one_week_from_now: 7, one_month_ago: -30, one_month_from_now: 30 };
  if (!(v in offsets)) throw bad(path, `should be one of ${Object.keys(offsets).map((k) => `\`${k}\``).join(', ')}, instead was \`${JSON.stringify(v)}\`.`);
  return addDays(today, offsets[v]!);
}

/** A date filter value as an inclusive range of days. */
function dayRange(value: Json | undefined, path: string, range: boolean): [string, string] {
  if (!value || typeof value !== 'object') throw bad(path, 'should be defined: this operator takes a value.');
  const v = value.value;
  let start: string;
  let end: string;
  if (value.type === 'relative' && typeof v === 'string') start = end = relativeDay(v, `${path}.value`);
  else if (value.type === 'exact' && typeof v === 'object' && v && typeof v.start_date === 'string') {
    start = v.start_date.slice(0, 10);
    end = typeof v.end_date === 'string' ? v.end_date.slice(0, 10) : start;
  } else throw bad(path, 'should be {type: "exact", value: {type, start_date}} or {type: "relative", value}.');
  if (range && value.unit !== undefined) {
    const n = Number(value.count ?? 1) * (UNIT_DAYS[value.unit] ?? NaN);
    if (!Number.isFinite(n)) throw bad(`${path}.unit`, 'should be one of `day`, `week`, `month`, `year`.');
    return value.direction === 'future' ? [start, addDays(start, n)] : [addDays(start, -n), start];
  }
  return [start, end];
}

function personIds(value: unknown, path: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((x, i) => {
    const id = (x as Json | undefined)?.value?.id;
    if ((x as Json | undefined)?.value?.table !== 'notion_user' || typeof id !== 'string') throw bad(`${path}${Array.isArray(value) ? `[${i}]` : ''}`, 'should be {type: "exact", value: {table: "notion_user", id}}.');
    return id;
  });
}

/** The test one property filter makes of a note. */
function propertyTest(f: Json, path: string): (n: Note) => boolean {
  const spec = PROPS[f.property];
  if (!spec) throw bad(`${path}.property`, `should be one of ${Object.keys(PROPS).map((p) => `\`${p}\``).join(', ')}, instead was \`${JSON.stringify(f.property ?? null)}\`.`);
  const filter = asObj(f.filter, `${path}.filter`);
  const op = filter.operator;
  if (!spec.ops.includes(op)) throw bad(`${path}.filter.operator`, `should be one of ${spec.ops.map((o) => `\`${o}\``).join(', ')} for ${f.property}, instead was \`${JSON.stringify(op ?? null)}\`.`);
  const read = (n: Note): string | string[] => {
    if (f.property === 'title') return plain(n.content.title);
    if (f.property === 'created_time') return n.row.created_time.toISOString();
    if (f.property === 'last_edited_time') return n.row.last_edited_time.toISOString();
    if (f.property === 'created_by') return [n.row.created_by];
    if (f.property === 'last_edited_by') return [n.row.last_edited_by];
    return (n.content.attendee_ids as string[] | undefined) ?? [];
  };
  if (op === 'is_empty') return (n) => read(n).length === 0;
  if (op === 'is_not_empty') return (n) => read(n).length > 0;
  if (spec.kind === 'text') {
    const value = filter.value;
    if (value?.type !== 'exact' || typeof value.value !== 'string') throw bad(`${path}.filter.value`, 'should be {type: "exact", value: string}.');
    const want = value.value.toLowerCase();
    const tests: Record<string, (s: string) => boolean> = {
      string_is: (s) => s === want,
      string_is_not: (s) => s !== want,
      string_contains: (s) => s.includes(want),
      string_does_not_contain: (s) => !s.includes(want),
      string_starts_with: (s) => s.startsWith(want),
      string_ends_with: (s) => s.endsWith(want),
    };
    return (n) => tests[op]!((read(n) as string).toLowerCase());
  }
  if (spec.kind === 'person') {
    const ids = personIds(filter.value, `${path}.filter.value`);
    return op === 'person_contains' ? (n) => ids.some((id) => (read(n) as string[]).includes(id)) : (n) => !ids.some((id) => (read(n) as string[]).includes(id));
  }
  const [start, end] = dayRange(filter.value, `${path}.filter.value`, op === 'date_is_within' || op === 'date_is_relative_to');
  const tests: Record<string, (d: string) => boolean> = {
    date_is: (d) => d >= start && d <= end,
    date_is_within: (d) => d >= start && d <= end,
    date_is_relative_to: (d) => d >= start && d <= end,
    date_is_before: (d) => d < start,
    date_is_after: (d) => d > end,
    date_is_on_or_before: (d) => d <= end,
    date_is_on_or_after: (d) => d >= start,
  };
  return (n) => tests[op]!((read(n) as string).slice(0, 10));
}

/** A combinator (`{operator: and|or, filters}`) or a property filter, nested. */
function filterTest(f: unknown, path: string, depth = 0): (n: Note) => boolean {
  const o = asObj(f, path);
  if (o.property !== undefined) return propertyTest(o, path);
  if (o.operator !== 'and' && o.operator !== 'or') throw bad(`${path}.operator`, `should be \`and\` or \`or\`, instead was \`${JSON.stringify(o.operator ?? null)}\`.`);
  if (depth >= 2) throw bad(path, 'nests filters too deeply (at most two levels of and/or).');
  if (o.filters !== undefined && !Array.isArray(o.filters)) throw bad(`${path}.filters`, 'should be an array.');
  const tests = ((o.filters ?? []) as unknown[]).map((x, i) => filterTest(x, `${path}.filters[${i}]`, depth + 1));
  return o.operator === 'and' ? (n) => tests.every((t) => t(n)) : (n) => !tests.length || tests.some((t) => t(n));
}

const SORTABLE = ['title', 'attendees', 'created_time', 'created_by', 'last_edited_time', 'last_edited_by'];

function sortKey(n: Note, property: string): string {
  if (property === 'title') return plain(n.content.title).toLowerCase();
  if (property === 'attendees') return String(((n.content.attendee_ids as string[]) ?? []).length).padStart(6, '0');
  if (property === 'created_by') return n.row.created_by;
  if (property === 'last_edited_by') return n.row.last_edited_by;
  return (property === 'created_time' ? n.row.created_time : n.row.last_edited_time).toISOString();
}

export async function query(c: Call) {
  const limit = c.body.limit ?? MAX_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw bad('body.limit', `should be an integer from 1 to ${MAX_LIMIT}, instead was \`${JSON.stringify(limit)}\`.`);
  const test = c.body.filter === undefined ? () => true : filterTest(c.body.filter, 'body.filter');
  if (c.body.sort !== undefined && !Array.isArray(c.body.sort)) throw bad('body.sort', 'should be an array.');
  const sorts = ((c.body.sort ?? [{ property: 'created_time', direction: 'descending' }]) as Json[]).map((s, i) => {
    if (!SORTABLE.includes(s?.property)) throw bad(`body.sort[${i}].property`, `should be one of ${SORTABLE.map((p) => `\`${p}\``).join(', ')}, instead was \`${JSON.stringify(s?.property ?? null)}\`.`);
    if (s.direction !== 'ascending' && s.direction !== 'descending') throw bad(`body.sort[${i}].direction`, 'should be `ascending` or `descending`.');
    return { property: s.property as string, sign: s.direction === 'ascending' ? 1 : -1 };
  });
  const rows = await c.ctx.db.q<BlockRow>`select * from blocks where type = 'meeting_notes' and not in_trash order by seq`;
  const notes: Note[] = [];
  for (const row of rows) {
    const content = (typeof row.content === 'string' ? JSON.parse(row.content) : row.content) as Json;
    if (((content.attendee_ids as string[] | undefined) ?? []).includes(c.caller.userId) && (await c.store.canSee(row.id))) notes.push({ row, content });
  }
  const matched = notes.filter(test).sort((a, b) => {
    for (const s of sorts) {
      const x = sortKey(a, s.property);
      const y = sortKey(b, s.property);
      if (x !== y) return x < y ? -s.sign : s.sign;
    }
    // Ties (notes made in the same millisecond) in creation order, in the first sort's direction.
    return (Number((a.row as Json).seq) - Number((b.row as Json).seq)) * (sorts[0]?.sign ?? 1);
  });
  return { results: await Promise.all(matched.slice(0, limit).map((n) => renderNote(c, n.row))), has_more: matched.length > limit };
}
