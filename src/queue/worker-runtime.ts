/**
 * The worker's moving parts, startable and stoppable in-process (src/worker.ts runs them
 * as a process; tests start and stop them around a test): the `sms` queue with its
 * processor and rate limit, and the outbox relay loop.
 */
import { config } from '../config/index.js';
import { db as processDb, type Knex } from '../db/index.js';
import { logger } from '../logger/index.js';
import { processSmsJob, SMS_QUEUE, type SmsJob } from '../sms/sender.js';
import { startRelay } from '../sms/relay.js';
import { startAirtimeWorker, type AirtimeWorkerOptions } from '../airtime/index.js';
import { startB2cWorker } from '../mpesa/b2c-worker.js';
import { startConfirmationWorker, type ConfirmationWorkerOptions } from '../merchants/index.js';
import { startStkWorker, type StkWorkerOptions } from '../mpesa/stk-worker.js';
import { startFeeReminders, type FeeRemindersOptions } from '../fees/reminder-job.js';
import { startLoanReminders, type LoanRemindersOptions } from '../loans/reminder-job.js';
import { startChamaReminders, type ChamaRemindersOptions } from '../chama/reminder-job.js';
import { closeQueue, createQueue, type Queue } from './connections.js';

const log = logger.child({ component: 'worker' });

/** Settings of `startWorker`; the defaults are production's. */
export interface WorkerOptions {
  /** Queue name. Default `sms`; tests use their own. */
  queueName?: string;
  /** SMS jobs run at once in this process. Default 5. */
  concurrency?: number;
  /** Tries per SMS job. Default 8. */
  attempts?: number;
  /** First retry delay in milliseconds, doubling each time. Default 2000. */
  backoffMs?: number;
  /** Relay pause between passes in milliseconds. Default 300. */
  relayIntervalMs?: number;
  /** Defaults to the process pool. */
  db?: Knex;
  /**
   * The airtime processor, relay and review pass (src/airtime); `false` leaves them out.
   * Default: on, unless `queueName` names an SMS queue of its own (a test of the SMS half).
   */
  airtime?: AirtimeWorkerOptions | false;
  /** Delivery of Lipa confirmations to merchants (src/merchants); `false` leaves it out. Default as `airtime`. */
  merchantConfirmations?: ConfirmationWorkerOptions | false;
  /** STK push top-ups: the push and the STK query review (src/mpesa/stk-worker.ts); `false` leaves them out. Default as `airtime`. */
  stk?: StkWorkerOptions | false;
  /** Posting withdrawals to M-Pesa to Daraja (src/mpesa/b2c-send.ts); `false` leaves it out. Default as `airtime`. */
  b2c?: { intervalMs?: number } | false;
  /** The daily school-fee arrears reminders (src/fees/reminder-job.ts); `false` leaves them out. Default as `airtime`. */
  feeReminders?: FeeRemindersOptions | false;
  /** The daily loan run: penalties and reminders (src/loans/reminder-job.ts); `false` leaves it out. Default as `airtime`. */
  loanReminders?: LoanRemindersOptions | false;
  /** The chamas' daily run: fines, reminders, officials' Monday summary (src/chama/reminder-job.ts); `false` leaves it out. Default as `airtime`. */
  chamaReminders?: ChamaRemindersOptions | false;
}

/** A running worker. */
export interface RunningWorker {
  /** The SMS queue (for `isReady()`, job counts). */
  readonly queue: Queue<SmsJob>;
  /**
   * Stops the relay (waiting for its pass in flight), then closes the queue, waiting for
   * active jobs. Leaves the shared Redis connections and the database pool open: the
   * process closes those (`closeQueues()`, `db.destroy()`). Safe to call twice.
   */
  stop(): Promise<void>;
}

/**
 * Starts the SMS processor (`concurrency` jobs at once, at most config.smsPerSecond SMS per
 * second across all workers, through bull's limiter) and the outbox relay loop.
 */
export function startWorker(opts: WorkerOptions = {}): RunningWorker {
  const db = opts.db ?? processDb;
  const queue = createQueue<SmsJob>(opts.queueName ?? SMS_QUEUE, {
    attempts: opts.attempts,
    backoffMs: opts.backoffMs,
    limiter: { max: config.smsPerSecond, durationMs: 1000 },
  });
  // process() settles only when the queue closes, or rejects if the processor cannot run.
  queue.process(opts.concurrency ?? 5, (job) => processSmsJob(job, db)).catch((err: unknown) => {
    log.error('sms processor stopped', { error: err instanceof Error ? err.message : String(err) });
  });
  const relay = startRelay(db, queue, { intervalMs: opts.relayIntervalMs });
  const airtimeOpts = opts.airtime ?? (opts.queueName === undefined ? {} : false);
  const airtime = airtimeOpts === false ? undefined : startAirtimeWorker({ db, ...airtimeOpts });
  const confirmationOpts = opts.merchantConfirmations ?? (opts.queueName === undefined ? {} : false);
  const confirmations = confirmationOpts === false ? undefined : startConfirmationWorker({ db, ...confirmationOpts });
  const stkOpts = opts.stk ?? (opts.queueName === undefined ? {} : false);
  const stk = stkOpts === false ? undefined : startStkWorker({ db, ...stkOpts });
  const b2cOpts = opts.b2c ?? (opts.queueName === undefined ? {} : false);
  const b2c = b2cOpts === false ? undefined : startB2cWorker({ db, ...b2cOpts });
  const remindersOpts = opts.feeReminders ?? (opts.queueName === undefined ? {} : false);
  const reminders = remindersOpts === false ? undefined : startFeeReminders({ db, ...remindersOpts });
  const loanOpts = opts.loanReminders ?? (opts.queueName === undefined ? {} : false);
  const loanDaily = loanOpts === false ? undefined : startLoanReminders({ db, ...loanOpts });
  const chamaOpts = opts.chamaReminders ?? (opts.queueName === undefined ? {} : false);
  const chamaDaily = chamaOpts === false ? undefined : startChamaReminders({ db, ...chamaOpts });
  let stopping: Promise<void> | undefined;
  return {
    queue,
    stop: () =>
      (stopping ??= (async () => {
        await relay.stop();
        await airtime?.stop();
        await confirmations?.stop();
        await stk?.stop();
        await b2c?.stop();
        await reminders?.stop();
        await loanDaily?.stop();
        await chamaDaily?.stop();
        await closeQueue(queue);
      })()),
  };
}
