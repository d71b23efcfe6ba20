import type { Params } from '../../_kit/http.ts';
import type { KitContext } from '../../_kit/types.ts';

/** Who is calling: resolved from the token (by hash) on every API call. */
export interface Caller {
  kind: 'bot' | 'user';
  teamId: string;
  userId: string;
  appId: string | null;
  /** Set for bot tokens: the app's bot id (B…). */
  botId: string | null;
  scopes: string[];
  isAdmin: boolean;
}

export interface Call {
  method: string;
  ctx: KitContext;
  caller: Caller;
  params: Params;
  files: Record<string, File>;
}

/** A handler returns the fields merged into {ok:true, ...}. */
export type Handler = (call: Call) => Promise<Record<string, unknown>>;

export interface ConversationRow {
  id: string;
  team_id: string;
  name: string | null;
  kind: 'channel' | 'group' | 'im' | 'mpim';
  is_private: boolean;
  is_archived: boolean;
  is_general: boolean;
  creator: string | null;
  created: string | number;
  updated: string | number;
  topic: string;
  topic_creator: string;
  topic_last_set: string | number;
  purpose: string;
  purpose_creator: string;
  purpose_last_set: string | number;
  previous_names: string[];
  im_user: string | null;
  member_key: string | null;
  is_open: boolean;
  /** Slack Connect: external teams connected to this channel (approved invites). */
  connected_teams: ConnectedTeam[];
  /** Slack Connect: per connected team id, whether it may only post. */
  external_limited: Record<string, boolean>;
}

export interface ConnectedTeam {
  id: string;
  name: string;
  domain: string;
}

export interface MessageRow {
  conversation_id: string;
  ts: string;
  team_id: string;
  user_id: string | null;
  bot_id: string | null;
  app_id: string | null;
  subtype: string | null;
  text: string;
  blocks: unknown;
  attachments: unknown;
  metadata: unknown;
  username: string | null;
  icons: unknown;
  thread_ts: string | null;
  reply_broadcast: boolean;
  edited_user: string | null;
  edited_ts: string | null;
  client_msg_id: string | null;
  streaming: boolean;
  /** File-share messages: ids of the shared files (rendered as `files`). */
  file_ids: string[] | null;
}

export interface UserRow {
  id: string;
  team_id: string;
  name: string;
  real_name: string;
  display_name: string;
  email: string | null;
  title: string;
  phone: string;
  tz: string;
  color: string;
  is_admin: boolean;
  is_owner: boolean;
  is_primary_owner: boolean;
  is_bot: boolean;
  is_app_user: boolean;
  is_restricted: boolean;
  deleted: boolean;
  bot_id: string | null;
  app_id: string | null;
  status_text: string;
  status_emoji: string;
  status_expiration: string | number;
  presence: string;
  profile_extra: Record<string, unknown>;
  updated: string | number;
  /** users.setPhoto: hash and extension of the custom photo; null for the default avatar. */
  photo_hash: string | null;
  photo_ext: string | null;
}
