-- Database views: each is scoped to one data source of its database (a dashboard view has
-- none) and keeps its filter, sorts, quick filters and layout configuration as given.
-- `pos` orders a database's view tabs (position start/end/after_view).
create table views (
  id text primary key,
  database_id text not null references databases(id),
  data_source_id text,
  dashboard_view_id text,
  name text not null,
  type text not null,
  filter jsonb,
  sorts jsonb,
  quick_filters jsonb,
  configuration jsonb,
  pos double precision not null,
  created_time timestamptz not null,
  last_edited_time timestamptz not null,
  created_by text not null,
  last_edited_by text not null,
  seq bigserial
);
create index views_database on views (database_id, pos, seq);

-- A view query: the view's filter and sorts run once, the matching page ids cached in order
-- for 15 minutes (expires_at, on the clone's clock).
create table view_queries (
  id text primary key,
  view_id text not null,
  page_ids jsonb not null,
  truncated boolean not null,         -- more pages matched than the 10,000 cached
  expires_at timestamptz not null,
  created_time timestamptz not null
);

-- A database has a default table view over its first data source, as one created in Notion
-- has: made when that data source is (by the API, a seed, a fixture), and for every database
-- made before views. Its id is derived from the data source's, so two clones from one fixture
-- hold the same state.
create function views_default() returns trigger language plpgsql as $$
begin
  if not exists (select 1 from views where database_id = new.database_id) then
    insert into views (id, database_id, data_source_id, name, type, pos, created_time, last_edited_time, created_by, last_edited_by)
      values (md5('default view of ' || new.id)::uuid::text, new.database_id, new.id, 'Default view', 'table', 1, new.created_time, new.created_time, new.created_by, new.created_by);
  end if;
  return new;
end $$;
create trigger data_sources_default_view after insert on data_sources for each row execute function views_default();
insert into views (id, database_id, data_source_id, name, type, pos, created_time, last_edited_time, created_by, last_edited_by)
  select distinct on (s.database_id) md5('default view of ' || s.id)::uuid::text, s.database_id, s.id, 'Default view', 'table', 1, s.created_time, s.created_time, s.created_by, s.created_by
  from data_sources s order by s.database_id, s.seq;

-- File uploads: the upload object and its bytes, one row per part sent (a single-part upload
-- is part 1). An upload is pending until its bytes are in (single part) or it is completed
-- (multi part); a pending one expires an hour after it is created.
create table file_uploads (
  id text primary key,
  mode text not null,                 -- single_part | multi_part | external_url
  status text not null,               -- pending | uploaded | expired | failed
  filename text,
  content_type text,
  content_length bigint,
  number_of_parts integer,
  external_url text,
  import_result jsonb,
  expiry_time timestamptz,
  in_trash boolean not null default false,
  created_time timestamptz not null,
  last_edited_time timestamptz not null,
  created_by text not null,
  seq bigserial
);
create index file_uploads_seq on file_uploads (seq);

create table file_upload_parts (
  upload_id text not null references file_uploads(id),
  part_number integer not null,
  data bytea not null,
  primary key (upload_id, part_number)
);
