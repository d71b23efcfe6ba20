-- Users blocked by a personal account (GET/PUT/DELETE /user/blocks/{username}).

create table blocks (
  blocker_id int not null references users(id) on delete cascade,
  blocked_id int not null references users(id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (blocker_id, blocked_id),
  check (blocker_id <> blocked_id)
);
create index blocks_blocked on blocks (blocked_id);
