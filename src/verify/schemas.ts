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

// ---- Slack: JSON Schemas derived from Slack's merged response samples and its OpenAPI
// description (scripts/derive-slack-shapes.ts): required fields, kinds, null only where Slack
// shows it, every array element checked, fields neither source knows reported.
const slackShapes = slack as unknown as { shapes: Record<string, Schema> };

export const hasSlackShape = (method: string): boolean => method in slackShapes.shapes;

/** Slack: problems of a response to `method` against Slack's published shape. */
export function slackShapeErrors(method: string, response: unknown): string[] {
  const s = slackShapes.shapes[method];
  if (s === undefined) return [`${method}: no published response shape`];
  return validate(s, response, method);
}
