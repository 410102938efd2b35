/**
 * The daily arrears run (arrears.ts) as a repeatable job (queue `fee-reminders`, cron 09:00
 * every day in Africa/Nairobi: src/queue/daily-job.ts). A run missed while all workers were
 * down is not caught up (the next day's run selects the same students: nobody is forgotten).
 */
import { startDailyJob, DAILY_TZ, type DailyJobOptions, type RunningDailyJob } from '../queue/daily-job.js';
import { sendArrearsReminders } from './arrears.js';

/** The queue of the daily reminder run. */
export const FEE_REMINDERS_QUEUE = 'fee-reminders';
/** When the run starts: 09:00 every day, Nairobi time. */
export const FEE_REMINDERS_CRON = '0 9 * * *';
export const FEE_REMINDERS_TZ = DAILY_TZ;

/** Settings of `startFeeReminders`. */
export type FeeRemindersOptions = DailyJobOptions;
/** A running reminder schedule. */
export type RunningFeeReminders = RunningDailyJob;

/** Registers the daily repeatable job and processes it in this process. */
export function startFeeReminders(opts: FeeRemindersOptions = {}): RunningFeeReminders {
  return startDailyJob({
    queue: FEE_REMINDERS_QUEUE, component: 'fees', jobId: 'fees-arrears-daily', cron: FEE_REMINDERS_CRON, done: 'fee arrears reminders written',
    run: async (db, now) => ({ ...(await sendArrearsReminders(db, now)) }),
  }, opts);
}
