/**
 * The static part of the portal: object types, their property definitions (what the
 * properties API answers and what writes are validated against), the default deal
 * and ticket pipelines, and HubSpot's built-in association types between contacts, companies,
 * deals and tickets.
 */

export type ObjectType = 'contacts' | 'companies' | 'deals' | 'tickets';
export const OBJECT_TYPES: ObjectType[] = ['contacts', 'companies', 'deals', 'tickets'];

/** objectTypeId (0-1…), singular and plural names all name a type, as HubSpot accepts. */
const TYPE_ALIASES: Record<string, ObjectType> = {
  contacts: 'contacts',
  contact: 'contacts',
  '0-1': 'contacts',
  companies: 'companies',
  company: 'companies',
  '0-2': 'companies',
  deals: 'deals',
  deal: 'deals',
  '0-3': 'deals',
  tickets: 'tickets',
  ticket: 'tickets',
  '0-5': 'tickets',
};
export const TYPE_IDS: Record<ObjectType, string> = { contacts: '0-1', companies: '0-2', deals: '0-3', tickets: '0-5' };
export const SINGULAR: Record<ObjectType, string> = { contacts: 'contact', companies: 'company', deals: 'deal', tickets: 'ticket' };

export function objectTypeOf(name: string): ObjectType | null {
  return TYPE_ALIASES[name.toLowerCase()] ?? null;
}

/** The "last modified" property differs: contacts use lastmodifieddate, others hs_lastmodifieddate. */
export const LAST_MODIFIED: Record<ObjectType, string> = { contacts: 'lastmodifieddate', companies: 'hs_lastmodifieddate', deals: 'hs_lastmodifieddate', tickets: 'hs_lastmodifieddate' };

/** Returned when a read names no `properties` (HubSpot's defaults per type). */
export const DEFAULT_PROPERTIES: Record<ObjectType, string[]> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  deals: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'],
  tickets: ['content', 'createdate', 'hs_lastmodifieddate', 'hs_object_id', 'hs_pipeline', 'hs_pipeline_stage', 'hs_ticket_category', 'hs_ticket_priority', 'subject'],
};

/** What `query` in a search looks at. */
export const SEARCHABLE: Record<ObjectType, string[]> = {
  contacts: ['firstname', 'lastname', 'email', 'phone', 'mobilephone', 'company', 'hs_additional_emails'],
  companies: ['name', 'domain', 'website', 'phone'],
  deals: ['dealname', 'pipeline', 'dealstage', 'description', 'dealtype'],
  tickets: ['subject', 'content', 'hs_pipeline_stage', 'hs_ticket_category'],
};

/** Properties that identify one object (idProperty in reads and upserts). */
export const UNIQUE_PROPERTIES: Record<ObjectType, string[]> = {
  contacts: ['hs_object_id', 'email'],
  companies: ['hs_object_id'],
  deals: ['hs_object_id'],
  tickets: ['hs_object_id'],
};

export type PropType = 'string' | 'number' | 'enumeration' | 'datetime' | 'date' | 'bool';

export interface PropertyDef {
  name: string;
  label: string;
  type: PropType;
  fieldType: string;
  groupName: string;
  description: string;
  options?: Array<{ label: string; value: string }>;
  readOnly?: boolean;
  /** Values are not checked against options (owners: any id). */
  externalOptions?: boolean;
  hasUniqueValue?: boolean;
}

const opts = (...pairs: Array<[string, string]>) => pairs.map(([value, label]) => ({ value, label }));

const LIFECYCLE = opts(
  ['subscriber', 'Subscriber'],
  ['lead', 'Lead'],
  ['marketingqualifiedlead', 'Marketing Qualified Lead'],
  ['salesqualifiedlead', 'Sales Qualified Lead'],
  ['opportunity', 'Opportunity'],
  ['customer', 'Customer'],
  ['evangelist', 'Evangelist'],
  ['other', 'Other'],
);

const p = (name: string, label: string, type: PropType, fieldType: string, groupName: string, extra: Partial<PropertyDef> = {}): PropertyDef => ({
  name,
  label,
  type,
  fieldType,
  groupName,
  description: extra.description ?? '',
  ...extra,
});

const system = (type: ObjectType, group: string): PropertyDef[] => [
  p('createdate', 'Create Date', 'datetime', 'date', group, { readOnly: true, description: 'The date the record was created' }),
  p(LAST_MODIFIED[type], 'Last Modified Date', 'datetime', 'date', group, { readOnly: true, description: 'Most recent timestamp of any property update' }),
  p('hs_object_id', 'Record ID', 'number', 'number', group, { readOnly: true, hasUniqueValue: true, description: 'The unique ID for this record.' }),
  p('hs_merged_object_ids', 'Merged Record IDs', 'enumeration', 'checkbox', group, { readOnly: true, externalOptions: true, description: 'The list of record IDs merged into this one' }),
  p('hubspot_owner_id', 'Owner', 'enumeration', 'select', group, { externalOptions: true, description: 'The owner of the record' }),
];

export const DEAL_STAGES = [
  { id: 'appointmentscheduled', label: 'Appointment Scheduled', probability: '0.2', isClosed: false },
  { id: 'qualifiedtobuy', label: 'Qualified To Buy', probability: '0.4', isClosed: false },
  { id: 'presentationscheduled', label: 'Presentation Scheduled', probability: '0.6', isClosed: false },
  { id: 'decisionmakerboughtin', label: 'Decision Maker Bought-In', probability: '0.8', isClosed: false },
  { id: 'contractsent', label: 'Contract Sent', probability: '0.9', isClosed: false },
  { id: 'closedwon', label: 'Closed Won', probability: '1.0', isClosed: true },
  { id: 'closedlost', label: 'Closed Lost', probability: '0.0', isClosed: true },
];

/** HubSpot's default ticket pipeline ("Support Pipeline", id 0) and its statuses. */
export const TICKET_STAGES = [
  { id: '1', label: 'New', ticketState: 'OPEN' },
  { id: '2', label: 'Waiting on contact', ticketState: 'OPEN' },
  { id: '3', label: 'Waiting on us', ticketState: 'OPEN' },
  { id: '4', label: 'Closed', ticketState: 'CLOSED' },
];

export const PROPERTIES: Record<ObjectType, PropertyDef[]> = {
  contacts: [
    p('email', 'Email', 'string', 'text', 'contactinformation', { hasUniqueValue: true, description: "A contact's email address" }),
    p('firstname', 'First Name', 'string', 'text', 'contactinformation', { description: "A contact's first name" }),
    p('lastname', 'Last Name', 'string', 'text', 'contactinformation', { description: "A contact's last name" }),
    p('phone', 'Phone Number', 'string', 'phonenumber', 'contactinformation', { description: "A contact's primary phone number" }),
    p('mobilephone', 'Mobile Phone Number', 'string', 'phonenumber', 'contactinformation'),
    p('company', 'Company Name', 'string', 'text', 'contactinformation', { description: 'Name of the contact\'s company' }),
    p('jobtitle', 'Job Title', 'string', 'text', 'contactinformation'),
    p('website', 'Website URL', 'string', 'text', 'contactinformation'),
    p('address', 'Street Address', 'string', 'text', 'contactinformation'),
    p('city', 'City', 'string', 'text', 'contactinformation'),
    p('state', 'State/Region', 'string', 'text', 'contactinformation'),
    p('zip', 'Postal Code', 'string', 'text', 'contactinformation'),
    p('country', 'Country/Region', 'string', 'text', 'contactinformation'),
    p('lifecyclestage', 'Lifecycle Stage', 'enumeration', 'radio', 'contactinformation', { options: LIFECYCLE }),
    p('hs_lead_status', 'Lead Status', 'enumeration', 'radio', 'sales_properties', {
      options: opts(['NEW', 'New'], ['OPEN', 'Open'], ['IN_PROGRESS', 'In Progress'], ['OPEN_DEAL', 'Open Deal'], ['UNQUALIFIED', 'Unqualified'], ['ATTEMPTED_TO_CONTACT', 'Attempted to Contact'], ['CONNECTED', 'Connected'], ['BAD_TIMING', 'Bad Timing']),
    }),
    p('hs_additional_emails', 'Additional email addresses', 'enumeration', 'checkbox', 'contactinformation', { readOnly: true, externalOptions: true }),
    ...system('contacts', 'contactinformation'),
  ],
  companies: [
    p('name', 'Company name', 'string', 'text', 'companyinformation', { description: 'The name of the company or organization' }),
    p('domain', 'Company Domain Name', 'string', 'text', 'companyinformation', { description: 'The domain name of the company' }),
    p('website', 'Website URL', 'string', 'text', 'companyinformation'),
    p('phone', 'Phone Number', 'string', 'phonenumber', 'companyinformation'),
    p('industry', 'Industry', 'string', 'text', 'companyinformation', { description: 'The type of business the company performs' }),
    p('description', 'Description', 'string', 'textarea', 'companyinformation'),
    p('address', 'Street Address', 'string', 'text', 'companyinformation'),
    p('city', 'City', 'string', 'text', 'companyinformation'),
    p('state', 'State/Region', 'string', 'text', 'companyinformation'),
    p('zip', 'Postal Code', 'string', 'text', 'companyinformation'),
    p('country', 'Country/Region', 'string', 'text', 'companyinformation'),
    p('numberofemployees', 'Number of Employees', 'number', 'number', 'companyinformation'),
    p('annualrevenue', 'Annual Revenue', 'number', 'number', 'companyinformation', { description: 'The actual or estimated annual revenue of the company' }),
    p('lifecyclestage', 'Lifecycle Stage', 'enumeration', 'radio', 'companyinformation', { options: LIFECYCLE }),
    p('type', 'Type', 'enumeration', 'select', 'companyinformation', { options: opts(['PROSPECT', 'Prospect'], ['PARTNER', 'Partner'], ['RESELLER', 'Reseller'], ['VENDOR', 'Vendor'], ['OTHER', 'Other']) }),
    ...system('companies', 'companyinformation'),
  ],
  deals: [
    p('dealname', 'Deal Name', 'string', 'text', 'dealinformation', { description: 'The name given to this deal.' }),
    p('amount', 'Amount', 'number', 'number', 'dealinformation', { description: 'The total amount of the deal' }),
    p('pipeline', 'Pipeline', 'enumeration', 'select', 'dealinformation', { options: opts(['default', 'Sales Pipeline']), description: 'The pipeline the deal is in.' }),
    p('dealstage', 'Deal Stage', 'enumeration', 'radio', 'dealinformation', { options: DEAL_STAGES.map((s) => ({ value: s.id, label: s.label })), description: 'The stage of the deal.' }),
    p('closedate', 'Close Date', 'datetime', 'date', 'dealinformation', { description: 'Date the deal was closed.' }),
    p('dealtype', 'Deal Type', 'enumeration', 'radio', 'dealinformation', { options: opts(['newbusiness', 'New Business'], ['existingbusiness', 'Existing Business']) }),
    p('description', 'Deal Description', 'string', 'textarea', 'dealinformation'),
    p('hs_priority', 'Priority', 'enumeration', 'select', 'dealinformation', { options: opts(['low', 'Low'], ['medium', 'Medium'], ['high', 'High']) }),
    p('hs_deal_stage_probability', 'Deal Stage Probability', 'number', 'number', 'dealinformation', { readOnly: true, description: 'The probability a deal will close, from its stage.' }),
    p('hs_is_closed', 'Is Deal Closed?', 'bool', 'booleancheckbox', 'dealinformation', { readOnly: true, options: opts(['true', 'Yes'], ['false', 'No']) }),
    ...system('deals', 'dealinformation'),
  ],
  tickets: [
    p('subject', 'Ticket name', 'string', 'text', 'ticketinformation', { description: 'Short summary of ticket' }),
    p('content', 'Ticket description', 'string', 'textarea', 'ticketinformation', { description: 'Text in body of the ticket' }),
    p('hs_pipeline', 'Pipeline', 'enumeration', 'select', 'ticketinformation', { options: opts(['0', 'Support Pipeline']), description: 'The pipeline that contains this ticket' }),
    p('hs_pipeline_stage', 'Ticket status', 'enumeration', 'select', 'ticketinformation', { options: TICKET_STAGES.map((s) => ({ value: s.id, label: s.label })), description: 'The pipeline stage that contains this ticket' }),
    p('hs_ticket_priority', 'Priority', 'enumeration', 'select', 'ticketinformation', { options: opts(['LOW', 'Low'], ['MEDIUM', 'Medium'], ['HIGH', 'High'], ['URGENT', 'Urgent']), description: 'The level of attention needed on the ticket' }),
    p('hs_ticket_category', 'Category', 'enumeration', 'checkbox', 'ticketinformation', { options: opts(['PRODUCT_ISSUE', 'Product issue'], ['BILLING_ISSUE', 'Billing issue'], ['FEATURE_REQUEST', 'Feature request'], ['GENERAL_INQUIRY', 'General inquiry']), description: 'The main reason customer reached out for help' }),
    p('source_type', 'Source', 'enumeration', 'select', 'ticketinformation', { options: opts(['CHAT', 'Chat'], ['EMAIL', 'Email'], ['FORM', 'Form'], ['PHONE', 'Phone']), description: 'Channel where ticket was originally submitted' }),
    p('closed_date', 'Close date', 'datetime', 'date', 'ticketinformation', { readOnly: true, description: 'The date the ticket was closed' }),
    ...system('tickets', 'ticketinformation'),
  ],
};

export const PROPERTY_GROUPS: Record<ObjectType, Array<{ name: string; label: string; displayOrder: number }>> = {
  contacts: [
    { name: 'contactinformation', label: 'Contact information', displayOrder: 0 },
    { name: 'sales_properties', label: 'Sales properties', displayOrder: 1 },
  ],
  companies: [{ name: 'companyinformation', label: 'Company information', displayOrder: 0 }],
  deals: [{ name: 'dealinformation', label: 'Deal information', displayOrder: 0 }],
  tickets: [{ name: 'ticketinformation', label: 'Ticket information', displayOrder: 0 }],
};

const byName = new Map(OBJECT_TYPES.map((t) => [t, new Map(PROPERTIES[t].map((d) => [d.name, d]))]));
export function propertyDef(type: ObjectType, name: string): PropertyDef | undefined {
  return byName.get(type)!.get(name);
}

/** The portal's one deal pipeline; ids and probabilities are HubSpot's defaults. */
export const PIPELINE_CREATED = '2024-01-01T00:00:00.000Z';

// ---- associations (HubSpot-defined types between the three object types)

export interface AssocType {
  id: number;
  /** HUBSPOT_DEFINED for the types below; USER_DEFINED for labels created through the API. */
  category?: 'HUBSPOT_DEFINED' | 'USER_DEFINED';
  from: ObjectType;
  to: ObjectType;
  label: string | null;
  /** The type id of the same association seen from the other side. */
  inverse: number;
  /** v3 name (the `type` of an associated id in a v3 read). */
  v3: string;
  /** Setting this label also sets the unlabeled (default) type. */
  primary?: boolean;
}

export const ASSOC_TYPES: AssocType[] = [
  { id: 279, from: 'contacts', to: 'companies', label: null, inverse: 280, v3: 'contact_to_company_unlabeled' },
  { id: 1, from: 'contacts', to: 'companies', label: 'Primary', inverse: 2, v3: 'contact_to_company', primary: true },
  { id: 280, from: 'companies', to: 'contacts', label: null, inverse: 279, v3: 'company_to_contact_unlabeled' },
  { id: 2, from: 'companies', to: 'contacts', label: 'Primary', inverse: 1, v3: 'company_to_contact', primary: true },
  { id: 3, from: 'deals', to: 'contacts', label: null, inverse: 4, v3: 'deal_to_contact' },
  { id: 4, from: 'contacts', to: 'deals', label: null, inverse: 3, v3: 'contact_to_deal' },
  { id: 341, from: 'deals', to: 'companies', label: null, inverse: 342, v3: 'deal_to_company_unlabeled' },
  { id: 5, from: 'deals', to: 'companies', label: 'Primary', inverse: 6, v3: 'deal_to_company', primary: true },
  { id: 342, from: 'companies', to: 'deals', label: null, inverse: 341, v3: 'company_to_deal_unlabeled' },
  { id: 6, from: 'companies', to: 'deals', label: 'Primary', inverse: 5, v3: 'company_to_deal', primary: true },
  { id: 16, from: 'tickets', to: 'contacts', label: null, inverse: 15, v3: 'ticket_to_contact' },
  { id: 15, from: 'contacts', to: 'tickets', label: null, inverse: 16, v3: 'contact_to_ticket' },
  { id: 339, from: 'tickets', to: 'companies', label: null, inverse: 340, v3: 'ticket_to_company_unlabeled' },
  { id: 26, from: 'tickets', to: 'companies', label: 'Primary', inverse: 25, v3: 'ticket_to_company', primary: true },
  { id: 340, from: 'companies', to: 'tickets', label: null, inverse: 339, v3: 'company_to_ticket_unlabeled' },
  { id: 25, from: 'companies', to: 'tickets', label: 'Primary', inverse: 26, v3: 'company_to_ticket', primary: true },
  { id: 28, from: 'tickets', to: 'deals', label: null, inverse: 27, v3: 'ticket_to_deal' },
  { id: 27, from: 'deals', to: 'tickets', label: null, inverse: 28, v3: 'deal_to_ticket' },
];
