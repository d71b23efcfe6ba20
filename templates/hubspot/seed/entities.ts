import * as v from 'valibot';
import type { AiEntity } from '../../../src/seed/entities.ts';

/**
 * AI-seed entities of the hubspot template; the clone's hook
 * (templates/hubspot/src/seed-records.ts) resolves references (a contact's company by name
 * or domain, a deal's company and contacts by name and email), validates every property as
 * the API does, and rejects what does not resolve or is a duplicate (contact email).
 */
const text = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max));
const opt = (max: number) => v.optional(v.pipe(v.string(), v.maxLength(max)));
const lifecycle = v.optional(v.picklist(['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other']));
const domain = v.pipe(v.string(), v.regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'a lowercase domain name like acme.com'));

export const entities: AiEntity[] = [
  {
    name: 'companies',
    dependsOn: [],
    brief: 'a company in the CRM of a B2B software vendor (a customer, prospect or partner); `name` and `domain` are unique',
    scale: 0.5,
    schema: v.strictObject({
      name: text(200),
      domain: v.optional(domain),
      industry: opt(100),
      city: opt(100),
      state: opt(100),
      country: opt(100),
      phone: opt(40),
      numberofemployees: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5_000_000))),
      annualrevenue: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1e13))),
      description: opt(1000),
      type: v.optional(v.picklist(['PROSPECT', 'PARTNER', 'RESELLER', 'VENDOR', 'OTHER'])),
      lifecyclestage: lifecycle,
    }),
  },
  {
    name: 'contacts',
    dependsOn: ['companies'],
    brief: 'a person at one of the companies given (name that company in `company`, by its name); `email` is unique and usually at the company domain',
    scale: 1,
    ref: (r) => (typeof r.email === 'string' ? r.email : undefined),
    schema: v.strictObject({
      email: v.pipe(v.string(), v.email()),
      firstname: text(100),
      lastname: v.optional(text(100)),
      phone: opt(40),
      jobtitle: opt(150),
      city: opt(100),
      country: opt(100),
      lifecyclestage: lifecycle,
      hs_lead_status: v.optional(v.picklist(['NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'BAD_TIMING'])),
      company: v.optional(text(200)),
    }),
  },
  {
    name: 'deals',
    dependsOn: ['companies', 'contacts'],
    brief:
      'a deal in the default Sales Pipeline with a company given (by name) and some of its contacts given (by email); `dealstage` is one of appointmentscheduled, qualifiedtobuy, presentationscheduled, decisionmakerboughtin, contractsent, closedwon, closedlost (a realistic mix); `amount` in dollars; `closedate` an ISO date',
    scale: 0.5,
    ref: (r) => (typeof r.dealname === 'string' ? r.dealname : undefined),
    schema: v.strictObject({
      dealname: text(200),
      amount: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1e11))),
      dealstage: v.picklist(['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent', 'closedwon', 'closedlost']),
      closedate: v.optional(v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/, 'an ISO date like 2025-06-30'))),
      dealtype: v.optional(v.picklist(['newbusiness', 'existingbusiness'])),
      hs_priority: v.optional(v.picklist(['low', 'medium', 'high'])),
      description: opt(1000),
      company: v.optional(text(200)),
      contacts: v.optional(v.pipe(v.array(v.pipe(v.string(), v.email())), v.maxLength(10))),
    }),
  },
];
