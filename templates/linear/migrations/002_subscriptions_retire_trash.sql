-- Issue subscriptions: an issue's creator and assignee are subscribed implicitly; an explicit
-- issueSubscribe / issueUnsubscribe is a row here (subscribed false is an opt-out).
create table issue_subscriptions (
  issue_id uuid not null references issues(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  subscribed boolean not null,
  created_at timestamptz not null default now(),
  primary key (issue_id, user_id)
);

-- issueShare / issueUnshare: people an issue is shared with.
create table issue_shares (
  issue_id uuid not null references issues(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (issue_id, user_id)
);

-- issueReminder: one reminder per person and issue; once its time is reached it is that
-- person's notification (created_at is the reminder time, so notifications order by it).
create table issue_reminders (
  id uuid primary key,
  issue_id uuid not null references issues(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  remind_at timestamptz not null,
  read_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null default now(),
  archived_at timestamptz,
  unique (issue_id, user_id)
);

-- A retired label stays visible but cannot be applied (issueLabelRetire / issueLabelRestore).
alter table issue_labels add column retired_at timestamptz, add column retired_by_id uuid references users(id) on delete set null;

-- projectDelete trashes a project (archived and trashed); projectUnarchive restores it.
alter table projects add column trashed boolean not null default false;

-- commentResolve: who resolved the thread, and with which reply.
alter table comments add column resolving_user_id uuid references users(id) on delete set null,
  add column resolving_comment_id uuid references comments(id) on delete set null;

-- attachmentLink*: where a linked attachment comes from (github, gitlab, jira, slack, ...).
alter table attachments add column source_type text, add column source jsonb;

-- A workspace role beyond admin / guest / app: the owner (userChangeRole).
alter table users add column owner boolean not null default false;

-- userFlagUpdate: per-user settings flags and their counts.
create table user_flags (
  user_id uuid not null references users(id) on delete cascade,
  flag text not null,
  value integer not null,
  primary key (user_id, flag)
);

-- Keys a team used before a rename (teamKeyDelete removes one; the current key is the team's).
create table team_keys (
  id uuid primary key,
  team_id uuid not null references teams(id) on delete cascade,
  key text not null unique,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Project labels (workspace-wide, groups through parent_id) and the projects that carry them.
create table project_labels (
  id uuid primary key,
  name text not null,
  color text not null,
  description text,
  is_group boolean not null default false,
  parent_id uuid references project_labels(id) on delete set null,
  creator_id uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  archived_at timestamptz,
  retired_at timestamptz
);

create table project_label_links (
  project_id uuid not null references projects(id) on delete cascade,
  label_id uuid not null references project_labels(id) on delete cascade,
  primary key (project_id, label_id)
);

-- View preferences (viewPreferencesCreate / Update / Delete, userViewPreferences): workspace
-- defaults (type organization) and per-user overrides (type user), per view type and,
-- optionally, the entity the view belongs to (scope, e.g. "teamId:<uuid>"; '' for none).
create table view_preferences (
  id uuid primary key,
  type text not null,
  view_type text not null,
  user_id uuid references users(id) on delete cascade,
  scope text not null default '',
  preferences jsonb not null default '{}',
  insights jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  archived_at timestamptz
);
create unique index view_preferences_scope on view_preferences (type, view_type, coalesce(user_id, '00000000-0000-0000-0000-000000000000'::uuid), scope);
