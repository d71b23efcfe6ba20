/**
 * Block Kit validation as Slack documents it for message payloads (the reference pages of
 * each block and composition object): known block types, 50 blocks a message, block_id at
 * most 255 characters and unique, the text limits of section (3000; 10 fields of 2000),
 * header (plain_text, 150), image (alt_text 2000, image_url or slack_file), context (10
 * elements), actions (25 elements), markdown (12000), and text objects (plain_text or mrkdwn,
 * never empty). Problems come back as Slack words them: "<why> [json-pointer:/blocks/0/…]",
 * the first few of them, which the caller answers as invalid_blocks.
 */

export const MAX_BLOCKS = 50;

const BLOCK_TYPES = new Set([
  'actions', 'context', 'context_actions', 'divider', 'file', 'header', 'image', 'input', 'markdown', 'rich_text',
  'section', 'video', 'table', 'call', 'card', 'carousel', 'alert', 'plan', 'task_card',
]);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

class Problems {
  readonly list: string[] = [];
  add(why: string, pointer: string): void {
    if (this.list.length < 10) this.list.push(`${why} [json-pointer:${pointer}]`);
  }
}

function textObject(p: Problems, v: unknown, at: string, opts: { max: number; plainOnly?: boolean; required?: boolean }): void {
  if (v === undefined || v === null) {
    if (opts.required !== false) p.add('missing required field: text', at);
    return;
  }
  if (!isObj(v)) return p.add('must provide an object', at);
  const type = v.type;
  if (type !== 'plain_text' && type !== 'mrkdwn') return p.add('must be one of plain_text, mrkdwn', `${at}/type`);
  if (opts.plainOnly && type !== 'plain_text') return p.add('must be plain_text', `${at}/type`);
  if (typeof v.text !== 'string') return p.add('missing required field: text', `${at}/text`);
  if (v.text.length === 0) return p.add('must be more than 0 characters', `${at}/text`);
  if (v.text.length > opts.max) p.add(`must be less than ${opts.max + 1} characters`, `${at}/text`);
}

function elements(p: Problems, v: unknown, at: string, max: number, required = true): void {
  if (v === undefined) {
    if (required) p.add('missing required field: elements', at);
    return;
  }
  if (!Array.isArray(v)) return p.add('must provide an array', at);
  if (required && v.length === 0) return p.add('must provide at least 1 item', at);
  if (v.length > max) p.add(`must provide no more than ${max} items`, at);
  v.forEach((e, i) => {
    if (!isObj(e) || typeof e.type !== 'string') p.add('missing required field: type', `${at}/${i}/type`);
  });
}

function block(p: Problems, b: unknown, at: string, ids: Set<string>): void {
  if (!isObj(b)) return p.add('must provide an object', at);
  const type = b.type;
  if (typeof type !== 'string') return p.add('missing required field: type', `${at}/type`);
  if (!BLOCK_TYPES.has(type)) return p.add(`unsupported type: ${type}`, `${at}/type`);
  if (b.block_id !== undefined) {
    if (typeof b.block_id !== 'string' || b.block_id.length === 0) p.add('must be a non-empty string', `${at}/block_id`);
    else if (b.block_id.length > 255) p.add('must be less than 256 characters', `${at}/block_id`);
    else if (ids.has(b.block_id)) p.add('block_id must be unique within the message', `${at}/block_id`);
    else ids.add(b.block_id);
  }
  switch (type) {
    case 'section': {
      if (b.text === undefined && b.fields === undefined) p.add('must provide either text or fields', at);
      if (b.text !== undefined) textObject(p, b.text, `${at}/text`, { max: 3000 });
      if (b.fields !== undefined) {
        if (!Array.isArray(b.fields)) p.add('must provide an array', `${at}/fields`);
        else {
          if (b.fields.length > 10) p.add('must provide no more than 10 items', `${at}/fields`);
          b.fields.forEach((f, i) => textObject(p, f, `${at}/fields/${i}`, { max: 2000 }));
        }
      }
      break;
    }
    case 'header':
      textObject(p, b.text, `${at}/text`, { max: 150, plainOnly: true });
      break;
    case 'image': {
      if (typeof b.image_url !== 'string' && !isObj(b.slack_file)) p.add('must provide either image_url or slack_file', at);
      else if (typeof b.image_url === 'string' && b.image_url.length > 3000) p.add('must be less than 3001 characters', `${at}/image_url`);
      if (typeof b.alt_text !== 'string') p.add('missing required field: alt_text', `${at}/alt_text`);
      else if (b.alt_text.length > 2000) p.add('must be less than 2001 characters', `${at}/alt_text`);
      if (b.title !== undefined) textObject(p, b.title, `${at}/title`, { max: 2000, plainOnly: true });
      break;
    }
    case 'context':
      elements(p, b.elements, `${at}/elements`, 10);
      break;
    case 'actions':
      elements(p, b.elements, `${at}/elements`, 25);
      break;
    case 'rich_text':
      elements(p, b.elements, `${at}/elements`, Number.MAX_SAFE_INTEGER, false);
      break;
    case 'markdown':
      if (typeof b.text !== 'string') p.add('missing required field: text', `${at}/text`);
      else if (b.text.length > 12_000) p.add('must be less than 12001 characters', `${at}/text`);
      break;
    case 'input':
      textObject(p, b.label, `${at}/label`, { max: 2000, plainOnly: true });
      if (!isObj(b.element)) p.add('missing required field: element', `${at}/element`);
      break;
    case 'video':
      for (const k of ['alt_text', 'title', 'video_url', 'thumbnail_url']) if (b[k] === undefined) p.add(`missing required field: ${k}`, `${at}/${k}`);
      break;
    case 'file':
      if (typeof b.external_id !== 'string') p.add('missing required field: external_id', `${at}/external_id`);
      break;
  }
}

/** The problems of a blocks array (empty when valid); `base` is the pointer of the array. */
export function blockProblems(blocks: unknown[], base = '/blocks'): string[] {
  const p = new Problems();
  if (blocks.length > MAX_BLOCKS) p.add(`must provide no more than ${MAX_BLOCKS} items`, base);
  const ids = new Set<string>();
  blocks.forEach((b, i) => block(p, b, `${base}/${i}`, ids));
  return p.list;
}
