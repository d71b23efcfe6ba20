-- Pending organisation memberships: an invitation (made through the admin surface: the org
-- invitations API is not emulated) until the user accepts it (PATCH /user/memberships/orgs/{org}).
create table org_invitations (
  org_id int not null references users(id) on delete cascade,
  user_id int not null references users(id) on delete cascade,
  role text not null default 'member' check (role in ('admin', 'member')),
  created_at timestamptz not null default now(),
  primary key (org_id, user_id)
);
