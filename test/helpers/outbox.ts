/** SMS outbox rows for tests: each test writes its own, for a fresh MSISDN. */
import { randomUUID } from 'node:crypto';
import { db } from '../../src/db/index.js';
import { enqueueSms, type SmsKind } from '../../src/sms/index.js';
import { closeQueue, closeQueues, createQueue, startWorker, type RunningWorker, type WorkerOptions } from '../../src/queue/index.js';
import { blockOutboundHttp } from './at.js';
import { randomMsisdn } from './customers.js';
import { closeAtEnd } from './resources.js';

/** Writes one `pending` outbox row and returns its id, MSISDN and text. */
export async function outboxRow(opts: { message?: string; kind?: SmsKind; msisdn?: string } = {}) {
  const msisdn = opts.msisdn ?? randomMsisdn();
  const message = opts.message ?? `Test SMS ${randomUUID()}`;
  const [id] = await enqueueSms(db, [{ msisdn, message, kind: opts.kind ?? 'receipt' }]);
  return { id, msisdn, message };
}

/** The outbox row `id` as stored. */
export async function rowOf(id: bigint | string) {
  return db('sms_outbox').where({ id: String(id) }).first();
}

/** Waits until `check()` is true, polling; fails after `limitMs` (a guard, not an assertion on time). */
export async function eventually(check: () => Promise<boolean>, what: string, limitMs = 15_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Marks every outbox row still on its way `failed` ("set aside by <who>"): a worker
 * relays every waiting row in the database, and rows that earlier test files or the seeds
 * left would reach AT in this file's tests.
 */
export async function setAsideUnsentSms(who: string): Promise<void> {
  await db('sms_outbox').whereIn('status', ['pending', 'queued', 'sending']).update({ status: 'failed', last_error: `set aside by ${who}` });
}

/**
 * Starts a worker on the emptied queue `opts.queueName`, with outbound HTTP blocked (nock
 * answers AT) and the rows other files left set aside, so that it sends only this file's
 * rows; its queues close when the run ends.
 */
export async function startTestWorker(opts: WorkerOptions & { queueName: string }, who: string): Promise<RunningWorker> {
  closeAtEnd(closeQueues);
  blockOutboundHttp();
  const old = createQueue(opts.queueName);
  await old.obliterate({ force: true });
  await closeQueue(old);
  await setAsideUnsentSms(who);
  const worker = startWorker(opts);
  await worker.queue.isReady();
  return worker;
}
