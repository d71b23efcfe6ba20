-- The authenticated user's email addresses (/user/emails), public SSH keys (/user/keys) and
-- SSH signing keys (/user/ssh_signing_keys).

create table user_emails (
  id int not null default nextval('gh_ids'),
  user_id int not null references users(id) on delete cascade,
  email text not null,
  "primary" boolean not null default false,
  verified boolean not null default false,
  visibility text check (visibility in ('public', 'private')),
  created_at timestamptz not null default now(),
  primary key (user_id, email)
);
-- An address belongs to one account, whatever its case.
create unique index user_emails_email on user_emails (lower(email));
create unique index user_emails_primary on user_emails (user_id) where "primary";

create table user_keys (
  id int primary key default nextval('gh_ids'),
  user_id int not null references users(id) on delete cascade,
  kind text not null check (kind in ('authentication', 'signing')),
  title text not null default '',
  key text not null,
  created_at timestamptz not null default now()
);
-- A key is used once per kind across all accounts (the same key may be both).
create unique index user_keys_key on user_keys (kind, key);
create index user_keys_user on user_keys (user_id, kind, id);
