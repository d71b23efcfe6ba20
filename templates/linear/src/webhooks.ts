import { createHmac } from 'node:crypto';
import { metaGet } from '../../_kit/admin.ts';
import type { KitContext } from '../../_kit/types.ts';
import { atClockTime } from '../../_kit/clock.ts';
import type { Rc, Row } from './request.ts';
import { ENTITIES } from './tables.ts';

/**
 * Data-change webhooks. With `asym config <id> --events-url URL` (config.events.requestUrl)
 * set, each issue and comment create/update/remove is POSTed in Linear's payload shape
 * ({action, type, actor, createdAt, data, url, updatedFrom, organizationId, webhookTimestamp,
 * webhookId}) with `Linear-Signature: hex(HMAC-SHA256(secret, body))`, `Linear-Delivery`
 * and `Linear-Event` headers; a non-2xx, a timeout or a refused connection is retried
 * (default after 1 s, 5 s and 25 s, like the Slack clone's events).
 */
export interface WebhookConfig { requestUrl: string | null; retryDelaysMs: number[]; timeoutMs: number; types: string[] }

export function webhookConfig(config: Record<string, unknown>): WebhookConfig {
  const ev = (config.events ?? {}) as Partial<WebhookConfig>;
  return {
    requestUrl: typeof ev.requestUrl === 'string' && ev.requestUrl ? ev.requestUrl : null,
    retryDelaysMs: Array.isArray(ev.retryDelaysMs) ? ev.retryDelaysMs.slice(0, 3).map(Number) : [1000, 5000, 25000],
    timeoutMs: typeof ev.timeoutMs === 'number' ? ev.timeoutMs : 3000,
    types: Array.isArray(ev.types) ? ev.types.map(String) : [],
  };
}

export const WEBHOOK_ID = '1e000000-0000-4000-8000-0000000000b1';
const timers = new Set<{ cancel(): void }>();
export function stopWebhookTimers(): void {
  for (const t of timers) t.cancel();
  timers.clear();
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
function serialize(row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (k === 'seq' || k === 'team_key' || k === 'label_ids') continue;
    out[camel(k)] = v instanceof Date ? v.toISOString() : v;
  }
  return out;
}

export function sign(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** Sends the events a request queued; never throws and never delays the response. */
export function flushEvents(rc: Rc): void {
  if (!rc.events.length) return;
  const events = rc.events.splice(0);
  void (async () => {
    const cfg = webhookConfig(await rc.ctx.config());
    if (!cfg.requestUrl) return;
    const secret = (await metaGet<string>(rc.ctx, 'webhook_secret')) ?? '';
    const org = (await rc.ctx.db.q<{ id: string; url_key: string }>`select id, url_key from organization limit 1`)[0];
    const actor = (await rc.ctx.db.q<{ id: string; name: string; email: string }>`select id, name, email from users where id = ${rc.viewerId}`)[0];
    for (const ev of events) {
      if (cfg.types.length && !cfg.types.includes(ev.type)) continue;
      const row = ev.data ?? (await rc.ctx.db.unsafe<Row>(`select ${ENTITIES[ev.entity].select('a')} where a.id = $1`, [ev.id]))[0];
      if (!row) continue;
      const data = serialize(row);
      if (ev.entity === 'issue') {
        data.identifier = `${row.team_key}-${row.number}`;
        data.labelIds = (await rc.ctx.db.q<{ label_id: string }>`select label_id from issue_label_links where issue_id = ${row.id}`).map((r) => r.label_id);
      }
      // createdAt is the clone's time; webhookTimestamp stays on the wall clock, since the
      // receiver (Linear's SDK) refuses a timestamp more than a minute from its own time.
      const now = Date.now();
      const payload = {
        action: ev.action,
        actor: actor ? { id: actor.id, name: actor.name, email: actor.email, type: 'user' } : null,
        createdAt: rc.ctx.now().toISOString(),
        data,
        url: ev.entity === 'issue' ? `${rc.ctx.env.publicUrl}/${org?.url_key}/issue/${data.identifier}` : `${rc.ctx.env.publicUrl}/${org?.url_key}`,
        type: ev.type,
        ...(ev.updatedFrom ? { updatedFrom: serialize(ev.updatedFrom as Row) } : {}),
        organizationId: org?.id,
        webhookTimestamp: now,
        webhookId: WEBHOOK_ID,
      };
      void attempt(rc.ctx, cfg, secret, JSON.stringify(payload), ev.type, crypto.randomUUID(), 0);
    }
  })().catch((e) => rc.ctx.log(`webhook delivery failed: ${(e as Error).message}`));
}

async function attempt(ctx: KitContext, cfg: WebhookConfig, secret: string, body: string, type: string, delivery: string, n: number): Promise<void> {
  let ok = false;
  try {
    const res = await fetch(cfg.requestUrl!, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Linear-Webhook', 'linear-delivery': delivery, 'linear-event': type, 'linear-signature': sign(secret, body) },
      body,
      signal: AbortSignal.timeout(cfg.timeoutMs),
      redirect: 'manual',
    });
    await res.arrayBuffer().catch(() => undefined);
    ok = res.status >= 200 && res.status < 300;
  } catch {
    ok = false;
  }
  if (ok) return;
  const delay = cfg.retryDelaysMs[n];
  if (delay === undefined) {
    ctx.log(`webhook ${delivery} (${type}) gave up after ${n + 1} attempts`);
    return;
  }
  // Due on the clone's clock: advancing past it retries at once, a frozen clock holds it.
  const t = atClockTime(ctx.now().getTime() + delay, () => {
    timers.delete(t);
    void attempt(ctx, cfg, secret, body, type, delivery, n + 1);
  });
  timers.add(t);
}
