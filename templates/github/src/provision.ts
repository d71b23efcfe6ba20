import type { SQL } from 'bun';
import type { KitContext } from '../../_kit/types.ts';
import { mintPat, storePat } from './auth.ts';
import { provisionApp } from './apps.ts';

/**
 * POST /__asym/provision: the organisation `acme` (id 1000), its admin `asym-admin`
 * (1001, org role admin) and the agent's identity `asym-bot` (1002, org member), each
 * with a classic personal access token stored by hash. Ids are fixed so fixture packs can
 * reference these rows directly (fixture ids start at 2000, runtime ids at 10000000).
 */
export const ORG_ID = 1000;
export const ADMIN_ID = 1001;
export const BOT_ID = 1002;
export const APP_ID = '1048576';

export async function provision(ctx: KitContext, tx: SQL): Promise<Record<string, unknown>> {
  const at = ctx.now(); // the world's start: the same rows in every clone
  await tx`insert into users (id, login, type, name, email, description, blog, location, created_at, updated_at)
    values (${ORG_ID}, 'acme', 'Organization', 'Acme Corp', 'hello@acme.test', 'Acme builds everything.', 'https://acme.test', 'San Francisco, CA', ${at}, ${at})`;
  await tx`insert into users (id, login, type, name, email, bio, company, location, created_at, updated_at)
    values (${ADMIN_ID}, 'asym-admin', 'User', 'Avery Admin', 'admin@acme.test', 'Runs the Acme organisation.', '@acme', 'San Francisco, CA', ${at}, ${at})`;
  await tx`insert into users (id, login, type, name, email, bio, created_at, updated_at)
    values (${BOT_ID}, 'asym-bot', 'User', 'Asym Bot', 'bot@acme.test', 'The agent under test.', ${at}, ${at})`;
  await tx`insert into org_members (org_id, user_id, role) values (${ORG_ID}, ${ADMIN_ID}, 'admin'), (${ORG_ID}, ${BOT_ID}, 'member')`;
  const botToken = mintPat();
  const userToken = mintPat();
  await storePat(tx, botToken, BOT_ID, 'asym bot token', at);
  await storePat(tx, userToken, ADMIN_ID, 'asym admin token', at);
  // The clone's GitHub App (id APP_ID), installed on the organisation (apps.ts).
  const app = await provisionApp(tx, Number(APP_ID), ORG_ID, at);
  return {
    ...app,
    appId: APP_ID,
    workspaceId: 'acme',
    botUserId: String(BOT_ID),
    adminUserId: String(ADMIN_ID),
    botToken,
    userToken,
    orgId: String(ORG_ID),
    botLogin: 'asym-bot',
    adminLogin: 'asym-admin',
  };
}
