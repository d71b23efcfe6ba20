-- usergroups.*, reminders.*, bookmarks.*.

-- A user group (S…): its members and default channels; disabled = date_delete > 0.
create table usergroups (
  id text primary key,
  team_id text not null references teams(id),
  name text not null,
  handle text not null,
  description text not null default '',
  channels text[] not null default '{}',
  users text[] not null default '{}',
  created_by text not null,
  updated_by text not null,
  deleted_by text,
  date_create bigint not null,
  date_update bigint not null,
  date_delete bigint not null default 0
);
create unique index usergroups_name on usergroups(team_id, lower(name));
create unique index usergroups_handle on usergroups(team_id, lower(handle));

-- A reminder (Rm…) set by `creator` for `user`: one time (`time`) or recurring (`recurrence`).
create table reminders (
  id text primary key,
  seq bigserial,
  team_id text not null references teams(id),
  creator text not null,
  user_id text not null,
  text text not null,
  time bigint,
  recurrence jsonb,
  complete_ts bigint not null default 0,
  created bigint not null
);
create index reminders_user on reminders(team_id, user_id, seq);

-- A channel bookmark (Bk…), ordered by rank within its channel.
create table bookmarks (
  id text primary key,
  seq bigserial,
  channel_id text not null references conversations(id) on delete cascade,
  team_id text not null,
  title text not null,
  link text,
  emoji text,
  type text not null default 'link',
  rank text not null,
  app_id text,
  created_by text not null,
  last_updated_by text not null,
  date_created bigint not null,
  date_updated bigint not null default 0
);
create index bookmarks_channel on bookmarks(channel_id, rank, seq);
