import { validation } from './errors.ts';
import { attached, color, icon, richText, type Json } from './util.ts';

/** Block requests into stored content: the common block types, with nested children. */
export const BLOCK_TYPES = ['paragraph', 'heading_1', 'heading_2', 'heading_3', 'bulleted_list_item', 'numbered_list_item', 'to_do', 'toggle', 'code', 'quote', 'callout', 'divider', 'image', 'file', 'pdf', 'audio', 'video'] as const;
const MEDIA = new Set(['image', 'file', 'pdf', 'audio', 'video']);
const TEXTY = new Set(['paragraph', 'bulleted_list_item', 'numbered_list_item', 'toggle', 'quote']);

export interface BlockInput {
  type: string;
  content: Json;
  children: BlockInput[];
}

export function blockType(b: Json, path: string): string {
  const type = typeof b.type === 'string' ? b.type : Object.keys(b).find((k) => k !== 'object' && k !== 'type');
  if (!type) throw validation(`body failed validation: ${path} should be a block object, instead was \`${JSON.stringify(b)}\`.`);
  if (!(BLOCK_TYPES as readonly string[]).includes(type)) {
    throw validation(`body failed validation: ${path}.${type}: block type ${type} is not emulated by this asym Notion clone (it emulates ${BLOCK_TYPES.join(', ')}).`);
  }
  return type;
}

/** Content of one block of `type` from request fields; `prev` merges an update. */
export function blockContent(type: string, raw: Json, path: string, names: (id: string) => string | undefined, prev?: Json): Json {
  const p = `${path}.${type}`;
  const rt = (key: string) => (raw[key] !== undefined ? richText(raw[key], `${p}.${key}`, names) : (prev?.[key] ?? []));
  if (TEXTY.has(type)) {
    const out: Json = { rich_text: rt('rich_text'), color: color(raw.color, `${p}.color`, prev?.color ?? 'default') };
    if (type === 'paragraph') out.icon = raw.icon !== undefined ? icon(raw.icon, `${p}.icon`) : (prev?.icon ?? null);
    return out;
  }
  if (MEDIA.has(type)) {
    // A file block holds an external URL or a file upload of the caller's (resolved before parsing: util.attached).
    let source: Json | undefined = prev && { type: prev.type, [prev.type]: prev[prev.type] };
    if (raw.type !== undefined || raw.external !== undefined || raw.file_upload !== undefined || raw.file !== undefined) {
      if (attached(raw)) source = { type: 'file', file: raw.file, file_upload_id: raw.file_upload_id };
      else if (raw.external !== undefined || raw.type === 'external') {
        if (typeof raw.external?.url !== 'string') throw validation(`body failed validation: ${p}.external.url should be a string, instead was \`${JSON.stringify(raw.external?.url)}\`.`);
        source = { type: 'external', external: { url: raw.external.url } };
      } else throw validation(`body failed validation: ${p} should have a file source: \`external\` ({url}) or \`file_upload\` ({id} of an uploaded file).`);
    }
    if (!source) throw validation(`body failed validation: ${p}.external should be defined, instead was \`undefined\`.`);
    const out: Json = { caption: rt('caption'), ...source };
    if (type === 'file') out.name = typeof raw.name === 'string' ? raw.name : (prev?.name ?? (source.type === 'external' ? decodeURIComponent(String(source.external.url).split('/').pop() ?? '') : String(source.file.url).split('/').pop() ?? 'file'));
    return out;
  }
  switch (type) {
    case 'heading_1':
    case 'heading_2':
    case 'heading_3':
      return { rich_text: rt('rich_text'), is_toggleable: typeof raw.is_toggleable === 'boolean' ? raw.is_toggleable : (prev?.is_toggleable ?? false), color: color(raw.color, `${p}.color`, prev?.color ?? 'default') };
    case 'to_do':
      if (raw.checked !== undefined && typeof raw.checked !== 'boolean') throw validation(`body failed validation: ${p}.checked should be a boolean, instead was \`${JSON.stringify(raw.checked)}\`.`);
      return { rich_text: rt('rich_text'), checked: raw.checked ?? prev?.checked ?? false, color: color(raw.color, `${p}.color`, prev?.color ?? 'default') };
    case 'code':
      if (raw.language !== undefined && typeof raw.language !== 'string') throw validation(`body failed validation: ${p}.language should be a string, instead was \`${JSON.stringify(raw.language)}\`.`);
      return { rich_text: rt('rich_text'), caption: rt('caption'), language: raw.language ?? prev?.language ?? 'plain text' };
    case 'callout':
      return {
        rich_text: rt('rich_text'),
        icon: raw.icon !== undefined ? icon(raw.icon, `${p}.icon`) : (prev?.icon ?? { type: 'emoji', emoji: '💡' }),
        color: color(raw.color, `${p}.color`, prev?.color ?? 'gray_background'),
      };
    case 'divider':
      return {};
  }
  throw validation(`body failed validation: ${p} is not an emulated block type.`);
}

/** A list of block requests (children of an append or a page create), with nested children. */
export function parseBlocks(list: unknown, path: string, names: (id: string) => string | undefined, depth = 0): BlockInput[] {
  if (!Array.isArray(list)) throw validation(`body failed validation: ${path} should be an array, instead was \`${JSON.stringify(list)}\`.`);
  if (list.length > 100) throw validation(`body failed validation: ${path}.length should be ≤ \`100\`, instead was \`${list.length}\`.`);
  return list.map((raw, i) => {
    const p = `${path}[${i}]`;
    const b = (raw ?? {}) as Json;
    const type = blockType(b, p);
    const body = (b[type] ?? {}) as Json;
    const kids = body.children;
    if (kids !== undefined && depth >= 2) throw validation(`body failed validation: ${p}.${type}.children: blocks can be nested at most two levels deep in one request.`);
    if (kids !== undefined && (type === 'divider' || MEDIA.has(type))) throw validation(`body failed validation: ${p}.${type}.children should be not present.`);
    return { type, content: blockContent(type, body, p, names), children: kids === undefined ? [] : parseBlocks(kids, `${p}.${type}.children`, names, depth + 1) };
  });
}
