-- User migrations (/user/migrations): an export of the user's repositories into an archive.
-- The state is read from the clone's clock (pending, then exporting, then exported); the
-- archive is built when downloaded and is gone once deleted or seven days after the export.

create table user_migrations (
  id int primary key default nextval('gh_ids'),
  guid uuid not null unique,
  owner_id int not null references users(id) on delete cascade,
  lock_repositories boolean not null default false,
  exclude_metadata boolean not null default false,
  exclude_git_data boolean not null default false,
  exclude_attachments boolean not null default false,
  exclude_releases boolean not null default false,
  exclude_owner_projects boolean not null default false,
  org_metadata_only boolean not null default false,
  exclude text[] not null default '{}',
  archive_deleted_at timestamptz,
  created_at timestamptz not null default now()
);
create index user_migrations_owner on user_migrations (owner_id, id);

create table user_migration_repos (
  migration_id int not null references user_migrations(id) on delete cascade,
  repo_id int not null references repos(id) on delete cascade,
  -- Locked at the start when lock_repositories; null once unlocked (or never locked).
  locked boolean not null default false,
  primary key (migration_id, repo_id)
);
-- Every repository load asks whether it is locked (store.ts loadRepo).
create index user_migration_repos_locked on user_migration_repos (repo_id) where locked;
