import { KitError } from '../../_kit/errors.ts';
import { json } from '../../_kit/http.ts';
import type { KitContext } from '../../_kit/types.ts';
import { signPat, signScopedPat } from './auth.ts';
import { adminCreate as createGist } from './handlers/gists.ts';
import { adminCreate as createIssueField } from './handlers/issue-fields.ts';
import { adminInvite as inviteToRepo } from './handlers/invitations.ts';
import { adminInvite } from './handlers/org-invitations.ts';
import { adminApp, adminInstall, adminUserToken } from './handlers/installations.ts';
import { adminPlan, adminPurchase } from './handlers/marketplace.ts';
import { adminCreate as createSuggestion } from './handlers/suggestions.ts';
import { adminCreate as createTeam } from './handlers/teams.ts';
import { SCOPES } from './scopes.ts';
import type { UserRow } from './types.ts';

/**
 * GitHub-specific admin routes (the kit mounts them under /__asym/github/, admin-guarded):
 *   POST /__asym/github/user-token {user: login|id, scopes?: string[]}  → {token, user:{id,login}}: a signed github_pat_ token for any user
 *     (writes nothing); with `scopes`, a signed classic ghp_ token holding exactly those scopes
 *   POST /__asym/github/users {login, name?, type?, org?, role?} → creates a user (or org), optionally an org member
 *   POST /__asym/github/issue-fields {org, name, data_type, options?} → an organisation's issue field (handlers/issue-fields.ts)
 *   POST /__asym/github/org-invitations {org, user, role?} → a pending org membership (handlers/org-invitations.ts)
 *   POST /__asym/github/repo-invitations {owner, repo, user, permission?, inviter?} → a pending repository invitation (handlers/invitations.ts)
 *   POST /__asym/github/teams {org, name, description?, privacy?, members?} → an organisation's team (handlers/teams.ts)
 *   POST /__asym/github/gists {user, description?, public?, files} → a user's gist (handlers/gists.ts)
 *   POST /__asym/github/issue-suggestions {owner, repo, issue_number, action, target_id?, ...} → a pending suggestion (handlers/suggestions.ts)
 *   POST /__asym/github/app {} → the clone's GitHub App: app_id, client_id, slug, private_key (PEM, to sign its JWTs)
 *   POST /__asym/github/app-user-token {user} → a signed ghu_ GitHub App user access token (writes nothing)
 *   POST /__asym/github/installations {account, repository_selection?, repositories?, permissions?, events?, suspended?} → installs the app (handlers/installations.ts)
 *   POST /__asym/github/marketplace-plans {name, price_model?, ...} and /marketplace-purchases {account, plan, ...} → the app's listing (handlers/marketplace.ts)
 */
async function body(req: Request): Promise<Record<string, unknown>> {
  try {
    const v = (await req.json()) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // named error below
  }
  throw new KitError('invalid_json', 'the body must be a JSON object', { status: 400 });
}

async function findUser(ctx: KitContext, ref: unknown): Promise<UserRow> {
  const s = String(ref ?? '');
  const rows = /^\d+$/.test(s)
    ? await ctx.db.q<UserRow>`select * from users where id = ${Number(s)}`
    : await ctx.db.q<UserRow>`select * from users where lower(login) = lower(${s})`;
  if (!rows[0]) throw new KitError('user_not_found', `no user ${s}`, { status: 404 });
  return rows[0];
}

export async function githubAdminRoutes(req: Request, url: URL, ctx: KitContext): Promise<Response | null> {
  if (req.method !== 'POST') return null;
  if (url.pathname === '/__asym/github/user-token') {
    const b = await body(req);
    const user = await findUser(ctx, b.user);
    if (user.type === 'Organization') throw new KitError('invalid_user', 'organisations cannot hold tokens', { status: 400 });
    // Signed, not stored: handing out a token to act as someone must not change the world.
    // With `scopes`, a classic token holding exactly those (X-OAuth-Scopes, scope checks).
    if (b.scopes !== undefined) {
      const scopes = Array.isArray(b.scopes) ? b.scopes.map(String) : [];
      const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
      if (!Array.isArray(b.scopes) || unknown.length) throw new KitError('invalid_scopes', `scopes must be an array of GitHub's classic scopes${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`, { status: 400 });
      return json({ ok: true, token: signScopedPat(ctx.env.adminSecret, user.id, scopes), scopes, user: { id: user.id, login: user.login } });
    }
    const token = signPat(ctx.env.adminSecret, user.id);
    return json({ ok: true, token, user: { id: user.id, login: user.login } });
  }
  if (url.pathname === '/__asym/github/users') {
    const b = await body(req);
    const login = typeof b.login === 'string' ? b.login.trim() : '';
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(login)) throw new KitError('invalid_login', 'login must be 1-39 letters, digits or hyphens', { status: 400 });
    const type = b.type === 'Organization' ? 'Organization' : 'User';
    const taken = await ctx.db.q`select 1 from users where lower(login) = lower(${login})`;
    if (taken.length) throw new KitError('login_taken', `login ${login} exists`, { status: 409 });
    const [u] = await ctx.db.q<UserRow>`insert into users (login, type, name) values (${login}, ${type}, ${typeof b.name === 'string' ? b.name : null}) returning *`;
    if (b.org !== undefined) {
      const org = await findUser(ctx, b.org);
      await ctx.db.q`insert into org_members (org_id, user_id, role) values (${org.id}, ${u!.id}, ${b.role === 'admin' ? 'admin' : 'member'})`;
    }
    return json({ ok: true, user: { id: u!.id, login: u!.login, type } });
  }
  if (url.pathname === '/__asym/github/issue-fields') return createIssueField(await body(req), ctx);
  if (url.pathname === '/__asym/github/org-invitations') return adminInvite(await body(req), ctx);
  if (url.pathname === '/__asym/github/repo-invitations') return inviteToRepo(await body(req), ctx);
  if (url.pathname === '/__asym/github/teams') return createTeam(await body(req), ctx);
  if (url.pathname === '/__asym/github/gists') return createGist(await body(req), ctx);
  if (url.pathname === '/__asym/github/issue-suggestions') return createSuggestion(await body(req), ctx);
  if (url.pathname === '/__asym/github/app') return adminApp(ctx);
  if (url.pathname === '/__asym/github/app-user-token') return adminUserToken(ctx, await findUser(ctx, (await body(req)).user));
  if (url.pathname === '/__asym/github/installations') return adminInstall(await body(req), ctx, (ref) => findUser(ctx, ref));
  if (url.pathname === '/__asym/github/marketplace-plans') return adminPlan(await body(req), ctx);
  if (url.pathname === '/__asym/github/marketplace-purchases') return adminPurchase(await body(req), ctx, (ref) => findUser(ctx, ref));
  return null;
}
