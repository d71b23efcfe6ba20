import type { KitContext } from '../../_kit/types.ts';
import { getRow } from './store.ts';

/**
 * The hosted invoice page a finalized invoice links to (`hosted_invoice_url`), so the link
 * an agent hands a person opens something. Plain HTML, no authentication, as at Stripe.
 */
const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const money = (n: number, cur: string) => `${(n / 100).toFixed(2)} ${cur.toUpperCase()}`;

export async function hostedInvoice(ctx: KitContext, path: string): Promise<Response | null> {
  const m = /^\/invoice\/(in_[A-Za-z0-9]+)(\/pdf)?$/.exec(path);
  if (!m) return null;
  const row = await getRow(ctx, m[1] as string);
  if (!row || row.kind !== 'invoice' || row.deleted || row.data.status === 'draft') {
    return new Response('<!doctype html><title>Invoice not found</title><h1>Invoice not found</h1>', { status: 404, headers: { 'content-type': 'text/html; charset=utf-8' } });
  }
  const inv = row.data;
  const items = (await ctx.db.unsafe(`select data from stripe_objects where kind = 'invoiceitem' and data->>'invoice' = $1 order by created, seq`, [inv.id])).map(
    (r) => (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, any>,
  );
  const rows = items.map((i) => `<tr><td>${esc(i.description)}</td><td>${esc(i.quantity)}</td><td>${esc(money(i.amount, i.currency))}</td></tr>`).join('');
  const html = `<!doctype html><meta charset="utf-8"><title>Invoice ${esc(inv.number)}</title>
<h1>Invoice ${esc(inv.number)}</h1><p>${esc(inv.account_name)} · billed to ${esc(inv.customer_name ?? inv.customer_email ?? inv.customer)}</p>
<p>Status: <b>${esc(inv.status)}</b></p><table border="1" cellpadding="4"><tr><th>Description</th><th>Qty</th><th>Amount</th></tr>${rows}</table>
<p>Total: ${esc(money(inv.total, inv.currency))} · Amount due: ${esc(money(inv.amount_due, inv.currency))} · Remaining: ${esc(money(inv.amount_remaining, inv.currency))}</p>`;
  return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
}
