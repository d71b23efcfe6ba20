import { createHmac } from 'node:crypto';
import { timingSafeEqualStr } from './auth.ts';

/**
 * Stateless credentials: a payload and its HMAC under the clone's admin secret. Tokens a
 * harness or the web view asks for just to act as someone (`asym tokens --user`, the Slack
 * web view) are minted this way, so minting writes nothing: reading a clone never changes
 * its state, and `asym diff` stays empty after any number of reads.
 *
 * `purpose` keys the HMAC per use, so a token of one kind can never verify as another.
 * Only the clone (which holds the secret) can mint or verify one; a reset does not revoke
 * them, which is what a harness wants of a token it was handed once.
 */

const b64url = (s: string | Buffer): string => Buffer.from(s).toString('base64url');

function mac(secret: string, purpose: string, body: string): string {
  return createHmac('sha256', secret).update(`${purpose}\n${body}`).digest('base64url');
}

/** `<payload>.<signature>`, both base64url: safe inside Bearer headers and form fields. */
export function signPayload(secret: string, purpose: string, payload: unknown): string {
  const body = b64url(JSON.stringify(payload));
  return `${body}.${mac(secret, purpose, body)}`;
}

/** The payload of a genuine `<payload>.<signature>`, or null (forged, truncated, malformed). */
export function verifyPayload<T>(secret: string, purpose: string, signed: string): T | null {
  const dot = signed.indexOf('.');
  if (dot <= 0) return null;
  const body = signed.slice(0, dot);
  if (!timingSafeEqualStr(signed.slice(dot + 1), mac(secret, purpose, body))) return null;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T;
  } catch {
    return null;
  }
}

/** A hex HMAC of `text`, for vendors whose token alphabet has no room for base64 (GitHub). */
export function hexSignature(secret: string, purpose: string, text: string): string {
  return createHmac('sha256', secret).update(`${purpose}\n${text}`).digest('hex');
}
