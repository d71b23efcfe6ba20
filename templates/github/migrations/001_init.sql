-- GitHub clone schema. Ids are integers from one sequence (as GitHub's are unique per
-- kind; one sequence keeps them unique across kinds too). Provision uses fixed ids below
-- 2000, fixture packs 2000..9999999, rows created at run time start at 10000000.

create sequence gh_ids start 10000000;

create table users (
  id int primary key default nextval('gh_ids'),
  login text not null,
  type text not null default 'User' check (type in ('User', 'Organization', 'Bot')),
  name text,
  email text,
  bio text,
  company text,
  location text,
  blog text not null default '',
  twitter_username text,
  hireable boolean,
  site_admin boolean not null default false,
  description text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index users_login on users (lower(login));

create table tokens (
  hash text primary key,
  user_id int not null references users(id) on delete cascade,
  note text not null default '',
  created_at timestamptz not null default now()
);

create table org_members (
  org_id int not null references users(id) on delete cascade,
  user_id int not null references users(id) on delete cascade,
  role text not null default 'member' check (role in ('admin', 'member')),
  primary key (org_id, user_id)
);

create table repos (
  id int primary key default nextval('gh_ids'),
  owner_id int not null references users(id) on delete cascade,
  name text not null,
  description text,
  homepage text,
  private boolean not null default false,
  has_issues boolean not null default true,
  has_projects boolean not null default true,
  has_wiki boolean not null default true,
  has_discussions boolean not null default false,
  has_downloads boolean not null default true,
  is_template boolean not null default false,
  archived boolean not null default false,
  default_branch text not null default 'main',
  topics text[] not null default '{}',
  languages jsonb not null default '{}'::jsonb,
  license jsonb,
  settings jsonb not null default '{}'::jsonb,
  size int not null default 0,
  stargazers_count int not null default 0,
  forks_count int not null default 0,
  next_number int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  pushed_at timestamptz
);
create unique index repos_owner_name on repos (owner_id, lower(name));

create table repo_contributors (
  repo_id int not null references repos(id) on delete cascade,
  user_id int not null references users(id) on delete cascade,
  contributions int not null default 1,
  primary key (repo_id, user_id)
);

create table branches (
  repo_id int not null references repos(id) on delete cascade,
  name text not null,
  sha text not null,
  protected boolean not null default false,
  primary key (repo_id, name)
);

create table labels (
  id int primary key default nextval('gh_ids'),
  repo_id int not null references repos(id) on delete cascade,
  name text not null,
  color text not null default 'ededed',
  description text,
  is_default boolean not null default false
);
create unique index labels_repo_name on labels (repo_id, lower(name));

create table milestones (
  id int primary key default nextval('gh_ids'),
  repo_id int not null references repos(id) on delete cascade,
  number int not null,
  title text not null,
  description text,
  state text not null default 'open' check (state in ('open', 'closed')),
  due_on timestamptz,
  creator_id int references users(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  closed_at timestamptz,
  unique (repo_id, number)
);

create table issues (
  id int primary key default nextval('gh_ids'),
  repo_id int not null references repos(id) on delete cascade,
  number int not null,
  title text not null,
  body text,
  user_id int not null references users(id),
  state text not null default 'open' check (state in ('open', 'closed')),
  state_reason text,
  locked boolean not null default false,
  active_lock_reason text,
  milestone_id int references milestones(id) on delete set null,
  comments int not null default 0,
  closed_at timestamptz,
  closed_by_id int references users(id) on delete set null,
  is_pull_request boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (repo_id, number)
);
create index issues_repo_state on issues (repo_id, state, created_at);

create table issue_labels (
  issue_id int not null references issues(id) on delete cascade,
  label_id int not null references labels(id) on delete cascade,
  primary key (issue_id, label_id)
);

create table issue_assignees (
  issue_id int not null references issues(id) on delete cascade,
  user_id int not null references users(id) on delete cascade,
  primary key (issue_id, user_id)
);

create table comments (
  id int primary key default nextval('gh_ids'),
  repo_id int not null references repos(id) on delete cascade,
  issue_id int not null references issues(id) on delete cascade,
  user_id int not null references users(id),
  body text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index comments_issue on comments (issue_id, id);
create index comments_repo on comments (repo_id, id);

-- Issue events (labeled, assigned, closed, ...). `payload` holds the event's extra fields
-- (label {name,color}, assignee_id, assigner_id, milestone {title}, rename {from,to}, lock_reason).
create table events (
  id int primary key default nextval('gh_ids'),
  repo_id int not null references repos(id) on delete cascade,
  issue_id int not null references issues(id) on delete cascade,
  actor_id int references users(id) on delete set null,
  event text not null,
  payload jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);
create index events_issue on events (issue_id, id);
create index events_repo on events (repo_id, id);

create table reactions (
  id int primary key default nextval('gh_ids'),
  repo_id int not null references repos(id) on delete cascade,
  issue_id int references issues(id) on delete cascade,
  comment_id int references comments(id) on delete cascade,
  user_id int not null references users(id) on delete cascade,
  content text not null check (content in ('+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes')),
  created_at timestamptz not null default now(),
  check ((issue_id is null) <> (comment_id is null))
);
create unique index reactions_issue_once on reactions (issue_id, user_id, content) where issue_id is not null;
create unique index reactions_comment_once on reactions (comment_id, user_id, content) where comment_id is not null;
