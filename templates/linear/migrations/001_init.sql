-- The Linear clone's data. Ids are UUIDs as Linear's are; `seq` columns give a stable
-- insertion order for ties. lastSyncId comes from one sequence per clone.
create sequence sync_id start 1000;

create table organization (
  id uuid primary key,
  name text not null,
  url_key text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table users (
  id uuid primary key,
  name text not null,
  display_name text not null,
  email text not null unique,
  avatar_url text,
  description text,
  timezone text,
  admin boolean not null default false,
  guest boolean not null default false,
  active boolean not null default true,
  app boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  archived_at timestamptz,
  seq bigserial
);

create table tokens (
  hash text primary key,
  user_id uuid not null references users(id) on delete cascade,
  kind text not null
);

create table teams (
  id uuid primary key,
  key text not null unique,
  name text not null,
  description text,
  color text,
  icon text,
  private boolean not null default false,
  cycles_enabled boolean not null default true,
  issue_count integer not null default 0,
  cycle_count integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  archived_at timestamptz,
  seq bigserial
);

create table team_members (
  id uuid primary key,
  team_id uuid not null references teams(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  owner boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (team_id, user_id)
);

create table workflow_states (
  id uuid primary key,
  team_id uuid not null references teams(id) on delete cascade,
  name text not null,
  type text not null,
  color text not null,
  position double precision not null,
  description text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  archived_at timestamptz
);

create table issue_labels (
  id uuid primary key,
  team_id uuid references teams(id) on delete cascade,
  parent_id uuid references issue_labels(id) on delete set null,
  name text not null,
  color text not null,
  description text,
  is_group boolean not null default false,
  creator_id uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  archived_at timestamptz
);

create table projects (
  id uuid primary key,
  name text not null,
  description text not null default '',
  content text,
  icon text,
  color text not null default '#bec2c8',
  state text not null default 'planned',
  priority integer not null default 0,
  lead_id uuid references users(id) on delete set null,
  creator_id uuid references users(id) on delete set null,
  start_date date,
  target_date date,
  slug_id text not null,
  sort_order double precision not null default 0,
  started_at timestamptz,
  completed_at timestamptz,
  canceled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  archived_at timestamptz
);

create table project_teams (
  project_id uuid not null references projects(id) on delete cascade,
  team_id uuid not null references teams(id) on delete cascade,
  primary key (project_id, team_id)
);

create table project_members (
  project_id uuid not null references projects(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  primary key (project_id, user_id)
);

create table project_milestones (
  id uuid primary key,
  project_id uuid not null references projects(id) on delete cascade,
  name text not null,
  description text,
  target_date date,
  sort_order double precision not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  archived_at timestamptz
);

create table project_updates (
  id uuid primary key,
  project_id uuid not null references projects(id) on delete cascade,
  user_id uuid not null references users(id),
  body text not null,
  health text not null default 'onTrack',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  edited_at timestamptz,
  archived_at timestamptz
);

create table cycles (
  id uuid primary key,
  team_id uuid not null references teams(id) on delete cascade,
  number integer not null,
  name text,
  description text,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  completed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  archived_at timestamptz,
  unique (team_id, number)
);

create table issues (
  id uuid primary key,
  team_id uuid not null references teams(id),
  number integer not null,
  title text not null,
  description text,
  priority integer not null default 0,
  estimate double precision,
  state_id uuid not null references workflow_states(id),
  assignee_id uuid references users(id) on delete set null,
  creator_id uuid references users(id) on delete set null,
  parent_id uuid references issues(id) on delete set null,
  project_id uuid references projects(id) on delete set null,
  project_milestone_id uuid references project_milestones(id) on delete set null,
  cycle_id uuid references cycles(id) on delete set null,
  due_date date,
  sort_order double precision not null default 0,
  started_at timestamptz,
  completed_at timestamptz,
  canceled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  archived_at timestamptz,
  trashed boolean not null default false,
  seq bigserial,
  unique (team_id, number)
);
create index issues_created on issues (created_at, id);
create index issues_team on issues (team_id);

create table issue_label_links (
  issue_id uuid not null references issues(id) on delete cascade,
  label_id uuid not null references issue_labels(id) on delete cascade,
  primary key (issue_id, label_id)
);

create table issue_relations (
  id uuid primary key,
  issue_id uuid not null references issues(id) on delete cascade,
  related_issue_id uuid not null references issues(id) on delete cascade,
  type text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  archived_at timestamptz
);

create table comments (
  id uuid primary key,
  issue_id uuid not null references issues(id) on delete cascade,
  parent_id uuid references comments(id) on delete cascade,
  user_id uuid references users(id) on delete set null,
  body text not null,
  edited_at timestamptz,
  resolved_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  archived_at timestamptz
);
create index comments_issue on comments (issue_id);

create table attachments (
  id uuid primary key,
  issue_id uuid not null references issues(id) on delete cascade,
  creator_id uuid references users(id) on delete set null,
  title text not null,
  subtitle text,
  url text not null,
  metadata jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  archived_at timestamptz
);

-- One row per change to an issue (Issue.history): which fields moved, from what to what.
create table issue_history (
  id uuid primary key,
  issue_id uuid not null references issues(id) on delete cascade,
  actor_id uuid references users(id) on delete set null,
  changes jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index issue_history_issue on issue_history (issue_id, created_at);
