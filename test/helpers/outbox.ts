/** SMS outbox rows for tests: each test writes its own, for a fresh MSISDN. */
import { randomUUID } from 'node:crypto';
import { db } from '../../src/db/index.js';
import { enqueueSms, type SmsKind } from '../../src/sms/index.js';
import { randomMsisdn } from './customers.js';

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
