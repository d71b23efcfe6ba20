-- HubSpot clone schema. One clone is one HubSpot portal (account).
-- CRM objects (contacts, companies, deals) live in one table keyed by their numeric id;
-- properties are the jsonb map HubSpot returns (string values), and every write of a
-- property is kept in property_history for propertiesWithHistory.

create table portals (
  id bigint primary key,
  name text not null,
  created_at timestamptz not null
);

-- Account-level principals: the private app the agent uses ("bot") and the admin user.
create table principals (
  id bigint primary key,
  portal_id bigint not null references portals(id),
  role text not null,               -- 'bot' | 'admin' | 'user'
  email text not null,
  first_name text,
  last_name text
);

-- Private-app access tokens (pat-na1-<uuid>), by SHA-256 only.
create table tokens (
  hash text primary key,
  principal_id bigint not null references principals(id),
  created_at timestamptz not null default now()
);

-- Runtime ids; fixture packs use fixed ids below this start.
create sequence crm_object_ids start with 50000001;

create table crm_objects (
  id bigint primary key,
  type text not null,                -- contacts | companies | deals
  properties jsonb not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  archived boolean not null default false,
  archived_at timestamptz,
  merged_into bigint                 -- set when merged into another object (then archived)
);
create index crm_objects_type_id on crm_objects (type, archived, id);
-- HubSpot refuses a second live contact with the same email.
create unique index crm_objects_contact_email on crm_objects (lower(properties->>'email'))
  where type = 'contacts' and not archived and coalesce(properties->>'email', '') <> '';

create table property_history (
  seq bigserial primary key,
  object_id bigint not null,
  name text not null,
  value text not null,
  at timestamptz not null,
  source_type text not null          -- API | IMPORT | CRM_UI | CALCULATED
);
create index property_history_object on property_history (object_id, name, seq desc);

-- One row per direction: a contact->company 279 row has its company->contact 280 twin.
create table associations (
  from_type text not null,
  from_id bigint not null,
  to_type text not null,
  to_id bigint not null,
  type_id int not null,
  category text not null default 'HUBSPOT_DEFINED',
  created_at timestamptz not null,
  primary key (from_id, to_id, type_id)
);
create index associations_from on associations (from_id, to_type, to_id);
create index associations_to on associations (to_id);
