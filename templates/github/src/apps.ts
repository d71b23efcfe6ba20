import { generateKeyPair, verify as verifySignature } from 'node:crypto';
import { promisify } from 'node:util';
import type { SQL } from 'bun';
import { timingSafeEqualStr } from '../../_kit/auth.ts';
import type { Db } from '../../_kit/db.ts';
import { hexSignature } from '../../_kit/signed-token.ts';

/**
 * The clone's own GitHub App and the two credentials GitHub gives an app besides
 * installation tokens:
 *   - a user access token (`ghu_` + 36 alphanumerics), acting as a user through the app;
 *     minted by POST /__asym/github/app-user-token, signed with the clone's secret, stored
 *     nowhere (like the admin user-token's tokens);
 *   - the app's JWT, RS256-signed by whoever holds the app's private key (POST
 *     /__asym/github/app hands it out), checked as GitHub checks it: `iss` the app's id
 *     (or client id), `iat` not in the future (60 s of clock drift allowed), `exp` in the
 *     future and at most 10 minutes after `iat`.
 * Provision makes the app (id APP_ID) and installs it on the organisation, all repositories.
 */
export interface AppRow {
  id: number;
  slug: string;
  name: string;
  client_id: string;
  owner_id: number | null;
  description: string;
  permissions: Record<string, string>;
  events: string[];
  private_key: string;
  public_key: string;
  created_at: Date;
}

export const APP_PERMISSIONS = { metadata: 'read', contents: 'read', issues: 'write', pull_requests: 'write' };
export const APP_EVENTS = ['issues', 'issue_comment', 'pull_request', 'push'];

let key: Promise<{ privateKey: string; publicKey: string }> | null = null;

/**
 * The app's RSA key: made once per server process, off the event loop, and kept across
 * resets (a 2048-bit key costs tens of milliseconds, which a reset must not pay).
 */
function appKey(): Promise<{ privateKey: string; publicKey: string }> {
  key ??= promisify(generateKeyPair)('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs1', format: 'pem' } });
  return key;
}

/** The provisioned app and its installation on the organisation (repository_selection all). */
export async function provisionApp(tx: SQL, appId: number, orgId: number, at: Date): Promise<{ appSlug: string; appClientId: string; installationId: string }> {
  const { privateKey, publicKey } = await appKey();
  const clientId = `Iv23li${appId.toString(36).padStart(14, '0')}`;
  await tx`insert into github_apps (id, slug, name, client_id, owner_id, description, permissions, events, private_key, public_key, created_at)
    values (${appId}, 'asym-app', 'Asym App', ${clientId}, ${orgId}, 'The GitHub App of this asym clone.', ${JSON.stringify(APP_PERMISSIONS)}::text::jsonb, ${JSON.stringify(APP_EVENTS)}::text::jsonb, ${privateKey}, ${publicKey}, ${at})`;
  const [inst] = await tx<{ id: number }[]>`insert into app_installations (app_id, account_id, repository_selection, permissions, events, created_at, updated_at)
    values (${appId}, ${orgId}, 'all', ${JSON.stringify(APP_PERMISSIONS)}::text::jsonb, ${JSON.stringify(APP_EVENTS)}::text::jsonb, ${at}, ${at}) returning id`;
  return { appSlug: 'asym-app', appClientId: clientId, installationId: String(inst!.id) };
}

export async function theApp(db: Db): Promise<AppRow | null> {
  const rows = await db.q<AppRow>`select * from github_apps order by id limit 1`;
  return rows[0] ?? null;
}

const PURPOSE = 'github-app-user-token';
const USER_TOKEN = /^ghu_([0-9a-z]{8})([0-9a-f]{28})$/;

export function signAppUserToken(secret: string, userId: number): string {
  const id = userId.toString(36).padStart(8, '0');
  return `ghu_${id}${hexSignature(secret, PURPOSE, id).slice(0, 28)}`;
}

/** The user a genuine `ghu_` token acts for, or null. */
export function verifyAppUserToken(secret: string, token: string): number | null {
  const m = USER_TOKEN.exec(token);
  if (!m || !timingSafeEqualStr(m[2]!, hexSignature(secret, PURPOSE, m[1]!).slice(0, 28))) return null;
  return Number.parseInt(m[1]!, 36);
}

const JWT = /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/;
export const isJwt = (token: string): boolean => JWT.test(token);

/** GitHub's 401 messages for a JWT it cannot accept. */
export const NOT_DECODED = 'A JSON web token could not be decoded';
const DRIFT = 60;
const MAX_LIFETIME = 600;

/** The app a JWT authenticates, or GitHub's reason for refusing it. */
export async function verifyAppJwt(db: Db, token: string): Promise<{ app: AppRow } | { problem: string }> {
  const [h, p, s] = token.split('.') as [string, string, string];
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
    claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return { problem: NOT_DECODED };
  }
  if (header.alg !== 'RS256' || !claims || typeof claims !== 'object') return { problem: NOT_DECODED };
  const app = await theApp(db);
  const iss = claims.iss;
  if (!app || (String(iss) !== String(app.id) && iss !== app.client_id)) return { problem: NOT_DECODED };
  if (!verifySignature('RSA-SHA256', Buffer.from(`${h}.${p}`), app.public_key, Buffer.from(s, 'base64url'))) return { problem: NOT_DECODED };
  // Wall time, not the clone's clock: the client signs with its own.
  const now = Math.floor(Date.now() / 1000);
  const { iat, exp } = claims;
  if (typeof iat !== 'number' || !Number.isInteger(iat) || iat > now + DRIFT) return { problem: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued." };
  if (typeof exp !== 'number' || !Number.isInteger(exp) || exp <= now) return { problem: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires." };
  if (exp - iat > MAX_LIFETIME) return { problem: "'Expiration time' claim ('exp') is too far in the future." };
  return { app };
}
