-- Gists and their files (made through the admin surface: the gists API is not emulated), for
-- GET /users/{username}/gists.
create table gists (
  id text primary key,
  owner_id int not null references users(id) on delete cascade,
  description text,
  public boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index gists_owner on gists (owner_id, created_at desc);

create table gist_files (
  gist_id text not null references gists(id) on delete cascade,
  filename text not null,
  content text not null,
  primary key (gist_id, filename)
);
