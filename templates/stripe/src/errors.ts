import { DB_UNAVAILABLE } from '../../_kit/db.ts';
import { KitError, isKitError } from '../../_kit/errors.ts';
import type { InputProblem } from '../../_kit/input.ts';
import type { Envelope } from '../../_kit/pipeline.ts';

/**
 * Stripe's error envelope: `{"error": {type, code?, message, param?, doc_url?}}`. Handlers
 * throw `stripeError(...)` (a KitError carrying the envelope fields) and the server turns it
 * into the response, so no code path builds an envelope by hand.
 */
export type StripeErrorType = 'invalid_request_error' | 'api_error' | 'card_error' | 'idempotency_error' | 'authentication_error';

export interface StripeErrorFields {
  type: StripeErrorType;
  code?: string;
  param?: string;
  /** card_error details (decline_code, …), copied into the envelope as given. */
  extra?: Record<string, unknown>;
}

export function stripeError(status: number, message: string, fields: Partial<StripeErrorFields> = {}): KitError {
  const type = fields.type ?? 'invalid_request_error';
  return new KitError(fields.code ?? type, message, { status, details: { stripe: { type, code: fields.code, param: fields.param, extra: fields.extra } } });
}

const NOUNS: Record<string, string> = {
  customer: 'customer',
  product: 'product',
  price: 'price',
  invoice: 'invoice',
  invoiceitem: 'invoiceitem',
  line_item: 'invoice line item',
  customer_balance_transaction: 'customer balance transaction',
  tax_id: 'tax_id',
  cash_balance_transaction: 'cash balance transaction',
  payment_method: 'PaymentMethod',
  source: 'source',
  subscription: 'subscription',
  product_feature: 'product feature',
  'entitlements.feature': 'feature',
  invoice_payment: 'invoice payment',
  payment_intent: 'payment_intent',
  payment_record: 'payment_record',
  coupon: 'coupon',
  tax_rate: 'tax_rate',
  charge: 'charge',
  discount: 'discount',
};

/** 404 resource_missing, worded as Stripe words it: "No such customer: 'cus_x'". */
export function missing(kind: string, id: string, param = 'id'): KitError {
  return stripeError(404, `No such ${NOUNS[kind] ?? kind}: '${id}'`, { code: 'resource_missing', param });
}

export function paramMissing(param: string): KitError {
  return stripeError(400, `Missing required param: ${param}.`, { code: 'parameter_missing', param });
}

export function paramInvalid(param: string, message: string, code = 'parameter_invalid'): KitError {
  return stripeError(400, message, { code, param });
}

export function notEditable(message: string, param?: string): KitError {
  return stripeError(400, message, { code: 'invoice_not_editable', ...(param ? { param } : {}) });
}

export function docUrl(code: string | undefined): string | undefined {
  return code ? `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}` : undefined;
}

export function requestId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.getRandomValues(new Uint8Array(14));
  let s = 'req_';
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return s;
}

/** Builds the HTTP answer for anything a handler threw. */
export function errorBody(e: unknown): { status: number; body: { error: Record<string, unknown> } } {
  if (isKitError(e) && e.code === DB_UNAVAILABLE) return errorBody(unavailableError());
  if (isKitError(e)) {
    const s = (e.details?.stripe ?? null) as StripeErrorFields | null;
    if (s) {
      const error: Record<string, unknown> = { type: s.type, message: e.message };
      if (s.code) {
        error.code = s.code;
        error.doc_url = docUrl(s.code);
      }
      if (s.param) error.param = s.param;
      if (s.extra) Object.assign(error, s.extra);
      return { status: e.status, body: { error } };
    }
    if (e.status < 500) return { status: e.status, body: { error: { type: 'invalid_request_error', message: e.message, code: e.code } } };
  }
  return { status: 500, body: { error: { type: 'api_error', message: 'An unknown error occurred in the asym Stripe clone.' } } };
}

/**
 * Stripe's answer to input the kit refused before routing: an invalid_request_error naming
 * the param. Stripe documents no request size limit: the kit's 2 MB cap answers 400 too
 * (the SDK raises StripeInvalidRequestError only for 400 and 404; 413 would read as an outage).
 */
export function inputError(problem: InputProblem): KitError {
  if (problem.kind === 'nul') {
    return stripeError(400, `Invalid string: ${problem.field} must not contain null bytes (\\u0000).`, { code: 'parameter_invalid', param: problem.field.replace(/^query\./, '') });
  }
  return stripeError(400, `Request body too large: ${problem.size} bytes exceeds the limit of ${problem.limit} bytes.`);
}

/** Stripe's 503 (the SDK raises StripeAPIError): the clone's database cannot be reached. */
export function unavailableError(): KitError {
  return stripeError(503, 'Stripe is temporarily unavailable. Please retry your request shortly.', { type: 'api_error' });
}

/** In-scope operations left unimplemented on purpose, with why (added to their "not emulated" answer). */
const NOT_EMULATED_WHY: Array<{ method: string; path: RegExp; why: string }> = [];

/** Stripe's envelope for the kit's pipeline (the SDK raises StripeAPIError for the 500s). */
export const envelope: Envelope = {
  render: (e) => errorBody(e),
  notEmulated(method, path) {
    const why = NOT_EMULATED_WHY.find((n) => n.method === method && n.path.test(path))?.why;
    const scope = why ?? 'It emulates customers, products, prices, invoices, invoice items, payment intents, payment methods, coupons and tax rates (see operations.json); other Stripe APIs answer with this error.';
    return stripeError(404, `${method} ${path} is not emulated by this asym Stripe clone. ${scope} (Unrecognized request URL (${method}: ${path}).)`, { code: 'resource_missing' });
  },
  badInput: inputError,
  unavailable: unavailableError,
  unavailableHeaders: { 'retry-after': '1' },
};
