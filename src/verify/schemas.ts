/** The vendor response shapes verify (and the test suites) check bodies against. */
import github from './schemas/github.json';
import stripe from './schemas/stripe.json';
import slack from './schemas/slack.json';
import { validate, type Definitions, type Schema } from './json-schema.ts';

const githubTable = github as unknown as Record<string, { status: number; schema: Schema | null }>;

/** GitHub: the documented success status and body schema of "METHOD /path", from GitHub's OpenAPI description. */
export function githubResponse(key: string): { status: number; schema: Schema | null } | undefined {
  return githubTable[key];
}
export const githubSchemaKeys = (): string[] => Object.keys(githubTable);

const stripeDefs = (stripe as unknown as { definitions: Definitions }).definitions;

/** Stripe: problems of `value` against the SDK type `name` (e.g. "Invoice"). */
export function stripeShapeErrors(name: string, value: unknown): string[] {
  return validate({ $ref: `#/definitions/${name}` }, value, '$', stripeDefs);
}
export const hasStripeType = (name: string): boolean => name in stripeDefs;

// ---- Slack: response skeletons derived from Slack's merged response samples
// (scripts/derive-slack-shapes.ts). Every field we return must exist in the sample with the
// same JSON type; arrays are described by their first element.
const slackShapes = slack as unknown as { shapes: Record<string, unknown> };

// User content (blocks, attachments, metadata) is the caller's, not Slack's shape.
const OPAQUE = new Set(['blocks', 'attachments', 'metadata', 'event_payload', 'response_metadata', 'fields']);
// Fields Slack returns that the (2021-era, merged) samples happen to lack.
const KNOWN_EXTRA = new Set(['status_emoji_display_info', 'pinned_to', 'parent_conversation', 'req_method', 'is_open', 'last_read', 'num_members', 'not_in_channel', 'no_op', 'already_open', 'already_closed', 'warning', 'paging', 'is_member', 'user_id', 'updated', 'context_team_id', 'subtype', 'edited', 'reactions', 'username', 'icons', 'client_msg_id', 'is_locked', 'subscribed', 'hidden',
  // pins.list samples hold only file pins; message pins carry channel + message (Slack docs).
  'channel', 'message', 'team']);

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function compare(ours: unknown, theirs: unknown, path: string, problems: string[]): void {
  if (theirs === undefined || ours === null || theirs === null) return;
  const a = kind(ours);
  const b = kind(theirs);
  if (a !== b) {
    problems.push(`${path}: ${a} where Slack has ${b}`);
    return;
  }
  if (a === 'array') {
    const model = (theirs as unknown[])[0];
    for (const [i, x] of (ours as unknown[]).slice(0, 20).entries()) compare(x, model, `${path}[${i}]`, problems);
    return;
  }
  if (a === 'object') {
    const t = theirs as Record<string, unknown>;
    for (const [k, v] of Object.entries(ours as Record<string, unknown>)) {
      if (OPAQUE.has(k)) continue;
      if (!(k in t)) {
        if (!KNOWN_EXTRA.has(k)) problems.push(`${path}.${k}: not in Slack's sample`);
        continue;
      }
      compare(v, t[k], `${path}.${k}`, problems);
    }
  }
}

export const hasSlackShape = (method: string): boolean => method in slackShapes.shapes;

/** Slack: problems of a response to `method` against Slack's sample; [] when there is no sample. */
export function slackShapeErrors(method: string, response: unknown): string[] {
  const s = slackShapes.shapes[method];
  if (s === undefined) return [];
  const problems: string[] = [];
  compare(response, s, method, problems);
  return problems;
}
