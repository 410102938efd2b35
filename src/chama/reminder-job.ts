/**
 * The chamas' daily run (reminders.ts: fines, reminders before due days, the officials'
 * Monday summary) as a repeatable job (queue `chama-daily`, cron 08:30 every day in
 * Africa/Nairobi: src/queue/daily-job.ts).
 */
import { startDailyJob, DAILY_TZ, type DailyJobOptions, type RunningDailyJob } from '../queue/daily-job.js';
import { runChamaDay } from './reminders.js';

/** The queue of the daily run. */
export const CHAMA_DAILY_QUEUE = 'chama-daily';
/** When the run starts: 08:30 every day, Nairobi time (after quiet hours end at 07:00, after the loans' 08:00 run). */
export const CHAMA_DAILY_CRON = '30 8 * * *';
export const CHAMA_DAILY_TZ = DAILY_TZ;

/** Settings of `startChamaReminders`. */
export type ChamaRemindersOptions = DailyJobOptions;
/** A running daily schedule. */
export type RunningChamaReminders = RunningDailyJob;

/** Registers the daily repeatable job and processes it in this process. */
export function startChamaReminders(opts: ChamaRemindersOptions = {}): RunningChamaReminders {
  return startDailyJob({
    queue: CHAMA_DAILY_QUEUE, component: 'chama', jobId: 'chama-daily', cron: CHAMA_DAILY_CRON, done: 'chama fines posted, reminders and summaries written',
    run: async (db, now) => ({ ...(await runChamaDay(db, now)) }),
  }, opts);
}
