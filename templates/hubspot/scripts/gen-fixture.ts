/**
 * Generates fixtures/acme.sql: the CRM of "Acme Cloud", a B2B software vendor — 40
 * companies, 150 contacts (each with a primary company) and 60 deals spread over every
 * stage of the Sales Pipeline (each with a primary company and one to three of its
 * contacts). Deterministic: a seeded PRNG, fixed ids, timestamps and insertion order, so
 * the same script always writes the same bytes.
 *
 * Ids: companies 10000001…, contacts 20000001…, deals 30000001…; runtime ids start at
 * 50000001 (migrations/001_init.sql), so fixture and API-created objects never collide.
 *
 *   bun templates/hubspot/scripts/gen-fixture.ts [out.sql]
 */
import { join } from 'node:path';
import { prng } from '../../_kit/prng.ts';
import { ASSOC_TYPES, DEAL_STAGES, LAST_MODIFIED, type ObjectType } from '../src/schema.ts';

const { pick, int } = prng(0x4b5b07);

const BASE = Date.UTC(2025, 0, 6, 9, 0, 0); // 2025-01-06T09:00:00Z
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

interface Obj {
  id: number;
  type: ObjectType;
  props: Record<string, string>;
  created: number;
}
const objects: Obj[] = [];
const links: Array<{ from: Obj; to: Obj; typeId: number }> = [];

// ---- companies
const COMPANY_NAMES = [
  'Acme Corp', 'Globex', 'Initech', 'Umbrella Health', 'Stark Industries', 'Wayne Enterprises', 'Hooli', 'Pied Piper', 'Soylent Foods', 'Vandelay Industries',
  'Wonka Confections', 'Tyrell Systems', 'Cyberdyne', 'Massive Dynamic', 'Oscorp', 'Aperture Labs', 'Black Mesa', 'Gringotts Bank', 'Monarch Solutions', 'Nakatomi Trading',
  'Oceanic Airlines', 'Prestige Worldwide', 'Sterling Cooper', 'Dunder Mifflin', 'Bluth Company', 'Krusty Krab', 'Los Pollos Hermanos', 'Gekko & Co', 'Duff Brewing', 'Virtucon',
  'Blue Sun', 'Weyland Corp', 'Zorg Industries', 'Axiom Logistics', 'Northwind Traders', 'Contoso', 'Fabrikam', 'Tailspin Toys', 'Litware', 'Adventure Works',
];
const INDUSTRIES = ['COMPUTER_SOFTWARE', 'FINANCIAL_SERVICES', 'HOSPITAL_HEALTH_CARE', 'RETAIL', 'LOGISTICS_AND_SUPPLY_CHAIN', 'MANUFACTURING', 'FOOD_BEVERAGES', 'AIRLINES_AVIATION'];
const CITIES: Array<[string, string, string]> = [
  ['San Francisco', 'CA', 'United States'], ['New York', 'NY', 'United States'], ['Austin', 'TX', 'United States'], ['Boston', 'MA', 'United States'],
  ['London', 'England', 'United Kingdom'], ['Berlin', 'Berlin', 'Germany'], ['Paris', 'Ile-de-France', 'France'], ['Toronto', 'ON', 'Canada'],
];
const slug = (s: string) => s.toLowerCase().replace(/&/g, 'and').replace(/[^a-z0-9]+/g, '');

const companies: Obj[] = COMPANY_NAMES.map((name, i) => {
  const [city, state, country] = pick(CITIES);
  const domain = `${slug(name)}.test`;
  const props: Record<string, string> = {
    name,
    domain,
    website: `https://www.${domain}`,
    industry: pick(INDUSTRIES),
    city,
    state,
    country,
    phone: `+1 555 01${String(i).padStart(2, '0')}`,
    numberofemployees: String(pick([12, 45, 120, 350, 800, 2500, 10000])),
    annualrevenue: String(pick([500000, 2000000, 15000000, 80000000, 250000000])),
    lifecyclestage: i < 15 ? 'customer' : i < 30 ? 'opportunity' : 'lead',
    type: i % 7 === 3 ? 'PARTNER' : 'PROSPECT',
  };
  if (i === 0) props.description = 'Flagship customer since 2019; renewal every January.';
  const o: Obj = { id: 10_000_001 + i, type: 'companies', props, created: BASE + i * HOUR };
  objects.push(o);
  return o;
});

// ---- contacts
const FIRST = ['Ada', 'Grace', 'Alan', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Frances', 'Edsger', 'Radia', 'Tim', 'Katherine', 'John', 'Hedy', 'Claude', 'Annie', 'Donald', 'Sophie', 'Guido'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Ritchie', 'Allen', 'Dijkstra', 'Perlman', 'Berners-Lee', 'Johnson', 'McCarthy', 'Lamarr', 'Shannon', 'Easley', 'Knuth', 'Wilson', 'van Rossum'];
const TITLES = ['CEO', 'CTO', 'VP Engineering', 'Head of Procurement', 'Operations Manager', 'Software Engineer', 'Finance Director', 'Product Manager'];
const STAGES_C = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer'];
const LEAD = ['NEW', 'OPEN', 'IN_PROGRESS', 'CONNECTED', 'ATTEMPTED_TO_CONTACT', 'UNQUALIFIED'];

const contactsOf = new Map<number, Obj[]>();
const contacts: Obj[] = [];
for (let i = 0; i < 150; i++) {
  // The first 40 contacts give every company one; the rest land anywhere.
  const company = i < companies.length ? companies[i]! : pick(companies);
  const firstname = FIRST[i % FIRST.length]!;
  const lastname = LAST[(i * 7 + Math.floor(i / FIRST.length)) % LAST.length]!;
  const email = `${slug(firstname)}.${slug(lastname)}${i < 20 ? '' : i}@${company.props.domain}`;
  const props: Record<string, string> = {
    email,
    firstname,
    lastname,
    company: company.props.name!,
    jobtitle: pick(TITLES),
    phone: `+1 555 2${String(i).padStart(3, '0')}`,
    city: company.props.city!,
    country: company.props.country!,
    lifecyclestage: pick(STAGES_C),
    hs_lead_status: pick(LEAD),
  };
  if (i % 5 === 4) delete props.phone;
  const o: Obj = { id: 20_000_001 + i, type: 'contacts', props, created: BASE + 2 * DAY + i * HOUR };
  objects.push(o);
  contacts.push(o);
  contactsOf.set(company.id, [...(contactsOf.get(company.id) ?? []), o]);
  links.push({ from: o, to: company, typeId: 1 });
}

// ---- deals
const PRODUCTS = ['Platform licence', 'Enterprise plan', 'Onboarding package', 'Support renewal', 'Seat expansion', 'Data migration'];
for (let i = 0; i < 60; i++) {
  const company = companies[i % companies.length]!;
  const stage = DEAL_STAGES[i % DEAL_STAGES.length]!;
  const created = BASE + 10 * DAY + i * 5 * HOUR;
  const close = Date.UTC(2025, 1 + (i % 10), 1 + (i % 27));
  const props: Record<string, string> = {
    dealname: `${company.props.name} - ${PRODUCTS[i % PRODUCTS.length]}`,
    amount: String(int(10, 500) * 100),
    pipeline: 'default',
    dealstage: stage.id,
    closedate: iso(close),
    dealtype: i % 3 === 0 ? 'existingbusiness' : 'newbusiness',
    hs_priority: pick(['low', 'medium', 'high']),
    hs_deal_stage_probability: stage.probability,
    hs_is_closed: String(stage.isClosed),
  };
  const o: Obj = { id: 30_000_001 + i, type: 'deals', props, created };
  objects.push(o);
  links.push({ from: o, to: company, typeId: 5 });
  const people = contactsOf.get(company.id) ?? [];
  for (const c of people.slice(0, 1 + (i % 3))) links.push({ from: o, to: c, typeId: 3 });
}

// ---- SQL
const esc = (s: string) => s.replace(/'/g, "''");
const out: string[] = [];
const records = objects.length;
out.push(`-- asym-fixture: acme records=${records} companies=${companies.length} contacts=${contacts.length} deals=${records - companies.length - contacts.length}`);
out.push('-- Acme Cloud CRM: companies with contacts (primary company each) and deals in every stage of the Sales Pipeline.');
out.push('-- Generated by templates/hubspot/scripts/gen-fixture.ts; do not edit by hand.');
const READ_ONLY = new Set(['hs_object_id', 'lastmodifieddate', 'hs_lastmodifieddate', 'hs_deal_stage_probability', 'hs_is_closed']);
for (const o of objects) {
  const at = iso(o.created);
  const props: Record<string, string> = { ...o.props, createdate: at, [LAST_MODIFIED[o.type]]: at, hs_object_id: String(o.id) };
  const sorted = Object.fromEntries(Object.keys(props).sort().map((k) => [k, props[k]!]));
  out.push(`insert into crm_objects (id, type, properties, created_at, updated_at) values (${o.id}, '${o.type}', '${esc(JSON.stringify(sorted))}'::jsonb, '${at}', '${at}');`);
  const hist = Object.keys(sorted).filter((k) => !READ_ONLY.has(k));
  out.push(
    `insert into property_history (object_id, name, value, at, source_type) values ${hist.map((k) => `(${o.id}, '${k}', '${esc(sorted[k]!)}', '${at}', 'IMPORT')`).join(', ')};`,
  );
}
const rows: string[] = [];
for (const l of links) {
  const def = ASSOC_TYPES.find((a) => a.id === l.typeId)!;
  const plain = ASSOC_TYPES.find((a) => a.from === def.from && a.to === def.to && a.label === null)!;
  const at = iso(Math.max(l.from.created, l.to.created));
  const add = (d: typeof def) => {
    rows.push(`('${d.from}', ${l.from.id}, '${d.to}', ${l.to.id}, ${d.id}, '${at}')`);
    rows.push(`('${d.to}', ${l.to.id}, '${d.from}', ${l.from.id}, ${d.inverse}, '${at}')`);
  };
  add(def);
  if (def.id !== plain.id) add(plain);
}
for (let i = 0; i < rows.length; i += 200) {
  out.push(`insert into associations (from_type, from_id, to_type, to_id, type_id, created_at) values ${rows.slice(i, i + 200).join(', ')};`);
}
const file = process.argv[2] ?? join(import.meta.dir, '..', 'fixtures', 'acme.sql');
await Bun.write(file, `${out.join('\n')}\n`);
process.stdout.write(`${file}: ${records} records (${companies.length} companies, ${contacts.length} contacts, ${records - companies.length - contacts.length} deals, ${rows.length} association rows)\n`);
