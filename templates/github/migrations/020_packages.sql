-- GitHub Packages in a user's namespace (/user/packages, /users/{username}/packages) and
-- their versions. Nothing publishes here (the registries are not emulated): packages come
-- from seed records. A deleted package or version keeps its row (deleted_at) so it can be
-- restored within 30 days; a live package's namespace (owner, type, name) is unique.

create table packages (
  id int primary key default nextval('gh_ids'),
  owner_id int not null references users(id) on delete cascade,
  package_type text not null check (package_type in ('npm', 'maven', 'rubygems', 'docker', 'nuget', 'container')),
  name text not null,
  visibility text not null default 'private' check (visibility in ('public', 'private', 'internal')),
  repo_id int references repos(id) on delete set null,
  -- Failed GitHub's Docker-to-Container migration (GET /user/docker/conflicts).
  docker_conflict boolean not null default false,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index packages_namespace on packages (owner_id, package_type, lower(name)) where deleted_at is null;

create table package_versions (
  id int primary key default nextval('gh_ids'),
  package_id int not null references packages(id) on delete cascade,
  name text not null,
  tags text[] not null default '{}',
  license text,
  downloads int not null default 0,
  size_bytes bigint not null default 0,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index package_versions_package on package_versions (package_id);
