/**
 * The outbox relay: moves `pending` outbox rows into the bull `sms` queue and marks them
 * `queued`. Rows are locked `FOR UPDATE SKIP LOCKED`, so any number of workers can relay at
 * once without handing a row to bull twice; and a second add with the same jobId
 * (`sms:<id>`) is ignored by bull anyway. A job can start before the relay's transaction
 * commits: its claim then waits on the row lock, and the sender accepts `pending` too.
 *
 * Redis is not the record: a row that sits in `queued` (or `sending`) long after its job
 * should have run has lost its job (Redis flushed or failed over, a job failed for good
 * without the row being told), and is relayed again.
 */
import { config } from '../config/index.js';
import type { Knex } from '../db/index.js';
import { logger } from '../logger/index.js';
import type { Queue } from '../queue/connections.js';
import { smsJobId, type SmsJob } from './sender.js';

const log = logger.child({ component: 'sms' });

/** Minutes after which a `queued` or `sending` row counts as stuck (default 5: SMS_STUCK_AFTER_S).
 * Longer than the sender's reclaim window (default 2 minutes) and than most backoff delays. */
export const STUCK_AFTER_MINUTES = config.smsStuckAfterSeconds / 60;

/**
 * Relays up to `batch` `pending` rows, oldest first, in one transaction: one bull job per
 * row (jobId `sms:<id>`, data `{ outboxId }`), then status `queued` and queued_at. Returns
 * how many rows it relayed. If adding to bull fails, the transaction rolls back and the
 * rows stay pending for the next pass.
 */
export async function relayPendingOutbox(db: Knex, queue: Queue<SmsJob>, batch = 100): Promise<number> {
  return db.transaction(async (trx) => {
    const rows: Array<{ id: bigint }> = await trx('sms_outbox')
      .select('id').where({ status: 'pending' })
      .andWhere((q) => q.whereNull('not_before').orWhere('not_before', '<=', trx.fn.now())).orderBy('id').limit(batch).forUpdate().skipLocked();
    if (rows.length === 0) return 0;
    const ids = rows.map((r) => String(r.id));
    await queue.addBulk(ids.map((id) => ({ data: { outboxId: id }, opts: { jobId: smsJobId(id) } })));
    await trx('sms_outbox').whereIn('id', ids).update({ status: 'queued', queued_at: trx.fn.now() });
    return rows.length;
  });
}

/** Adds the job of row `id` again unless bull still holds a live one. True when added. */
async function ensureJob(queue: Queue<SmsJob>, id: string): Promise<boolean> {
  const jobId = smsJobId(id);
  const existing = await queue.getJob(jobId);
  if (existing) {
    const state = await existing.getState();
    // waiting, delayed (backoff), active, paused: bull will run it.
    if (state !== 'completed' && state !== 'failed') return false;
    // remove() refuses a job whose lock is held: a worker has it after all.
    const removed = await existing.remove().then(() => true, () => false);
    if (!removed) return false;
  }
  await queue.add({ outboxId: id }, { jobId });
  return true;
}

/**
 * Relays again up to `batch` rows stuck in `queued` (queued_at) or `sending` (claimed_at)
 * for more than `olderThanMinutes`, and restarts their clock (status `queued`, queued_at
 * now). A row whose job is still waiting or delayed in bull is left to it. Returns how
 * many jobs it added.
 */
export async function relayStuckOutbox(db: Knex, queue: Queue<SmsJob>, batch = 100, olderThanMinutes = STUCK_AFTER_MINUTES): Promise<number> {
  return db.transaction(async (trx) => {
    const cutoff = trx.raw(`now() - (? * interval '1 minute')`, [olderThanMinutes]);
    const rows: Array<{ id: bigint }> = await trx('sms_outbox')
      .select('id')
      .where((q) => q.where('status', 'queued').andWhere('queued_at', '<', cutoff))
      .orWhere((q) => q.where('status', 'sending').andWhere('claimed_at', '<', cutoff))
      .orderBy('id').limit(batch).forUpdate().skipLocked();
    let added = 0;
    for (const { id } of rows) if (await ensureJob(queue, String(id))) added += 1;
    if (rows.length > 0) {
      await trx('sms_outbox').whereIn('id', rows.map((r) => String(r.id))).update({ status: 'queued', queued_at: trx.fn.now() });
      log.warn('sms outbox rows were stuck; relayed again', { rows: rows.length, jobsAdded: added });
    }
    return added;
  });
}

/** What one `relayOutbox` pass did. */
export interface RelayResult {
  /** Pending rows handed to bull. */
  relayed: number;
  /** Jobs added again for stuck rows. */
  rerelayed: number;
}

/** One relay pass: `relayPendingOutbox`, then `relayStuckOutbox`, each up to `batch` rows. */
export async function relayOutbox(db: Knex, queue: Queue<SmsJob>, batch = 100): Promise<RelayResult> {
  const relayed = await relayPendingOutbox(db, queue, batch);
  const rerelayed = await relayStuckOutbox(db, queue, batch);
  return { relayed, rerelayed };
}

/** Settings of the relay loop. */
export interface RelayLoopOptions {
  /** Pause between passes in milliseconds. Default 300. */
  intervalMs?: number;
  /** Rows per transaction. Default 100. */
  batch?: number;
  /** How often to look for stuck rows, in milliseconds. Default 30 000: the query scans. */
  stuckEveryMs?: number;
}

/** A running relay loop. */
export interface RelayLoop {
  /** Stops the loop; resolves once the pass in flight, if any, has finished. */
  stop(): Promise<void>;
}

/**
 * Starts relaying: a pass at once, then one every `intervalMs` (and straight away again
 * while passes come back full). Errors (database or Redis down) are logged and the loop
 * carries on. Returns a handle whose `stop()` waits for the pass in flight.
 */
export function startRelay(db: Knex, queue: Queue<SmsJob>, opts: RelayLoopOptions = {}): RelayLoop {
  const { intervalMs = 300, batch = 100, stuckEveryMs = Math.min(30_000, config.smsStuckAfterSeconds * 250) } = opts;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let lastStuckPass = 0;
  const pass = async () => {
    try {
      while (!stopped && (await relayPendingOutbox(db, queue, batch)) === batch);
      if (!stopped && Date.now() - lastStuckPass >= stuckEveryMs) {
        lastStuckPass = Date.now();
        await relayStuckOutbox(db, queue, batch);
      }
    } catch (err) {
      log.error('sms relay pass failed', { error: err instanceof Error ? err.message : String(err) });
    }
  };
  const schedule = (): void => {
    if (!stopped) timer = setTimeout(() => (inFlight = pass().finally(schedule)), intervalMs);
  };
  let inFlight: Promise<void> = pass().finally(schedule);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}
