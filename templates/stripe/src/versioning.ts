import { stripeError } from './errors.ts';

/**
 * API versioning (`Stripe-Version`). Stripe versions are release dates, since 2024-09-30 with
 * the release's name (`2025-03-31.basil`, `2026-10-28.endive`; previews `….preview`). A
 * request may pin any version up to the account's; the response's `Stripe-Version` header
 * names the version the request ran at (the header's, else the account default). An unknown
 * version is a 400 invalid_request_error. The clone answers every version with this
 * version's shapes (the SDK's): versions change names, not the clone's behaviour.
 */
export const CLONE_API_VERSION = '2026-10-28.endive';
const FIRST = '2011-01-01';
/** Stripe's search API needs 2020-08-27 or later (docs: Search → limitations). */
export const SEARCH_MIN_VERSION = '2020-08-27';
/**
 * Release names by the first dated version that carries each: a release's monthly versions
 * keep its name until the next major release (acacia 2024-09-30, basil 2025-03-31, clover
 * 2025-09-30, dahlia 2026-03-25 as stripe-node v21 pins it, endive 2026-09-30 as the docs'
 * versioning page names the current version), so `2026-05-27.dahlia` is a version and
 * `2026-02-25.dahlia` or `2026-05-27.endive` is not.
 */
const RELEASES: Array<[string, string[]]> = [
  ['2024-09-30', ['acacia']],
  ['2025-03-31', ['basil']],
  ['2025-09-30', ['clover']],
  ['2026-03-25', ['dahlia']],
  ['2026-09-30', ['endive']],
];

function releaseOf(date: string): string[] | null {
  let names: string[] | null = null;
  for (const [from, n] of RELEASES) if (date >= from) names = n;
  return names;
}

function invalid(v: string): Error {
  return stripeError(400, `Invalid Stripe API version: ${v}. Versions are dated (e.g. ${CLONE_API_VERSION}); see https://docs.stripe.com/upgrades for the versions available.`, {});
}

/** The version a request runs at: its Stripe-Version header (checked), else the account's. */
export function requestVersion(header: string | null): string {
  if (header === null || header.trim() === '') return CLONE_API_VERSION;
  const v = header.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:\.([a-z]+))?$/.exec(v);
  if (!m) throw invalid(v);
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== date) throw invalid(v);
  if (date < FIRST || date > CLONE_API_VERSION.slice(0, 10)) throw invalid(v);
  const name = m[4];
  const release = releaseOf(date);
  if (name && name !== 'preview' && !release?.includes(name)) throw invalid(v);
  if (!name && release) throw invalid(v);
  return v;
}

export function assertSearchVersion(version: string): void {
  if (version.slice(0, 10) < SEARCH_MIN_VERSION) {
    throw stripeError(400, `Search is not available on API version ${version}. The minimum supported API version for search is ${SEARCH_MIN_VERSION}; set a newer Stripe-Version header on this request.`, {});
  }
}

/** The Stripe-Version header of an answer: the version the request ran at, or the account's when its own was refused. */
export function echoedVersion(header: string | null): string {
  try {
    return requestVersion(header);
  } catch {
    return CLONE_API_VERSION;
  }
}
