-- Stripe clone schema. One clone is one Stripe account (test mode).
-- Vendor objects live in one table as the JSON Stripe returns (minus computed parts),
-- keyed by their Stripe id; list order is newest first: (created desc, seq desc).

create table accounts (
  id text primary key,              -- acct_…
  name text not null,
  country text not null default 'US',
  default_currency text not null default 'usd',
  created bigint not null
);

-- Account-level principals: the agent ("bot") and the admin user.
create table principals (
  id text primary key,              -- usr_…
  account_id text not null references accounts(id),
  role text not null,               -- 'bot' | 'admin'
  name text not null,
  email text,
  created bigint not null
);

-- Secret keys, by SHA-256 only. last4 feeds Stripe's "sk_test_****abcd" messages.
create table api_keys (
  hash text primary key,
  account_id text not null references accounts(id),
  principal_id text not null references principals(id),
  kind text not null default 'secret',
  last4 text not null,
  created bigint not null
);

create table stripe_objects (
  id text primary key,
  kind text not null,               -- customer | product | price | invoice | invoiceitem | customer_balance_transaction | tax_id
  seq bigserial not null,
  created bigint not null,
  parent text,                      -- owning object (customer of a balance transaction or tax id)
  deleted boolean not null default false,
  data jsonb not null
);
create index stripe_objects_kind_order on stripe_objects (kind, created desc, seq desc);
create index stripe_objects_parent on stripe_objects (parent) where parent is not null;
create index stripe_objects_customer on stripe_objects ((data->>'customer')) where kind in ('invoice', 'invoiceitem');
create index stripe_objects_invoice on stripe_objects ((data->>'invoice')) where kind = 'invoiceitem';
create index stripe_objects_email on stripe_objects ((data->>'email')) where kind = 'customer';
