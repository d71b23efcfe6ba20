import * as v from 'valibot';
import type { AiEntity } from '../../../src/seed/entities.ts';

const handle = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9._-]{0,79}$/, 'lowercase letters, digits, dots, dashes, underscores'));
const text = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max));

export const entities: AiEntity[] = [
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

