import type { Params } from '../../../_kit/http.ts';
import type { Call, Route } from '../api.ts';
import { notEditable, paramInvalid, paramMissing, stripeError } from '../errors.ts';
import { LIST_KEYS, checkKeys, mergeMetadata, optArray, optString, pageParams } from '../params.ts';
import { all, insert, mustGet, pageArray, remove, save, type Obj } from '../store.ts';
import { ITEM_UPDATE_KEYS, applyItemParams, attachTo, itemLine, newItem } from './invoiceitems.ts';
import { applyTotals, itemsOf, linesOf, newInvoice, renderInvoice, withLines } from './invoices.ts';

/**
 * An invoice's lines (one per invoice item, in the order items joined): list, add, update,
 * remove, while the invoice is a draft; and create_preview, which computes an invoice from
 * the customer's pending items plus the given ones without storing anything.
 */

async function listLines(c: Call): Promise<Obj> {
  checkKeys(c.params, [...LIST_KEYS]);
  const inv = await mustGet(c.ctx, 'invoice', c.ids[0] as string, 'invoice');
  const lines = linesOf(inv, await itemsOf(c.ctx, inv.id));
  return pageArray(lines, pageParams(c.params), `/v1/invoices/${inv.id}/lines`, 'line_item');
}

async function draftForLines(c: Call): Promise<Obj> {
  const inv = await mustGet(c.ctx, 'invoice', c.ids[0] as string, 'invoice');
  if (inv.status !== 'draft') throw notEditable(`Invoice ${inv.id} is no longer editable (status '${inv.status}'): lines can only change on draft invoices.`);
  return inv;
}

function lineParams(c: Call): Params[] {
  const lines = optArray(c.params, 'lines');
  if (!lines || lines.length === 0) throw paramMissing('lines');
  return lines.map((l, i) => {
    if (!l || typeof l !== 'object') throw paramInvalid(`lines[${i}]`, 'Invalid hash');
    return l as Params;
  });
}

async function itemForLine(c: Call, inv: Obj, lineId: string, param: string): Promise<Obj> {
  const item = (await itemsOf(c.ctx, inv.id)).find((i) => i._line_id === lineId);
  if (!item) throw stripeError(404, `No such invoice line item: '${lineId}' on invoice ${inv.id}`, { code: 'resource_missing', param });
  return item;
}

async function finishLines(c: Call, inv: Obj): Promise<Obj> {
  if (c.params.invoice_metadata !== undefined) inv.metadata = mergeMetadata(inv.metadata ?? {}, c.params.invoice_metadata, 'invoice_metadata');
  applyTotals(inv, await itemsOf(c.ctx, inv.id));
  await save(c.ctx, inv);
  return renderInvoice(c.ctx, inv);
}

const LINE_KEYS = ['amount', 'description', 'discountable', 'discounts', 'invoice_item', 'metadata', 'period', 'price_data', 'pricing', 'quantity', 'quantity_decimal', 'tax_amounts', 'tax_rates', 'id', 'behavior'];

async function addLines(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand', 'invoice_metadata', 'lines']);
  const inv = await draftForLines(c);
  for (const [i, l] of lineParams(c).entries()) {
    for (const k of Object.keys(l)) if (!LINE_KEYS.includes(k) || k === 'id' || k === 'behavior') throw stripeError(400, `Received unknown parameter: lines[${i}][${k}]`, { code: 'parameter_unknown', param: `lines[${i}][${k}]` });
    if (l.invoice_item) {
      const item = await mustGet(c.ctx, 'invoiceitem', String(l.invoice_item), `lines[${i}][invoice_item]`);
      if (item.invoice) throw paramInvalid(`lines[${i}][invoice_item]`, `Invoice item ${item.id} is already attached to invoice ${item.invoice}.`);
      if (item.customer !== inv.customer) throw paramInvalid(`lines[${i}][invoice_item]`, `Invoice item ${item.id} belongs to another customer.`);
      if (item.currency !== inv.currency) throw paramInvalid(`lines[${i}][invoice_item]`, `Invoice item ${item.id} is in ${item.currency}, the invoice in ${inv.currency}.`);
      const rest = { ...l };
      delete rest.invoice_item;
      if (Object.keys(rest).length) await applyItemParams(c.ctx, item, rest, `lines[${i}]`, false);
      attachTo(c.ctx, item, inv.id);
      await save(c.ctx, item);
    } else {
      const item = newItem(inv.customer);
      item.currency = inv.currency;
      await applyItemParams(c.ctx, item, l, `lines[${i}]`, true);
      if (item.currency !== inv.currency) throw paramInvalid(`lines[${i}][pricing][price]`, `The price's currency (${item.currency}) must match the invoice's currency (${inv.currency}).`);
      attachTo(c.ctx, item, inv.id);
      await insert(c.ctx, 'invoiceitem', item);
    }
  }
  return finishLines(c, inv);
}

async function removeLines(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand', 'invoice_metadata', 'lines']);
  const inv = await draftForLines(c);
  for (const [i, l] of lineParams(c).entries()) {
    const id = l.id ? String(l.id) : '';
    if (!id) throw paramMissing(`lines[${i}][id]`);
    const behavior = l.behavior ? String(l.behavior) : '';
    if (behavior !== 'delete' && behavior !== 'unassign') throw paramMissing(`lines[${i}][behavior]`);
    const item = await itemForLine(c, inv, id, `lines[${i}][id]`);
    if (behavior === 'delete') await remove(c.ctx, item.id);
    else {
      item.invoice = null;
      delete item._attached;
      await save(c.ctx, item);
    }
  }
  return finishLines(c, inv);
}

async function updateLines(c: Call): Promise<Obj> {
  checkKeys(c.params, ['expand', 'invoice_metadata', 'lines']);
  const inv = await draftForLines(c);
  for (const [i, l] of lineParams(c).entries()) {
    const id = l.id ? String(l.id) : '';
    if (!id) throw paramMissing(`lines[${i}][id]`);
    for (const k of Object.keys(l)) if (!LINE_KEYS.includes(k) || k === 'invoice_item' || k === 'behavior') throw stripeError(400, `Received unknown parameter: lines[${i}][${k}]`, { code: 'parameter_unknown', param: `lines[${i}][${k}]` });
    const item = await itemForLine(c, inv, id, `lines[${i}][id]`);
    const rest = { ...l };
    delete rest.id;
    await applyItemParams(c.ctx, item, rest, `lines[${i}]`, false);
    await save(c.ctx, item);
  }
  return finishLines(c, inv);
}

async function updateLine(c: Call): Promise<Obj> {
  checkKeys(c.params, ITEM_UPDATE_KEYS.filter((k) => k !== 'invoicing_rules' && k !== 'tax_behavior' && k !== 'tax_code').concat(['tax_amounts']));
  const inv = await draftForLines(c);
  const item = await itemForLine(c, inv, c.ids[1] as string, 'line_item_id');
  const rest = { ...c.params };
  delete rest.expand;
  await applyItemParams(c.ctx, item, rest, '', false);
  await save(c.ctx, item);
  const items = await itemsOf(c.ctx, inv.id);
  applyTotals(inv, items);
  await save(c.ctx, inv);
  return linesOf(inv, items).find((l) => l.id === item._line_id) ?? itemLine(item);
}

async function createPreview(c: Call): Promise<Obj> {
  checkKeys(c.params, ['automatic_tax', 'currency', 'customer', 'customer_account', 'customer_details', 'discounts', 'expand', 'invoice_items', 'issuer', 'on_behalf_of', 'preview_mode', 'schedule', 'schedule_details', 'subscription', 'subscription_details']);
  if (c.params.subscription || c.params.subscription_details || c.params.schedule || c.params.schedule_details) {
    throw stripeError(400, 'Subscription previews are not emulated by this asym Stripe clone; preview one-off invoice items instead.', { param: c.params.subscription ? 'subscription' : 'subscription_details' });
  }
  const customerId = optString(c.params, 'customer');
  let customer: Obj;
  if (customerId) customer = await mustGet(c.ctx, 'customer', customerId, 'customer');
  else if (c.params.customer_details) customer = { id: null, ...(c.params.customer_details as Obj), currency: null };
  else throw paramMissing('customer');
  const pending = customer.id ? (await all(c.ctx, 'invoiceitem', (w) => w.add(`data->>'customer' = ?`, customer.id).raw(`data->>'invoice' is null`))).reverse() : [];
  const currency = optString(c.params, 'currency')?.toLowerCase() ?? customer.currency ?? pending[0]?.currency ?? c.account.defaultCurrency;
  const inv = newInvoice(customer, { name: c.account.accountName, country: c.account.country }, currency);
  inv.id = `upcoming_${inv.id}`;
  inv.billing_reason = 'manual';
  const items: Obj[] = pending.filter((i) => i.currency === currency).map((i) => ({ ...i, invoice: inv.id }));
  for (const [i, raw] of (optArray(c.params, 'invoice_items') ?? []).entries()) {
    const p = raw as Params;
    const item = newItem(customer.id);
    item._line_id = `il_tmp_${item._line_id.slice(3)}`;
    item.currency = p.currency ? String(p.currency).toLowerCase() : currency;
    const rest = { ...p };
    delete rest.currency;
    delete rest.invoiceitem;
    await applyItemParams(c.ctx, item, rest, `invoice_items[${i}]`, true, false);
    if (item.currency !== currency) throw paramInvalid(`invoice_items[${i}][currency]`, `Invoice items must be in the invoice's currency (${currency}).`);
    item.invoice = inv.id;
    items.push(item);
  }
  applyTotals(inv, items);
  const balance = Number(customer.balance ?? 0);
  inv.starting_balance = balance;
  inv.ending_balance = Math.min(0, inv.total + balance);
  inv.amount_due = Math.max(0, inv.total + balance);
  inv.amount_remaining = inv.amount_due;
  return withLines(c.ctx, inv, items);
}

export const invoiceLineRoutes: Route[] = [
  { method: 'POST', path: '/v1/invoices/create_preview', handler: createPreview },
  { method: 'GET', path: '/v1/invoices/{id}/lines', handler: listLines },
  { method: 'POST', path: '/v1/invoices/{id}/add_lines', handler: addLines },
  { method: 'POST', path: '/v1/invoices/{id}/remove_lines', handler: removeLines },
  { method: 'POST', path: '/v1/invoices/{id}/update_lines', handler: updateLines },
  { method: 'POST', path: '/v1/invoices/{id}/lines/{id}', handler: updateLine },
];
