-- Custom (USER_DEFINED) association labels created through /crm/v4/associations/{from}/{to}/labels,
-- one row per direction: a label's from->to type and its to->from inverse (the inverse label of a
-- paired label, else the same label). HubSpot's own types stay in src/schema.ts ASSOC_TYPES.
create table association_labels (
  type_id int primary key,
  from_type text not null,
  to_type text not null,
  name text not null,
  label text not null,
  inverse_id int not null
);
create sequence association_type_ids start with 1001;

-- Association limits (definitions/configurations): at most max_to_object_ids objects of the
-- type's to-side per from-side object, for one type id (HubSpot's or custom).
create table association_limits (
  type_id int primary key,
  max_to_object_ids int not null
);
