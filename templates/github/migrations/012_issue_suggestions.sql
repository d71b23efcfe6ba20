-- Agent-proposed changes to an issue (made through the admin surface: GitHub's agents make
-- them), approved (applied) or dismissed by someone with triage access.
create table issue_suggestions (
  id int primary key default nextval('gh_ids'),
  issue_id int not null references issues(id) on delete cascade,
  action text not null check (action in ('set_type', 'add_label', 'add_field', 'add_assignee', 'close_issue')),
  state text not null default 'pending' check (state in ('pending', 'applied', 'approved', 'dismissed', 'replaced', 'invalidated')),
  target_id int,
  target_value jsonb,
  rationale text,
  confidence text check (confidence in ('LOW', 'MEDIUM', 'HIGH')),
  actor_id int references users(id) on delete set null,
  issue_event_id int,
  resolved_by int references users(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index issue_suggestions_issue on issue_suggestions (issue_id, id);
