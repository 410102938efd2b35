/**
 * The loans' daily run (reminders.ts: penalties, then reminders) as a repeatable job (queue
 * `loan-daily`, cron 08:00 every day in Africa/Nairobi: src/queue/daily-job.ts).
 */
import { startDailyJob, DAILY_TZ, type DailyJobOptions, type RunningDailyJob } from '../queue/daily-job.js';
import { runLoanDay } from './reminders.js';

/** The queue of the daily run. */
export const LOAN_DAILY_QUEUE = 'loan-daily';
/** When the run starts: 08:00 every day, Nairobi time (after quiet hours end at 07:00). */
export const LOAN_DAILY_CRON = '0 8 * * *';
export const LOAN_DAILY_TZ = DAILY_TZ;

/** Settings of `startLoanReminders`. */
export type LoanRemindersOptions = DailyJobOptions;
/** A running daily schedule. */
export type RunningLoanReminders = RunningDailyJob;

/** Registers the daily repeatable job and processes it in this process. */
export function startLoanReminders(opts: LoanRemindersOptions = {}): RunningLoanReminders {
  return startDailyJob({
    queue: LOAN_DAILY_QUEUE, component: 'loans', jobId: 'loans-daily', cron: LOAN_DAILY_CRON, done: 'loan penalties accrued and reminders written',
    run: async (db, now) => {
      const run = await runLoanDay(db, now);
      return { loans: run.penalties.loans, penalties: run.penalties.charged, penaltyCents: String(run.penalties.amount), reminders: run.reminders.sms };
    },
  }, opts);
}
