-- Files (files.getUploadURLExternal -> upload -> files.completeUploadExternal) and the
-- file ids a file-share message carries.

create table files (
  id text primary key,
  seq bigserial,
  team_id text not null references teams(id),
  user_id text not null,
  bot_id text,
  app_id text,
  name text not null,
  title text not null default '',
  alt_text text,
  snippet_type text,
  -- Declared by getUploadURLExternal; size is what was actually uploaded.
  length bigint not null,
  size bigint,
  mimetype text not null default 'application/octet-stream',
  filetype text not null default 'binary',
  -- Secret part of upload_url; cleared once the upload is completed.
  upload_key text,
  -- pending (URL handed out) -> uploaded (bytes received) -> complete (files.completeUploadExternal).
  state text not null default 'pending' check (state in ('pending', 'uploaded', 'complete')),
  created bigint not null,
  initial_comment text,
  -- Conversations the file is shared in, and per conversation the share message ts values.
  channels text[] not null default '{}',
  shares jsonb not null default '{}'::jsonb
);
create index files_seq on files(team_id, seq);
create unique index files_upload_key on files(upload_key) where upload_key is not null;

-- The uploaded bytes, apart so file listings never read them.
create table file_contents (
  file_id text primary key references files(id) on delete cascade,
  bytes bytea not null
);

alter table messages add column file_ids text[];
