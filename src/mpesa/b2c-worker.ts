/**
 * The B2C loop of the worker process: a dispatch pass (./b2c-send.ts) every `intervalMs`
 * while the rail is configured. The request rows are the outbox, so a crash loses nothing:
 * the next worker's pass finds them `requested` (a claim expires after two minutes).
 */
import { db as processDb, type Db } from '../db/index.js';
import { logger } from '../logger/index.js';
import { startLoops } from '../queue/loops.js';
import { dispatchB2c } from './b2c-send.js';
import { MpesaNotConfiguredError } from './errors.js';

const log = logger.child({ component: 'mpesa' });

/** A running B2C loop. */
export interface RunningB2cWorker {
  /** Stops the loop after its current pass. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts the B2C dispatch loop (default every second). A failed pass is logged, never fatal. */
export function startB2cWorker(opts: { db?: Db; intervalMs?: number } = {}): RunningB2cWorker {
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
  return startLoops('b2c', log, [{ name: 'dispatch', everyMs: opts.intervalMs ?? 1_000, pass: dispatch }]);
}
