-- The scopes each private-app token was granted; null is the clone's app (APP_SCOPES in
-- src/handlers/token-info.ts). Tokens with fewer scopes are minted by the admin route
-- POST /__asym/hubspot/tokens, as a second private app with fewer scopes would be.
alter table tokens add column scopes text[];
