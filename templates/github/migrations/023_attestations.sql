-- Artifact attestations (Sigstore bundles) of repositories, listed and deleted through
-- /users/{username}/attestations. Made by seed records (the repository endpoint that
-- creates them is not emulated).

create table attestations (
  id int primary key default nextval('gh_ids'),
  repo_id int not null references repos(id) on delete cascade,
  subject_digest text not null,
  predicate_type text not null,
  bundle jsonb not null,
  initiator text not null default 'user',
  created_at timestamptz not null default now()
);
create index attestations_digest on attestations (subject_digest);
