-- Sub-issues (one parent per issue, ordered by position within the parent), issue
-- dependencies (blocked_by / blocking), pinned comments, stars and follows.

create table sub_issues (
  child_id int primary key references issues(id) on delete cascade,
  parent_id int not null references issues(id) on delete cascade,
  position double precision not null,
  created_at timestamptz not null default now(),
  check (child_id <> parent_id)
);
create index sub_issues_parent on sub_issues (parent_id, position);

create table issue_dependencies (
  blocked_id int not null references issues(id) on delete cascade,
  blocking_id int not null references issues(id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (blocked_id, blocking_id),
  check (blocked_id <> blocking_id)
);
create index issue_dependencies_blocking on issue_dependencies (blocking_id, blocked_id);

alter table comments add column pinned_at timestamptz, add column pinned_by_id int references users(id) on delete set null;

create table stars (
  user_id int not null references users(id) on delete cascade,
  repo_id int not null references repos(id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (user_id, repo_id)
);
create index stars_repo on stars (repo_id);

create table follows (
  follower_id int not null references users(id) on delete cascade,
  followee_id int not null references users(id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (follower_id, followee_id),
  check (follower_id <> followee_id)
);
create index follows_followee on follows (followee_id);
