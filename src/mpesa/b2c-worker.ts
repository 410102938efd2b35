/**
 * The B2C loops of the worker process: a dispatch pass (./b2c-send.ts) every `intervalMs`
 * while the rail is configured, and a review pass every `reviewEveryMs` that logs, once
 * each, requests stuck `sent` with no result from Daraja (./b2c-admin.ts) for the person on
 * call. The request rows are the outbox, so a crash loses nothing: the next worker's pass
 * finds them `requested` (a claim expires after two minutes).
 */
import { db as processDb, type Db } from '../db/index.js';
import { logger } from '../logger/index.js';
import { startLoops } from '../queue/loops.js';
import { flagStuckB2c } from './b2c-admin.js';
import { dispatchB2c } from './b2c-send.js';
import { MpesaNotConfiguredError } from './errors.js';

const log = logger.child({ component: 'mpesa' });

/** A running B2C loop. */
export interface RunningB2cWorker {
  /** Stops the loop after its current pass. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts the B2C dispatch loop (default every second) and the stuck review (default every
 * minute). A failed pass is logged, never fatal.
 */
export function startB2cWorker(opts: { db?: Db; intervalMs?: number; reviewEveryMs?: number } = {}): RunningB2cWorker {
  const db = opts.db ?? processDb;
  let warned = false;
  const dispatch = async () => {
    try {
      await dispatchB2c(db);
    } catch (err) {
      // An unconfigured rail is said once: withdrawals wait `requested` until it is set.
      if (!(err instanceof MpesaNotConfiguredError)) throw err;
      if (!warned) log.warn('b2c withdrawals wait: the rail is not configured', { error: err.message });
      warned = true;
    }
  };
  return startLoops('b2c', log, [
    { name: 'dispatch', everyMs: opts.intervalMs ?? 1_000, pass: dispatch },
    { name: 'review', everyMs: opts.reviewEveryMs ?? 60_000, pass: () => flagStuckB2c(db) },
  ]);
}
