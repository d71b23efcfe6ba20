import { int } from '../../_kit/http.ts';
import { intInRange } from '../../_kit/input.ts';
import type { Gh, Reply } from './types.ts';

/**
 * GitHub pagination: `per_page` (default 30, max 100) and `page` (from 1), answered with
 * a Link header (first/prev/next/last) built on ASYM_PUBLIC_URL, which is what
 * octokit.paginate follows.
 */
export interface Page {
  page: number;
  perPage: number;
  offset: number;
}

const MAX_PAGE = 1_000_000;

export function pageOf(g: Gh): Page {
  const perPage = Math.min(100, Math.max(1, int(g.query.per_page, 30)));
  // Held to a bound no list reaches, so a huge page is an empty page, never a SQL error.
  const page = intInRange(g.query.page, 1, 1, MAX_PAGE);
  return { page, perPage, offset: (page - 1) * perPage };
}

export function linkHeader(g: Gh, p: Page, total: number): string | null {
  const last = Math.max(1, Math.ceil(total / p.perPage));
  const href = (n: number) => {
    const q = new URLSearchParams(g.url.searchParams);
    q.set('per_page', String(p.perPage));
    q.set('page', String(n));
    return `<${g.base}${g.url.pathname}?${q.toString()}>`;
  };
  const parts: string[] = [];
  if (p.page > 1) parts.push(`${href(Math.min(p.page - 1, last))}; rel="prev"`);
  if (p.page < last) parts.push(`${href(p.page + 1)}; rel="next"`, `${href(last)}; rel="last"`);
  if (p.page > 1) parts.push(`${href(1)}; rel="first"`);
  return parts.length ? parts.join(', ') : null;
}

/** A list answer: the page's items and, when there is more than one page, a Link header. */
export function listReply(g: Gh, p: Page, items: unknown, total: number, extraHeaders: Record<string, string> = {}): Reply {
  const link = linkHeader(g, p, total);
  return { status: 200, body: items, headers: { ...(link ? { link } : {}), ...extraHeaders } };
}

/** Pages an in-memory list (small collections: topics-free lists, assignees, branches). */
export function sliceReply<T>(g: Gh, all: T[], map: (x: T) => unknown = (x) => x): Reply {
  const p = pageOf(g);
  return listReply(g, p, all.slice(p.offset, p.offset + p.perPage).map(map), all.length);
}
