import { KitError } from '../../../_kit/errors.ts';
import { json } from '../../../_kit/http.ts';
import type { KitContext } from '../../../_kit/types.ts';
import { listReply, pageOf } from '../paging.ts';
import * as render from '../render.ts';
import { usersByIds } from '../store.ts';
import type { Gh, Reply } from '../types.ts';
import { me } from './common.ts';
import { orgJson } from './users.ts';

/**
 * GET /user/teams: the teams the user belongs to, across their organisations. Teams are made
 * with POST /__asym/github/teams {org, name, description?, privacy?, members?: [login]} (the
 * teams API is not emulated; members must belong to the org). Team repositories are not
 * modelled (`repos_count` 0, `permission` pull).
 */

interface TeamRow {
  id: number;
  org_id: number;
  name: string;
  slug: string;
  description: string | null;
  privacy: 'closed' | 'secret';
  created_at: Date;
  updated_at: Date;
  members_count: number;
}

const slugOf = (name: string) => name.toLowerCase().replace(/[^a-z0-9_]+/g, '-').replace(/^-|-$/g, '');

export async function listMine(g: Gh): Promise<Reply> {
  const u = me(g);
  const p = pageOf(g);
  const all = await g.ctx.db.q<TeamRow>`
    select t.*, (select count(*)::int from team_members x where x.team_id = t.id) as members_count
    from teams t join team_members m on m.team_id = t.id where m.user_id = ${u.id} order by t.id`;
  const page = all.slice(p.offset, p.offset + p.perPage);
  const orgs = await usersByIds(g, page.map((t) => t.org_id));
  const orgJsons = new Map<number, Record<string, unknown>>();
  for (const [id, o] of orgs) orgJsons.set(id, await orgJson(g, o));
  const items = page.map((t) => {
    const org = orgs.get(t.org_id)!;
    const url = `${g.base}/organizations/${org.id}/team/${t.id}`;
    return {
      id: t.id,
      node_id: render.nodeId('Team', t.id),
      url,
      html_url: `${render.htmlBase(g.base)}/orgs/${org.login}/teams/${t.slug}`,
      name: t.name,
      slug: t.slug,
      description: t.description,
      privacy: t.privacy,
      notification_setting: 'notifications_enabled',
      permission: 'pull',
      members_url: `${url}/members{/member}`,
      repositories_url: `${url}/repos`,
      parent: null,
      members_count: t.members_count,
      repos_count: 0,
      created_at: render.iso(t.created_at),
      updated_at: render.iso(t.updated_at),
      organization: orgJsons.get(t.org_id),
      type: 'organization',
      organization_id: org.id,
    };
  });
  return listReply(g, p, items, all.length);
}

/** POST /__asym/github/teams {org, name, description?, privacy?, members?}. */
export async function adminCreate(b: Record<string, unknown>, ctx: KitContext): Promise<Response> {
  const org = (await ctx.db.q<{ id: number; login: string }>`select id, login from users where lower(login) = lower(${String(b.org ?? '')}) and type = 'Organization'`)[0];
  if (!org) throw new KitError('org_not_found', `no organization ${String(b.org)}`, { status: 404 });
  const name = typeof b.name === 'string' ? b.name.trim() : '';
  const slug = slugOf(name);
  if (!slug) throw new KitError('invalid_team', 'name is required', { status: 400 });
  const privacy = b.privacy === 'secret' ? 'secret' : 'closed';
  const logins = Array.isArray(b.members) ? b.members.map(String) : [];
  const members = logins.length ? await ctx.db.q<{ id: number; login: string }>`
    select u.id, u.login from users u join org_members m on m.user_id = u.id and m.org_id = ${org.id} where lower(u.login) = any(${logins.map((l) => l.toLowerCase())}::text[])` : [];
  if (members.length !== new Set(logins.map((l) => l.toLowerCase())).size) throw new KitError('invalid_members', `members must be members of ${org.login}`, { status: 400 });
  const taken = await ctx.db.q`select 1 from teams where org_id = ${org.id} and slug = ${slug}`;
  if (taken.length) throw new KitError('team_exists', `${org.login} has a team ${slug}`, { status: 409 });
  const team = await ctx.db.tx(async (tx) => {
    const [t] = (await tx`insert into teams (org_id, name, slug, description, privacy) values (${org.id}, ${name}, ${slug}, ${typeof b.description === 'string' ? b.description : null}, ${privacy}) returning id, slug`) as Array<{ id: number; slug: string }>;
    for (const m of members) await tx`insert into team_members (team_id, user_id) values (${t!.id}, ${m.id})`;
    return t!;
  });
  return json({ ok: true, team: { ...team, members: members.map((m) => m.login) } });
}
