import type { TokenCache } from '../../_kit/auth.ts';
import { isKitError } from '../../_kit/errors.ts';
import { json, parseRequest, str, type ParsedRequest } from '../../_kit/http.ts';
import type { KitContext } from '../../_kit/types.ts';
import allMethods from '../methods.all.json' with { type: 'json' };
import operations from '../operations.json' with { type: 'json' };
import type { TokenLookup } from './auth.ts';
import { SlackError } from './errors.ts';
import { METHODS } from './methods/index.ts';
import { checkRateLimit } from './rate-limit.ts';
import { METHOD_SCOPES, USER_TOKEN_ONLY } from './scopes.ts';

/**
 * The /api/<method> surface. Slack answers HTTP 200 for API errors, so every outcome here
 * is an envelope: {ok:true,...}, {ok:false,error,...}, or 429 ratelimited. Methods Slack
 * has but the clone does not emulate say so (not_emulated); unknown names get
 * unknown_method, never a 404.
 */

const KNOWN = new Set<string>(allMethods as string[]);

/**
 * Methods Slack has retired (gone from its method list): calls get Slack's method_deprecated
 * with a pointer to the replacement instead of unknown_method.
 */
const RETIRED: Record<string, string> = {
  'files.upload': 'files.upload was retired on 2025-11-12: use files.getUploadURLExternal, POST the bytes to upload_url, then files.completeUploadExternal (the SDK\'s filesUploadV2)',
};
const TIERS = new Map<string, string>((operations as { method: string; tier?: string }[]).map((o) => [o.method, o.tier ?? 'Tier3']));

export function slackError(code: string, extra: Record<string, unknown> = {}, status = 200, headers: Record<string, string> = {}): Response {
  return json({ ok: false, error: code, ...extra }, status, headers);
}

function bearer(req: Request, params: Record<string, unknown>): string | null {
  const h = req.headers.get('authorization');
  if (h) {
    const m = /^Bearer\s+(.+)$/i.exec(h.trim());
    if (m) return (m[1] as string).trim();
  }
  return str(params.token) ?? null;
}

export async function handleApi(req: Request, url: URL, ctx: KitContext, tokens: TokenCache<TokenLookup>): Promise<Response | null> {
  if (!url.pathname.startsWith('/api/') && url.pathname !== '/api') return null;
  const method = url.pathname.replace(/^\/api\/?/, '').replace(/\/+$/, '');
  const handler = METHODS[method];
  if (!handler) {
    const retired = RETIRED[method];
    if (retired) return slackError('method_deprecated', { warning: retired, response_metadata: { warnings: ['method_deprecated'] } });
    if (KNOWN.has(method)) return slackError('not_emulated', { warning: `${method} is not emulated by this clone`, response_metadata: { warnings: ['not_emulated'] } });
    return slackError('unknown_method', { req_method: method });
  }

  let parsed: ParsedRequest;
  try {
    parsed = await parseRequest(req, url);
  } catch (e) {
    if (isKitError(e)) return slackError(e.code === 'invalid_json' ? 'invalid_json' : 'invalid_form_data');
    throw e;
  }
  try {
    const token = bearer(req, parsed.params);
    if (!token) return slackError('not_authed');
    const found = await tokens.resolve(token);
    if (!found) return slackError('invalid_auth');
    if (found.revoked) return slackError('token_revoked');
    if (found.deleted) return slackError('account_inactive');

    // Slack reports the token's scopes and the method's accepted scopes on every
    // authenticated answer; the SDK exposes them as response_metadata.scopes/acceptedScopes.
    const needed = METHOD_SCOPES[method];
    const headers: Record<string, string> = { 'x-oauth-scopes': found.scopes.join(',') };
    if (needed) headers['x-accepted-oauth-scopes'] = needed.join(',');
    try {
      // Token type before scopes: a bot token can never gain a user-only method by scope.
      if (found.kind === 'bot' && USER_TOKEN_ONLY.has(method)) return slackError('not_allowed_token_type', {}, 200, headers);
      if (needed && !needed.some((s) => found.scopes.includes(s))) {
        return slackError('missing_scope', { needed: needed.join(','), provided: found.scopes.join(',') }, 200, headers);
      }

      const bucket = method === 'chat.postMessage' ? (str(parsed.params.channel) ?? 'none') : 'team';
      const wait = await checkRateLimit(ctx, method, TIERS.get(method), bucket);
      if (wait !== null) return slackError('ratelimited', {}, 429, { ...headers, 'retry-after': String(wait) });

      const data = await handler({ method, ctx, caller: found, params: parsed.params, files: parsed.files });
      return json({ ok: true, ...data }, 200, headers);
    } catch (e) {
      if (e instanceof SlackError) return slackError(e.code, e.extra, e.httpStatus, headers);
      throw e;
    }
  } catch (e) {
    if (e instanceof SlackError) return slackError(e.code, e.extra, e.httpStatus);
    throw e;
  }
}
