-- GPG keys of an account (/user/gpg_keys): one row per primary key (with the armored text
-- as added) and one per subkey (primary_key_id set), read from the key's own packets.

create table gpg_keys (
  id int primary key default nextval('gh_ids'),
  user_id int not null references users(id) on delete cascade,
  primary_key_id int references gpg_keys(id) on delete cascade,
  name text,
  key_id text not null,
  public_key text not null,
  raw_key text,
  emails text[] not null default '{}',
  can_sign boolean not null,
  can_certify boolean not null,
  can_encrypt_comms boolean not null,
  can_encrypt_storage boolean not null,
  created_at timestamptz not null,
  expires_at timestamptz
);
-- A primary key is on one account only.
create unique index gpg_keys_key_id on gpg_keys (key_id) where primary_key_id is null;
create index gpg_keys_user on gpg_keys (user_id, id) where primary_key_id is null;
create index gpg_keys_primary on gpg_keys (primary_key_id);
