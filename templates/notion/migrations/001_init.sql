-- Notion clone schema. One clone is one Notion workspace with one internal integration.
-- Ids are UUIDs with dashes (text). Page property values are kept by property id in
-- pages.values (the response form of each value); computed ones (created_time, …) are not stored.

create table workspace (
  id text primary key,
  name text not null
);

create table users (
  id text primary key,
  type text not null,                 -- person | bot
  name text,
  avatar_url text,
  email text,
  seq bigserial
);

create table tokens (
  hash text primary key,
  user_id text not null references users(id),
  created_at timestamptz not null default now()
);

create table databases (
  id text primary key,
  parent jsonb not null,
  title jsonb not null,
  description jsonb not null default '[]',
  icon jsonb,
  cover jsonb,
  is_inline boolean not null default false,
  is_locked boolean not null default false,
  in_trash boolean not null default false,
  created_time timestamptz not null,
  last_edited_time timestamptz not null,
  created_by text not null,
  last_edited_by text not null,
  seq bigserial
);

create table data_sources (
  id text primary key,
  database_id text not null references databases(id),
  title jsonb not null,
  description jsonb not null default '[]',
  properties jsonb not null,          -- [{id, name, type, description, <type>: config}] in order
  icon jsonb,
  in_trash boolean not null default false,
  next_unique integer not null default 1,
  created_time timestamptz not null,
  last_edited_time timestamptz not null,
  created_by text not null,
  last_edited_by text not null,
  seq bigserial
);
create index data_sources_db on data_sources (database_id, seq);

create table pages (
  id text primary key,
  parent jsonb not null,
  data_source_id text,
  "values" jsonb not null,            -- property id -> stored value
  icon jsonb,
  cover jsonb,
  in_trash boolean not null default false,
  is_locked boolean not null default false,
  created_time timestamptz not null,
  last_edited_time timestamptz not null,
  created_by text not null,
  last_edited_by text not null,
  seq bigserial
);
create index pages_ds on pages (data_source_id, seq);

-- Content blocks, and the child_page / child_database blocks standing for pages and
-- databases inside a page (same id as the page or database).
create table blocks (
  id text primary key,
  parent_type text not null,          -- page_id | block_id
  parent_id text not null,
  pos double precision not null,
  type text not null,
  content jsonb not null,
  in_trash boolean not null default false,
  created_time timestamptz not null,
  last_edited_time timestamptz not null,
  created_by text not null,
  last_edited_by text not null,
  seq bigserial
);
create index blocks_parent on blocks (parent_id, pos, seq);

create table comments (
  id text primary key,
  parent_type text not null,          -- page_id | block_id
  parent_id text not null,
  discussion_id text not null,
  rich_text jsonb not null,
  created_time timestamptz not null,
  last_edited_time timestamptz,
  created_by text not null,
  seq bigserial
);
create index comments_parent on comments (parent_id, seq);
