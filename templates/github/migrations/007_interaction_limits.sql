-- Interaction restrictions a user sets on their public repositories (/user/interaction-limits).

create table interaction_limits (
  user_id int primary key references users(id) on delete cascade,
  "limit" text not null check ("limit" in ('existing_users', 'contributors_only', 'collaborators_only')),
  expires_at timestamptz not null
);
