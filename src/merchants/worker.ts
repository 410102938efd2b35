/**
 * The confirmation worker's moving parts: the bull queue with its processor, and the relay
 * loop. Started by src/queue/worker-runtime.ts beside the SMS worker; tests start their own.
 */
import { db as processDb, type Knex } from '../db/index.js';
import { logger } from '../logger/index.js';
import { closeQueue, createQueue, type Queue } from '../queue/connections.js';
import { CONFIRMATION_QUEUE, processConfirmationJob, relayConfirmations, type ConfirmationJob } from './confirmations.js';

const log = logger.child({ component: 'merchants' });

/** Settings of the confirmation worker; the defaults are production's. */
export interface ConfirmationWorkerOptions {
  queueName?: string;
  /** Tries per bull job (then the row waits an hour for the next round). Default 12. */
  attempts?: number;
  /** First retry delay in milliseconds, doubling. Default 10 000 (the 12th try comes ~5.7 h after the first). */
  backoffMs?: number;
  /** Relay pause between passes in milliseconds. Default 1000. */
  relayIntervalMs?: number;
  /** How long one POST may take. Default 10 s. */
  timeoutMs?: number;
  concurrency?: number;
  db?: Knex;
}

/** A running confirmation worker. */
export interface RunningConfirmationWorker {
  readonly queue: Queue<ConfirmationJob>;
  /** Stops the relay (waiting for its pass), then closes the queue (waiting for active jobs). */
  stop(): Promise<void>;
}

/** Starts the confirmation processor and its relay loop. */
export function startConfirmationWorker(opts: ConfirmationWorkerOptions = {}): RunningConfirmationWorker {
  const db = opts.db ?? processDb;
  const queue = createQueue<ConfirmationJob>(opts.queueName ?? CONFIRMATION_QUEUE, { attempts: opts.attempts ?? 12, backoffMs: opts.backoffMs ?? 10_000 });
  queue.process(opts.concurrency ?? 5, (job) => processConfirmationJob(job, db, opts.timeoutMs)).catch((err: unknown) => {
    log.error('confirmation processor stopped', { error: err instanceof Error ? err.message : String(err) });
  });
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const pass = async () => {
    try {
      await relayConfirmations(db, queue);
    } catch (err) {
      log.error('confirmation relay pass failed', { error: err instanceof Error ? err.message : String(err) });
    }
  };
  const schedule = (): void => {
    if (!stopped) timer = setTimeout(() => (inFlight = pass().finally(schedule)), opts.relayIntervalMs ?? 1000);
  };
  let inFlight: Promise<void> = pass().finally(schedule);
  let stopping: Promise<void> | undefined;
  return {
    queue,
    stop: () =>
      (stopping ??= (async () => {
        stopped = true;
        clearTimeout(timer);
        await inFlight;
        await closeQueue(queue);
      })()),
  };
}
