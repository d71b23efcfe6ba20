import { jsonField, str } from '../../../_kit/http.ts';
import { fail } from '../errors.ts';
import { nowSeconds, slackId } from '../ids.ts';
import { visibleConversation } from '../store.ts';
import type { Handler } from '../types.ts';

/**
 * conversations.canvases.create: one channel canvas per channel (Slack's
 * channel_canvas_already_exists), stored with its markdown. document_content is
 * {"type":"markdown","markdown":"..."} (JSON-encoded in form bodies), at most 1 MiB; without
 * it the canvas is created empty. GET /__asym/slack/canvases shows what was stored.
 */

const MAX_MARKDOWN = 1_048_576;

export function parseDocumentContent(v: unknown): string {
  const parsed = jsonField(v);
  if (!parsed.ok) fail('invalid_arguments');
  if (parsed.value === undefined) return '';
  const doc = parsed.value as { type?: unknown; markdown?: unknown };
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || doc.type !== 'markdown' || typeof doc.markdown !== 'string') fail('invalid_arguments');
  if (doc.markdown.length > MAX_MARKDOWN) fail('canvas_creation_failed');
  return doc.markdown;
}

const create: Handler = async (call) => {
  const db = call.ctx.db;
  const { conv, member } = await visibleConversation(db, call.caller, str(call.params.channel_id) ?? call.params.channel);
  if (conv.is_archived) fail('is_archived');
  // Editing a channel's tabs takes membership, as posting does.
  if (!member) fail('not_in_channel');
  const markdown = parseDocumentContent(call.params.document_content);
  const title = str(call.params.title) ?? '';
  const id = slackId('F');
  const rows = await db.q<{ id: string }>`insert into canvases (id, conversation_id, team_id, creator, title, markdown, created)
    values (${id}, ${conv.id}, ${conv.team_id}, ${call.caller.userId}, ${title}, ${markdown}, ${nowSeconds()})
    on conflict (conversation_id) do nothing returning id`;
  if (!rows[0]) fail('channel_canvas_already_exists');
  return { canvas_id: id };
};

export const canvasMethods: Record<string, Handler> = {
  'conversations.canvases.create': create,
};
