/**
 * The daily arrears run as a bull repeatable job (queue `fee-reminders`, cron 09:00 every
 * day in Africa/Nairobi), processed by the worker. Repeatable jobs are kept in Redis by
 * their cron and time zone, so every worker that starts adds the same one and bull runs it
 * once a day, whichever worker takes it; a run missed while all workers were down is not
 * caught up (the next day's run selects the same students: nobody is forgotten).
 */
import { db as processDb, type Db } from '../db/index.js';
import { logger } from '../logger/index.js';
import { closeQueue, createQueue, type Queue } from '../queue/connections.js';
import { sendArrearsReminders } from './arrears.js';

const log = logger.child({ component: 'fees' });

/** The queue of the daily reminder run. */
export const FEE_REMINDERS_QUEUE = 'fee-reminders';
/** When the run starts: 09:00 every day, Nairobi time. */
export const FEE_REMINDERS_CRON = '0 9 * * *';
export const FEE_REMINDERS_TZ = 'Africa/Nairobi';

/** Settings of `startFeeReminders`. */
export interface FeeRemindersOptions {
  db?: Db;
  /** Queue name (tests use their own). Default `fee-reminders`. */
  queueName?: string;
  /** Cron expression. Default 09:00 daily. */
  cron?: string;
}

/** A running reminder schedule. */
export interface RunningFeeReminders {
  readonly queue: Queue<Record<string, never>>;
  /** Closes the queue (the repeatable job stays in Redis for the next worker). */
  stop(): Promise<void>;
}

/** Registers the daily repeatable job and processes it in this process. */
export function startFeeReminders(opts: FeeRemindersOptions = {}): RunningFeeReminders {
  const db = opts.db ?? processDb;
  const queue = createQueue<Record<string, never>>(opts.queueName ?? FEE_REMINDERS_QUEUE, { attempts: 3, backoffMs: 60_000 });
  queue.process(1, async () => {
    const run = await sendArrearsReminders(db, new Date());
    log.info('fee arrears reminders written', { ...run });
    return run;
  }).catch((err: unknown) => log.error('fee reminder processor stopped', { error: err instanceof Error ? err.message : String(err) }));
  queue.add({}, { repeat: { cron: opts.cron ?? FEE_REMINDERS_CRON, tz: FEE_REMINDERS_TZ }, jobId: 'fees-arrears-daily' })
    .catch((err: unknown) => log.error('could not schedule fee reminders', { error: err instanceof Error ? err.message : String(err) }));
  let stopped: Promise<void> | undefined;
  return { queue, stop: () => (stopped ??= closeQueue(queue)) };
}
