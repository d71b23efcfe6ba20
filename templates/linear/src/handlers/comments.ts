import { invalidInput } from '../errors.ts';
import type { Resolver } from '../gql.ts';
import { findIssue, need } from './query.ts';
import type { Rc, Row } from '../request.ts';
import { columnsFrom, insertRow, json, nextSyncId, randomColor, requireString, updateRow } from '../write.ts';
import { clockNow } from '../../../_kit/clock.ts';

/** Comments (threads through parentId), labels (workspace or team) and attachments. */
type Input = Record<string, any>;

export interface AttachmentLink {
  id?: string;
  url: string;
  title: string;
  subtitle?: string | null;
  metadata?: Record<string, unknown>;
  sourceType?: string;
  source?: Record<string, unknown>;
}

/**
 * An attachment on an issue by its URL. Linear's URLs are idempotent per issue: linking a
 * URL the issue already has updates that attachment (title, subtitle, metadata) instead of
 * adding a second one.
 */
export async function linkAttachment(rc: Rc, issueId: string, a: AttachmentLink): Promise<Row> {
  const issue = await findIssue(rc, issueId);
  if (!issue) throw invalidInput('issueId must name an existing issue');
  requireString(a.url, 'url');
  const same = (await rc.ctx.db.q<{ id: string }>`select id from attachments where issue_id = ${issue.id} and url = ${a.url} and archived_at is null limit 1`)[0];
  const fields = { title: a.title, subtitle: a.subtitle ?? null, metadata: json(a.metadata ?? {}), ...(a.sourceType ? { source_type: a.sourceType, source: json(a.source ?? { type: a.sourceType }) } : {}) };
  if (same) return updateRow(rc, 'attachment', same.id, fields);
  return insertRow(rc, 'attachment', { id: a.id ?? crypto.randomUUID(), issue_id: issue.id, creator_id: rc.viewerId, url: a.url, ...fields });
}

export const COMMENT_MUTATIONS: Record<string, Resolver> = {
  commentCreate: async (_s, { input }: { input: Input }, rc) => {
    requireString(input.body, 'body');
    const issue = await findIssue(rc, input.issueId ?? '');
    if (!issue) throw invalidInput('issueId must name an existing issue');
    if (input.parentId) {
      const parent = await need(rc, 'comment', input.parentId, 'parent comment');
      if (parent.issue_id !== issue.id) throw invalidInput('The parent comment belongs to another issue');
    }
    const row = await insertRow(rc, 'comment', { id: input.id ?? crypto.randomUUID(), issue_id: issue.id, parent_id: input.parentId ?? null, user_id: rc.viewerId, body: input.body, ...(input.createdAt ? { created_at: input.createdAt, updated_at: input.createdAt } : {}) });
    rc.events.push({ type: 'Comment', action: 'create', entity: 'comment', id: row.id });
    return { success: true, lastSyncId: await nextSyncId(rc), comment: row };
  },
  commentUpdate: async (_s, { id, input }: { id: string; input: Input }, rc) => {
    const before = await need(rc, 'comment', id, 'comment');
    if (input.body !== undefined) requireString(input.body, 'body');
    const row = await updateRow(rc, 'comment', id, { ...columnsFrom(input, { body: 'body' }), ...(input.body !== undefined ? { edited_at: clockNow() } : {}) });
    rc.events.push({ type: 'Comment', action: 'update', entity: 'comment', id, updatedFrom: { body: before.body, updatedAt: before.updated_at } });
    return { success: true, lastSyncId: await nextSyncId(rc), comment: row };
  },
  commentDelete: async (_s, { id }: { id: string }, rc) => {
    const row = await need(rc, 'comment', id, 'comment');
    rc.events.push({ type: 'Comment', action: 'remove', entity: 'comment', id, data: row });
    await rc.ctx.db.q`delete from comments where id = ${id}`;
    rc.forget('comment', id);
    return { success: true, lastSyncId: await nextSyncId(rc), entityId: id };
  },
  commentResolve: async (_s, { id, resolvingCommentId }: { id: string; resolvingCommentId?: string }, rc) => {
    await need(rc, 'comment', id, 'comment');
    if (resolvingCommentId) {
      const reply = await need(rc, 'comment', resolvingCommentId, 'resolving comment');
      if (reply.parent_id !== id) throw invalidInput('The resolving comment must be a reply in the thread');
    }
    const comment = await updateRow(rc, 'comment', id, { resolved_at: clockNow(), resolving_user_id: rc.viewerId, resolving_comment_id: resolvingCommentId ?? null });
    return { success: true, lastSyncId: await nextSyncId(rc), comment };
  },
  commentUnresolve: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'comment', id, 'comment');
    return { success: true, lastSyncId: await nextSyncId(rc), comment: await updateRow(rc, 'comment', id, { resolved_at: null, resolving_user_id: null, resolving_comment_id: null }) };
  },
  issueLabelCreate: async (_s, { input }: { input: Input }, rc) => {
    requireString(input.name, 'name');
    if (input.teamId) await need(rc, 'team', input.teamId, 'team');
    if (input.parentId) await need(rc, 'label', input.parentId, 'parent label');
    const dup = await rc.ctx.db.q`select 1 from issue_labels where lower(name) = ${input.name.toLowerCase()} and team_id is not distinct from ${input.teamId ?? null} and archived_at is null`;
    if (dup.length) throw invalidInput(`A label named ${input.name} already exists`);
    const row = await insertRow(rc, 'label', { id: input.id ?? crypto.randomUUID(), name: input.name, color: input.color ?? randomColor(input.name), description: input.description ?? null, team_id: input.teamId ?? null, parent_id: input.parentId ?? null, is_group: input.isGroup ?? false, creator_id: rc.viewerId });
    return { success: true, lastSyncId: await nextSyncId(rc), issueLabel: row };
  },
  issueLabelUpdate: async (_s, { id, input }: { id: string; input: Input }, rc) => {
    await need(rc, 'label', id, 'label');
    return { success: true, lastSyncId: await nextSyncId(rc), issueLabel: await updateRow(rc, 'label', id, columnsFrom(input, { name: 'name', color: 'color', description: 'description', parentId: 'parent_id', isGroup: 'is_group' })) };
  },
  issueLabelDelete: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'label', id, 'label');
    await rc.ctx.db.q`delete from issue_labels where id = ${id}`;
    rc.forget('label', id);
    return { success: true, lastSyncId: await nextSyncId(rc), entityId: id };
  },
  attachmentCreate: async (_s, { input }: { input: Input }, rc) => {
    requireString(input.title, 'title');
    const attachment = await linkAttachment(rc, input.issueId ?? '', { id: input.id, url: input.url, title: input.title, subtitle: input.subtitle, metadata: input.metadata });
    return { success: true, lastSyncId: await nextSyncId(rc), attachment };
  },
  attachmentLinkURL: async (_s, { issueId, url, title, id }: { issueId: string; url: string; title?: string; id?: string }, rc) => {
    const attachment = await linkAttachment(rc, issueId, { id, url, title: title ?? url });
    return { success: true, lastSyncId: await nextSyncId(rc), attachment };
  },
  attachmentUpdate: async (_s, { id, input }: { id: string; input: Input }, rc) => {
    await need(rc, 'attachment', id, 'attachment');
    return { success: true, lastSyncId: await nextSyncId(rc), attachment: await updateRow(rc, 'attachment', id, columnsFrom(input, { title: 'title', subtitle: 'subtitle' })) };
  },
  attachmentDelete: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'attachment', id, 'attachment');
    await rc.ctx.db.q`delete from attachments where id = ${id}`;
    rc.forget('attachment', id);
    return { success: true, lastSyncId: await nextSyncId(rc), entityId: id };
  },
};
