-- team.* (billing plan, preferences, profile fields, external teams), files.remote.* and
-- public file links.

-- team.billing.info: '' is the free plan, std Pro, plus Business+, enterprise Enterprise Grid.
-- Pro by default, so paid-only methods (team.accessLogs, team.integrationLogs) answer.
alter table teams add column plan text not null default 'std';
-- team.preferences.list: overrides of the documented defaults (see methods/team.ts).
alter table teams add column prefs jsonb not null default '{}'::jsonb;

-- team.profile.get: the workspace's profile sections and fields (standard ones carry field_name).
create table team_profile_sections (
  id text primary key,
  label text not null,
  section_type text not null,
  ordering int not null,
  is_hidden boolean not null default false
);
create table team_profile_fields (
  id text primary key,
  section_id text not null references team_profile_sections(id),
  field_name text,
  label text not null,
  hint text not null default '',
  type text not null default 'text',
  possible_values text[],
  ordering int not null,
  is_hidden boolean not null default false
);
insert into team_profile_sections (id, label, section_type, ordering) values
  ('Xs0ASYMABOUT', 'About me', 'about_me', 0),
  ('Xs0ASYMCONTA', 'Contact information', 'contact', 1);
insert into team_profile_fields (id, section_id, field_name, label, hint, type, ordering) values
  ('Xf0ASYMTITLE', 'Xs0ASYMABOUT', 'title', 'Title', 'What do you do?', 'text', 0),
  ('Xf0ASYMPHONE', 'Xs0ASYMCONTA', 'phone', 'Phone', 'Enter a phone number', 'text', 1);

-- team.externalTeams.disconnect: organisations this workspace disconnected from (they leave
-- every shared channel); team.externalTeams.list shows them as DISCONNECTED.
create table external_team_disconnects (
  team_id text primary key,
  name text not null,
  domain text not null default '',
  disconnected_by text not null,
  disconnected bigint not null
);

-- files.remote.*: remote files live beside hosted ones, keyed per app by the caller's external_id.
alter table files add column external_id text;
alter table files add column external_url text;
alter table files add column updated bigint;
create unique index files_external on files(team_id, app_id, external_id) where external_id is not null;

-- files.sharedPublicURL / revokePublicURL: the secret in permalink_public; kept once made, so a
-- file shared again gets the same public link.
alter table files add column public_url_shared boolean not null default false;
alter table files add column pub_secret text;
