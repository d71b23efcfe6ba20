-- Sharing: an internal integration sees only the pages and databases shared with it (the
-- "Add connections" menu in Notion) and everything under them. One clone has one
-- integration, so a row here means "shared with the integration".
create table shares (
  id text primary key,                -- a page or database id
  object text not null,               -- page | database
  shared_time timestamptz not null
);

-- Where each page and database sits in the page tree, as a plain column (kept by Postgres
-- from `parent`): a page under a page, block or data source, a database under a page or block;
-- null at the workspace level.
alter table pages add column tree_parent text generated always as (coalesce(parent->>'page_id', parent->>'block_id', data_source_id)) stored;
alter table databases add column tree_parent text generated always as (coalesce(parent->>'page_id', parent->>'block_id')) stored;
create index pages_tree_parent on pages (tree_parent);
create index databases_tree_parent on databases (tree_parent);

-- Every object of the page tree with its parent: pages, data sources under their database,
-- databases, content blocks under a page or block. child_page/child_database blocks share
-- their page's or database's id and are left out: the page or database row says where it is.
-- Search walks it down from the shares (blocks_parent and data_sources_db serve the other two).
create view tree_edges as
  select id, tree_parent as parent_id from pages
  union all
  select id, database_id from data_sources
  union all
  select id, tree_parent from databases
  union all
  select id, parent_id from blocks where type not in ('child_page', 'child_database');

-- A state from before sharing (an old snapshot or pack) had every page visible to the
-- integration: its workspace-level pages count as shared, so it keeps seeing what it saw.
insert into shares (id, object, shared_time)
  select id, 'page', created_time from pages where parent->>'type' = 'workspace';
