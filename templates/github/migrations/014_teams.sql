-- An organisation's teams and their members (made through the admin surface: the teams API is
-- not emulated), for GET /user/teams.
create table teams (
  id int primary key default nextval('gh_ids'),
  org_id int not null references users(id) on delete cascade,
  name text not null,
  slug text not null,
  description text,
  privacy text not null default 'closed' check (privacy in ('closed', 'secret')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index teams_slug on teams (org_id, slug);

create table team_members (
  team_id int not null references teams(id) on delete cascade,
  user_id int not null references users(id) on delete cascade,
  primary key (team_id, user_id)
);
