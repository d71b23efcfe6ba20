-- An organisation's issue fields (made through the admin surface: the org issue-fields API is
-- not emulated), their select options, and the values set on issues of the org's repositories.
create table issue_fields (
  id int primary key default nextval('gh_ids'),
  org_id int not null references users(id) on delete cascade,
  name text not null,
  description text,
  data_type text not null check (data_type in ('text', 'date', 'single_select', 'multi_select', 'number')),
  visibility text not null default 'organization_members_only',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index issue_fields_name on issue_fields (org_id, lower(name));

create table issue_field_options (
  id int primary key default nextval('gh_ids'),
  field_id int not null references issue_fields(id) on delete cascade,
  name text not null,
  description text,
  color text not null default 'gray',
  priority int not null default 0
);

-- `value`: a JSON string (text, date, single_select option name), number, or array of option names (multi_select).
create table issue_field_values (
  issue_id int not null references issues(id) on delete cascade,
  field_id int not null references issue_fields(id) on delete cascade,
  value jsonb not null,
  primary key (issue_id, field_id)
);
