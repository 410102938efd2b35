/**
 * Gauges read at scrape time from PostgreSQL and Redis: SMS outbox rows waiting and the age
 * of the oldest, and the depths of the `sms` bull queue. Each source is asked once per
 * scrape, within a time limit; when one does not answer, its gauges read NaN, the scrape
 * still answers (process metrics matter most when something is down), and
 * `simu_metrics_source_up{source}` says which source failed.
 */
import { Gauge, Registry } from 'prom-client';
import type { Knex } from '../db/index.js';
import { logger } from '../logger/index.js';

const log = logger.child({ component: 'metrics' });

/** The job counts of a bull queue, as `Queue#getJobCounts()` answers them. */
export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** Where scrape-time gauges read from. */
export interface ScrapeSources {
  db: Knex;
  /** The `sms` queue (a handle that does not process jobs), looked up at each scrape. */
  smsQueue: () => { getJobCounts(): Promise<QueueCounts> };
  /** How long one source may take, in milliseconds. Default 2000. */
  timeoutMs?: number;
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

interface OutboxStats {
  waiting: number;
  oldestAgeSeconds: number;
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/**
 * `fn` shared by every caller while one call is in flight: prom-client collects all gauges
 * of a scrape at once, and two gauges fed by one query must not run it twice.
 */
function shared<T>(fn: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return () => (inFlight ??= fn().finally(() => (inFlight = undefined)));
}

/** Settles to the value, or to null after logging why the source failed. */
async function orNull<T>(p: Promise<T>, source: string): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    log.warn('metrics source unavailable', { source, error: err instanceof Error ? err.message : String(err) });
    return null;
  }
}

/** A registry of the scrape-time gauges for `sources` (one per app; merge it with recordedMetrics). */
export function scrapeRegistry(sources: ScrapeSources): Registry {
  const registry = new Registry();
  const ms = sources.timeoutMs ?? 2000;

  // Waiting means not yet handed to AT: pending (not relayed) and queued (in bull). Both
  // are covered by partial indexes, so this reads only the waiting rows. A scheduled SMS
  // held for the morning (not_before, quiet hours) is not late: it waits from not_before.
  const outbox = shared(() => orNull(within((async (): Promise<OutboxStats> => {
    const row = await sources.db('sms_outbox').whereIn('status', ['pending', 'queued'])
      .andWhere((q) => q.whereNull('not_before').orWhere('not_before', '<=', sources.db.fn.now()))
      .select(sources.db.raw('count(*)::int AS waiting'), sources.db.raw('coalesce(extract(epoch FROM now() - min(greatest(created_at, not_before))), 0)::float8 AS age'))
      .first();
    return { waiting: Number(row?.waiting ?? 0), oldestAgeSeconds: Number(row?.age ?? 0) };
  })(), ms, 'postgres'), 'postgres'));
  const queue = shared(() => orNull(within(Promise.resolve().then(() => sources.smsQueue().getJobCounts()), ms, 'redis'), 'redis'));

  new Gauge({
    name: 'simu_sms_outbox_waiting',
    help: 'SMS outbox rows waiting to be sent (pending or queued)',
    registers: [registry],
    async collect() {
      this.set((await outbox())?.waiting ?? NaN);
    },
  });
  new Gauge({
    name: 'simu_sms_outbox_oldest_waiting_age_seconds',
    help: 'Age of the oldest SMS outbox row waiting to be sent (0 when none waits)',
    registers: [registry],
    async collect() {
      this.set((await outbox())?.oldestAgeSeconds ?? NaN);
    },
  });
  new Gauge({
    name: 'simu_queue_jobs',
    help: 'Jobs in a bull queue by state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      const counts = await queue();
      for (const state of QUEUE_STATES) this.set({ queue: 'sms', state }, counts ? Number(counts[state] ?? 0) : NaN);
    },
  });
  new Gauge({
    name: 'simu_metrics_source_up',
    help: '1 when a source of scrape-time metrics answered this scrape, 0 when not',
    labelNames: ['source'],
    registers: [registry],
    async collect() {
      const [pg, rd] = await Promise.all([outbox(), queue()]);
      this.set({ source: 'postgres' }, pg ? 1 : 0);
      this.set({ source: 'redis' }, rd ? 1 : 0);
    },
  });
  return registry;
}
