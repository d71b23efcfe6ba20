-- Sharing: an internal integration sees only the pages and databases shared with it (the
-- "Add connections" menu in Notion) and everything under them. One clone has one
-- integration, so a row here means "shared with the integration".
create table shares (
  id text primary key,                -- a page or database id
  object text not null,               -- page | database
  shared_time timestamptz not null
);

-- Every object of the page tree with its parent in that tree (null at the workspace level):
-- pages under a page, block or data source, data sources under their database, databases
-- under a page or block, content blocks under a page or block. child_page/child_database
-- blocks share their page's or database's id and are left out: the page or database row
-- says where it is. Visibility walks this view up (one object) or down (search).
create view tree_edges as
  select id, coalesce(parent->>'page_id', parent->>'block_id', data_source_id) as parent_id from pages
  union all
  select id, database_id from data_sources
  union all
  select id, coalesce(parent->>'page_id', parent->>'block_id') from databases
  union all
  select id, parent_id from blocks where type not in ('child_page', 'child_database');

-- The walk down looks children up by parent (blocks_parent and data_sources_db serve blocks and data sources).
create index pages_tree_parent on pages ((coalesce(parent->>'page_id', parent->>'block_id', data_source_id)));
create index databases_tree_parent on databases ((coalesce(parent->>'page_id', parent->>'block_id')));

-- A state from before sharing (an old snapshot or pack) had every page visible to the
-- integration: its workspace-level pages count as shared, so it keeps seeing what it saw.
insert into shares (id, object, shared_time)
  select id, 'page', created_time from pages where parent->>'type' = 'workspace';
