import { describe, expect, test } from 'bun:test';
import { nestBrackets } from '../../templates/_kit/http.ts';
import { mergeMetadata } from '../../templates/stripe/src/params.ts';
import { parseQuery, runSearch } from '../../templates/stripe/src/search.ts';
import { CUSTOMER_FIELDS } from '../../templates/stripe/src/handlers/customers.ts';
import { priceAmount } from '../../templates/stripe/src/handlers/prices.ts';

/** Pure parts of the Stripe clone: form nesting, metadata semantics, the search language, pricing. */

const pairs = (q: string) => [...new URLSearchParams(q)];

describe('stripe form parsing', () => {
  test('brackets nest into objects; arrays by index or []; empty strings survive', () => {
    const p = nestBrackets(pairs('email=a%40b.co&metadata[k]=v&metadata[gone]=&items[0][price]=p1&items[1][price]=p2&expand[]=customer&expand[]=data.product&address[city]=X'));
    expect(p.email).toBe('a@b.co');
    expect(p.metadata).toEqual({ k: 'v', gone: '' });
    expect(Object.values(p.items as object)).toEqual([{ price: 'p1' }, { price: 'p2' }]);
    expect(Object.values(p.expand as object)).toEqual(['customer', 'data.product']);
    expect(p.address).toEqual({ city: 'X' });
  });

  test('numeric keys stay keys (metadata[2024]); nothing is compacted away', () => {
    expect(nestBrackets(pairs('metadata[2024]=fy&metadata[7]=x')).metadata).toEqual({ '7': 'x', '2024': 'fy' });
    expect(Object.values(nestBrackets(pairs('lines[10][a]=k&lines[2][a]=c')).lines as object)).toEqual([{ a: 'c' }, { a: 'k' }]);
  });

  test('metadata: "" deletes a key, an empty metadata clears all, limits enforced', () => {
    expect(mergeMetadata({ a: '1', b: '2' }, { a: '', c: '3' })).toEqual({ b: '2', c: '3' });
    expect(mergeMetadata({ a: '1' }, '')).toEqual({});
    expect(mergeMetadata({ a: '1' }, undefined)).toEqual({ a: '1' });
    expect(() => mergeMetadata({}, { ['k'.repeat(41)]: 'v' })).toThrow('40 characters');
  });
});

describe('stripe search language', () => {
  const rows = [
    { id: 'cus_3', created: 300, email: 'c@acme.io', name: 'Carol Acme', phone: null, metadata: { tier: 'gold' } },
    { id: 'cus_2', created: 200, email: 'b@globex.io', name: 'Bob Globex', phone: '+1555', metadata: { tier: 'silver' } },
    { id: 'cus_1', created: 100, email: 'a@acme.io', name: 'Alice Acme', phone: null, metadata: {} },
  ];
  const ids = (query: string, extra: Record<string, unknown> = {}) => runSearch(rows, { query, ...extra }, CUSTOMER_FIELDS, 'customers').data.map((r) => r.id);

  test('operators and joins', () => {
    expect(ids("email:'A@ACME.IO'")).toEqual(['cus_1']);
    expect(ids("name~'acme'")).toEqual(['cus_3', 'cus_1']);
    expect(ids("metadata['tier']:'gold' OR metadata['tier']:'silver'")).toEqual(['cus_3', 'cus_2']);
    expect(ids("name~'acme' AND -metadata['tier']:'gold'")).toEqual(['cus_1']);
    expect(ids('created>100 AND created<=300')).toEqual(['cus_3', 'cus_2']);
    expect(ids('phone:null')).toEqual(['cus_3', 'cus_1']);
    expect(ids('-phone:null')).toEqual(['cus_2']);
    expect(ids('email:"b@globex.io"')).toEqual(['cus_2']);
    // Stripe's docs: a space alone joins clauses with AND, and the keywords are case-insensitive.
    expect(ids("name~'acme' -metadata['tier']:'gold'")).toEqual(['cus_1']);
    expect(ids("metadata['tier']:'gold' or metadata['tier']:'silver'")).toEqual(['cus_3', 'cus_2']);
  });

  test('paging with next_page', () => {
    const p1 = runSearch(rows, { query: "name~'ice' OR name~'aro' OR name~'bob'", limit: '2' }, CUSTOMER_FIELDS, 'customers');
    expect(p1.data.map((r) => r.id)).toEqual(['cus_3', 'cus_2']);
    expect(p1.has_more).toBe(true);
    const p2 = runSearch(rows, { query: "name~'ice' OR name~'aro' OR name~'bob'", limit: '2', page: p1.next_page! }, CUSTOMER_FIELDS, 'customers');
    expect(p2.data.map((r) => r.id)).toEqual(['cus_1']);
    expect(p2.next_page).toBeNull();
  });

  test('rejections', () => {
    const bad = (q: string) => () => parseQuery(q, CUSTOMER_FIELDS, 'customers');
    expect(bad("colour:'red'")).toThrow('unsupported search field');
    expect(bad("name:'a' AND email:'b' OR phone:'c'")).toThrow('cannot combine AND and OR');
    expect(bad("name:'a' email:'b' OR phone:'c'")).toThrow('cannot combine AND and OR');
    expect(bad("name:'a' AND")).toThrow('must follow AND');
    expect(bad("name~'ab'")).toThrow('at least 3');
    expect(bad("-name~'abc'")).toThrow('Negation');
    expect(bad('name:bare')).toThrow('quoted');
    expect(bad("email>'x'")).toThrow('does not support');
    expect(bad('')).toThrow('empty');
    expect(() => runSearch(rows, { query: "name:'a'", page: 'garbage' }, CUSTOMER_FIELDS, 'customers')).toThrow('Invalid page');
  });
});

describe('stripe pricing', () => {
  test('per unit, graduated, volume, transform_quantity', () => {
    expect(priceAmount({ billing_scheme: 'per_unit', unit_amount: 1500, unit_amount_decimal: '1500' }, 3)).toBe(4500);
    expect(priceAmount({ billing_scheme: 'per_unit', unit_amount: null, unit_amount_decimal: '0.5' }, 3)).toBe(2);
    const tiers = [
      { up_to: 10, unit_amount: 100, flat_amount: null },
      { up_to: null, unit_amount: 50, flat_amount: 200 },
    ];
    expect(priceAmount({ billing_scheme: 'tiered', tiers_mode: 'graduated', tiers }, 15)).toBe(1000 + 250 + 200);
    expect(priceAmount({ billing_scheme: 'tiered', tiers_mode: 'volume', tiers }, 15)).toBe(15 * 50 + 200);
    expect(priceAmount({ billing_scheme: 'per_unit', unit_amount: 1000, unit_amount_decimal: '1000', transform_quantity: { divide_by: 10, round: 'up' } }, 11)).toBe(2000);
  });
});
