import { paginate, type ConnArgs } from '../connection.ts';
import type { Resolver } from '../gql.ts';
import { need } from './query.ts';
import { organization } from './types.ts';
import { columnsFrom, nextSyncId, updateRow } from '../write.ts';
import { clockNow } from '../../../_kit/clock.ts';

/** The smaller operations of the in-scope entities: suspend, retire, subscribe, search. */
const ok = async (rc: Parameters<Resolver>[2]) => ({ success: true, lastSyncId: await nextSyncId(rc) });

export const EXTRA_QUERIES: Record<string, Resolver> = {
  searchProjects: async (_s, a: ConnArgs & { term: string }, rc) => {
    const conn = await paginate(rc, 'project', a, (x, p) => `strpos(lower(${x}.name || ' ' || ${x}.description), lower(${p.add(a.term.trim())})) > 0`);
    return { ...conn, totalCount: conn.nodes.length, archivePayload: { success: true, lastSyncId: 0 } };
  },
  issueSearch: (_s, a: ConnArgs & { query?: string }, rc) =>
    paginate(rc, 'issue', a, a.query ? (x, p) => `strpos(lower(${x}.title || ' ' || coalesce(${x}.description, '')), lower(${p.add(a.query)})) > 0` : undefined),
};

export const EXTRA_MUTATIONS: Record<string, Resolver> = {
  organizationUpdate: async (_s, { input }: { input: Record<string, unknown> }, rc) => {
    const org = (await organization(rc))!;
    const sets = columnsFrom(input, { name: 'name', urlKey: 'url_key' });
    if (Object.keys(sets).length) await rc.ctx.db.unsafe(`update organization set ${Object.keys(sets).map((c, i) => `${c} = $${i + 2}`).join(', ')}, updated_at = now() where id = $1`, [org.id, ...Object.values(sets)]);
    return { ...(await ok(rc)), organization: await organization(rc) };
  },
  teamDelete: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'team', id, 'team');
    return { ...(await ok(rc)), entity: await updateRow(rc, 'team', id, { archived_at: clockNow() }) };
  },
  teamUnarchive: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'team', id, 'team');
    return { ...(await ok(rc)), entity: await updateRow(rc, 'team', id, { archived_at: null }) };
  },
  teamMembershipUpdate: async (_s, { id, input }: { id: string; input: { owner?: boolean } }, rc) => {
    await need(rc, 'membership', id, 'team membership');
    return { ...(await ok(rc)), teamMembership: await updateRow(rc, 'membership', id, columnsFrom(input, { owner: 'owner' })) };
  },
  projectUpdateArchive: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'projectUpdate', id, 'project update');
    return { ...(await ok(rc)), entity: await updateRow(rc, 'projectUpdate', id, { archived_at: clockNow() }) };
  },
  projectUpdateUnarchive: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'projectUpdate', id, 'project update');
    return { ...(await ok(rc)), entity: await updateRow(rc, 'projectUpdate', id, { archived_at: null }) };
  },
  projectUpdateDelete: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'projectUpdate', id, 'project update');
    await rc.ctx.db.q`delete from project_updates where id = ${id}`;
    rc.forget('projectUpdate', id);
    return { ...(await ok(rc)), entityId: id };
  },
  issueSubscribe: async (_s, { id }: { id: string }, rc) => ({ ...(await ok(rc)), issue: await need(rc, 'issue', id, 'issue') }),
  issueUnsubscribe: async (_s, { id }: { id: string }, rc) => ({ ...(await ok(rc)), issue: await need(rc, 'issue', id, 'issue') }),
  userSuspend: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'user', id, 'user');
    await updateRow(rc, 'user', id, { active: false });
    return ok(rc);
  },
  userUnsuspend: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'user', id, 'user');
    await updateRow(rc, 'user', id, { active: true });
    return ok(rc);
  },
  issueLabelRetire: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'label', id, 'label');
    return { ...(await ok(rc)), issueLabel: await updateRow(rc, 'label', id, { archived_at: clockNow() }) };
  },
  issueLabelRestore: async (_s, { id }: { id: string }, rc) => {
    await need(rc, 'label', id, 'label');
    return { ...(await ok(rc)), issueLabel: await updateRow(rc, 'label', id, { archived_at: null }) };
  },
};
