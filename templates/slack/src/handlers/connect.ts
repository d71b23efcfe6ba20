import { bool, jsonField, str } from '../../../_kit/http.ts';
import type { KitContext } from '../../../_kit/types.ts';
import { fail } from '../errors.ts';
import { emitEvent } from '../events.ts';
import { encodeCursor, nowSeconds, slackId } from '../ids.ts';
import { avatarUrl, renderProfile } from '../render.ts';
import { addMember, getTeam, getUser, isMember, visibleConversation } from '../store.ts';
import type { Call, ConnectedTeam, ConversationRow, Handler, UserRow } from '../types.ts';
import { cursorValue, metaCursor } from './common.ts';
import { validateName } from './conversations.ts';

/**
 * Slack Connect, as far as one workspace can play it. The other organisation is simulated
 * through the admin surface (see admin-routes.ts):
 *
 * - Outgoing: conversations.inviteShared creates a pending invite (I…). The external party
 *   accepting it is POST /__asym/slack/connect/accept; the invite then awaits approval here:
 *   conversations.approveSharedInvite connects the team to the channel, declineSharedInvite
 *   ends it.
 * - Incoming: POST /__asym/slack/connect/invites creates an invite from another
 *   organisation; conversations.acceptSharedInvite accepts it, creating the shared channel
 *   here (no admin approval is required on this side: implicit_approval true).
 * - Requests: POST /__asym/slack/connect/requests records a member's request to invite an
 *   external person; conversations.requestSharedInvite.list/approve/deny handle it, and an
 *   approval sends a real (outgoing) invite.
 *
 * Invites stay valid 14 days, as Slack's do.
 */

const INVITE_TTL = 14 * 24 * 3600;
const MAX_MESSAGE = 560;
const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;

export interface InviteRow {
  id: string;
  seq: string;
  direction: 'outgoing' | 'incoming';
  status: 'pending' | 'accepted' | 'approved' | 'declined' | 'revoked';
  channel_id: string;
  channel_name: string;
  channel_is_private: boolean;
  inviting_team: Record<string, unknown>;
  inviting_user: Record<string, unknown>;
  recipient_email: string | null;
  recipient_user_id: string | null;
  external_limited: boolean;
  is_link: boolean;
  accepting_team: Record<string, unknown> | null;
  accepting_user: Record<string, unknown> | null;
  local_channel_id: string | null;
  date_created: string | number;
  date_invalid: string | number;
  date_accepted: string | number | null;
  date_last_updated: string | number;
  reviews: Record<string, unknown>[];
}

interface RequestRow {
  id: string;
  seq: string;
  channel_id: string;
  requester_id: string;
  recipient_email: string;
  message: string;
  is_external_limited: boolean;
  status: 'pending' | 'approved' | 'denied';
  sent_invite_id: string | null;
  date_created: string | number;
  expires_at: string | number;
  date_last_updated: string | number;
}

/** A team object as Slack embeds it in Connect payloads. */
export function teamObject(publicUrl: string, t: { id: string; name: string; domain: string; created?: number }): Record<string, unknown> {
  const icon: Record<string, unknown> = { image_default: true };
  for (const s of [34, 44, 68, 88, 102, 132, 230]) icon[`image_${s}`] = `${publicUrl}/avatars/${t.id}/${s}.png`;
  return {
    id: t.id,
    name: t.name,
    icon,
    is_verified: false,
    domain: t.domain,
    date_created: t.created ?? 0,
    avatar_base_url: `${publicUrl}/avatars/`,
    requires_sponsorship: false,
  };
}

/** A user object as Slack embeds it in Connect payloads (inviting_user, accepting_user). */
export function connectUser(publicUrl: string, u: UserRow, customFlag = true): Record<string, unknown> {
  const p = renderProfile(u, publicUrl, true);
  const profile: Record<string, unknown> = {
    real_name: p.real_name,
    display_name: p.display_name,
    real_name_normalized: p.real_name_normalized,
    display_name_normalized: p.display_name_normalized,
    team: u.team_id,
    avatar_hash: p.avatar_hash,
    email: u.email ?? '',
  };
  for (const k of Object.keys(p)) if (k.startsWith('image_')) profile[k] = p[k];
  if (customFlag) profile.is_custom_image = p.is_custom_image;
  return { id: u.id, team_id: u.team_id, name: u.name, updated: Number(u.updated), profile, who_can_share_contact_card: 'EVERYONE' };
}

/** An external person known only by name/email (the simulated other organisation). */
export function externalUser(publicUrl: string, teamId: string, p: { id?: string; name?: string; email?: string; real_name?: string }): Record<string, unknown> {
  const id = p.id ?? slackId('U');
  const name = p.name ?? p.email?.split('@')[0] ?? 'guest';
  const realName = p.real_name ?? name;
  const profile: Record<string, unknown> = {
    real_name: realName,
    display_name: name,
    real_name_normalized: realName,
    display_name_normalized: name,
    team: teamId,
    avatar_hash: id.slice(-12).toLowerCase(),
    email: p.email ?? '',
  };
  for (const s of [24, 32, 48, 72, 192, 512]) profile[`image_${s}`] = avatarUrl(publicUrl, id, s);
  profile.is_custom_image = false;
  return { id, team_id: teamId, name, updated: nowSeconds(), profile, who_can_share_contact_card: 'EVERYONE' };
}

async function localTeam(call: { ctx: KitContext }): Promise<Record<string, unknown>> {
  const t = await getTeam(call.ctx);
  return teamObject(call.ctx.env.publicUrl, { id: t?.id ?? '', name: t?.name ?? '', domain: t?.domain ?? '', created: Number(t?.created ?? 0) });
}

function inviteLink(publicUrl: string, id: string): string {
  return `${publicUrl}/connect/invite/${id}`;
}

/** A list field that may arrive as a JSON array (the SDK's form encoding) or a comma list. */
function listField(v: unknown): string[] {
  if (v === undefined || v === null || v === '') return [];
  if (Array.isArray(v)) return v.map(String).map((s) => s.trim()).filter(Boolean);
  const parsed = jsonField(v);
  if (parsed.ok && Array.isArray(parsed.value)) return parsed.value.map(String).map((s) => s.trim()).filter(Boolean);
  return String(v).split(',').map((s) => s.trim()).filter(Boolean);
}

export async function getInvite(ctx: KitContext, id: unknown): Promise<InviteRow | null> {
  if (typeof id !== 'string' || !id) return null;
  const rows = await ctx.db.q<InviteRow>`select * from connect_invites where id = ${id}`;
  return rows[0] ?? null;
}

function expired(inv: { date_invalid?: string | number; expires_at?: string | number }): boolean {
  return Number(inv.date_invalid ?? inv.expires_at ?? 0) < nowSeconds();
}

/** The invite object of Slack's listConnectInvites / shared_channel_* events. */
export function renderInvite(publicUrl: string, inv: InviteRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: inv.id,
    date_created: Number(inv.date_created),
    date_invalid: Number(inv.date_invalid),
    inviting_team: inv.inviting_team,
    inviting_user: inv.inviting_user,
    link: inviteLink(publicUrl, inv.id),
  };
  if (inv.recipient_user_id) out.recipient_user_id = inv.recipient_user_id;
  if (inv.recipient_email) out.recipient_email = inv.recipient_email;
  return out;
}

function renderChannel(inv: InviteRow): Record<string, unknown> {
  return { id: inv.channel_id, is_im: false, is_private: inv.channel_is_private, name: inv.channel_name };
}

function approvalStatus(inv: InviteRow): string {
  if (inv.status === 'approved') return 'approved';
  if (inv.status === 'declined') return 'declined';
  return 'pending_approval';
}

function renderListed(publicUrl: string, inv: InviteRow): Record<string, unknown> {
  const acceptances = inv.accepting_team
    ? [{
        approval_status: approvalStatus(inv),
        date_accepted: Number(inv.date_accepted ?? 0),
        date_invalid: Number(inv.date_invalid),
        date_last_updated: Number(inv.date_last_updated),
        accepting_team: inv.accepting_team,
        accepting_user: inv.accepting_user,
        reviews: inv.reviews,
      }]
    : [];
  return {
    direction: inv.direction,
    status: inv.status,
    date_last_updated: Number(inv.date_last_updated),
    invite_type: 'channel',
    invite: renderInvite(publicUrl, inv),
    channel: renderChannel(inv),
    acceptances,
  };
}

// ---------------------------------------------------------------------------------------
// Outgoing invites

/** Sends a connect invite for `conv` (used by inviteShared and requestSharedInvite.approve). */
async function createOutgoing(call: Call, conv: ConversationRow, inviter: UserRow, to: { email?: string; userId?: string }, externalLimited: boolean, id = slackId('I')): Promise<InviteRow> {
  const now = nowSeconds();
  const team = await localTeam(call);
  const rows = await call.ctx.db.q<InviteRow>`insert into connect_invites (id, direction, status, channel_id, channel_name, channel_is_private,
      inviting_team, inviting_user, recipient_email, recipient_user_id, external_limited, is_link, date_created, date_invalid, date_last_updated)
    values (${id}, 'outgoing', 'pending', ${conv.id}, ${conv.name ?? ''}, ${conv.is_private},
      ${JSON.stringify(team)}::text::jsonb, ${JSON.stringify(connectUser(call.ctx.env.publicUrl, inviter))}::text::jsonb,
      ${to.email ?? null}, ${to.userId ?? null}, ${externalLimited}, ${!to.email && !to.userId}, ${now}, ${now + INVITE_TTL}, ${now})
    returning *`;
  return rows[0] as InviteRow;
}

/** Who may be invited: one external email or user id; people of this workspace are refused. */
async function recipient(call: Call, conv: ConversationRow): Promise<{ email?: string; userId?: string }> {
  const emails = listField(call.params.emails);
  const userIds = listField(call.params.user_ids);
  if (!emails.length && !userIds.length) {
    // A user may create a link invite; an app must say whom it invites.
    if (call.caller.kind === 'bot') fail('recipients_not_specified');
    return {};
  }
  if (emails.length + userIds.length > 1) fail(emails.length > 1 ? 'too_many_emails' : 'invalid_arguments');
  const db = call.ctx.db;
  if (emails.length) {
    const email = (emails[0] as string).toLowerCase();
    if (!EMAIL.test(email)) fail('invalid_email');
    const local = await db.q<{ id: string }>`select id from users where lower(email) = ${email} and team_id = ${call.caller.teamId} and not deleted limit 1`;
    if (local[0]) {
      if (await isMember(db, conv.id, local[0].id)) fail('already_in_channel');
      fail('not_supported');
    }
    return { email };
  }
  const userId = userIds[0] as string;
  if (!/^[UW][A-Z0-9]+$/.test(userId)) fail('user_not_found');
  const local = await getUser(db, userId);
  if (local && local.team_id === call.caller.teamId) {
    if (await isMember(db, conv.id, local.id)) fail('already_in_channel');
    fail('not_supported');
  }
  return { userId };
}

const inviteShared: Handler = async (call) => {
  const db = call.ctx.db;
  const { conv, member } = await visibleConversation(db, call.caller, call.params.channel);
  if (conv.kind === 'im' || conv.kind === 'mpim') fail('invalid_channel_type');
  if (conv.is_general) fail('cannot_share_mandatory_channel');
  if (conv.is_archived) fail('channel_archived');
  if (!member) fail('not_in_channel');
  const to = await recipient(call, conv);
  const inviter = (await getUser(db, call.caller.userId)) as UserRow;
  const inv = await createOutgoing(call, conv, inviter, to, bool(call.params.external_limited, true));
  const out: Record<string, unknown> = { invite_id: inv.id, is_legacy_shared_channel: false };
  if (inv.is_link) out.url = inviteLink(call.ctx.env.publicUrl, inv.id);
  return out;
};

/** The state checks approve and decline share: the invite must be accepted, still open. */
async function reviewable(call: Call, action: 'approve' | 'decline'): Promise<InviteRow> {
  const inv = await getInvite(call.ctx, str(call.params.invite_id));
  if (!inv) fail('invite_not_found');
  if (inv.status === 'approved') fail(action === 'approve' ? 'already_approved' : 'approval_inactive');
  if (inv.status === 'declined' || inv.status === 'revoked') fail(action === 'approve' ? 'invalid_action' : 'approval_inactive');
  if (expired(inv)) fail(action === 'approve' ? 'invalid_link' : 'inactive_invite');
  if (inv.status !== 'accepted' || !inv.accepting_team) fail('approval_not_found');
  const target = str(call.params.target_team);
  if (target && target !== (inv.accepting_team as { id?: string }).id && target !== (inv.inviting_team as { id?: string }).id) fail('approval_not_found');
  return inv;
}

async function review(call: Call, inv: InviteRow, type: 'approve' | 'decline'): Promise<InviteRow> {
  const now = nowSeconds();
  const entry = { type, date_review: now, reviewing_team: await localTeam(call) };
  const status = type === 'approve' ? 'approved' : 'declined';
  const rows = await call.ctx.db.q<InviteRow>`update connect_invites set status = ${status}, date_last_updated = ${now},
      reviews = reviews || ${JSON.stringify([entry])}::text::jsonb
    where id = ${inv.id} returning *`;
  return rows[0] as InviteRow;
}

const approveSharedInvite: Handler = async (call) => {
  const inv = await review(call, await reviewable(call, 'approve'), 'approve');
  const team = inv.accepting_team as unknown as ConnectedTeam & Record<string, unknown>;
  const connected: ConnectedTeam = { id: String(team.id), name: String(team.name ?? ''), domain: String(team.domain ?? '') };
  if (inv.direction === 'outgoing') {
    await call.ctx.db.q`update conversations set
        connected_teams = case when connected_teams @> ${JSON.stringify([{ id: connected.id }])}::text::jsonb then connected_teams
          else connected_teams || ${JSON.stringify([connected])}::text::jsonb end,
        external_limited = external_limited || ${JSON.stringify({ [connected.id]: inv.external_limited })}::text::jsonb,
        updated = ${nowSeconds()}
      where id = ${inv.channel_id}`;
  }
  emitEvent(call.ctx, {
    type: 'shared_channel_invite_approved',
    invite: renderInvite(call.ctx.env.publicUrl, inv),
    channel: renderChannel(inv),
    approving_team_id: call.caller.teamId,
    teams_in_channel: [inv.inviting_team, inv.accepting_team],
    approving_user: connectUser(call.ctx.env.publicUrl, (await getUser(call.ctx.db, call.caller.userId)) as UserRow),
  });
  return {};
};

const declineSharedInvite: Handler = async (call) => {
  const inv = await review(call, await reviewable(call, 'decline'), 'decline');
  emitEvent(call.ctx, {
    type: 'shared_channel_invite_declined',
    invite: renderInvite(call.ctx.env.publicUrl, inv),
    channel: renderChannel(inv),
    declining_team_id: call.caller.teamId,
    teams_in_channel: [inv.inviting_team],
    declining_user: connectUser(call.ctx.env.publicUrl, (await getUser(call.ctx.db, call.caller.userId)) as UserRow),
  });
  return {};
};

const listConnectInvites: Handler = async (call) => {
  const raw = call.params.count ?? call.params.limit;
  let count = 100;
  if (raw !== undefined && raw !== '') {
    const n = Number(raw);
    if (!Number.isFinite(n)) fail('invalid_arguments');
    count = Math.min(Math.max(Math.trunc(n), 1), 1000);
  }
  const after = cursorValue(call.params.cursor, 'invite');
  // Slack lists invites generated or received that not every party has approved yet.
  const rows = await call.ctx.db.q<InviteRow>`select * from connect_invites
    where status in ('pending', 'accepted') and date_invalid >= ${nowSeconds()}
      and (${after}::bigint is null or seq >= ${after}::bigint)
    order by seq limit ${count + 1}`;
  const next = rows.length > count ? encodeCursor('invite', String((rows[count] as InviteRow).seq)) : null;
  return { invites: rows.slice(0, count).map((r) => renderListed(call.ctx.env.publicUrl, r)), ...metaCursor(next) };
};

// ---------------------------------------------------------------------------------------
// Incoming invites

const acceptSharedInvite: Handler = async (call) => {
  const db = call.ctx.db;
  const inviteId = str(call.params.invite_id);
  const channelId = str(call.params.channel_id);
  if (!inviteId && !channelId) fail('invite_not_found');
  let inv: InviteRow | null = null;
  if (inviteId) inv = await getInvite(call.ctx, inviteId);
  else {
    const rows = await db.q<InviteRow>`select * from connect_invites where channel_id = ${channelId} and direction = 'incoming' order by (status = 'pending') desc, seq desc limit 1`;
    inv = rows[0] ?? null;
  }
  if (!inv) fail(inviteId ? 'invite_not_found' : 'invalid_link');
  if (inv.direction === 'outgoing') fail('invite_from_same_org');
  if (inv.status !== 'pending') fail('invite_used');
  if (expired(inv)) fail('invalid_link');
  const caller = (await getUser(db, call.caller.userId)) as UserRow;
  if (caller.is_restricted) fail('user_is_restricted');
  if (call.caller.kind === 'user' && inv.recipient_email && caller.email && caller.email.toLowerCase() !== inv.recipient_email.toLowerCase()) fail('email_does_not_match');
  const name = validateName(call.params.channel_name);
  const taken = await db.q`select 1 from conversations where team_id = ${call.caller.teamId} and name = ${name} and kind in ('channel', 'group')`;
  if (taken.length) fail('name_taken');
  const isPrivate = call.params.is_private === undefined ? inv.channel_is_private : bool(call.params.is_private);
  const now = nowSeconds();
  const host = inv.inviting_team as { id: string; name: string; domain: string };
  const connected: ConnectedTeam[] = [{ id: host.id, name: host.name, domain: host.domain }];
  // The shared channel keeps the host's id, as in Slack.
  await db.q`insert into conversations (id, team_id, name, kind, is_private, creator, created, updated, connected_teams, external_limited)
    values (${inv.channel_id}, ${call.caller.teamId}, ${name}, 'channel', ${isPrivate}, ${String((inv.inviting_user as { id?: string }).id ?? '')},
      ${now}, ${now}, ${JSON.stringify(connected)}::text::jsonb, '{}'::jsonb)`;
  await addMember(db, inv.channel_id, call.caller.userId, now);
  const team = await localTeam(call);
  const rows = await db.q<InviteRow>`update connect_invites set status = 'approved', accepting_team = ${JSON.stringify(team)}::text::jsonb,
      accepting_user = ${JSON.stringify(connectUser(call.ctx.env.publicUrl, caller))}::text::jsonb, local_channel_id = ${inv.channel_id},
      date_accepted = ${now}, date_last_updated = ${now}
    where id = ${inv.id} returning *`;
  const updated = rows[0] as InviteRow;
  emitEvent(call.ctx, {
    type: 'shared_channel_invite_accepted',
    approval_required: false,
    invite: renderInvite(call.ctx.env.publicUrl, updated),
    channel: renderChannel(updated),
    teams_in_channel: [updated.inviting_team, team],
    accepting_user: updated.accepting_user,
  });
  return { implicit_approval: true, channel_id: inv.channel_id, invite_id: inv.id };
};

// ---------------------------------------------------------------------------------------
// Slack Connect permissions

const externalInvitePermissionsSet: Handler = async (call) => {
  const { conv } = await visibleConversation(call.ctx.db, call.caller, call.params.channel);
  const action = str(call.params.action);
  if (action !== 'upgrade' && action !== 'downgrade') fail('invalid_action');
  const target = str(call.params.target_team);
  if (!target || !(conv.connected_teams ?? []).some((t) => t.id === target)) fail('invalid_target_team');
  const limited = action === 'downgrade';
  if ((conv.external_limited ?? {})[target] === limited) fail('not_supported');
  await call.ctx.db.q`update conversations set external_limited = external_limited || ${JSON.stringify({ [target]: limited })}::text::jsonb where id = ${conv.id}`;
  return {};
};

// ---------------------------------------------------------------------------------------
// Invite requests

async function renderRequest(call: Call, r: RequestRow): Promise<Record<string, unknown>> {
  const db = call.ctx.db;
  const publicUrl = call.ctx.env.publicUrl;
  const [requester, conv, team] = await Promise.all([getUser(db, r.requester_id), db.q<ConversationRow>`select * from conversations where id = ${r.channel_id}`, localTeam(call)]);
  const c = conv[0];
  const connections = (c?.connected_teams ?? []).map((t) => ({ team: teamObject(publicUrl, t), is_private: c?.is_private ?? false }));
  return {
    id: r.id,
    date_created: Number(r.date_created),
    expires_at: Number(r.expires_at),
    inviting_team: team,
    // Slack's invite_requests carry the short profile: the six image sizes, no custom flag.
    inviting_user: requester ? shortUser(connectUser(publicUrl, requester, false)) : { id: r.requester_id },
    channel: {
      id: r.channel_id,
      is_im: false,
      is_private: c?.is_private ?? false,
      date_created: Number(c?.created ?? 0),
      name: c?.name ?? '',
      connections,
      pending_connections: [],
      previous_connections: [],
    },
    is_external_limited: r.is_external_limited,
    date_last_updated: Number(r.date_last_updated),
    target_user: { recipient_email: r.recipient_email },
  };
}

function shortUser(u: Record<string, unknown>): Record<string, unknown> {
  const profile = { ...(u.profile as Record<string, unknown>) };
  delete profile.image_1024;
  delete profile.image_original;
  return { ...u, profile };
}

async function openRequest(call: Call): Promise<RequestRow> {
  const id = str(call.params.invite_id);
  const rows = id ? await call.ctx.db.q<RequestRow>`select * from connect_invite_requests where id = ${id}` : [];
  const r = rows[0];
  if (!r) fail('invite_not_found');
  if (r.status === 'approved') fail('invite_already_approved');
  if (r.status === 'denied') fail('invite_already_denied');
  if (expired(r)) fail('invite_expired');
  return r;
}

const requestApprove: Handler = async (call) => {
  const r = await openRequest(call);
  const db = call.ctx.db;
  const channelId = str(call.params.channel_id) ?? r.channel_id;
  const rows = await db.q<ConversationRow>`select * from conversations where id = ${channelId} and team_id = ${call.caller.teamId}`;
  const conv = rows[0];
  if (!conv || conv.is_archived || conv.kind === 'im' || conv.kind === 'mpim') fail('channel_not_found');
  const m = jsonField(call.params.message);
  if (!m.ok) fail('invalid_arguments');
  const msg = m.value as { text?: unknown; is_override?: unknown } | undefined;
  if (msg !== undefined && (typeof msg !== 'object' || msg === null || typeof msg.text !== 'string')) fail('invalid_arguments');
  const text = msg ? (bool(msg.is_override) ? String(msg.text) : `${r.message}${r.message ? ' ' : ''}${String(msg.text)}`) : r.message;
  if (text.length > MAX_MESSAGE) fail('message_too_long');
  const requester = await getUser(db, r.requester_id);
  if (!requester) fail('user_not_found');
  const limited = call.params.is_external_limited === undefined ? r.is_external_limited : bool(call.params.is_external_limited);
  // The request's id carries over to the invite it sends.
  const inv = await createOutgoing(call, conv, requester, { email: r.recipient_email }, limited, r.id);
  await db.q`update connect_invite_requests set status = 'approved', sent_invite_id = ${inv.id}, channel_id = ${conv.id},
      date_last_updated = ${nowSeconds()} where id = ${r.id}`;
  return { invite_id: r.id };
};

const requestDeny: Handler = async (call) => {
  const r = await openRequest(call);
  const message = str(call.params.message) ?? '';
  if (message.length > MAX_MESSAGE) fail('message_too_long');
  await call.ctx.db.q`update connect_invite_requests set status = 'denied', date_last_updated = ${nowSeconds()} where id = ${r.id}`;
  return { invite_id: r.id };
};

const requestList: Handler = async (call) => {
  const raw = call.params.limit;
  let limit = 200;
  if (raw !== undefined && raw !== '') {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 1 || n > 1000) fail('invalid_limit');
    limit = Math.trunc(n);
  }
  const after = cursorValue(call.params.cursor, 'request');
  const statuses = ['pending'];
  if (bool(call.params.include_approved)) statuses.push('approved');
  if (bool(call.params.include_denied)) statuses.push('denied');
  const includeExpired = bool(call.params.include_expired);
  const ids = listField(call.params.invite_ids);
  const userId = str(call.params.user_id) ?? null;
  const rows = await call.ctx.db.q<RequestRow>`select * from connect_invite_requests
    where status = any(${statuses}::text[])
      and (${includeExpired} or status <> 'pending' or expires_at >= ${nowSeconds()})
      and (${ids.length === 0} or id = any(${ids}::text[]))
      and (${userId}::text is null or requester_id = ${userId})
      and (${after}::bigint is null or seq >= ${after}::bigint)
    order by seq limit ${limit + 1}`;
  const next = rows.length > limit ? encodeCursor('request', String((rows[limit] as RequestRow).seq)) : null;
  const invite_requests = [];
  for (const r of rows.slice(0, limit)) invite_requests.push(await renderRequest(call, r));
  return { invite_requests, ...metaCursor(next) };
};

export const connectMethods: Record<string, Handler> = {
  'conversations.inviteShared': inviteShared,
  'conversations.acceptSharedInvite': acceptSharedInvite,
  'conversations.approveSharedInvite': approveSharedInvite,
  'conversations.declineSharedInvite': declineSharedInvite,
  'conversations.listConnectInvites': listConnectInvites,
  'conversations.externalInvitePermissions.set': externalInvitePermissionsSet,
  'conversations.requestSharedInvite.approve': requestApprove,
  'conversations.requestSharedInvite.deny': requestDeny,
  'conversations.requestSharedInvite.list': requestList,
};

// ---------------------------------------------------------------------------------------
// The other organisation, played by the admin surface.

export interface SimulatedParty {
  team?: { id?: string; name?: string; domain?: string };
  user?: { id?: string; name?: string; email?: string; real_name?: string };
}

function externalTeam(publicUrl: string, p: SimulatedParty['team'], emailDomain?: string): Record<string, unknown> {
  const domain = p?.domain ?? emailDomain?.split('.')[0] ?? 'partner';
  return teamObject(publicUrl, { id: p?.id ?? slackId('T'), name: p?.name ?? domain.charAt(0).toUpperCase() + domain.slice(1), domain, created: nowSeconds() });
}

/** POST /__asym/slack/connect/accept: the external recipient accepts an outgoing invite. */
export async function simulateAccept(ctx: KitContext, inviteId: unknown, party: SimulatedParty): Promise<Record<string, unknown>> {
  const inv = await getInvite(ctx, inviteId);
  if (!inv) return { ok: false, error: 'invite_not_found' };
  if (inv.direction !== 'outgoing') return { ok: false, error: 'invite_from_same_org' };
  if (inv.status !== 'pending') return { ok: false, error: 'invite_used' };
  const publicUrl = ctx.env.publicUrl;
  const email = party.user?.email ?? inv.recipient_email ?? undefined;
  const team = externalTeam(publicUrl, party.team, email?.split('@')[1]);
  const user = externalUser(publicUrl, String(team.id), { ...party.user, id: party.user?.id ?? inv.recipient_user_id ?? undefined, email });
  const now = nowSeconds();
  const rows = await ctx.db.q<InviteRow>`update connect_invites set status = 'accepted', accepting_team = ${JSON.stringify(team)}::text::jsonb,
      accepting_user = ${JSON.stringify(user)}::text::jsonb, date_accepted = ${now}, date_last_updated = ${now}
    where id = ${inv.id} returning *`;
  const updated = rows[0] as InviteRow;
  emitEvent(ctx, {
    type: 'shared_channel_invite_accepted',
    approval_required: true,
    invite: renderInvite(publicUrl, updated),
    channel: renderChannel(updated),
    teams_in_channel: [updated.inviting_team, team],
    accepting_user: user,
  });
  return { ok: true, invite_id: inv.id, accepting_team: team, accepting_user: user };
}

/** POST /__asym/slack/connect/invites: another organisation invites someone here. */
export async function simulateIncoming(ctx: KitContext, body: SimulatedParty & { channel_name?: unknown; is_private?: unknown; to?: { email?: unknown; user?: unknown }; external_limited?: unknown }): Promise<Record<string, unknown>> {
  const publicUrl = ctx.env.publicUrl;
  const channelName = typeof body.channel_name === 'string' && body.channel_name ? body.channel_name : 'shared-channel';
  const team = externalTeam(publicUrl, body.team, body.user?.email?.split('@')[1]);
  const user = externalUser(publicUrl, String(team.id), body.user ?? {});
  let recipientUser: string | null = null;
  let recipientEmail: string | null = typeof body.to?.email === 'string' ? body.to.email : null;
  if (typeof body.to?.user === 'string') {
    const who = body.to.user.replace(/^@/, '');
    const rows = await ctx.db.q<{ id: string; email: string | null }>`select id, email from users where id = ${who} or name = ${who} limit 1`;
    if (!rows[0]) return { ok: false, error: 'user_not_found' };
    recipientUser = rows[0].id;
    recipientEmail ??= rows[0].email;
  }
  const id = slackId('I');
  const channelId = slackId('C');
  const now = nowSeconds();
  const rows = await ctx.db.q<InviteRow>`insert into connect_invites (id, direction, status, channel_id, channel_name, channel_is_private,
      inviting_team, inviting_user, recipient_email, recipient_user_id, external_limited, date_created, date_invalid, date_last_updated)
    values (${id}, 'incoming', 'pending', ${channelId}, ${channelName}, ${body.is_private === true},
      ${JSON.stringify(team)}::text::jsonb, ${JSON.stringify(user)}::text::jsonb, ${recipientEmail}, ${recipientUser},
      ${body.external_limited !== false}, ${now}, ${now + INVITE_TTL}, ${now})
    returning *`;
  const inv = rows[0] as InviteRow;
  emitEvent(ctx, { type: 'shared_channel_invite_received', invite: renderInvite(publicUrl, inv), channel: renderChannel(inv) });
  return { ok: true, invite_id: id, channel_id: channelId, inviting_team: team, inviting_user: user };
}

/** POST /__asym/slack/connect/requests: a member asks to invite an external person. */
export async function simulateRequest(ctx: KitContext, body: { channel?: unknown; user?: unknown; email?: unknown; message?: unknown; is_external_limited?: unknown }): Promise<Record<string, unknown>> {
  const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
  if (!EMAIL.test(email)) return { ok: false, error: 'invalid_email' };
  const channel = typeof body.channel === 'string' ? body.channel.replace(/^#/, '') : '';
  const conv = await ctx.db.q<{ id: string }>`select id from conversations where (id = ${channel} or name = ${channel}) and kind = 'channel' limit 1`;
  if (!conv[0]) return { ok: false, error: 'channel_not_found' };
  const who = typeof body.user === 'string' ? body.user.replace(/^@/, '') : '';
  const users = await ctx.db.q<{ id: string }>`select id from users where (id = ${who} or name = ${who}) and not deleted limit 1`;
  if (!users[0]) return { ok: false, error: 'user_not_found' };
  const id = slackId('I');
  const now = nowSeconds();
  await ctx.db.q`insert into connect_invite_requests (id, channel_id, requester_id, recipient_email, message, is_external_limited, date_created, expires_at, date_last_updated)
    values (${id}, ${conv[0].id}, ${users[0].id}, ${email}, ${typeof body.message === 'string' ? body.message : ''}, ${body.is_external_limited !== false},
      ${now}, ${now + INVITE_TTL}, ${now})`;
  emitEvent(ctx, { type: 'shared_channel_invite_requested', actor: { id: users[0].id }, channel_id: conv[0].id, invite_type: 'channel', invite_id: id, target_users: [{ email }] });
  return { ok: true, invite_id: id };
}
