/**
 * SMS statistics (scope `read`): per Nairobi day, the outbox rows written that day counted
 * by status, by kind, and (for failed rows) by failure reason, with the redeliveries that
 * AT's delivery reports caused. A row counts on the day it was written, in its status now.
 */
import { ValidationError } from '../../errors/index.js';
import { defineRoute, type AdminRoute } from '../route.js';
import { objectSchema } from '../validate.js';

const STATUSES = ['pending', 'queued', 'sending', 'sent', 'delivered', 'failed'] as const;
/** The widest range one request may ask for, in days. */
export const SMS_STATS_MAX_DAYS = 92;

const date = { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD, a day in Africa/Nairobi' };
const counts = { type: 'object', additionalProperties: { type: 'integer' } };

/** One day's figures. */
export interface SmsDayStats {
  date: string;
  total: number;
  byStatus: Record<string, number>;
  byKind: Record<string, number>;
  /** Failed rows by AT's failureReason, or the status AT refused the send with. */
  byFailureReason: Record<string, number>;
  /** Sends made again after a delivery report, and by the reason reported. */
  redeliveries: number;
  redeliveriesByReason: Record<string, number>;
}

/** Days since the epoch of a `YYYY-MM-DD` that is a real date, else null. */
function dayNumber(text: string): number | null {
  const [y, m, d] = text.split('-').map(Number);
  const t = Date.UTC(y, m - 1, d);
  return new Date(t).toISOString().slice(0, 10) === text ? t / 86_400_000 : null;
}

const isoDay = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);

/** Today in Nairobi (UTC+3, no daylight saving). */
const nairobiToday = () => Math.floor((Date.now() + 3 * 3_600_000) / 86_400_000);

function emptyDay(day: string): SmsDayStats {
  return {
    date: day, total: 0, byStatus: Object.fromEntries(STATUSES.map((s) => [s, 0])), byKind: {}, byFailureReason: {},
    redeliveries: 0, redeliveriesByReason: {},
  };
}

const add = (into: Record<string, number>, key: string, n: number) => { into[key] = (into[key] ?? 0) + n; };

const DAY_OF = `to_char((o.created_at AT TIME ZONE 'Africa/Nairobi')::date, 'YYYY-MM-DD')`;
const RANGE = `o.created_at >= (?::date)::timestamp AT TIME ZONE 'Africa/Nairobi'
  AND o.created_at < ((?::date + 1)::timestamp AT TIME ZONE 'Africa/Nairobi')`;

export const smsStatsRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/sms/stats',
    scope: 'read',
    summary: `SMS per Nairobi day from \`from\` to \`to\` (inclusive; default the last 7 days, at most ${SMS_STATS_MAX_DAYS}): rows written that day by status, kind and failure reason, and redeliveries after AT delivery reports`,
    query: objectSchema({ from: date, to: date }),
    response: {
      type: 'object',
      properties: {
        from: date, to: date,
        days: { type: 'array', items: { type: 'object', properties: {
          date, total: { type: 'integer' }, byStatus: counts, byKind: counts, byFailureReason: counts,
          redeliveries: { type: 'integer' }, redeliveriesByReason: counts,
        } } },
      },
    },
    handler: async ({ query }, { db }) => {
      const to = query.to === undefined ? nairobiToday() : dayNumber(query.to);
      if (to === null) throw new ValidationError('to: not a date', 'to');
      const from = query.from === undefined ? to - 6 : dayNumber(query.from);
      if (from === null) throw new ValidationError('from: not a date', 'from');
      if (from > to) throw new ValidationError('from: after to', 'from');
      if (to - from + 1 > SMS_STATS_MAX_DAYS) throw new ValidationError(`from: at most ${SMS_STATS_MAX_DAYS} days`, 'from');
      const range = [isoDay(from), isoDay(to)];
      const rows = (await db.raw(`
        SELECT ${DAY_OF} AS day, o.status, o.kind,
               CASE WHEN o.status = 'failed' THEN coalesce(o.failure_reason, o.at_status, 'unknown') END AS reason,
               count(*)::int AS n, coalesce(sum(o.dr_retries), 0)::int AS redeliveries
        FROM sms_outbox o WHERE ${RANGE} GROUP BY 1, 2, 3, 4`, range)).rows as Array<{ day: string; status: string; kind: string; reason: string | null; n: number; redeliveries: number }>;
      const retries = (await db.raw(`
        SELECT ${DAY_OF} AS day, coalesce(r.failure_reason, r.at_status) AS reason, count(*)::int AS n
        FROM sms_delivery_retries r JOIN sms_outbox o ON o.id = r.outbox_id WHERE ${RANGE} GROUP BY 1, 2`, range)).rows as Array<{ day: string; reason: string; n: number }>;
      const days = new Map<string, SmsDayStats>();
      for (let d = from; d <= to; d += 1) days.set(isoDay(d), emptyDay(isoDay(d)));
      for (const r of rows) {
        const day = days.get(r.day);
        if (!day) continue;
        day.total += r.n;
        day.redeliveries += r.redeliveries;
        add(day.byStatus, r.status, r.n);
        add(day.byKind, r.kind, r.n);
        if (r.reason) add(day.byFailureReason, r.reason, r.n);
      }
      for (const r of retries) {
        const day = days.get(r.day);
        if (day) add(day.redeliveriesByReason, r.reason, r.n);
      }
      return { body: { from: range[0], to: range[1], days: [...days.values()] } };
    },
  }),
];
