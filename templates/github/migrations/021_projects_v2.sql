-- Projects (v2) owned by users (/users/{username}/projectsV2): numbered per owner, with
-- fields (the built-in Title, Assignees, Status, Labels, Repository, Milestone and custom
-- text, number, date, single-select and iteration ones) and items (issues and pull
-- requests) holding a value per custom field. The REST API reads them and adds, updates and
-- removes items; projects and fields come from seed records.

create table projects_v2 (
  id int primary key default nextval('gh_ids'),
  owner_id int not null references users(id) on delete cascade,
  number int not null,
  title text not null,
  short_description text,
  public boolean not null default false,
  closed_at timestamptz,
  creator_id int references users(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (owner_id, number)
);

create table project_fields (
  id int primary key default nextval('gh_ids'),
  project_id int not null references projects_v2(id) on delete cascade,
  name text not null,
  data_type text not null,
  -- single_select: [{id, name, color, description}]; iteration: {start_day, duration, iterations: [{id, title, start_date, duration}]}
  options jsonb,
  configuration jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index project_fields_project on project_fields (project_id, id);

create table project_items (
  id int primary key default nextval('gh_ids'),
  project_id int not null references projects_v2(id) on delete cascade,
  issue_id int not null references issues(id) on delete cascade,
  creator_id int references users(id) on delete set null,
  archived_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (project_id, issue_id)
);

create table project_item_values (
  item_id int not null references project_items(id) on delete cascade,
  field_id int not null references project_fields(id) on delete cascade,
  value jsonb not null,
  primary key (item_id, field_id)
);
