/**
 * Per template: which operations exist (operations.json), how an exchange maps to one, and
 * what its successful answer must look like. The scenarios (scenarios/<template>.ts) drive
 * the vendor's official SDK; they are loaded only when a verification runs.
 */
import pkg from '../../package.json';
import slackOps from '../../templates/slack/operations.json';
import githubOps from '../../templates/github/operations.json';
import stripeOps from '../../templates/stripe/operations.json';
import hubspotOps from '../../templates/hubspot/operations.json';
import hubspotShapes from './schemas/hubspot.json';
import notionOps from '../../templates/notion/operations.json';
import notionShapes from './schemas/notion.json';
import { validate, type Definitions, type Schema } from './json-schema.ts';
import { linearEntries, linearOperationsOf, linearShapeErrors, linearSucceeded } from './linear.ts';
import { restMatcher } from './match.ts';
import { badToken, bodyField, graphqlMissingId, linearBadKey, notFound, slackArgument } from './probes.ts';
import slackShapes from './schemas/slack.json';
import { githubResponse, hasStripeType, slackShapeErrors, stripeShapeErrors } from './schemas.ts';
import type { Exchange, OperationEntry, Scenario, TemplateVerifier } from './types.ts';

const sdkVersion = (name: string) => `${name} ${(pkg.devDependencies as Record<string, string>)[name] ?? '?'}`;

function restEntries(ops: { method: string; path: string; implemented: boolean }[]): OperationEntry[] {
  return ops.map((o) => ({ id: `${o.method.toUpperCase()} ${o.path}`, implemented: o.implemented }));
}

const ok2xx = (ex: Exchange) => ex.status >= 200 && ex.status < 300;

// The error codes Slack's description documents per method (47 of them); the argument probes run only there.
const slackErrors = (method: string): string[] | undefined => (slackShapes as unknown as { errors: Record<string, string[]> }).errors[method];

const slack = (scenario: Scenario): TemplateVerifier => {
  const ops = (slackOps as { method: string; implemented: boolean }[]).map((o) => ({ id: o.method, implemented: o.implemented }));
  const known = new Set(ops.map((o) => o.id));
  return {
    template: 'slack',
    sdk: sdkVersion('@slack/web-api'),
    shapes: "Slack's response samples",
    operations: () => ops,
    operationOf: (_method, path) => {
      const m = /^\/api\/([\w.]+)/.exec(path);
      return m && known.has(m[1]!) ? m[1]! : null;
    },
    succeeded: (ex) => ex.status === 200 && (ex.body as { ok?: unknown } | undefined)?.ok === true,
    validate: (op, ex) => slackShapeErrors(op, ex.body),
    errorCode: (ex) => bodyField(ex, 'error'),
    probes: [
      badToken({ status: 200, code: 'invalid_auth' }),
      slackArgument('channel', 'C0ASYMMISS', 'channel_not_found', slackErrors),
      slackArgument('user', 'U0ASYMMISS', 'user_not_found', slackErrors),
    ],
    scenario,
  };
};

const github = (scenario: Scenario): TemplateVerifier => {
  const ops = restEntries(githubOps as { method: string; path: string; implemented: boolean }[]);
  return {
    template: 'github',
    sdk: sdkVersion('@octokit/rest'),
    shapes: "GitHub's OpenAPI description",
    operations: () => ops,
    operationOf: restMatcher(ops.map((o) => o.id)),
    succeeded: ok2xx,
    validate: (op, ex) => {
      const entry = githubResponse(op);
      if (!entry) return [`${op}: no response schema in GitHub's description`];
      if (ex.status !== entry.status) return [`${op}: GitHub answers ${entry.status}, got ${ex.status}`];
      if (!entry.schema) return ex.body === undefined || ex.body === null || ex.body === '' ? [] : [`${op}: GitHub answers with no body`];
      return validate(entry.schema, ex.body);
    },
    errorCode: (ex) => bodyField(ex, 'message'),
    probes: [badToken({ status: 401, code: 'Bad credentials' }), notFound({ status: 404, code: 'Not Found' })],
    scenario,
  };
};

// Stripe's answers name their own type in `object`; the SDK's types describe these.
const STRIPE_TYPES: Record<string, string> = {
  customer: 'Customer',
  product: 'Product',
  price: 'Price',
  invoice: 'Invoice',
  invoiceitem: 'InvoiceItem',
  line_item: 'InvoiceLineItem',
  customer_balance_transaction: 'CustomerBalanceTransaction',
  cash_balance: 'CashBalance',
  customer_cash_balance_transaction: 'CustomerCashBalanceTransaction',
  tax_id: 'TaxId',
  payment_method: 'PaymentMethod',
  card: 'Card',
  bank_account: 'BankAccount',
  product_feature: 'ProductFeature',
  funding_instructions: 'FundingInstructions',
  'test_helpers.test_clock': 'TestClock',
};

export function stripeObjectErrors(body: unknown, path = '$'): string[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [`${path}: expected an object`];
  const o = body as Record<string, unknown>;
  if (typeof o.object !== 'string') return [`${path}.object: missing`];
  if (o.object === 'list' || o.object === 'search_result') {
    const errs: string[] = [];
    if (!Array.isArray(o.data)) return [`${path}.data: expected an array`];
    if (typeof o.has_more !== 'boolean') errs.push(`${path}.has_more: expected a boolean`);
    if (typeof o.url !== 'string') errs.push(`${path}.url: expected a string`);
    if (o.object === 'search_result' && !('next_page' in o)) errs.push(`${path}.next_page: required`);
    o.data.forEach((x, i) => errs.push(...stripeObjectErrors(x, `${path}.data[${i}]`)));
    return errs;
  }
  const type = STRIPE_TYPES[o.object];
  if (!type) return [`${path}.object: ${o.object} is not a type this template answers with`];
  // A deleted object with no Deleted<Type> in the SDK (a test clock) is Stripe's bare stub.
  if (o.deleted === true && !hasStripeType(`Deleted${type}`)) {
    const extra = Object.keys(o).filter((k) => !['id', 'object', 'deleted'].includes(k));
    return typeof o.id === 'string' && !extra.length ? [] : [`${path}: a deleted ${o.object} is {id, object, deleted}`];
  }
  const name = o.deleted === true && hasStripeType(`Deleted${type}`) ? `Deleted${type}` : type;
  return stripeShapeErrors(name, body).map((e) => e.replace(/^\$/, path));
}

const stripe = (scenario: Scenario): TemplateVerifier => {
  const ops = restEntries(stripeOps as { method: string; path: string; implemented: boolean }[]);
  return {
    template: 'stripe',
    sdk: sdkVersion('stripe'),
    shapes: "the stripe SDK's types",
    operations: () => ops,
    operationOf: restMatcher(ops.map((o) => o.id)),
    succeeded: ok2xx,
    validate: (_op, ex) => (ex.status === 200 ? stripeObjectErrors(ex.body) : [`Stripe answers 200, got ${ex.status}`]),
    // Stripe's error has a code for most errors; an invalid API key has only its type.
    errorCode: (ex) => bodyField(ex, 'error', 'code') ?? bodyField(ex, 'error', 'type'),
    probes: [badToken({ status: 401, code: 'invalid_request_error' }), notFound({ status: 404, code: 'resource_missing' })],
    scenario,
  };
};

// HubSpot: each operation's success status maps to the model @hubspot/api-client deserializes
// it into (scripts/derive-hubspot-shapes.ts); bodies are checked against that model's schema.
const hubspotTable = hubspotShapes as unknown as { operations: Record<string, Record<string, string | null>>; definitions: Definitions };

export function hubspotShapeErrors(op: string, status: number, body: unknown): string[] {
  const codes = hubspotTable.operations[op];
  if (!codes) return [`${op}: no response model in @hubspot/api-client`];
  if (!(String(status) in codes)) return [`${op}: the SDK expects ${Object.keys(codes).join(' or ')}, got ${status}`];
  const model = codes[String(status)];
  if (!model) return body === undefined || body === null || body === '' ? [] : [`${op}: the SDK expects no body with ${status}`];
  const schema: Schema = { $ref: `#/definitions/${model}` };
  return validate(schema, body, '$', hubspotTable.definitions).map((e) => `${model.split(':')[1]} ${e}`);
}

const hubspot = (scenario: Scenario): TemplateVerifier => {
  const ops = restEntries(hubspotOps as { method: string; path: string; implemented: boolean }[]);
  return {
    template: 'hubspot',
    sdk: sdkVersion('@hubspot/api-client'),
    shapes: "the @hubspot/api-client models",
    operations: () => ops,
    operationOf: restMatcher(ops.map((o) => o.id)),
    succeeded: ok2xx,
    validate: (op, ex) => hubspotShapeErrors(op, ex.status, ex.body),
    errorCode: (ex) => bodyField(ex, 'category'),
    // HubSpot documents archive (DELETE) with 204 and a default error only, no not-found answer: not probed.
    probes: [badToken({ status: 401, code: 'INVALID_AUTHENTICATION' }), notFound({ status: 404, code: 'OBJECT_NOT_FOUND' }, undefined, ['GET', 'PATCH', 'PUT', 'POST'])],
    scenario,
  };
};

// Notion: each operation maps to the response type of @notionhq/client (scripts/derive-notion-shapes.ts).
const notionTable = notionShapes as unknown as { operations: Record<string, string>; definitions: Definitions };

export function notionShapeErrors(op: string, body: unknown): string[] {
  const type = notionTable.operations[op];
  if (!type) return [`${op}: no response type in @notionhq/client`];
  return validate({ $ref: `#/definitions/${type}` }, body, '$', notionTable.definitions).map((e) => `${type} ${e}`);
}

const notion = (scenario: Scenario): TemplateVerifier => {
  const ops = restEntries(notionOps as { method: string; path: string; implemented: boolean }[]);
  return {
    template: 'notion',
    sdk: sdkVersion('@notionhq/client'),
    shapes: "the @notionhq/client response types",
    operations: () => ops,
    operationOf: restMatcher(ops.map((o) => o.id)),
    succeeded: ok2xx,
    validate: (op, ex) => (ex.status === 200 ? notionShapeErrors(op, ex.body) : [`Notion answers 200, got ${ex.status}`]),
    errorCode: (ex) => bodyField(ex, 'code'),
    probes: [badToken({ status: 401, code: 'unauthorized' }), notFound({ status: 404, code: 'object_not_found' })],
    scenario,
  };
};

const linear = (scenario: Scenario): TemplateVerifier => {
  const ops = linearEntries();
  return {
    template: 'linear',
    sdk: sdkVersion('@linear/sdk'),
    shapes: "Linear's GraphQL schema (SDL + the fields @linear/sdk asks for)",
    operations: () => ops,
    operationOf: () => null,
    operationsOf: linearOperationsOf,
    succeeded: linearSucceeded,
    validate: linearShapeErrors,
    // GraphQL errors: the code is in the first error's extensions.
    errorCode: (ex) => {
      const e = (ex.body as { errors?: { extensions?: { code?: string } }[] } | undefined)?.errors?.[0];
      return e?.extensions?.code;
    },
    probes: [linearBadKey({ status: 400, code: 'AUTHENTICATION_ERROR' }), graphqlMissingId({ status: 400, code: 'INPUT_ERROR' })],
    scenario,
  };
};

const LOADERS: Record<string, () => Promise<TemplateVerifier>> = {
  slack: () => import('./scenarios/slack.ts').then((m) => slack(m.scenario)),
  github: () => import('./scenarios/github.ts').then((m) => github(m.scenario)),
  stripe: () => import('./scenarios/stripe.ts').then((m) => stripe(m.scenario)),
  hubspot: () => import('./scenarios/hubspot.ts').then((m) => hubspot(m.scenario)),
  notion: () => import('./scenarios/notion.ts').then((m) => notion(m.scenario)),
  linear: () => import('./scenarios/linear.ts').then((m) => linear(m.scenario)),
};

export const verifiableTemplates = (): string[] => Object.keys(LOADERS);

export async function loadVerifier(template: string): Promise<TemplateVerifier | null> {
  const load = LOADERS[template];
  return load ? load() : null;
}
