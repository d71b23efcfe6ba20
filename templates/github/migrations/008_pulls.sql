-- Pull requests and the minimal git history they need: commits (a flat tree of paths to
-- blob shas, parents), blobs (file contents), pull requests (one row per issue that is a
-- pull request: head and base refs, merge state), reviews and requested reviewers.

create table blobs (
  repo_id int not null references repos(id) on delete cascade,
  sha text not null,
  content text not null,
  size int not null,
  primary key (repo_id, sha)
);

create table commits (
  repo_id int not null references repos(id) on delete cascade,
  sha text not null,
  parents text[] not null default '{}',
  tree jsonb not null default '{}'::jsonb,
  message text not null,
  author_id int references users(id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (repo_id, sha)
);

create table pulls (
  issue_id int primary key references issues(id) on delete cascade,
  repo_id int not null references repos(id) on delete cascade,
  head_ref text not null,
  head_sha text not null,
  base_ref text not null,
  base_sha text not null,
  draft boolean not null default false,
  maintainer_can_modify boolean not null default false,
  merged_at timestamptz,
  merged_by_id int references users(id) on delete set null,
  merge_commit_sha text
);

create table pull_reviews (
  id int primary key default nextval('gh_ids'),
  issue_id int not null references issues(id) on delete cascade,
  user_id int not null references users(id) on delete cascade,
  body text not null default '',
  state text not null check (state in ('PENDING', 'COMMENTED', 'APPROVED', 'CHANGES_REQUESTED', 'DISMISSED')),
  commit_id text not null,
  submitted_at timestamptz,
  created_at timestamptz not null default now()
);
create unique index pull_reviews_one_pending on pull_reviews (issue_id, user_id) where state = 'PENDING';

create table pull_review_requests (
  issue_id int not null references issues(id) on delete cascade,
  user_id int not null references users(id) on delete cascade,
  primary key (issue_id, user_id)
);
