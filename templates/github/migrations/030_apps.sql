-- The clone's own GitHub App (provisioned, with the RSA key its JWTs are signed with), its
-- installations on accounts (all repositories, or the selected ones), and the Marketplace
-- plans and purchases of its listing (seeded through the admin surface).
create table github_apps (
  id int primary key,
  slug text not null unique,
  name text not null,
  client_id text not null unique,
  owner_id int references users(id) on delete set null,
  description text not null default '',
  permissions jsonb not null default '{}',
  events jsonb not null default '[]',
  private_key text not null,
  public_key text not null,
  created_at timestamptz not null default now()
);

create table app_installations (
  id int primary key default nextval('gh_ids'),
  app_id int not null references github_apps(id) on delete cascade,
  account_id int not null references users(id) on delete cascade,
  repository_selection text not null default 'all' check (repository_selection in ('all', 'selected')),
  permissions jsonb not null default '{}',
  events jsonb not null default '[]',
  suspended_by_id int references users(id) on delete set null,
  suspended_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (app_id, account_id)
);

create table app_installation_repos (
  installation_id int not null references app_installations(id) on delete cascade,
  repo_id int not null references repos(id) on delete cascade,
  primary key (installation_id, repo_id)
);

create table marketplace_plans (
  id int primary key default nextval('gh_ids'),
  app_id int not null references github_apps(id) on delete cascade,
  number int not null,
  name text not null,
  description text not null default '',
  monthly_price_in_cents int not null default 0,
  yearly_price_in_cents int not null default 0,
  price_model text not null default 'FREE' check (price_model in ('FREE', 'FLAT_RATE', 'PER_UNIT')),
  has_free_trial boolean not null default false,
  unit_name text,
  state text not null default 'published',
  bullets jsonb not null default '[]',
  unique (app_id, number)
);

-- One subscription per account to the listing (GitHub: an account holds one plan of a listing).
create table marketplace_purchases (
  account_id int not null references users(id) on delete cascade,
  plan_id int not null references marketplace_plans(id) on delete cascade,
  app_id int not null references github_apps(id) on delete cascade,
  billing_cycle text not null default 'monthly' check (billing_cycle in ('monthly', 'yearly')),
  unit_count int,
  on_free_trial boolean not null default false,
  free_trial_ends_on timestamptz,
  next_billing_date timestamptz,
  updated_at timestamptz not null default now(),
  primary key (app_id, account_id)
);
