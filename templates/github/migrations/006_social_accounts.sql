-- Social accounts on a user's profile (/user/social_accounts), in the order added.

create table social_accounts (
  id int primary key default nextval('gh_ids'),
  user_id int not null references users(id) on delete cascade,
  url text not null,
  provider text not null
);
create unique index social_accounts_url on social_accounts (user_id, url);
