/**
 * The chamas' daily run (reminders.ts: fines, reminders before due days, the officials'
 * Monday summary) as a bull repeatable job (queue `chama-daily`, cron 08:30 every day in
 * Africa/Nairobi), processed by the worker — the pattern of src/loans/reminder-job.ts.
 * Repeatable jobs are kept in Redis by their cron and time zone, so every worker that
 * starts adds the same one and bull runs it once a day; the run is idempotent, so a retry
 * or a second run posts and writes nothing twice.
 */
import { db as processDb, type Db } from '../db/index.js';
import { logger } from '../logger/index.js';
import { closeQueue, createQueue, type Queue } from '../queue/connections.js';
import { runChamaDay } from './reminders.js';

const log = logger.child({ component: 'chama' });

/** The queue of the daily run. */
export const CHAMA_DAILY_QUEUE = 'chama-daily';
/** When the run starts: 08:30 every day, Nairobi time (after quiet hours end at 07:00, after the loans' 08:00 run). */
export const CHAMA_DAILY_CRON = '30 8 * * *';
export const CHAMA_DAILY_TZ = 'Africa/Nairobi';

/** Settings of `startChamaReminders`. */
export interface ChamaRemindersOptions {
  db?: Db;
  /** Queue name (tests use their own). Default `chama-daily`. */
  queueName?: string;
  /** Cron expression. Default 08:30 daily. */
  cron?: string;
}

/** A running daily schedule. */
export interface RunningChamaReminders {
  readonly queue: Queue<Record<string, never>>;
  /** Closes the queue (the repeatable job stays in Redis for the next worker). */
  stop(): Promise<void>;
}

/** Registers the daily repeatable job and processes it in this process. */
export function startChamaReminders(opts: ChamaRemindersOptions = {}): RunningChamaReminders {
  const db = opts.db ?? processDb;
  const queue = createQueue<Record<string, never>>(opts.queueName ?? CHAMA_DAILY_QUEUE, { attempts: 3, backoffMs: 60_000 });
  queue.process(1, async () => {
    const run = await runChamaDay(db, new Date());
    log.info('chama fines posted, reminders and summaries written', { ...run });
    return run;
  }).catch((err: unknown) => log.error('chama daily processor stopped', { error: err instanceof Error ? err.message : String(err) }));
  queue.add({}, { repeat: { cron: opts.cron ?? CHAMA_DAILY_CRON, tz: CHAMA_DAILY_TZ }, jobId: 'chama-daily' })
    .catch((err: unknown) => log.error('could not schedule the chama daily run', { error: err instanceof Error ? err.message : String(err) }));
  let stopped: Promise<void> | undefined;
  return { queue, stop: () => (stopped ??= closeQueue(queue)) };
}
