-- Pull request review comments: on a line (or the whole file) of a changed file, in a review.

create table pull_comments (
  id int primary key default nextval('gh_ids'),
  repo_id int not null references repos(id) on delete cascade,
  issue_id int not null references issues(id) on delete cascade,
  review_id int references pull_reviews(id) on delete cascade,
  user_id int not null references users(id) on delete cascade,
  body text not null,
  path text not null,
  line int,
  side text not null default 'RIGHT' check (side in ('LEFT', 'RIGHT')),
  start_line int,
  subject_type text not null default 'line' check (subject_type in ('line', 'file')),
  commit_id text not null,
  in_reply_to_id int references pull_comments(id) on delete cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index pull_comments_issue on pull_comments (issue_id, id);
