import type { SQL } from 'bun';
import type { KitContext } from '../../_kit/types.ts';
import { mintToken, storeToken } from './auth.ts';
import { share } from './sharing.ts';
import { textRt } from './util.ts';

/**
 * POST /__asym/provision: the workspace, its internal integration (the bot user the agent
 * acts as) and the admin person, each with an `ntn_` secret stored by hash, and the page a
 * real workspace has once its integration is set up: "Getting started", a workspace-level
 * page of the admin's shared with the integration, so even an unseeded clone gives the
 * integration somewhere to work (it cannot create at the workspace level). Ids are fixed
 * and times are the world's start, so fixture packs can name them and stay byte-identical.
 */
export const WORKSPACE_ID = '7c1f0000-0000-4000-8000-000000000001';
export const BOT_ID = '7c1f0000-0000-4000-8000-0000000000b0';
export const ADMIN_ID = '7c1f0000-0000-4000-8000-0000000000a1';
export const GETTING_STARTED_ID = '7c1f0000-0000-4000-8000-000000000100';
export const GETTING_STARTED_BLOCK_ID = '7c1f0000-0000-4000-8000-000000000101';
export const GETTING_STARTED_TITLE = 'Getting started';
const GETTING_STARTED_TEXT = 'This page is shared with Asym Integration: it can read and edit this page and everything under it, and create pages and databases here.';

export async function provision(ctx: KitContext, tx: SQL): Promise<Record<string, unknown>> {
  await tx`insert into workspace (id, name) values (${WORKSPACE_ID}, 'Acme Workspace')`;
  await tx`insert into users (id, type, name, avatar_url, email) values
    (${BOT_ID}, 'bot', 'Asym Integration', null, null),
    (${ADMIN_ID}, 'person', 'Avery Admin', null, 'admin@asym.test')`;
  const botToken = mintToken();
  const userToken = mintToken();
  await storeToken(tx, botToken, BOT_ID, ctx.now());
  await storeToken(tx, userToken, ADMIN_ID, ctx.now());
  const at = ctx.now();
  await tx`insert into pages (id, parent, data_source_id, "values", icon, created_time, last_edited_time, created_by, last_edited_by)
    values (${GETTING_STARTED_ID}, '{"type":"workspace","workspace":true}'::jsonb, null, ${JSON.stringify({ title: textRt(GETTING_STARTED_TITLE) })}::text::jsonb,
      '{"type":"emoji","emoji":"👋"}'::jsonb, ${at}, ${at}, ${ADMIN_ID}, ${ADMIN_ID})`;
  const paragraph = { rich_text: textRt(GETTING_STARTED_TEXT), color: 'default', icon: null };
  await tx`insert into blocks (id, parent_type, parent_id, pos, type, content, created_time, last_edited_time, created_by, last_edited_by)
    values (${GETTING_STARTED_BLOCK_ID}, 'page_id', ${GETTING_STARTED_ID}, 1, 'paragraph', ${JSON.stringify(paragraph)}::text::jsonb, ${at}, ${at}, ${ADMIN_ID}, ${ADMIN_ID})`;
  await share(tx, GETTING_STARTED_ID, 'page', at);
  return { appId: BOT_ID, workspaceId: WORKSPACE_ID, botUserId: BOT_ID, adminUserId: ADMIN_ID, botToken, userToken };
}
