/** Limits count what a customer has sent; a send that was reversed gives its room back. */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { db } from '../src/db/index.js';
import { sendMoney, reverseTransfer, setLimitOverrides, LimitExceededError } from '../src/payments/index.js';
import { makeCustomer, assertLedgerSound } from './helpers/customers.js';

describe('daily limit after a reversal', () => {
  afterEach(assertLedgerSound);

  it('sendMoney(), when an earlier send of today was reversed, does not count it toward the daily limit', async () => {
    const payer = await makeCustomer(1000);
    const payee = await makeCustomer(0);
    await db.transaction((trx) => setLimitOverrides(trx, payer.id, { perTransaction: 10_000n, perDay: 10_000n, perMonth: null, maxBalance: null }));
    const send = () => sendMoney({ payerMsisdn: payer.msisdn, recipientMsisdn: payee.msisdn, amount: 10_000n, pin: '1234', idempotencyKey: `test:${randomUUID()}` });
    const first = await send();
    let refused: unknown;
    try { await send(); } catch (e) { refused = e; }
    expect(refused).to.be.instanceOf(LimitExceededError);

    const entry = await db('journal_entries').where({ code: first.code }).first('id');
    await reverseTransfer({ entryId: entry.id, reason: 'sent to the wrong number', idempotencyKey: `test:${randomUUID()}` });
    const again = await send();
    expect(again.code).to.match(/^[A-Z0-9]{10}$/);
  });
});
