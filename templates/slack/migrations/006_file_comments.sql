-- Legacy file comments (Fc…), for files.comments.delete and files.info's comments. Slack
-- retired files.comments.add in 2018 (comments became thread replies), so none is made
-- through the API: a world from an older workspace brings them through the admin seed
-- (records.file_comments). Deleting the file deletes its comments.
create table file_comments (
  id text primary key,
  seq bigserial,
  file_id text not null references files(id) on delete cascade,
  user_id text not null,
  comment text not null,
  created bigint not null
);
create index file_comments_file on file_comments(file_id, seq);
