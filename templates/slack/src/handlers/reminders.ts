import { randomString } from '../../../_kit/auth.ts';
import { jsonField, str } from '../../../_kit/http.ts';
import { fail } from '../errors.ts';
import { getUser } from '../store.ts';
import type { Call, Handler } from '../types.ts';

/**
 * reminders.* (user tokens only, as Slack's reminders:read/write are user scopes). `time` is
 * what Slack documents: a Unix timestamp (at most five years ahead), a number of seconds from
 * now (when at most 24 hours), or a phrase: "in 15 minutes", "in 2 hours", "in 3 days",
 * "tomorrow" (09:00 UTC), or "every day|weekday|week|month|year|<weekday>" for a recurring
 * one; `recurrence` ({frequency, weekdays}) makes any time recurring. Anything else is
 * cannot_parse. The clone stores and lists reminders; it does not deliver them (no Slackbot
 * message when they come due).
 */

interface ReminderRow {
  id: string;
  creator: string;
  user_id: string;
  text: string;
  time: string | number | null;
  recurrence: { frequency: string; weekdays?: string[] } | null;
  complete_ts: string | number;
}

const seconds = (call: Call) => Math.floor(call.ctx.now().getTime() / 1000);
const FIVE_YEARS = 5 * 366 * 24 * 3600;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const FREQUENCIES = ['daily', 'weekly', 'monthly', 'yearly', 'weekdays'];
const EVERY: Record<string, string> = { day: 'daily', weekday: 'weekdays', week: 'weekly', month: 'monthly', year: 'yearly' };
const UNITS: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86400, week: 604800 };

function render(r: ReminderRow): Record<string, unknown> {
  const out: Record<string, unknown> = { id: r.id, creator: r.creator, user: r.user_id, text: r.text, recurring: !!r.recurrence };
  if (r.recurrence) out.recurrence = r.recurrence;
  else out.time = Number(r.time);
  out.complete_ts = Number(r.complete_ts);
  return out;
}

/** { time } for a one-time reminder or { recurrence } (with the first time) for a recurring one. */
export function parseWhen(raw: string, now: number): { time: number; recurrence: ReminderRow['recurrence'] } {
  const s = raw.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(s)) {
    const n = Math.floor(Number(s));
    const time = n <= 86400 ? now + n : n;
    if (time <= now || time > now + FIVE_YEARS) fail('cannot_parse');
    return { time, recurrence: null };
  }
  const rel = /^in (\d+|an?|one) (second|minute|hour|day|week)s?$/.exec(s);
  if (rel) {
    const n = /^\d+$/.test(rel[1] as string) ? Number(rel[1]) : 1;
    const time = now + n * (UNITS[rel[2] as string] as number);
    if (n < 1 || time > now + FIVE_YEARS) fail('cannot_parse');
    return { time, recurrence: null };
  }
  if (s === 'tomorrow') {
    const d = new Date((now + 86400) * 1000);
    d.setUTCHours(9, 0, 0, 0);
    return { time: Math.floor(d.getTime() / 1000), recurrence: null };
  }
  const every = /^every (day|weekday|week|month|year|sunday|monday|tuesday|wednesday|thursday|friday|saturday)$/.exec(s);
  if (every) {
    const w = every[1] as string;
    const recurrence = WEEKDAYS.includes(w) ? { frequency: 'weekly', weekdays: [w] } : { frequency: EVERY[w] as string };
    return { time: now + 86400, recurrence };
  }
  fail('cannot_parse');
}

function recurrenceParam(v: unknown): ReminderRow['recurrence'] {
  if (v === undefined || v === null || v === '') return null;
  const parsed = jsonField(v);
  const r = parsed.ok ? (parsed.value as { frequency?: unknown; weekdays?: unknown }) : undefined;
  if (!r || typeof r !== 'object' || typeof r.frequency !== 'string' || !FREQUENCIES.includes(r.frequency)) fail('cannot_parse');
  const out: { frequency: string; weekdays?: string[] } = { frequency: r.frequency };
  if (r.weekdays !== undefined) {
    if (!Array.isArray(r.weekdays) || !r.weekdays.every((d) => WEEKDAYS.includes(String(d).toLowerCase()))) fail('cannot_parse');
    out.weekdays = r.weekdays.map((d) => String(d).toLowerCase());
  }
  return out;
}

const add: Handler = async (call) => {
  const text = str(call.params.text)?.trim();
  const when = str(call.params.time)?.trim();
  if (!text || !when) fail('missing_argument');
  const now = seconds(call);
  const parsed = parseWhen(when, now);
  const recurrence = recurrenceParam(call.params.recurrence) ?? parsed.recurrence;
  const target = str(call.params.user)?.trim() || call.caller.userId;
  if (target !== call.caller.userId) {
    if (target === 'USLACKBOT') fail('cannot_add_slackbot');
    const u = await getUser(call.ctx.db, target);
    if (!u || u.team_id !== call.caller.teamId || u.deleted) fail('user_not_found');
    if (u.is_bot) fail('cannot_add_bot');
    if (recurrence) fail('cannot_add_others_recurring');
    const me = await getUser(call.ctx.db, call.caller.userId);
    if (me?.is_restricted) fail('cannot_add_others');
  }
  const id = `Rm0${randomString(9, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`;
  const rows = await call.ctx.db.q<ReminderRow>`insert into reminders (id, team_id, creator, user_id, text, time, recurrence, created)
    values (${id}, ${call.caller.teamId}, ${call.caller.userId}, ${target}, ${text}, ${recurrence ? null : parsed.time}, ${recurrence ? JSON.stringify(recurrence) : null}::text::jsonb, ${now})
    returning *`;
  return { reminder: render(rows[0] as ReminderRow) };
};

/** A reminder the caller set or is reminded by; others' are not_found. */
async function reminder(call: Call): Promise<ReminderRow> {
  const id = str(call.params.reminder)?.trim();
  if (!id) fail('missing_argument');
  const rows = await call.ctx.db.q<ReminderRow>`select * from reminders where id = ${id} and team_id = ${call.caller.teamId}
    and (creator = ${call.caller.userId} or user_id = ${call.caller.userId})`;
  if (!rows[0]) fail('not_found');
  return rows[0];
}

const complete: Handler = async (call) => {
  const r = await reminder(call);
  if (r.user_id !== call.caller.userId) fail('cannot_complete_others');
  if (r.recurrence) fail('cannot_complete_recurring');
  await call.ctx.db.q`update reminders set complete_ts = ${seconds(call)} where id = ${r.id} and complete_ts = 0`;
  return {};
};

const del: Handler = async (call) => {
  const r = await reminder(call);
  await call.ctx.db.q`delete from reminders where id = ${r.id}`;
  return {};
};

const info: Handler = async (call) => ({ reminder: render(await reminder(call)) });

const list: Handler = async (call) => {
  const rows = await call.ctx.db.q<ReminderRow>`select * from reminders where team_id = ${call.caller.teamId}
    and (creator = ${call.caller.userId} or user_id = ${call.caller.userId}) order by seq`;
  return { reminders: rows.map(render) };
};

export const reminderMethods: Record<string, Handler> = {
  'reminders.add': add,
  'reminders.complete': complete,
  'reminders.delete': del,
  'reminders.info': info,
  'reminders.list': list,
};
