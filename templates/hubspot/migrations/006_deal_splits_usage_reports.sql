-- Deal splits (/crm/v3/objects/deals/splits): the owners a deal's credit is split between.
-- An upsert replaces a deal's splits whole; ids come from crm_object_ids (splits are CRM
-- objects in HubSpot). percentage is the decimal string HubSpot answers (hs_deal_split_percentage).
create table deal_splits (
  id bigint primary key,
  deal_id bigint not null,
  owner_id bigint not null,
  percentage text not null,
  position int not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index deal_splits_deal on deal_splits (deal_id, position);

-- High-usage reports requested through /crm/v4/associations/usage/high-usage-report/{userId}:
-- who asked, when, and the records found at or near a configured association limit
-- (HubSpot emails the report; the clone keeps it here).
create table association_usage_reports (
  id bigserial primary key,
  user_id bigint not null,
  enqueued_at timestamptz not null,
  records jsonb not null
);
