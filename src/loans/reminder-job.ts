/**
 * The loans' daily run (reminders.ts: penalties, then reminders) as a bull repeatable job
 * (queue `loan-daily`, cron 08:00 every day in Africa/Nairobi), processed by the worker —
 * the pattern of src/fees/reminder-job.ts. Repeatable jobs are kept in Redis by their cron
 * and time zone, so every worker that starts adds the same one and bull runs it once a
 * day; the run is idempotent, so a retry or a second run moves and writes nothing twice.
 */
import { db as processDb, type Knex } from '../db/index.js';
import { logger } from '../logger/index.js';
import { closeQueue, createQueue, type Queue } from '../queue/connections.js';
import { runLoanDay } from './reminders.js';

const log = logger.child({ component: 'loans' });

/** The queue of the daily run. */
export const LOAN_DAILY_QUEUE = 'loan-daily';
/** When the run starts: 08:00 every day, Nairobi time (after quiet hours end at 07:00). */
export const LOAN_DAILY_CRON = '0 8 * * *';
export const LOAN_DAILY_TZ = 'Africa/Nairobi';

/** Settings of `startLoanReminders`. */
export interface LoanRemindersOptions {
  db?: Knex;
  /** Queue name (tests use their own). Default `loan-daily`. */
  queueName?: string;
  /** Cron expression. Default 08:00 daily. */
  cron?: string;
}

/** A running daily schedule. */
export interface RunningLoanReminders {
  readonly queue: Queue<Record<string, never>>;
  /** Closes the queue (the repeatable job stays in Redis for the next worker). */
  stop(): Promise<void>;
}

/** Registers the daily repeatable job and processes it in this process. */
export function startLoanReminders(opts: LoanRemindersOptions = {}): RunningLoanReminders {
  const db = opts.db ?? processDb;
  const queue = createQueue<Record<string, never>>(opts.queueName ?? LOAN_DAILY_QUEUE, { attempts: 3, backoffMs: 60_000 });
  queue.process(1, async () => {
    const run = await runLoanDay(db, new Date());
    log.info('loan penalties accrued and reminders written', {
      loans: run.penalties.loans, penalties: run.penalties.charged, penaltyCents: String(run.penalties.amount), reminders: run.reminders.sms,
    });
    return { penalties: run.penalties.charged, reminders: run.reminders.sms };
  }).catch((err: unknown) => log.error('loan daily processor stopped', { error: err instanceof Error ? err.message : String(err) }));
  queue.add({}, { repeat: { cron: opts.cron ?? LOAN_DAILY_CRON, tz: LOAN_DAILY_TZ }, jobId: 'loans-daily' })
    .catch((err: unknown) => log.error('could not schedule the loan daily run', { error: err instanceof Error ? err.message : String(err) }));
  let stopped: Promise<void> | undefined;
  return { queue, stop: () => (stopped ??= closeQueue(queue)) };
}
