import * as v from 'valibot';
import type { AiEntity } from '../../../src/seed/entities.ts';

/**
 * AI-seed entities of the linear template; the clone's hook
 * (templates/linear/src/seed-records.ts) writes them through the API's own code: people
 * (unique email), teams (unique key, default workflow states), projects (on teams named by
 * key) and issues (on a team by key; state by name, assignee by email, project by name,
 * labels by name, created when missing).
 */
const text = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max));
const teamKey = v.pipe(v.string(), v.regex(/^[A-Za-z][A-Za-z0-9]{0,6}$/, 'a team key: 1-7 letters or digits, starting with a letter'));
const STATES = ['Backlog', 'Todo', 'In Progress', 'In Review', 'Done', 'Canceled', 'Duplicate'] as const;

export const entities: AiEntity[] = [
  {
    name: 'users',
    dependsOn: [],
    brief: 'a person in the Linear workspace of a software company; `email` is unique',
    scale: 0.5,
    ref: (r) => (typeof r.email === 'string' ? r.email : undefined),
    schema: v.strictObject({ name: text(100), email: v.pipe(v.string(), v.email()), displayName: v.optional(text(40)) }),
  },
  {
    name: 'teams',
    dependsOn: [],
    brief: 'a Linear team (Mobile, Platform, Growth, Support, ...); `key` is a unique short uppercase code used in issue identifiers (MOB-12)',
    scale: 0.1,
    ref: (r) => (typeof r.key === 'string' ? r.key : undefined),
    schema: v.strictObject({ name: text(80), key: teamKey, description: v.optional(v.pipe(v.string(), v.maxLength(500))) }),
  },
  {
    name: 'projects',
    dependsOn: ['teams'],
    brief: 'a Linear project run by one or more of the teams given (by key); `name` is unique',
    scale: 0.2,
    schema: v.strictObject({
      name: text(120),
      teams: v.pipe(v.array(teamKey), v.minLength(1), v.maxLength(3)),
      description: v.optional(v.pipe(v.string(), v.maxLength(1000))),
      state: v.optional(v.picklist(['backlog', 'planned', 'started', 'paused', 'completed', 'canceled'])),
    }),
  },
  {
    name: 'issues',
    dependsOn: ['users', 'teams', 'projects'],
    brief: `a Linear issue on one of the teams given (\`team\` by key); \`state\` one of ${STATES.join(', ')}; \`priority\` 0 (none), 1 (urgent) to 4 (low); \`assignee\` by email; \`project\` by name; \`labels\` short names such as Bug, Feature`,
    scale: 1,
    ref: (r) => (typeof r.title === 'string' ? r.title : undefined),
    schema: v.strictObject({
      team: teamKey,
      title: text(200),
      description: v.optional(v.pipe(v.string(), v.maxLength(4000))),
      state: v.optional(v.picklist(STATES)),
      priority: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(4))),
      estimate: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(64))),
      assignee: v.optional(v.pipe(v.string(), v.email())),
      project: v.optional(text(120)),
      labels: v.optional(v.pipe(v.array(text(40)), v.maxLength(5))),
    }),
  },
];
