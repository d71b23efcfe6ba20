-- The workspace's custom emojis (added by a member in Settings; the API only lists them).
create table custom_emojis (
  id text primary key,
  name text not null unique,
  url text not null,
  created_time timestamptz not null,
  seq bigserial
);
