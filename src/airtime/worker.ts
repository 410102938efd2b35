/**
 * The worker's airtime half: the relay that hands new requests to the `airtime` queue
 * (the request row is the outbox: written with the debit, relayed after commit), the
 * processor (./send.ts), and the review pass for requests that are late, which asks AT
 * about those it took and never reported on (./check.ts).
 */
import { db as processDb, type Knex } from '../db/index.js';
import { logger } from '../logger/index.js';
import { closeQueue, createQueue, type Queue } from '../queue/connections.js';
import { startLoops } from '../queue/loops.js';
import { airtimeJobId, processAirtimeJob, AIRTIME_QUEUE, type AirtimeJob } from './send.js';
import { reverseAirtime } from './outcome.js';
import { checkUnresolvedWithAt } from './check.js';
import { UNRESOLVED_AFTER_MINUTES } from './repository.js';

export { UNRESOLVED_AFTER_MINUTES };

const log = logger.child({ component: 'airtime' });

/**
 * Relays up to `batch` new requests (pending, never queued) into bull, jobId
 * `airtime:<id>`, and stamps queued_at, in one transaction (rows locked SKIP LOCKED, so
 * workers do not relay a row twice). Returns how many it relayed.
 */
export async function relayAirtime(db: Knex, queue: Queue<AirtimeJob>, batch = 100): Promise<number> {
  return db.transaction(async (trx) => {
    const rows: Array<{ id: bigint }> = await trx('airtime_requests').select('id')
      .where({ status: 'pending' }).whereNull('queued_at').orderBy('id').limit(batch).forUpdate().skipLocked();
    if (rows.length === 0) return 0;
    const ids = rows.map((r) => String(r.id));
    await queue.addBulk(ids.map((id) => ({ data: { airtimeId: id }, opts: { jobId: airtimeJobId(id) } })));
    await trx('airtime_requests').whereIn('id', ids).update({ queued_at: trx.fn.now() });
    return ids.length;
  });
}

/** What one review pass did. */
export interface AirtimeReview {
  /** Jobs added again for pending requests whose job was lost. */
  requeued: number;
  /** `failed` requests whose reversal was written now, and requests AT said Failed when asked. */
  reversed: number;
  /** Requests AT was asked about (./check.ts). */
  checked: number;
  /** Requests AT said were delivered when asked. */
  delivered: number;
  /** Requests newly found unresolved after an hour (stamped reviewed_at, logged). */
  flagged: number;
}

/**
 * Looks again at requests that are late: a pending request queued over 5 minutes ago whose
 * job bull no longer holds gets a new one (Redis lost it, or every attempt failed with AT's
 * outcome unknown: the same Idempotency-Key makes a resend safe); a `failed` request gets
 * its reversal; a request AT took and has not reported on an hour after it was made is
 * asked about (`checkUnresolvedWithAt`: Success → delivered, Failed → reversed, anything
 * else or an AT error → left, with what AT said); one still without a final status after
 * that is stamped reviewed_at and logged for the person on call (the admin API lists it).
 * An AT outage is recorded on each request asked about; it never stops the pass.
 */
export async function reviewAirtime(db: Knex, queue: Queue<AirtimeJob>, batch = 100): Promise<AirtimeReview> {
  const review: AirtimeReview = { requeued: 0, reversed: 0, checked: 0, delivered: 0, flagged: 0 };
  const stale: Array<{ id: bigint }> = await db('airtime_requests').select('id').where({ status: 'pending' })
    .andWhere('queued_at', '<', db.raw(`now() - interval '5 minutes'`))
    .andWhere((q) => q.whereNull('claimed_at').orWhere('claimed_at', '<', db.raw(`now() - interval '2 minutes'`)))
    .orderBy('id').limit(batch);
  for (const { id } of stale) if (await ensureJob(queue, String(id))) review.requeued += 1;
  const failed: Array<{ id: bigint; last_error: string | null }> = await db('airtime_requests').select('id', 'last_error')
    .where({ status: 'failed' }).orderBy('id').limit(batch);
  for (const { id, last_error } of failed) {
    const done = await reverseAirtime(id, last_error ?? 'failed', db).catch(() => 'unchanged' as const);
    if (done === 'reversed') review.reversed += 1;
  }
  const checks = await checkUnresolvedWithAt(db);
  review.checked = checks.checked;
  review.delivered = checks.delivered;
  review.reversed += checks.reversed;
  const flagged: Array<{ id: bigint; status: string }> = await db('airtime_requests')
    .whereIn('status', ['pending', 'sent', 'failed']).whereNull('reviewed_at')
    .andWhere('created_at', '<', db.raw(`now() - (? * interval '1 minute')`, [UNRESOLVED_AFTER_MINUTES]))
    .update({ reviewed_at: db.fn.now() }).returning(['id', 'status']);
  review.flagged = flagged.length;
  for (const r of flagged) log.warn('airtime request unresolved after an hour', { airtimeId: String(r.id), status: r.status });
  return review;
}

/** Adds the job of request `id` again unless bull still holds a live one. True when added. */
async function ensureJob(queue: Queue<AirtimeJob>, id: string): Promise<boolean> {
  const jobId = airtimeJobId(id);
  const existing = await queue.getJob(jobId);
  if (existing) {
    const state = await existing.getState();
    if (state !== 'completed' && state !== 'failed') return false;
    if (!(await existing.remove().then(() => true, () => false))) return false;
  }
  await queue.add({ airtimeId: id }, { jobId });
  return true;
}

/** Settings of `startAirtimeWorker`; the defaults are production's. */
export interface AirtimeWorkerOptions {
  /** Queue name. Default `airtime`; tests use their own. */
  queueName?: string;
  concurrency?: number;
  attempts?: number;
  backoffMs?: number;
  /** Relay pause between passes in milliseconds. Default 300. */
  relayIntervalMs?: number;
  /** How often the review pass runs, in milliseconds. Default 60 000. */
  reviewEveryMs?: number;
  db?: Knex;
}

/** A running airtime worker. */
export interface RunningAirtimeWorker {
  readonly queue: Queue<AirtimeJob>;
  /** Stops the relay and review loops (waiting for their passes), then closes the queue. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts the airtime processor, its relay loop and the review loop (a pass at start, then every `reviewEveryMs`). */
export function startAirtimeWorker(opts: AirtimeWorkerOptions = {}): RunningAirtimeWorker {
  const db = opts.db ?? processDb;
  const queue = createQueue<AirtimeJob>(opts.queueName ?? AIRTIME_QUEUE, { attempts: opts.attempts, backoffMs: opts.backoffMs });
  queue.process(opts.concurrency ?? 5, (job) => processAirtimeJob(job, db)).catch((err: unknown) => {
    log.error('airtime processor stopped', { error: err instanceof Error ? err.message : String(err) });
  });
  const interval = opts.relayIntervalMs ?? 300;
  const reviewEvery = opts.reviewEveryMs ?? 60_000;
  // Two loops, so that a review waiting on AT (an outage: each question runs to its
  // timeout) never holds up the relay of new requests.
  const loops = startLoops('airtime', log, [
    { name: 'relay', everyMs: interval, pass: () => relayAirtime(db, queue) },
    { name: 'review', everyMs: reviewEvery, pass: () => reviewAirtime(db, queue) },
  ]);
  let stopping: Promise<void> | undefined;
  return {
    queue,
    stop: () =>
      (stopping ??= (async () => {
        await loops.stop();
        await closeQueue(queue);
      })()),
  };
}
