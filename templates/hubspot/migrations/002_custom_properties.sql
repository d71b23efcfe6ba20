-- Custom property definitions and property groups created through /crm/v3/properties.
-- HubSpot's own (hubspotDefined) properties and groups stay in src/schema.ts; these tables
-- hold only what the portal's users and apps add. `body` is the Property / PropertyGroup
-- JSON the API answers (archived and archivedAt included), so a read is the stored row.

create table custom_properties (
  object_type text not null,         -- contacts | companies | deals
  name text not null,
  body jsonb not null,
  archived boolean not null default false,
  primary key (object_type, name)
);

create table custom_property_groups (
  object_type text not null,
  name text not null,
  body jsonb not null,
  archived boolean not null default false,
  primary key (object_type, name)
);
