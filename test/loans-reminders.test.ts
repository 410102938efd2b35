/**
 * The loans' daily run with a fake clock (src/loans/reminders.ts): penalties accrue, and
 * reminders go 3 days before a due date, on it, and weekly while overdue, each at most
 * once, in the customer's language, honouring opt-outs and quiet hours.
 */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { db } from '../src/db/index.js';
import { setLanguage } from '../src/customers/index.js';
import { disburseLoan, loanStatement, repayLoan, runLoanDay, sendLoanReminders, LOAN_DAILY_CRON, startLoanReminders } from '../src/loans/index.js';
import { closeQueues } from '../src/queue/index.js';
import { makeCustomer, assertLedgerSound } from './helpers/customers.js';
import { closeAtEnd } from './helpers/resources.js';
import { SIMU_ADVANCE, BIASHARA, loanKey, makeProduct, nairobi } from './helpers/loans.js';

const remindersOf = (loanId: bigint) => db('sms_outbox').where('dedupe_key', 'like', `loan:${loanId}:reminder:%`).orderBy('id')
  .select('dedupe_key', 'message', 'kind', 'not_before');

/** A customer with a KES 1,000 Simu Advance disbursed on 2026-12-06: KES 1,075 due on 2027-01-05. */
async function advance(kes = 0): Promise<{ msisdn: string; loanId: bigint }> {
  const product = await makeProduct(SIMU_ADVANCE);
  const c = await makeCustomer(kes);
  const d = await disburseLoan(db, { customerId: c.id, productCode: product.code, principal: 100_000n, idempotencyKey: loanKey('d'), on: '2026-12-06' });
  return { msisdn: c.msisdn, loanId: d.loan.id };
}

describe('loans: the daily run (penalties and reminders)', () => {
  afterEach(assertLedgerSound);

  it('reminds 3 days before, on the due date, then weekly while overdue, each once, with the penalty accrued', async () => {
    const { loanId } = await advance();
    await runLoanDay(db, nairobi('2027-01-01'));
    expect(await remindersOf(loanId)).to.have.length(0);
    for (let i = 0; i < 2; i++) await runLoanDay(db, nairobi('2027-01-02'));
    let rows = await remindersOf(loanId);
    expect(rows.map((r) => r.dedupe_key)).to.deep.equal([`loan:${loanId}:reminder:1:soon`]);
    expect(rows[0].kind).to.equal('reminder');
    expect(rows[0].message).to.contain('KES 1,075').and.to.contain('05/01/2027');

    await runLoanDay(db, nairobi('2027-01-05'));
    await runLoanDay(db, nairobi('2027-01-05', '15:00'));
    rows = await remindersOf(loanId);
    expect(rows.map((r) => r.dedupe_key).slice(1)).to.deep.equal([`loan:${loanId}:reminder:1:due`]);
    expect(rows[1].message).to.contain('due today');

    for (const day of ['2027-01-06', '2027-01-07', '2027-01-09', '2027-01-12']) await runLoanDay(db, nairobi(day));
    rows = await remindersOf(loanId);
    expect(rows.map((r) => r.dedupe_key).slice(2)).to.deep.equal([`loan:${loanId}:reminder:overdue:2027-01-05:0`]);
    expect(rows[2].message).to.contain('overdue since 05/01/2027').and.to.contain('KES 1,075.');
    // The grace of 3 days ran out on 2027-01-08: the run of 2027-01-09 charged 5 % of 1,075 once.
    expect((await loanStatement(db, loanId, nairobi('2027-01-12'))).outstanding.penalty).to.equal(5_375n);

    await runLoanDay(db, nairobi('2027-01-13'));
    await runLoanDay(db, nairobi('2027-01-14'));
    rows = await remindersOf(loanId);
    expect(rows.map((r) => r.dedupe_key).slice(3)).to.deep.equal([`loan:${loanId}:reminder:overdue:2027-01-05:1`]);
    expect(rows[3].message).to.contain('KES 1,128.75');
  });

  it('speaks Kiswahili to a customer who chose it, and writes nothing to a number that opted out', async () => {
    const sw = await advance();
    await setLanguage(sw.msisdn, 'sw', db);
    const out = await advance();
    await db('sms_opt_outs').insert({ msisdn: out.msisdn });
    await sendLoanReminders(db, nairobi('2027-01-02'));
    const rows = await remindersOf(sw.loanId);
    expect(rows).to.have.length(1);
    expect(rows[0].message).to.contain('Kumbusho').and.to.contain('KES 1,075');
    expect(await remindersOf(out.loanId)).to.have.length(0);
  });

  it('a reminder written in quiet hours waits until 07:00 Nairobi', async () => {
    const { loanId } = await advance();
    await sendLoanReminders(db, nairobi('2027-01-05', '22:30'));
    const [row] = await remindersOf(loanId);
    expect(row.dedupe_key).to.equal(`loan:${loanId}:reminder:1:due`);
    expect(row.not_before.toISOString()).to.equal('2027-01-06T04:00:00.000Z');
  });

  it('a repaid loan gets no reminder; a multi-installment loan is reminded per installment', async () => {
    const paid = await advance(100);
    await repayLoan(db, { loanId: paid.loanId, amount: 107_500n, idempotencyKey: loanKey('r'), now: nairobi('2026-12-20') });
    const product = await makeProduct(BIASHARA);
    const c = await makeCustomer(0);
    const biz = (await disburseLoan(db, { customerId: c.id, productCode: product.code, principal: 1_000_000n, idempotencyKey: loanKey('b'), on: '2026-12-06' })).loan.id;
    await sendLoanReminders(db, nairobi('2027-01-03')); // installment 1 is due 2027-01-06
    await sendLoanReminders(db, nairobi('2027-02-03')); // installment 2 is due 2027-02-06 (installment 1 now overdue)
    expect(await remindersOf(paid.loanId)).to.have.length(0);
    expect((await remindersOf(biz)).map((r) => r.dedupe_key)).to.deep.equal([
      `loan:${biz}:reminder:1:soon`, `loan:${biz}:reminder:2:soon`, `loan:${biz}:reminder:overdue:2027-01-06:3`,
    ]);
  });

  it('the worker schedules the run as a daily repeatable job at 08:00 Nairobi', async () => {
    closeAtEnd(closeQueues);
    const running = startLoanReminders({ queueName: `test-loan-daily-${randomUUID()}` });
    try {
      let jobs: Array<{ cron: string; tz?: string | null }> = [];
      for (let i = 0; i < 50 && jobs.length === 0; i += 1) {
        jobs = await running.queue.getRepeatableJobs();
        if (jobs.length === 0) await new Promise((r) => setTimeout(r, 50));
      }
      expect(jobs.map((j) => [j.cron, j.tz])).to.deep.equal([[LOAN_DAILY_CRON, 'Africa/Nairobi']]);
      await running.queue.obliterate({ force: true });
    } finally {
      await running.stop();
    }
  });
});
