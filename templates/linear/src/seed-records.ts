import type { SQL } from 'bun';
import { isKitError } from '../../_kit/errors.ts';
import type { KitContext, RecordsOutcome } from '../../_kit/types.ts';
import { GraphQLError } from 'graphql';
import { ADMIN_ID } from './provision.ts';
import { requestContext } from './request.ts';
import { createIssue } from './handlers/issues.ts';
import { PROJECT_MUTATIONS } from './handlers/projects.ts';
import { TEAM_MUTATIONS } from './handlers/teams.ts';

/**
 * Records from an AI seed (or a harness), validated through the same code as the API (a
 * bad record is rejected with its reason and counted, never thrown):
 *
 *   users:    { name, email, displayName? }
 *   teams:    { name, key, description? }                 (default workflow states included)
 *   projects: { name, teams: [key], description?, state? }
 *   issues:   { team: key, title, description?, priority? 0-4, state?: name, assignee?: email, labels?: [name], project?: name, estimate? }
 */
type Rec = Record<string, any>;
const ENTITIES = ['users', 'teams', 'projects', 'issues'];

export async function seedLinearRecords(ctx: KitContext, records: Record<string, unknown[]>): Promise<RecordsOutcome> {
  const out: RecordsOutcome = { written: 0, rejected: 0, rejections: [], warnings: [] };
  for (const e of Object.keys(records)) if (!ENTITIES.includes(e)) out.warnings.push(`unknown entity ${e}; skipped`);
  const rc = requestContext(ctx, ADMIN_ID);
  const attempt = async (entity: string, i: number, fn: () => Promise<void>) => {
    try {
      await fn();
      out.written++;
    } catch (e) {
      if (!isKitError(e) && !(e instanceof GraphQLError)) throw e;
      out.rejected++;
      out.rejections.push({ entity, index: i, reason: String((e as GraphQLError).extensions?.userPresentableMessage ?? (e as Error).message) });
    }
  };
  const bad = (m: string) => new GraphQLError(m, { extensions: { userPresentableMessage: m } });
  const teamByKey = async (key: unknown) => {
    const rows = await ctx.db.q<{ id: string }>`select id from teams where upper(key) = ${String(key ?? '').toUpperCase()}`;
    if (!rows[0]) throw bad(`no team with key ${key}`);
    return rows[0].id;
  };
  for (const [i, r] of ((records.users ?? []) as Rec[]).entries()) {
    await attempt('users', i, async () => {
      if (typeof r?.name !== 'string' || !r.name.trim() || typeof r.email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(r.email)) throw bad('name and a valid email are required');
      if ((await ctx.db.q`select 1 from users where lower(email) = ${r.email.toLowerCase()}`).length) throw bad(`a user with email ${r.email} exists already`);
      const display = typeof r.displayName === 'string' && r.displayName ? r.displayName : r.email.split('@')[0];
      await ctx.db.q`insert into users (id, name, display_name, email) values (${crypto.randomUUID()}, ${r.name.trim()}, ${display}, ${r.email.toLowerCase()})`;
    });
  }
  for (const [i, r] of ((records.teams ?? []) as Rec[]).entries()) {
    await attempt('teams', i, async () => {
      await TEAM_MUTATIONS.teamCreate!(null, { input: { name: r?.name, key: r?.key, description: r?.description } }, rc, null);
    });
  }
  for (const [i, r] of ((records.projects ?? []) as Rec[]).entries()) {
    await attempt('projects', i, async () => {
      if (!Array.isArray(r?.teams) || !r.teams.length) throw bad('teams (team keys) are required');
      const teamIds = [];
      for (const k of r.teams) teamIds.push(await teamByKey(k));
      await PROJECT_MUTATIONS.projectCreate!(null, { input: { name: r.name, description: r.description, state: r.state, teamIds } }, rc, null);
    });
  }
  for (const [i, r] of ((records.issues ?? []) as Rec[]).entries()) {
    await attempt('issues', i, async () => {
      const teamId = await teamByKey(r?.team);
      const input: Rec = { teamId, title: r.title, description: r.description, priority: r.priority, estimate: r.estimate };
      if (r.state) {
        const st = await ctx.db.q<{ id: string }>`select id from workflow_states where team_id = ${teamId} and lower(name) = ${String(r.state).toLowerCase()}`;
        if (!st[0]) throw bad(`team ${r.team} has no state ${r.state}`);
        input.stateId = st[0].id;
      }
      if (r.assignee) {
        const u = await ctx.db.q<{ id: string }>`select id from users where lower(email) = ${String(r.assignee).toLowerCase()}`;
        if (!u[0]) throw bad(`no user with email ${r.assignee}`);
        input.assigneeId = u[0].id;
      }
      if (r.project) {
        const p = await ctx.db.q<{ id: string }>`select id from projects where lower(name) = ${String(r.project).toLowerCase()}`;
        if (!p[0]) throw bad(`no project named ${r.project}`);
        input.projectId = p[0].id;
      }
      if (Array.isArray(r.labels) && r.labels.length) {
        input.labelIds = [];
        for (const name of r.labels) {
          const l = await ctx.db.q<{ id: string }>`select id from issue_labels where lower(name) = ${String(name).toLowerCase()} and (team_id is null or team_id = ${teamId})`;
          input.labelIds.push(l[0]?.id ?? (await ctx.db.q<{ id: string }>`insert into issue_labels (id, name, color) values (${crypto.randomUUID()}, ${String(name)}, '#5e6ad2') returning id`)[0]!.id);
        }
      }
      await createIssue(rc, input);
    });
  }
  rc.events.length = 0;
  return out;
}

/** A forced re-seed starts from the provisioned workspace: everything but it goes. */
export async function clearLinearSeeded(_ctx: KitContext, tx: SQL): Promise<void> {
  await tx.unsafe(`delete from issue_history; delete from attachments; delete from comments; delete from issue_relations; delete from issue_label_links; delete from issues;
    delete from cycles; delete from project_updates; delete from project_milestones; delete from project_members; delete from project_teams; delete from projects; delete from project_labels; delete from issue_labels;
    delete from team_keys; delete from user_flags; delete from view_preferences;
    delete from team_members where team_id <> '1e000000-0000-4000-8000-0000000000e1' or user_id <> '${ADMIN_ID}';
    delete from workflow_states where team_id <> '1e000000-0000-4000-8000-0000000000e1'; delete from teams where id <> '1e000000-0000-4000-8000-0000000000e1';
    update teams set issue_count = 0, cycle_count = 0; delete from tokens where user_id <> '${ADMIN_ID}'; delete from users where id <> '${ADMIN_ID}';`);
}
