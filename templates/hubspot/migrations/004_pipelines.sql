-- Pipelines created or changed through /crm/v3/pipelines. HubSpot's default pipelines (deals
-- `default` "Sales Pipeline", tickets `0` "Support Pipeline") live in src/pipelines.ts; a row
-- with the same id overrides one, and a row whose body is archived is a deleted pipeline.
-- `body` is the Pipeline JSON the API answers, its live stages included.

create table pipelines (
  object_type text not null,         -- deals | tickets
  id text not null,
  body jsonb not null,
  primary key (object_type, id)
);

-- Ids of created pipelines and stages (HubSpot's are numeric strings).
create sequence pipeline_ids start with 800000001;
