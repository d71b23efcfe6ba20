/**
 * AI-seed entities per template, as valibot schemas. The model is asked for records
 * through tool use with JSON Schemas derived from these (@valibot/to-json-schema), and every
 * record is validated against the same schema before it is sent to the clone, whose own
 * seed hook checks what only it can (references, uniqueness).
 */
import * as v from 'valibot';

export interface AiEntity {
  name: string;
  /** Entities whose generated records this one refers to (generated first). */
  dependsOn: string[];
  /** What to tell the model about one record. */
  brief: string;
  schema: v.GenericSchema;
  /** Records per volume step (small / medium / large) before scaling. */
  scale: number;
}

const handle = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9._-]{0,79}$/, 'lowercase letters, digits, dots, dashes, underscores'));
const text = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max));

const slack: AiEntity[] = [
  {
    name: 'users',
    dependsOn: [],
    brief: 'a member of the company workspace; `name` is a unique lowercase handle like "maria.garcia"',
    scale: 1,
    schema: v.strictObject({
      name: handle,
      real_name: text(80),
      email: v.pipe(v.string(), v.email()),
      title: v.optional(v.pipe(v.string(), v.maxLength(100))),
      tz: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z_]+\/[A-Za-z_/-]+$/, 'an IANA time zone such as Europe/Paris'))),
      is_admin: v.optional(v.boolean()),
    }),
  },
  {
    name: 'channels',
    dependsOn: ['users'],
    brief: 'a channel; `name` is lowercase with dashes, unique; `members` are user names from the list given',
    scale: 0.4,
    schema: v.strictObject({
      name: v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_-]{0,79}$/, 'lowercase letters, digits, dashes, underscores')),
      is_private: v.optional(v.boolean()),
      topic: v.optional(v.pipe(v.string(), v.maxLength(250))),
      purpose: v.optional(v.pipe(v.string(), v.maxLength(250))),
      members: v.optional(v.array(handle)),
    }),
  },
  {
    name: 'messages',
    dependsOn: ['users', 'channels'],
    brief: 'a message; `channel` and `user` are names from the lists given; `thread` (optional) is the 0-based index of an earlier message in this same batch that this one replies to',
    scale: 4,
    schema: v.strictObject({
      channel: v.pipe(v.string(), v.minLength(1)),
      user: handle,
      text: text(4000),
      thread: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
      reactions: v.optional(v.array(v.strictObject({ name: v.pipe(v.string(), v.regex(/^[a-z0-9_+-]+$/)), users: v.array(handle) }))),
    }),
  },
];

const registry: Record<string, AiEntity[]> = { slack };

export function registerAiEntities(template: string, entities: AiEntity[]): void {
  registry[template] = entities;
}

export function aiEntitiesFor(template: string): AiEntity[] | undefined {
  return registry[template];
}

/** The requested entities plus what they depend on, in dependency order. */
export function planEntities(all: AiEntity[], requested: string[] | undefined): AiEntity[] {
  const byName = new Map(all.map((e) => [e.name, e]));
  const want = new Set<string>();
  const add = (n: string) => {
    const e = byName.get(n);
    if (!e || want.has(n)) return;
    e.dependsOn.forEach(add);
    want.add(n);
  };
  (requested ?? all.map((e) => e.name)).forEach(add);
  return all.filter((e) => want.has(e.name));
}

export const VOLUMES = { small: 8, medium: 25, large: 80 } as const;
