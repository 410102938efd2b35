/**
 * A daily run as a bull repeatable job, processed by the worker: the fee arrears reminders,
 * the loans' penalties and reminders, the chamas' fines, reminders and summaries. Repeatable
 * jobs are kept in Redis by their cron and time zone, so every worker that starts adds the
 * same one and bull runs it once a day, whichever worker takes it; each run is idempotent,
 * so a retry or a second run moves and writes nothing twice. A run missed while every
 * worker was down is not caught up by this helper (each run says what it catches up itself).
 */
import { db as processDb, type Db } from '../db/index.js';
import { logger } from '../logger/index.js';
import { closeQueue, createQueue, type Queue } from './connections.js';

/** The time zone every daily run's cron is read in. */
export const DAILY_TZ = 'Africa/Nairobi';

/** Settings a caller of a daily run may change (tests use their own queue and database). */
export interface DailyJobOptions {
  db?: Db;
  /** Queue name; default the job's own. */
  queueName?: string;
  /** Cron expression (in Africa/Nairobi); default the job's own. */
  cron?: string;
}

/** What a daily run is. */
export interface DailyJob {
  /** Queue name, and the log component. */
  queue: string;
  component: string;
  /** The repeatable job's id (one per run, whatever the queue). */
  jobId: string;
  /** Cron expression in Africa/Nairobi, e.g. `0 9 * * *`. */
  cron: string;
  /** What the log line says after a run (its counts follow). */
  done: string;
  /** The run itself, for `now`; returns counts to log. */
  run: (db: Db, now: Date) => Promise<Record<string, unknown>>;
}

/** A running daily schedule. */
export interface RunningDailyJob {
  readonly queue: Queue<Record<string, never>>;
  /** Closes the queue (the repeatable job stays in Redis for the next worker). */
  stop(): Promise<void>;
}

/** Registers `job`'s daily repeatable job and processes it in this process. */
export function startDailyJob(job: DailyJob, opts: DailyJobOptions = {}): RunningDailyJob {
  const log = logger.child({ component: job.component });
  const db = opts.db ?? processDb;
  const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
  const queue = createQueue<Record<string, never>>(opts.queueName ?? job.queue, { attempts: 3, backoffMs: 60_000 });
  queue.process(1, async () => {
    const counts = await job.run(db, new Date());
    log.info(job.done, { ...counts });
    return counts;
  }).catch((err: unknown) => log.error(`${job.queue} processor stopped`, { error: message(err) }));
  queue.add({}, { repeat: { cron: opts.cron ?? job.cron, tz: DAILY_TZ }, jobId: job.jobId })
    .catch((err: unknown) => log.error(`could not schedule ${job.queue}`, { error: message(err) }));
  let stopped: Promise<void> | undefined;
  return { queue, stop: () => (stopped ??= closeQueue(queue)) };
}
