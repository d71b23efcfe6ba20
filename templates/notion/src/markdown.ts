import type { BlockInput } from './blocks.ts';
import { validation } from './errors.ts';
import type { Json } from './util.ts';

/**
 * A subset of Notion's enhanced markdown for the page markdown endpoints: headings, lists,
 * to-dos, quotes, code fences, dividers, paragraphs, toggles (<details>), callouts
 * (<callout>), child pages and databases (<page>, <database>), nested children by tab
 * indentation, and inline bold, italic, code, strikethrough and links.
 */
const ANN = { bold: false, italic: false, strikethrough: false, underline: false, code: false, color: 'default' };

export function inline(rt: Json[]): string {
  return rt
    .map((r) => {
      let s = String(r.plain_text ?? '');
      const a = r.annotations ?? {};
      if (a.code) s = `\`${s}\``;
      if (a.bold) s = `**${s}**`;
      if (a.italic) s = `*${s}*`;
      if (a.strikethrough) s = `~~${s}~~`;
      if (r.href) s = `[${s}](${r.href})`;
      return s;
    })
    .join('');
}

/** Inline markdown into request rich text. */
export function parseInline(text: string): Json[] {
  const out: Json[] = [];
  const re = /\[([^\]]+)\]\(([^)\s]+)\)|\*\*([^*]+)\*\*|~~([^~]+)~~|`([^`]+)`|\*([^*]+)\*/g;
  let last = 0;
  const push = (content: string, ann: Partial<typeof ANN> = {}, url?: string) => {
    for (let i = 0; i < content.length; i += 2000) {
      const piece = content.slice(i, i + 2000);
      out.push({ type: 'text', text: { content: piece, link: url ? { url } : null }, annotations: { ...ANN, ...ann }, plain_text: piece, href: url ?? null });
    }
  };
  for (const m of text.matchAll(re)) {
    if (m.index! > last) push(text.slice(last, m.index));
    if (m[1] !== undefined) push(m[1], {}, m[2]);
    else if (m[3] !== undefined) push(m[3], { bold: true });
    else if (m[4] !== undefined) push(m[4], { strikethrough: true });
    else if (m[5] !== undefined) push(m[5], { code: true });
    else if (m[6] !== undefined) push(m[6], { italic: true });
    last = m.index! + m[0].length;
  }
  if (last < text.length) push(text.slice(last));
  return out;
}

export interface MdBlock {
  type: string;
  content: Json;
  children: MdBlock[];
  /** child_page / child_database: the page or database url and title. */
  url?: string;
}

export function toMarkdown(blocks: MdBlock[], depth = 0): string {
  const pad = '\t'.repeat(depth);
  const lines: string[] = [];
  let n = 0;
  for (const b of blocks) {
    const c = b.content;
    const t = c.rich_text ? inline(c.rich_text) : '';
    n = b.type === 'numbered_list_item' ? n + 1 : 0;
    switch (b.type) {
      case 'heading_1':
      case 'heading_2':
      case 'heading_3':
        lines.push(`${pad}${'#'.repeat(Number(b.type.slice(-1)))} ${t}`);
        break;
      case 'bulleted_list_item':
        lines.push(`${pad}- ${t}`);
        break;
      case 'numbered_list_item':
        lines.push(`${pad}${n}. ${t}`);
        break;
      case 'to_do':
        lines.push(`${pad}- [${c.checked ? 'x' : ' '}] ${t}`);
        break;
      case 'quote':
        lines.push(`${pad}> ${t}`);
        break;
      case 'divider':
        lines.push(`${pad}---`);
        break;
      case 'code':
        lines.push(`${pad}\`\`\`${c.language === 'plain text' ? '' : c.language}`, ...(c.rich_text as Json[]).map((r) => r.plain_text).join('').split('\n').map((l) => `${pad}${l}`), `${pad}\`\`\``);
        break;
      case 'toggle':
        lines.push(`${pad}<details>`, `${pad}<summary>${t}</summary>`, toMarkdown(b.children, depth + 1), `${pad}</details>`);
        continue;
      case 'callout':
        lines.push(`${pad}<callout${c.icon?.emoji ? ` icon="${c.icon.emoji}"` : ''}>`, `${pad}\t${t}`, ...(b.children.length ? [toMarkdown(b.children, depth + 1)] : []), `${pad}</callout>`);
        continue;
      case 'child_page':
        lines.push(`${pad}<page url="${b.url}">${c.title}</page>`);
        break;
      case 'child_database':
        lines.push(`${pad}<database url="${b.url}">${c.title}</database>`);
        break;
      default:
        lines.push(`${pad}${t}`);
    }
    if (b.children.length) lines.push(toMarkdown(b.children, depth + 1));
  }
  return lines.filter((l) => l !== '').join('\n');
}

/** Markdown into block requests (child <page>/<database> lines are skipped: they stay where they are). */
export function fromMarkdown(md: string): BlockInput[] {
  const root: BlockInput[] = [];
  const stack: Array<{ depth: number; block: BlockInput }> = [];
  const lines = md.replace(/\r\n/g, '\n').split('\n');
  const rt = (s: string) => parseInline(s);
  const add = (depth: number, b: BlockInput) => {
    while (stack.length && stack[stack.length - 1]!.depth >= depth) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent && depth > 0) {
      if (depth > 2) throw validation('Markdown nests blocks more than two levels deep; this clone accepts at most two.');
      parent.block.children.push(b);
    } else root.push(b);
    stack.push({ depth: parent && depth > 0 ? depth : 0, block: b });
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const depth = /^\t*/.exec(raw)![0].length;
    const line = raw.slice(depth).trimEnd();
    const co = /^<callout(?: icon="([^"]+)")?>$/.exec(line);
    if (co) {
      const txt = (lines[i + 1] ?? '').replace(/^\t*/, '');
      i++;
      add(depth, { type: 'callout', content: { rich_text: rt(txt), icon: co[1] ? { type: 'emoji', emoji: co[1] } : null, color: 'gray_background' }, children: [] });
      stack[stack.length - 1]!.depth = depth;
      continue;
    }
    const sum = /^<summary>(.*)<\/summary>$/.exec(line);
    if (!sum && (!line.trim() || /^<\/?(details|callout)( [^>]*)?>$/.test(line) || /^<(page|database) url=/.test(line))) continue;
    if (sum) {
      add(Math.max(0, depth), { type: 'toggle', content: { rich_text: rt(sum[1]!), color: 'default' }, children: [] });
      continue;
    }
    const fence = /^```(.*)$/.exec(line);
    if (fence) {
      const body: string[] = [];
      while (++i < lines.length && !/^\t*```\s*$/.test(lines[i]!)) body.push(lines[i]!.slice(depth));
      add(depth, { type: 'code', content: { rich_text: body.length ? parseInline('').concat([{ type: 'text', text: { content: body.join('\n'), link: null }, annotations: ANN, plain_text: body.join('\n'), href: null }]) : [], caption: [], language: fence[1]!.trim() || 'plain text' }, children: [] });
      continue;
    }
    let m: RegExpExecArray | null;
    if ((m = /^(#{1,3}) (.*)$/.exec(line))) add(depth, { type: `heading_${m[1]!.length}`, content: { rich_text: rt(m[2]!), is_toggleable: false, color: 'default' }, children: [] });
    else if ((m = /^[-*] \[( |x|X)\] (.*)$/.exec(line))) add(depth, { type: 'to_do', content: { rich_text: rt(m[2]!), checked: m[1] !== ' ', color: 'default' }, children: [] });
    else if ((m = /^[-*] (.*)$/.exec(line))) add(depth, { type: 'bulleted_list_item', content: { rich_text: rt(m[1]!), color: 'default' }, children: [] });
    else if ((m = /^\d+\. (.*)$/.exec(line))) add(depth, { type: 'numbered_list_item', content: { rich_text: rt(m[1]!), color: 'default' }, children: [] });
    else if ((m = /^> ?(.*)$/.exec(line))) add(depth, { type: 'quote', content: { rich_text: rt(m[1]!), color: 'default' }, children: [] });
    else if (/^(---|\*\*\*)$/.test(line)) add(depth, { type: 'divider', content: {}, children: [] });
    else add(depth, { type: 'paragraph', content: { rich_text: rt(line), color: 'default', icon: null }, children: [] });
  }
  return root;
}
