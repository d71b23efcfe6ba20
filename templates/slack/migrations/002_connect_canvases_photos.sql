-- Slack Connect invites and invite requests, channel canvases, and profile photos.

-- A Slack Connect channel's connected (external) teams; approved connections only.
alter table conversations add column connected_teams jsonb not null default '[]'::jsonb;
-- Per external team: true when it may only post (external_limited), keyed by team id.
alter table conversations add column external_limited jsonb not null default '{}'::jsonb;

-- Custom profile photo (users.setPhoto): the hash names the served files; null = default avatar.
alter table users add column photo_hash text;
alter table users add column photo_ext text;

create table user_photos (
  user_id text primary key references users(id) on delete cascade,
  content_type text not null,
  bytes bytea not null,
  width int not null,
  height int not null,
  crop_x int,
  crop_y int,
  crop_w int,
  updated bigint not null
);

-- One row per shared channel invite. direction: outgoing (this workspace hosts the channel)
-- or incoming (another organisation invited someone here). status: pending (sent) ->
-- accepted (awaiting approval) -> approved | declined; revoked/expired are terminal too.
create table connect_invites (
  id text primary key,
  seq bigserial,
  direction text not null check (direction in ('outgoing', 'incoming')),
  status text not null default 'pending',
  channel_id text not null,
  channel_name text not null,
  channel_is_private boolean not null default false,
  inviting_team jsonb not null,
  inviting_user jsonb not null,
  recipient_email text,
  recipient_user_id text,
  external_limited boolean not null default true,
  is_link boolean not null default false,
  accepting_team jsonb,
  accepting_user jsonb,
  local_channel_id text,
  date_created bigint not null,
  date_invalid bigint not null,
  date_accepted bigint,
  date_last_updated bigint not null,
  reviews jsonb not null default '[]'::jsonb
);
create index connect_invites_seq on connect_invites(seq);

-- Requests (by a member without external-invite permission) to invite an external person;
-- an admin approves (which sends a connect invite) or denies them.
create table connect_invite_requests (
  id text primary key,
  seq bigserial,
  channel_id text not null,
  requester_id text not null,
  recipient_email text not null,
  message text not null default '',
  is_external_limited boolean not null default true,
  status text not null default 'pending' check (status in ('pending', 'approved', 'denied')),
  sent_invite_id text,
  date_created bigint not null,
  expires_at bigint not null,
  date_last_updated bigint not null
);
create index connect_invite_requests_seq on connect_invite_requests(seq);

-- Channel canvases (conversations.canvases.create): at most one per channel.
create table canvases (
  id text primary key,
  conversation_id text not null unique references conversations(id) on delete cascade,
  team_id text not null,
  creator text not null,
  title text not null default '',
  markdown text not null default '',
  created bigint not null
);
