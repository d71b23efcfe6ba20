import * as v from 'valibot';
import type { AiEntity } from '../../../src/seed/entities.ts';

/**
 * AI-seed entities of the notion template; the clone's hook
 * (templates/notion/src/seed-records.ts) writes them through the API's own validation:
 * people (unique email), databases under a "Seeded content" page, and pages either in a
 * database (named by title, values by property name) or under that page.
 */
const text = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max));
const PROPERTY_TYPES = ['rich_text', 'number', 'select', 'multi_select', 'status', 'date', 'people', 'checkbox', 'url', 'email', 'phone_number'] as const;

export const entities: AiEntity[] = [
  {
    name: 'users',
    dependsOn: [],
    brief: 'a person in the Notion workspace of a software company; `email` is unique',
    scale: 0.5,
    ref: (r) => (typeof r.email === 'string' ? r.email : undefined),
    schema: v.strictObject({ name: text(100), email: v.pipe(v.string(), v.email()) }),
  },
  {
    name: 'databases',
    dependsOn: [],
    brief:
      'a Notion database (a tracker such as Tasks, Projects, Meetings, Bugs); `title` is unique; `properties` maps a column name to its type (besides the title column "Name"); select, multi_select and status columns list their `options`',
    scale: 0.25,
    ref: (r) => (typeof r.title === 'string' ? r.title : undefined),
    schema: v.strictObject({
      title: text(100),
      description: v.optional(v.pipe(v.string(), v.maxLength(500))),
      properties: v.optional(
        v.record(text(50), v.strictObject({ type: v.picklist(PROPERTY_TYPES), options: v.optional(v.pipe(v.array(v.pipe(text(50), v.regex(/^[^,]+$/, 'no commas'))), v.maxLength(12))) })),
      ),
    }),
  },
  {
    name: 'pages',
    dependsOn: ['users', 'databases'],
    brief:
      'a Notion page: either a row of one of the databases given (name it in `database` by title; `properties` by column name: strings for text, select, status, dates as YYYY-MM-DD; numbers; booleans; arrays of option names for multi_select or of emails for people) or a standalone wiki page (no `database`) with `content` paragraphs',
    scale: 1,
    ref: (r) => (typeof r.title === 'string' ? r.title : undefined),
    schema: v.strictObject({
      title: text(200),
      database: v.optional(text(100)),
      properties: v.optional(v.record(text(50), v.union([v.string(), v.number(), v.boolean(), v.array(v.string())]))),
      content: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(2000))), v.maxLength(20))),
    }),
  },
];
