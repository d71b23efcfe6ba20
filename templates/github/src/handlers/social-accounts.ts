import { GitHubError, invalid, notFound } from '../errors.ts';
import { sliceReply } from '../paging.ts';
import { userByLogin } from '../store.ts';
import type { Gh, Reply } from '../types.ts';
import { me, noContent } from './common.ts';

/**
 * Social accounts on a profile: full http(s) URLs, at most four per account (the profile
 * settings' limit), each with the provider its host names (`generic` otherwise; a path
 * starting `/@` on another host is read as Mastodon). Adding one already there is a no-op;
 * the answer lists the accounts added by the request.
 */

export const MAX_SOCIAL_ACCOUNTS = 4;

interface SocialRow {
  url: string;
  provider: string;
}

const HOSTS: Record<string, string> = {
  'twitter.com': 'twitter', 'x.com': 'twitter', 'linkedin.com': 'linkedin', 'facebook.com': 'facebook',
  'instagram.com': 'instagram', 'youtube.com': 'youtube', 'reddit.com': 'reddit', 'twitch.tv': 'twitch', 'npmjs.com': 'npm',
};

function provider(u: URL): string {
  const host = u.hostname.toLowerCase().replace(/^(www|m)\./, '');
  return HOSTS[host] ?? (u.pathname.startsWith('/@') ? 'mastodon' : 'generic');
}

function urlsField(g: Gh): string[] {
  const v = g.body.account_urls;
  if (v === undefined || v === null) invalid('SocialAccount', 'missing_field', 'account_urls');
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    throw new GitHubError(422, `Invalid request.\n\nFor 'properties/account_urls', ${JSON.stringify(v)} is not an array of strings.`);
  }
  return [...new Set((v as string[]).map((s) => s.trim()))];
}

const rowsOf = (g: Gh, userId: number) => g.ctx.db.q<SocialRow>`select url, provider from social_accounts where user_id = ${userId} order by id`;

export async function list(g: Gh): Promise<Reply> {
  return sliceReply(g, await rowsOf(g, me(g).id));
}

export async function listForUser(g: Gh): Promise<Reply> {
  const u = (await userByLogin(g, g.params.username ?? '')) ?? notFound();
  return sliceReply(g, await rowsOf(g, u.id));
}

export async function add(g: Gh): Promise<Reply> {
  const u = me(g);
  const parsed = urlsField(g).map((raw) => {
    let url: URL | null = null;
    try {
      url = new URL(raw);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname.includes('.')) {
      return invalid('SocialAccount', 'invalid', 'account_urls', { value: raw, message: `${raw} is not a valid URL` });
    }
    return { url: raw, provider: provider(url) };
  });
  const added = await g.ctx.db.tx(async (tx) => {
    const have = ((await tx`select url from social_accounts where user_id = ${u.id} for update`) as Array<{ url: string }>).map((r) => r.url);
    const fresh = parsed.filter((p) => !have.includes(p.url));
    if (have.length + fresh.length > MAX_SOCIAL_ACCOUNTS) {
      invalid('SocialAccount', 'custom', 'account_urls', { message: `a profile has at most ${MAX_SOCIAL_ACCOUNTS} social accounts` });
    }
    for (const p of fresh) await tx`insert into social_accounts (user_id, url, provider) values (${u.id}, ${p.url}, ${p.provider})`;
    return fresh;
  });
  return { status: 201, body: added };
}

export async function remove(g: Gh): Promise<Reply> {
  const u = me(g);
  const urls = urlsField(g);
  await g.ctx.db.q`delete from social_accounts where user_id = ${u.id} and url = any(${urls}::text[])`;
  return noContent();
}
