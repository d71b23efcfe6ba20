/**
 * Generates fixtures/acme.sql: a deterministic company workspace (people, public and
 * private channels, threads, reactions, DMs; #engineering holds 300+ messages). Fixed ids,
 * fixed timestamps, a seeded PRNG: the same script always writes the same bytes.
 *
 * The pack attaches to what provision created (the team, the admin, the bot user and
 * #general) by looking them up in SQL, so it never collides with provisioned ids; its own
 * ids all carry the ACME infix (U0ACME…, C0ACME…, D0ACME…).
 *
 *   bun templates/slack/scripts/gen-fixture.ts   (writes templates/slack/fixtures/acme.sql)
 */
import { join } from 'node:path';
import { prng } from '../../_kit/prng.ts';

const { rand, pick } = prng(0x5eedac);
const q = (s: string | null) => (s === null ? 'null' : `'${s.replace(/'/g, "''")}'`);

const PEOPLE = [
  ['alice', 'Alice Chen', 'VP Engineering', 'America/Los_Angeles'], ['bob', 'Bob Martinez', 'Staff Engineer', 'America/Los_Angeles'],
  ['carol', 'Carol Okafor', 'Product Manager', 'America/New_York'], ['dave', 'Dave Kim', 'Backend Engineer', 'America/Chicago'],
  ['erin', 'Erin Walsh', 'Designer', 'Europe/London'], ['frank', 'Frank Müller', 'SRE', 'Europe/Berlin'],
  ['grace', 'Grace Liu', 'Frontend Engineer', 'America/Los_Angeles'], ['heidi', 'Heidi Novak', 'Support Lead', 'Europe/Prague'],
  ['ivan', 'Ivan Petrov', 'Data Engineer', 'Europe/Sofia'], ['judy', 'Judy Park', 'Account Executive', 'America/New_York'],
  ['mallory', 'Mallory Stone', 'Security Engineer', 'America/Denver'], ['niaj', 'Niaj Haddad', 'Mobile Engineer', 'Asia/Dubai'],
  ['olivia', 'Olivia Brown', 'CEO', 'America/New_York'], ['peggy', 'Peggy Singh', 'CFO', 'America/New_York'],
  ['quentin', 'Quentin Dubois', 'Sales Engineer', 'Europe/Paris'], ['rupert', 'Rupert Hale', 'Support Engineer', 'Europe/London'],
  ['sybil', 'Sybil Tanaka', 'QA Engineer', 'Asia/Tokyo'], ['trent', 'Trent Ward', 'Engineering Manager', 'America/Chicago'],
  ['uma', 'Uma Reddy', 'ML Engineer', 'Asia/Kolkata'], ['victor', 'Victor Alves', 'DevRel', 'America/Sao_Paulo'],
  ['wendy', 'Wendy Cho', 'Recruiter', 'America/Los_Angeles'], ['xavier', 'Xavier Diaz', 'Marketing Lead', 'Europe/Madrid'],
] as const;

const users = PEOPLE.map(([name, real, title, tz], i) => ({ id: `U0ACME${String(i + 1).padStart(4, '0')}`, name, real, title, tz }));
const uid = (name: string) => (users.find((u) => u.name === name) as { id: string }).id;

interface Chan { id: string; name: string; isPrivate: boolean; topic: string; purpose: string; members: string[]; messages: number; bot: boolean }
const CHANNELS: Chan[] = [
  { id: 'C0ACME0001', name: 'engineering', isPrivate: false, topic: 'Ship it, carefully', purpose: 'Engineering discussion', members: ['alice', 'bob', 'dave', 'frank', 'grace', 'ivan', 'mallory', 'niaj', 'sybil', 'trent', 'uma'], messages: 420, bot: true },
  { id: 'C0ACME0002', name: 'random', isPrivate: false, topic: 'Non-work banter', purpose: 'Anything goes', members: users.map((u) => u.name), messages: 60, bot: false },
  { id: 'C0ACME0003', name: 'product', isPrivate: false, topic: 'Q3 roadmap', purpose: 'Product planning', members: ['alice', 'carol', 'erin', 'olivia', 'trent', 'xavier'], messages: 45, bot: false },
  { id: 'C0ACME0004', name: 'design', isPrivate: false, topic: 'Figma links welcome', purpose: 'Design reviews', members: ['carol', 'erin', 'grace'], messages: 25, bot: false },
  { id: 'C0ACME0005', name: 'sales', isPrivate: false, topic: 'Pipeline', purpose: 'Deals and customers', members: ['judy', 'quentin', 'olivia', 'xavier', 'peggy'], messages: 30, bot: false },
  { id: 'C0ACME0006', name: 'support', isPrivate: false, topic: 'Customer escalations', purpose: 'Support queue', members: ['heidi', 'rupert', 'dave', 'sybil'], messages: 40, bot: true },
  { id: 'C0ACME0007', name: 'leadership', isPrivate: true, topic: 'Confidential', purpose: 'Leadership team', members: ['olivia', 'peggy', 'alice', 'trent'], messages: 20, bot: false },
  { id: 'C0ACME0008', name: 'incident-response', isPrivate: true, topic: 'SEV channel', purpose: 'Active incidents', members: ['frank', 'mallory', 'bob', 'alice'], messages: 25, bot: true },
];

const OPENERS = ['Heads up:', 'Quick question:', 'FYI', 'Reminder:', 'Update:', 'Does anyone know', 'Looks like', 'I think', 'Can someone review', 'Status:'];
const TOPICS = ['the deploy pipeline', 'the billing service', 'PR #%n', 'the onboarding flow', 'our Postgres upgrade', 'the Q3 roadmap', 'the flaky integration tests', 'customer ticket %n', 'the new pricing page', 'the on-call rotation', 'the mobile release', 'the search index', 'the design system', 'the SSO rollout', 'the latency dashboard'];
const CLOSERS = ['is ready for review.', 'needs another look.', 'shipped this morning.', 'is blocked on infra.', 'should land by Friday.', 'broke again overnight.', 'looks good to me.', 'is 80% done.', 'needs a decision.', 'is on the agenda for standup.'];
const REPLIES = ['On it.', 'Thanks!', 'Good catch.', 'I can take this.', 'Let me check.', '+1', 'Merged.', 'Can we sync later?', 'Done, please verify.', 'Agreed.'];
const EMOJI = ['thumbsup', 'eyes', 'white_check_mark', 'tada', 'rocket', 'heart', 'joy', 'pray', '100', 'fire'];

function sentence(): string {
  return `${pick(OPENERS)} ${pick(TOPICS).replace('%n', String(100 + Math.floor(rand() * 900)))} ${pick(CLOSERS)}`;
}

const out: string[] = [];
let t = 1_700_000_000; // 2023-11-14T22:13:20Z, the start of the pack's history
const ts = (secs: number, micros = 0) => `${secs}.${String(micros).padStart(6, '0')}`;
let messageCount = 0;
let reactionCount = 0;

out.push('begin;');
out.push(`create temp table _fx on commit drop as select
  (select id from teams order by created, id limit 1) as team,
  (select bot_user_id from apps order by created, id limit 1) as bot,
  (select id from users where is_primary_owner order by id limit 1) as admin,
  (select id from conversations where is_general order by id limit 1) as general;`);

for (const u of users) {
  out.push(`insert into users (id, team_id, name, real_name, display_name, email, title, tz, color, updated) select ${q(u.id)}, team, ${q(u.name)}, ${q(u.real)}, ${q(u.name)}, ${q(`${u.name}@acme.test`)}, ${q(u.title)}, ${q(u.tz)}, ${q(((u.id.charCodeAt(9) * 2654435761) >>> 8).toString(16).slice(0, 6).padStart(6, '0'))}, ${t} from _fx on conflict do nothing;`);
}
for (const u of users) out.push(`insert into members (conversation_id, user_id, joined) select general, ${q(u.id)}, ${t} from _fx on conflict do nothing;`);
out.push(`insert into members (conversation_id, user_id, joined) select general, bot, ${t} from _fx on conflict do nothing;`);

for (const c of CHANNELS) {
  const creator = uid(c.members[0] as string);
  out.push(`insert into conversations (id, team_id, name, kind, is_private, creator, created, updated, topic, topic_creator, topic_last_set, purpose, purpose_creator, purpose_last_set)
  select ${q(c.id)}, team, ${q(c.name)}, 'channel', ${c.isPrivate}, ${q(creator)}, ${t}, ${t}, ${q(c.topic)}, ${q(creator)}, ${t}, ${q(c.purpose)}, ${q(creator)}, ${t} from _fx on conflict do nothing;`);
  for (const m of c.members) out.push(`insert into members (conversation_id, user_id, joined) values (${q(c.id)}, ${q(uid(m))}, ${t}) on conflict do nothing;`);
  if (!c.isPrivate) out.push(`insert into members (conversation_id, user_id, joined) select ${q(c.id)}, admin, ${t} from _fx on conflict do nothing;`);
  if (c.bot) out.push(`insert into members (conversation_id, user_id, joined) select ${q(c.id)}, bot, ${t} from _fx on conflict do nothing;`);
}

function insertMsg(conv: string, convRef: string, user: string, secs: number, text: string, threadTs: string | null): string {
  messageCount++;
  return `insert into messages (conversation_id, ts, team_id, user_id, text, thread_ts) select ${convRef}, ${q(ts(secs))}, team, ${q(user)}, ${q(text)}, ${q(threadTs)} from _fx on conflict do nothing;`;
}

function fill(convId: string, convRef: string, members: string[], count: number): void {
  let made = 0;
  while (made < count) {
    t += 60 + Math.floor(rand() * 3600);
    const author = uid(pick(members));
    const rootTs = ts(t);
    const replies = rand() < 0.15 ? 1 + Math.floor(rand() * 4) : 0;
    out.push(insertMsg(convId, convRef, author, t, sentence(), replies ? rootTs : null));
    made++;
    for (let r = 0; r < replies && made < count; r++) {
      t += 30 + Math.floor(rand() * 600);
      out.push(insertMsg(convId, convRef, uid(pick(members)), t, pick(REPLIES), rootTs));
      made++;
    }
    if (rand() < 0.25) {
      const emoji = pick(EMOJI);
      const reactors = [...new Set([pick(members), pick(members), pick(members)])].slice(0, 1 + Math.floor(rand() * 3));
      for (const who of reactors) {
        reactionCount++;
        out.push(`insert into reactions (conversation_id, message_ts, name, user_id) select ${convRef}, ${q(rootTs)}, ${q(emoji)}, ${q(uid(who))} from _fx on conflict do nothing;`);
      }
    }
  }
}

// #general first (the provisioned channel, looked up), then each pack channel in order.
fill('general', 'general', users.map((u) => u.name), 30);
for (const c of CHANNELS) fill(c.id, q(c.id), c.members, c.messages);

// Direct messages and one group DM.
const DMS: [string, string, string][] = [['D0ACME0001', 'alice', 'bob'], ['D0ACME0002', 'carol', 'erin'], ['D0ACME0003', 'heidi', 'rupert']];
for (const [id, a, b] of DMS) {
  const key = [uid(a), uid(b)].sort().join(',');
  out.push(`insert into conversations (id, team_id, name, kind, is_private, creator, created, updated, im_user, member_key) select ${q(id)}, team, null, 'im', true, ${q(uid(a))}, ${t}, ${t}, ${q(uid(b))}, ${q(key)} from _fx on conflict do nothing;`);
  out.push(`insert into members (conversation_id, user_id, joined) values (${q(id)}, ${q(uid(a))}, ${t}), (${q(id)}, ${q(uid(b))}, ${t}) on conflict do nothing;`);
  fill(id, q(id), [a, b], 12);
}
const mp = ['alice', 'olivia', 'trent'];
out.push(`insert into conversations (id, team_id, name, kind, is_private, creator, created, updated, member_key) select 'C0ACME0009', team, 'mpdm-alice--olivia--trent-1', 'mpim', true, ${q(uid('alice'))}, ${t}, ${t}, ${q(mp.map(uid).sort().join(','))} from _fx on conflict do nothing;`);
for (const m of mp) out.push(`insert into members (conversation_id, user_id, joined) values ('C0ACME0009', ${q(uid(m))}, ${t}) on conflict do nothing;`);
fill('C0ACME0009', "'C0ACME0009'", mp, 10);

// Pins, so pins.list has something to show.
out.push(`insert into pins (conversation_id, message_ts, pinned_by, created) select conversation_id, min(ts), ${q(uid('alice'))}, ${t} from messages where conversation_id = 'C0ACME0001' group by conversation_id on conflict do nothing;`);

// Later posts must get ts values after the pack's history.
out.push(`update conversations c set last_ts_us = greatest(c.last_ts_us, coalesce((select max(split_part(ts, '.', 1)::bigint * 1000000 + split_part(ts, '.', 2)::bigint) from messages m where m.conversation_id = c.id), 0));`);
out.push('commit;');

const records = users.length + CHANNELS.length + DMS.length + 1 + messageCount;
const header = [
  `-- asym-fixture: acme records=${records} users=${users.length} conversations=${CHANNELS.length + DMS.length + 1} messages=${messageCount} reactions=${reactionCount}`,
  '-- Generated by templates/slack/scripts/gen-fixture.ts; do not edit by hand.',
  '-- Requires a provisioned clone: attaches to its team, admin, bot user and #general.',
];
// The kit runs the pack inside its own transaction; the begin/commit lines are for psql use.
const body = out.filter((l) => l !== 'begin;' && l !== 'commit;');
await Bun.write(join(import.meta.dir, '..', 'fixtures', 'acme.sql'), `${[...header, ...body].join('\n')}\n`);
process.stdout.write(`fixtures/acme.sql: ${records} records (${messageCount} messages, ${reactionCount} reactions)\n`);
