import type { SQL } from 'bun';
import { isKitError } from '../../_kit/errors.ts';
import type { KitContext, RecordsOutcome } from '../../_kit/types.ts';
import type { ObjectType } from './schema.ts';
import type { AssocInput } from './association-writes.ts';
import { COLS, toObject, type CrmObject, type Exec } from './lookup.ts';
import { catalogOf } from './catalog.ts';
import { normalizeProperties } from './property-values.ts';
import { createObject } from './writes.ts';

/**
 * Records from an AI seed (or a harness), validated one by one: a bad record is rejected
 * with a reason and counted, never thrown. Companies are written first, then contacts
 * (which name their company by name or domain), then deals (which name a company and
 * contacts by email). Every value goes through the same validation as the API.
 *
 *   companies: { name, domain?, industry?, city?, state?, country?, phone?, numberofemployees?, annualrevenue?, description?, type?, lifecyclestage? }
 *   contacts:  { email, firstname, lastname?, phone?, jobtitle?, city?, country?, lifecyclestage?, hs_lead_status?, company?: name|domain }
 *   deals:     { dealname, amount?, dealstage, closedate?, dealtype?, hs_priority?, description?, company?: name|domain, contacts?: [email] }
 */
type Rec = Record<string, unknown>;
const ENTITIES = ['companies', 'contacts', 'deals'];
const REF_FIELDS = new Set(['company', 'contacts']);

function props(r: Rec, except: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (!REF_FIELDS.has(k) && !except.includes(k) && v !== undefined && v !== null) out[k] = typeof v === 'number' ? String(v) : v;
  return out;
}

async function live(ctx: KitContext, type: ObjectType): Promise<CrmObject[]> {
  const rows = await ctx.db.unsafe(`select ${COLS} from crm_objects where type = $1 and not archived order by id`, [type]);
  return rows.map(toObject);
}

export async function seedHubspotRecords(ctx: KitContext, records: Record<string, unknown[]>): Promise<RecordsOutcome> {
  const out: RecordsOutcome = { written: 0, rejected: 0, rejections: [], warnings: [] };
  const reject = (entity: string, index: number, reason: string) => {
    out.rejected++;
    out.rejections.push({ entity, index, reason });
  };
  const catalog = await catalogOf(ctx);
  for (const e of Object.keys(records)) if (!ENTITIES.includes(e)) out.warnings.push(`unknown entity ${e}; skipped`);

  const write = async (entity: string, index: number, type: ObjectType, input: Record<string, unknown>, assocs: AssocInput[]): Promise<CrmObject | null> => {
    try {
      const values = normalizeProperties(catalog, type, input);
      const obj = await ctx.db.tx((tx) => createObject(tx as unknown as Exec, catalog, type, values, assocs, { source: 'IMPORT' }));
      out.written++;
      return obj;
    } catch (e) {
      if (!isKitError(e)) throw e;
      reject(entity, index, e.message);
      return null;
    }
  };

  const companies = await live(ctx, 'companies');
  const companyBy = (ref: string) => {
    const r = ref.trim().toLowerCase();
    return companies.find((c) => c.properties.name?.toLowerCase() === r || c.properties.domain?.toLowerCase() === r || String(c.id) === r);
  };
  for (const [i, raw] of (records.companies ?? []).entries()) {
    const r = (raw ?? {}) as Rec;
    if (typeof r.name !== 'string' || !r.name.trim()) {
      reject('companies', i, 'name is required');
      continue;
    }
    if (companyBy(r.name) || (typeof r.domain === 'string' && r.domain && companyBy(r.domain))) {
      reject('companies', i, `a company named ${r.name} (or with domain ${String(r.domain ?? '')}) exists already`);
      continue;
    }
    const c = await write('companies', i, 'companies', props(r), []);
    if (c) companies.push(c);
  }

  const contacts = await live(ctx, 'contacts');
  for (const [i, raw] of (records.contacts ?? []).entries()) {
    const r = (raw ?? {}) as Rec;
    if (typeof r.email !== 'string' || !r.email.trim()) {
      reject('contacts', i, 'email is required');
      continue;
    }
    const assocs: AssocInput[] = [];
    const input = props(r);
    if (typeof r.company === 'string' && r.company.trim()) {
      const company = companyBy(r.company);
      if (!company) {
        reject('contacts', i, `no company ${r.company}`);
        continue;
      }
      assocs.push({ toId: company.id, typeId: 1, category: 'HUBSPOT_DEFINED' });
      input.company ??= company.properties.name;
    }
    const c = await write('contacts', i, 'contacts', input, assocs);
    if (c) contacts.push(c);
  }

  for (const [i, raw] of (records.deals ?? []).entries()) {
    const r = (raw ?? {}) as Rec;
    if (typeof r.dealname !== 'string' || !r.dealname.trim()) {
      reject('deals', i, 'dealname is required');
      continue;
    }
    const assocs: AssocInput[] = [];
    let bad: string | null = null;
    if (typeof r.company === 'string' && r.company.trim()) {
      const company = companyBy(r.company);
      if (!company) bad = `no company ${r.company}`;
      else assocs.push({ toId: company.id, typeId: 5, category: 'HUBSPOT_DEFINED' });
    }
    for (const email of Array.isArray(r.contacts) ? r.contacts : []) {
      const contact = contacts.find((c) => c.properties.email === String(email).trim().toLowerCase());
      if (!contact) {
        bad ??= `no contact with email ${String(email)}`;
        continue;
      }
      assocs.push({ toId: contact.id, typeId: 3, category: 'HUBSPOT_DEFINED' });
    }
    if (bad) {
      reject('deals', i, bad);
      continue;
    }
    await write('deals', i, 'deals', props(r), assocs);
  }
  return out;
}

/** Before a forced re-seed: every CRM object goes (portal, principals and tokens stay). */
export async function clearHubspotSeeded(_ctx: KitContext, tx: SQL): Promise<void> {
  await tx`delete from associations`;
  await tx`delete from property_history`;
  await tx`delete from crm_objects`;
}
