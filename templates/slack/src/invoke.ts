import { isKitError } from '../../_kit/errors.ts';
import { parseRequest, type ParsedRequest } from '../../_kit/http.ts';
import type { ApiCall, Codec, RateOutcome, Reply, StageInput } from '../../_kit/pipeline.ts';
import type { TokenLookup } from './auth.ts';
import { SlackError } from './errors.ts';
import type { Route } from './routes.ts';
import { METHOD_SCOPES, USER_TOKEN_ONLY } from './scopes.ts';

/**
 * The /api/<method> surface on the kit's pipeline: Slack's codec, its per-method checks and
 * how a method is called. Every success is {ok:true, ...}.
 */

/** Form or JSON bodies (Slack's SDK sends forms, with JSON strings inside fields); a malformed one is Slack's invalid_json / invalid_form_data. */
export const slackCodec: Codec<ParsedRequest> = {
  async parse(req, url) {
    try {
      return await parseRequest(req, url);
    } catch (e) {
      if (isKitError(e)) throw new SlackError(e.code === 'invalid_json' ? 'invalid_json' : 'invalid_form_data');
      throw e;
    }
  },
};

/**
 * Slack reports the token's scopes and the method's accepted scopes on every authenticated
 * answer (the SDK exposes them as response_metadata.scopes/acceptedScopes). Token type
 * before scopes: a bot token can never gain a user-only method by scope.
 */
export function slackAuthorize({ caller, route }: StageInput<TokenLookup, Route, ParsedRequest>): RateOutcome {
  const method = route?.name ?? '';
  const needed = METHOD_SCOPES[method];
  const headers: Record<string, string> = { 'x-oauth-scopes': caller.scopes.join(',') };
  if (needed) headers['x-accepted-oauth-scopes'] = needed.join(',');
  if (caller.kind === 'bot' && USER_TOKEN_ONLY.has(method)) return { headers, refuse: new SlackError('not_allowed_token_type') };
  if (needed && !needed.some((s) => caller.scopes.includes(s))) {
    return { headers, refuse: new SlackError('missing_scope', { needed: needed.join(','), provided: caller.scopes.join(',') }) };
  }
  return { headers };
}

/** How a Web API method is called once the kit has matched, parsed, authenticated and counted it. */
export async function invoke(k: ApiCall<TokenLookup, Route, ParsedRequest>): Promise<Reply> {
  const data = await k.route.handler({ method: k.route.name, ctx: k.ctx, caller: k.caller, params: k.body.params, files: k.body.files });
  return { status: 200, body: { ok: true, ...data } };
}
