import { KitError } from '../../../_kit/errors.ts';
import { json } from '../../../_kit/http.ts';
import type { KitContext } from '../../../_kit/types.ts';
import { theApp } from '../apps.ts';
import { notFound } from '../errors.ts';
import { listReply, pageOf, sliceReply } from '../paging.ts';
import { iso, nodeId } from '../render.ts';
import type { Gh, Reply, UserRow } from '../types.ts';
import { me } from './common.ts';

/**
 * GitHub Marketplace subscriptions to the clone's app (apps.ts):
 *   GET /user/marketplace_purchases: the subscriptions of the user's account and of the
 *     organisations they administer, to plans of the app whose user access token (`ghu_`)
 *     calls; a personal access token belongs to no app, so GitHub finds no listing: 404.
 *   GET /user/marketplace_purchases/stubbed: GitHub's stubbed answer (fixed example data,
 *     for developing against before a listing exists), to any token.
 * Plans and purchases come from POST /__asym/github/marketplace-plans and -purchases.
 */
interface PlanRow {
  id: number;
  number: number;
  name: string;
  description: string;
  monthly_price_in_cents: number;
  yearly_price_in_cents: number;
  price_model: 'FREE' | 'FLAT_RATE' | 'PER_UNIT';
  has_free_trial: boolean;
  unit_name: string | null;
  state: string;
  bullets: string[];
}

interface PurchaseRow {
  billing_cycle: string;
  unit_count: number | null;
  on_free_trial: boolean;
  free_trial_ends_on: Date | null;
  next_billing_date: Date | null;
  updated_at: Date | null;
}

function plan(base: string, p: PlanRow): Record<string, unknown> {
  const url = `${base}/marketplace_listing/plans/${p.id}`;
  return { url, accounts_url: `${url}/accounts`, id: p.id, number: p.number, name: p.name, description: p.description, monthly_price_in_cents: p.monthly_price_in_cents, yearly_price_in_cents: p.yearly_price_in_cents, price_model: p.price_model, has_free_trial: p.has_free_trial, unit_name: p.unit_name, state: p.state, bullets: p.bullets };
}

function purchase(base: string, x: PurchaseRow, account: Record<string, unknown>, p: Record<string, unknown>): Record<string, unknown> {
  return { billing_cycle: x.billing_cycle, next_billing_date: iso(x.next_billing_date), unit_count: x.unit_count, on_free_trial: x.on_free_trial, free_trial_ends_on: iso(x.free_trial_ends_on), updated_at: iso(x.updated_at), account, plan: p };
}

function account(base: string, u: UserRow): Record<string, unknown> {
  const org = u.type === 'Organization';
  return { login: u.login, id: u.id, node_id: nodeId(org ? 'Organization' : 'User', u.id), url: `${base}/${org ? 'orgs' : 'users'}/${u.login}`, email: org ? null : u.email, organization_billing_email: org ? u.email : null, type: u.type };
}

export async function listMine(g: Gh): Promise<Reply> {
  const viewer = me(g);
  if (g.token?.kind !== 'app-user') return notFound();
  const app = (await theApp(g.ctx.db)) ?? notFound();
  const rows = await g.ctx.db.q<PurchaseRow & { p: PlanRow; a: UserRow }>`
    select x.*, row_to_json(p.*) as p, row_to_json(u.*) as a from marketplace_purchases x
      join marketplace_plans p on p.id = x.plan_id join users u on u.id = x.account_id
    where x.app_id = ${app.id} and (x.account_id = ${viewer.id}
      or exists (select 1 from org_members m where m.org_id = x.account_id and m.user_id = ${viewer.id} and m.role = 'admin'))
    order by x.account_id`;
  const pg = pageOf(g);
  const items = rows.slice(pg.offset, pg.offset + pg.perPage).map(({ p, a, ...x }) => purchase(g.base, x, account(g.base, a), plan(g.base, p)));
  return listReply(g, pg, items, rows.length);
}

/** GitHub's stubbed subscription: the example its documentation gives, on the clone's URLs. */
export async function listStubbed(g: Gh): Promise<Reply> {
  me(g);
  const stub = {
    billing_cycle: 'monthly', next_billing_date: '2017-11-11T00:00:00Z', unit_count: null, on_free_trial: true, free_trial_ends_on: '2017-11-11T00:00:00Z', updated_at: '2017-11-02T01:12:12Z',
    account: { login: 'github', id: 4, url: `${g.base}/orgs/github`, email: null, organization_billing_email: 'billing@github.com', type: 'Organization' },
    plan: plan(g.base, { id: 1313, number: 3, name: 'Pro', description: 'A professional-grade CI solution', monthly_price_in_cents: 1099, yearly_price_in_cents: 11870, price_model: 'FLAT_RATE', has_free_trial: true, unit_name: 'LOC', state: 'published', bullets: ['Up to 25 private repositories', '11 concurrent builds'] }),
  };
  return sliceReply(g, [stub]);
}

const bad = (message: string): never => {
  throw new KitError('invalid_marketplace', message, { status: 400 });
};
const J = (v: unknown) => JSON.stringify(v);
const int = (v: unknown, field: string, fallback: number | null): number | null => (v === undefined ? fallback : typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : bad(`${field} must be a non-negative integer`));
const when = (v: unknown, field: string): Date | null => {
  if (v === undefined || v === null) return null;
  const d = new Date(String(v));
  return Number.isNaN(d.getTime()) ? bad(`${field} must be a date`) : d;
};

/** POST /__asym/github/marketplace-plans {name, number?, description?, monthly_price_in_cents?, yearly_price_in_cents?, price_model?, has_free_trial?, unit_name?, state?, bullets?}. */
export async function adminPlan(b: Record<string, unknown>, ctx: KitContext): Promise<Response> {
  const app = (await theApp(ctx.db)) ?? bad('the clone has no app (not provisioned)');
  const name = typeof b.name === 'string' && b.name.trim() ? b.name.trim() : bad('name is required');
  const model = b.price_model ?? 'FREE';
  if (model !== 'FREE' && model !== 'FLAT_RATE' && model !== 'PER_UNIT') bad('price_model must be FREE, FLAT_RATE or PER_UNIT');
  if (b.bullets !== undefined && !(Array.isArray(b.bullets) && b.bullets.every((x) => typeof x === 'string'))) bad('bullets must be an array of strings');
  const [{ n }] = (await ctx.db.q<{ n: number }>`select coalesce(max(number), 0)::int + 1 as n from marketplace_plans where app_id = ${app.id}`) as [{ n: number }];
  const number = int(b.number, 'number', n)!;
  const taken = await ctx.db.q`select 1 from marketplace_plans where app_id = ${app.id} and number = ${number}`;
  if (taken.length) throw new KitError('plan_taken', `plan number ${number} exists`, { status: 409 });
  const [row] = await ctx.db.q<PlanRow>`
    insert into marketplace_plans (app_id, number, name, description, monthly_price_in_cents, yearly_price_in_cents, price_model, has_free_trial, unit_name, state, bullets)
    values (${app.id}, ${number}, ${name}, ${typeof b.description === 'string' ? b.description : ''}, ${int(b.monthly_price_in_cents, 'monthly_price_in_cents', 0)}, ${int(b.yearly_price_in_cents, 'yearly_price_in_cents', 0)},
      ${model}, ${b.has_free_trial === true}, ${typeof b.unit_name === 'string' ? b.unit_name : null}, ${typeof b.state === 'string' ? b.state : 'published'}, ${J(b.bullets ?? [])}::text::jsonb)
    returning *`;
  return json({ ok: true, plan: plan(ctx.env.publicUrl, row!) });
}

/** POST /__asym/github/marketplace-purchases {account, plan: id|number|name, billing_cycle?, unit_count?, on_free_trial?, free_trial_ends_on?, next_billing_date?}: one subscription per account. */
export async function adminPurchase(b: Record<string, unknown>, ctx: KitContext, findUser: (ref: unknown) => Promise<UserRow>): Promise<Response> {
  const app = (await theApp(ctx.db)) ?? bad('the clone has no app (not provisioned)');
  const who = await findUser(b.account);
  const ref = String(b.plan ?? '');
  const plans = await ctx.db.q<PlanRow>`select * from marketplace_plans where app_id = ${app.id}`;
  const p = plans.find((x) => String(x.id) === ref) ?? plans.find((x) => String(x.number) === ref) ?? plans.find((x) => x.name.toLowerCase() === ref.toLowerCase()) ?? bad(`no plan ${ref}`);
  const cycle = b.billing_cycle ?? 'monthly';
  if (cycle !== 'monthly' && cycle !== 'yearly') bad('billing_cycle must be monthly or yearly');
  const units = int(b.unit_count, 'unit_count', null);
  if (p.price_model === 'PER_UNIT' && units === null) bad('a PER_UNIT plan needs unit_count');
  const trial = b.on_free_trial === true;
  if (trial && !p.has_free_trial) bad(`plan ${p.name} has no free trial`);
  await ctx.db.q`
    insert into marketplace_purchases (account_id, plan_id, app_id, billing_cycle, unit_count, on_free_trial, free_trial_ends_on, next_billing_date, updated_at)
    values (${who.id}, ${p.id}, ${app.id}, ${cycle}, ${units}, ${trial}, ${when(b.free_trial_ends_on, 'free_trial_ends_on')}, ${when(b.next_billing_date, 'next_billing_date')}, ${ctx.now()})
    on conflict (app_id, account_id) do update set plan_id = excluded.plan_id, billing_cycle = excluded.billing_cycle, unit_count = excluded.unit_count,
      on_free_trial = excluded.on_free_trial, free_trial_ends_on = excluded.free_trial_ends_on, next_billing_date = excluded.next_billing_date, updated_at = excluded.updated_at`;
  return json({ ok: true, purchase: { account: who.login, plan: { id: p.id, name: p.name }, billing_cycle: cycle } });
}
