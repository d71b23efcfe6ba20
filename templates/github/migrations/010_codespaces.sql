-- The authenticated user's codespaces (/user/codespaces): one per row, on a repository and a
-- ref (a branch), with GitHub's state (Available, Shutdown, ...). `pending_machine` is a
-- machine change made by PATCH, applied at the next start. `published` is false for a
-- codespace made from a template repository until it is published to a new repository.
create table codespaces (
  id int primary key default nextval('gh_ids'),
  name text not null unique,
  owner_id int not null references users(id) on delete cascade,
  repo_id int not null references repos(id) on delete cascade,
  ref text not null,
  pull_number int,
  published boolean not null default true,
  display_name text,
  environment_id text not null,
  machine text not null,
  pending_machine text,
  devcontainer_path text,
  location text not null,
  idle_timeout_minutes int not null,
  retention_period_minutes int,
  state text not null,
  recent_folders text[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_used_at timestamptz not null default now()
);
create index codespaces_owner on codespaces (owner_id, id);

-- Exports of a codespace's changes to a branch of its repository (the newest answers `latest`).
create table codespace_exports (
  id int primary key default nextval('gh_ids'),
  codespace_id int not null references codespaces(id) on delete cascade,
  state text not null,
  branch text not null,
  sha text not null,
  completed_at timestamptz
);

-- Each user's sealed-box key pair for codespaces secrets (made on first use), and the secrets.
create table codespace_keys (
  user_id int primary key references users(id) on delete cascade,
  key_id text not null,
  public_key text not null

);

create table codespace_secrets (
  user_id int not null references users(id) on delete cascade,
  name text not null,
  encrypted_value text not null,
  key_id text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (user_id, name)
);

create table codespace_secret_repos (
  user_id int not null,
  name text not null,
  repo_id int not null references repos(id) on delete cascade,
  primary key (user_id, name, repo_id),
  foreign key (user_id, name) references codespace_secrets (user_id, name) on delete cascade on update cascade
);
