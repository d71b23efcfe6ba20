-- Slack clone schema. Ids are Slack-shaped text (T…, A…, B…, U…, C…, G…, D…).
-- Timestamps Slack exposes as integers (created, updated) are epoch seconds (bigint);
-- message ts values are kept as Slack's "seconds.micros" text, whose fixed width makes
-- text order equal time order.

create table teams (
  id text primary key,
  name text not null,
  domain text not null,
  email_domain text not null default '',
  created bigint not null
);

create table apps (
  id text primary key,
  team_id text not null references teams(id),
  name text not null,
  bot_id text not null unique,
  bot_user_id text not null,
  -- Needed in clear to sign event payloads, like Slack's own app config.
  signing_secret text not null,
  verification_token text not null,
  created bigint not null
);

create table users (
  id text primary key,
  team_id text not null references teams(id),
  name text not null,
  real_name text not null default '',
  display_name text not null default '',
  email text,
  title text not null default '',
  phone text not null default '',
  tz text not null default 'America/Los_Angeles',
  color text not null default '9f69e7',
  is_admin boolean not null default false,
  is_owner boolean not null default false,
  is_primary_owner boolean not null default false,
  is_bot boolean not null default false,
  is_app_user boolean not null default false,
  is_restricted boolean not null default false,
  deleted boolean not null default false,
  bot_id text,
  app_id text,
  status_text text not null default '',
  status_emoji text not null default '',
  status_expiration bigint not null default 0,
  presence text not null default 'auto',
  profile_extra jsonb not null default '{}'::jsonb,
  updated bigint not null
);
create unique index users_team_name on users(team_id, name);
create index users_email on users(lower(email));

create table tokens (
  hash text primary key,
  kind text not null check (kind in ('bot', 'user')),
  team_id text not null references teams(id),
  user_id text not null references users(id),
  app_id text references apps(id),
  scopes text[] not null,
  created bigint not null,
  revoked boolean not null default false
);

create table conversations (
  id text primary key,
  team_id text not null references teams(id),
  name text,
  kind text not null check (kind in ('channel', 'group', 'im', 'mpim')),
  is_private boolean not null default false,
  is_archived boolean not null default false,
  is_general boolean not null default false,
  creator text,
  created bigint not null,
  updated bigint not null,
  topic text not null default '',
  topic_creator text not null default '',
  topic_last_set bigint not null default 0,
  purpose text not null default '',
  purpose_creator text not null default '',
  purpose_last_set bigint not null default 0,
  previous_names text[] not null default '{}',
  -- For ims: the other party; for mpims: sorted member ids (to find an existing one).
  im_user text,
  member_key text,
  is_open boolean not null default true,
  -- Last message ts handed out, in microseconds: keeps ts unique and increasing.
  last_ts_us bigint not null default 0
);
create unique index conversations_name on conversations(team_id, name) where kind in ('channel', 'group');
create unique index conversations_member_key on conversations(team_id, member_key) where member_key is not null;

create table members (
  conversation_id text not null references conversations(id) on delete cascade,
  user_id text not null references users(id),
  joined bigint not null,
  last_read text not null default '0000000000.000000',
  primary key (conversation_id, user_id)
);
create index members_user on members(user_id);

create table messages (
  conversation_id text not null references conversations(id) on delete cascade,
  ts text not null,
  team_id text not null,
  user_id text,
  bot_id text,
  app_id text,
  subtype text,
  text text not null default '',
  blocks jsonb,
  attachments jsonb,
  metadata jsonb,
  username text,
  icons jsonb,
  thread_ts text,
  reply_broadcast boolean not null default false,
  edited_user text,
  edited_ts text,
  client_msg_id text,
  -- Streaming (chat.startStream) messages stay open until stopStream.
  streaming boolean not null default false,
  primary key (conversation_id, ts)
);
create index messages_thread on messages(conversation_id, thread_ts, ts) where thread_ts is not null;

create table reactions (
  conversation_id text not null,
  message_ts text not null,
  name text not null,
  user_id text not null,
  seq bigserial,
  primary key (conversation_id, message_ts, name, user_id),
  foreign key (conversation_id, message_ts) references messages(conversation_id, ts) on delete cascade
);
create index reactions_user on reactions(user_id, seq);

create table pins (
  conversation_id text not null,
  message_ts text not null,
  pinned_by text not null,
  created bigint not null,
  primary key (conversation_id, message_ts),
  foreign key (conversation_id, message_ts) references messages(conversation_id, ts) on delete cascade
);

create table scheduled_messages (
  id text primary key,
  conversation_id text not null references conversations(id) on delete cascade,
  team_id text not null,
  user_id text not null,
  bot_id text,
  app_id text,
  post_at bigint not null,
  text text not null default '',
  blocks jsonb,
  attachments jsonb,
  thread_ts text,
  reply_broadcast boolean not null default false,
  created bigint not null
);
create index scheduled_due on scheduled_messages(post_at);
