import type { Obj } from '../store.ts';

/**
 * An invoice's amounts from its lines, its discounts and its tax rates, as Stripe defines
 * them: invoice-level discounts (percent_off on each discountable line; amount_off spread over
 * the discountable lines in proportion, never past their sum), then each line's tax rates
 * (its own `tax_rates`, else the invoice's `default_tax_rates`) on what is left.
 *   exclusive: tax = round(net × p / 100), added on top;
 *   inclusive: tax = net − round(net / (1 + p / 100)), already inside the amount.
 *   subtotal = Σ line amounts; subtotal_excluding_tax = subtotal − inclusive tax (before discounts);
 *   total_excluding_tax = after discounts, without any tax; total = after discounts, with exclusive tax.
 * A customer that is tax-exempt (or reverse-charge) pays no tax: the taxes read 0 with the reason.
 */
export interface LineCalc {
  discount_amounts: Array<{ amount: number; discount: string }>;
  taxes: Obj[];
}

export interface InvoiceCalc {
  subtotal: number;
  subtotal_excluding_tax: number;
  total_excluding_tax: number;
  total: number;
  total_discount_amounts: Array<{ amount: number; discount: string }>;
  total_taxes: Obj[];
  lines: Record<string, LineCalc>;
}

const inclusivePart = (net: number, pct: number) => net - Math.round(net / (1 + pct / 100));

export function computeInvoice(inv: Obj, items: Obj[]): InvoiceCalc {
  const discounts = (inv._discounts ?? []) as Obj[];
  const lines: Record<string, LineCalc> = {};
  const off = new Map<string, number>();
  for (const it of items) {
    lines[it.id] = { discount_amounts: [], taxes: [] };
    off.set(it.id, 0);
  }
  const discountable = items.filter((i) => i.discountable !== false && Number(i.amount) > 0);
  const totalDiscounts: Array<{ amount: number; discount: string }> = [];
  for (const d of discounts) {
    const coupon = d._coupon as Obj;
    const shares = new Map<string, number>();
    if (coupon.percent_off !== null) {
      for (const it of discountable) shares.set(it.id, Math.round((Number(it.amount) - (off.get(it.id) ?? 0)) * (Number(coupon.percent_off) / 100)));
    } else {
      const left = discountable.map((it) => Number(it.amount) - (off.get(it.id) ?? 0));
      const base = left.reduce((s, x) => s + x, 0);
      const amountOff = Math.min(Number(coupon.currency_options?.[inv.currency]?.amount_off ?? coupon.amount_off), base);
      let given = 0;
      discountable.forEach((it, i) => {
        const share = i === discountable.length - 1 ? amountOff - given : Math.floor((amountOff * (left[i] as number)) / (base || 1));
        given += share;
        shares.set(it.id, share);
      });
    }
    let sum = 0;
    for (const [id, amount] of shares) {
      off.set(id, (off.get(id) ?? 0) + amount);
      lines[id]?.discount_amounts.push({ amount, discount: d.id });
      sum += amount;
    }
    totalDiscounts.push({ amount: sum, discount: d.id });
  }

  const exempt = inv.customer_tax_exempt === 'exempt' ? 'customer_exempt' : inv.customer_tax_exempt === 'reverse' ? 'reverse_charge' : null;
  const byRate = new Map<string, Obj>();
  let subtotal = 0;
  let inclusiveBefore = 0;
  let inclusiveAfter = 0;
  let exclusive = 0;
  let net = 0;
  for (const it of items) {
    const amount = Number(it.amount);
    const taxable = amount - (off.get(it.id) ?? 0);
    subtotal += amount;
    net += taxable;
    const rates = ((it.tax_rates?.length ? it.tax_rates : inv.default_tax_rates) ?? []) as Obj[];
    const incl = rates.find((r) => r.inclusive);
    const inclNow = exempt || !incl ? 0 : inclusivePart(taxable, Number(incl.percentage));
    inclusiveBefore += exempt || !incl ? 0 : inclusivePart(amount, Number(incl.percentage));
    inclusiveAfter += inclNow;
    const base = taxable - inclNow;
    for (const r of rates) {
      const tax = exempt ? 0 : r.inclusive ? inclNow : Math.round(base * (Number(r.percentage) / 100));
      if (!r.inclusive) exclusive += tax;
      const t = { amount: tax, tax_behavior: r.inclusive ? 'inclusive' : 'exclusive', tax_rate_details: { tax_rate: r.id }, taxability_reason: exempt ?? 'standard_rated', taxable_amount: exempt ? 0 : base, type: 'tax_rate_details' };
      lines[it.id]?.taxes.push(t);
      const agg = byRate.get(r.id) ?? { ...t, amount: 0, taxable_amount: 0 };
      agg.amount += t.amount;
      agg.taxable_amount += t.taxable_amount;
      byRate.set(r.id, agg);
    }
  }
  return {
    subtotal,
    subtotal_excluding_tax: subtotal - inclusiveBefore,
    total_excluding_tax: net - inclusiveAfter,
    total: net + exclusive,
    total_discount_amounts: totalDiscounts,
    total_taxes: [...byRate.values()],
    lines,
  };
}
