import { GitHubError, invalid } from '../errors.ts';
import { sliceReply } from '../paging.ts';
import type { Gh, Reply, UserRow } from '../types.ts';
import { me, noContent } from './common.ts';

/**
 * The authenticated user's email addresses. Every account has one primary, verified
 * address: made on first use from the profile's email (public, as the profile shows it)
 * or, without one, GitHub's no-reply form `<id>+<login>@users.noreply.github.com`
 * (private). Addresses added later are unverified, not primary, with no visibility; an
 * address belongs to one account. Bodies take the `emails` array GitHub recommends.
 */

export interface EmailRow {
  email: string;
  primary: boolean;
  verified: boolean;
  visibility: 'public' | 'private' | null;
}

const json = (e: EmailRow) => ({ email: e.email, primary: e.primary, verified: e.verified, visibility: e.visibility });

// Deliberately loose, as a mail server is: one @, something on each side, a dot in the domain, no spaces.
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export async function emailsOf(g: Gh, u: UserRow): Promise<EmailRow[]> {
  const primary = u.email ?? `${u.id}+${u.login}@users.noreply.github.com`;
  await g.ctx.db.q`insert into user_emails (user_id, email, "primary", verified, visibility)
    select ${u.id}, ${primary}, true, true, ${u.email ? 'public' : 'private'}
    where not exists (select 1 from user_emails where user_id = ${u.id} and "primary")
    on conflict do nothing`;
  return g.ctx.db.q<EmailRow>`select email, "primary", verified, visibility from user_emails where user_id = ${u.id} order by "primary" desc, id`;
}

/** The `emails` body field: a non-empty array of strings, else GitHub's 422. */
function emailsField(g: Gh): string[] {
  const v = g.body.emails;
  if (v === undefined || v === null) invalid('UserEmail', 'missing_field', 'emails');
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    throw new GitHubError(422, `Invalid request.\n\nFor 'properties/emails', ${JSON.stringify(v)} is not an array of strings.`);
  }
  if (!v.length) throw new GitHubError(422, 'Invalid request.\n\nFor \'properties/emails\', [] has fewer items than the minimum of 1.');
  return [...new Set((v as string[]).map((s) => s.trim()))];
}

export async function list(g: Gh): Promise<Reply> {
  return sliceReply(g, await emailsOf(g, me(g)), json);
}

export async function listPublic(g: Gh): Promise<Reply> {
  return sliceReply(g, (await emailsOf(g, me(g))).filter((e) => e.visibility === 'public'), json);
}

export async function add(g: Gh): Promise<Reply> {
  const u = me(g);
  const wanted = emailsField(g);
  for (const e of wanted) if (!EMAIL.test(e)) invalid('UserEmail', 'custom', 'email', { message: `${e} is not a valid email address` });
  await emailsOf(g, u);
  const lower = wanted.map((e) => e.toLowerCase());
  // Another account's profile address counts before that account's list is first read.
  const taken = await g.ctx.db.q<{ email: string }>`
    select email from user_emails where lower(email) = any(${lower}::text[])
    union all select email from users where id <> ${u.id} and lower(email) = any(${lower}::text[])`;
  if (taken[0]) invalid('UserEmail', 'custom', 'email', { message: 'email is already in use' });
  const rows: EmailRow[] = [];
  await g.ctx.db.tx(async (tx) => {
    for (const e of wanted) rows.push(...((await tx`insert into user_emails (user_id, email) values (${u.id}, ${e}) returning email, "primary", verified, visibility`) as EmailRow[]));
  });
  return { status: 201, body: rows.map(json) };
}

export async function remove(g: Gh): Promise<Reply> {
  const u = me(g);
  const wanted = emailsField(g).map((e) => e.toLowerCase());
  const mine = await emailsOf(g, u);
  for (const e of wanted) {
    const row = mine.find((m) => m.email.toLowerCase() === e);
    if (!row) throw new GitHubError(404, 'Not Found');
    if (row.primary) invalid('UserEmail', 'custom', 'email', { message: 'cannot delete your primary email address' });
  }
  await g.ctx.db.q`delete from user_emails where user_id = ${u.id} and lower(email) = any(${wanted}::text[])`;
  return noContent();
}

/** PATCH /user/email/visibility: the primary address's visibility; answers every address. */
export async function setVisibility(g: Gh): Promise<Reply> {
  const u = me(g);
  const v = g.body.visibility;
  if (v === undefined || v === null) invalid('UserEmail', 'missing_field', 'visibility');
  if (v !== 'public' && v !== 'private') invalid('UserEmail', 'invalid', 'visibility', { value: v });
  await emailsOf(g, u);
  await g.ctx.db.q`update user_emails set visibility = ${v} where user_id = ${u.id} and "primary"`;
  return { status: 200, body: (await emailsOf(g, u)).map(json) };
}
