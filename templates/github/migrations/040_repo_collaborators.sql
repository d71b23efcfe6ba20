-- Repository collaborators and their invitations. An invitation (made through the admin
-- surface, POST /__asym/github/repo-invitations) waits for the invitee to accept it
-- (PATCH /user/repository_invitations/{id}: the user becomes a collaborator with the invited
-- permission) or decline it (DELETE: the row goes). GitHub lets invitations expire after 7
-- days: `expired` is computed against now(), the clone's clock.
create table repo_collaborators (
  repo_id int not null references repos(id) on delete cascade,
  user_id int not null references users(id) on delete cascade,
  permission text not null check (permission in ('pull', 'triage', 'push', 'maintain', 'admin')),
  created_at timestamptz not null default now(),
  primary key (repo_id, user_id)
);
create index repo_collaborators_user on repo_collaborators (user_id);

create table repo_invitations (
  id serial primary key,
  repo_id int not null references repos(id) on delete cascade,
  invitee_id int not null references users(id) on delete cascade,
  inviter_id int references users(id) on delete set null,
  permission text not null check (permission in ('pull', 'triage', 'push', 'maintain', 'admin')),
  created_at timestamptz not null default now(),
  unique (repo_id, invitee_id)
);
create index repo_invitations_invitee on repo_invitations (invitee_id);
