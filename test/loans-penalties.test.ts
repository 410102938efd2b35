/**
 * Penalty accrual with a fake clock (once per period overdue after the grace, not prorated,
 * idempotent, Nairobi days) and write-off (after 90 days overdue, by an admin), with the
 * receivable equal to the statement's outstanding and the ledger sound after each step.
 */
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { getAccount, systemAccount } from '../src/ledger/index.js';
import {
  accruePenalties, disburseLoan, loadLoan, loanStatement, overdueSweptLoans, repayLoan, writeOffLoan, LoanStatusError, WriteOffTooEarlyError,
} from '../src/loans/index.js';
import { makeCustomer, assertLedgerSound } from './helpers/customers.js';
import { BIASHARA, SIMU_ADVANCE, assertReceivableMatches, loanKey, makeProduct, nairobi } from './helpers/loans.js';

const KES = 100n;
const penalties = async (loanId: bigint) => (await db('loan_penalties').where({ loan_id: loanId }).orderBy(['installment_id', 'period']).select('period', 'amount'))
  .map((p) => [p.period, p.amount]);
async function refusal(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => expect.fail('expected a refusal'), (e: unknown) => e);
}
/** A Simu Advance of KES 1,000 disbursed 2026-12-06: KES 1,075 due 2027-01-05, 5 % penalty after 3 days' grace, every 30 days. */
async function advance(kes = 0) {
  const product = await makeProduct(SIMU_ADVANCE);
  const customer = await makeCustomer(kes);
  const { loan } = await disburseLoan(db, { customerId: customer.id, productCode: product.code, principal: 1_000n * KES, idempotencyKey: loanKey('d'), on: '2026-12-06' });
  return { loan, customer };
}

describe('loans: penalties', () => {
  afterEach(assertLedgerSound);

  it('charges 5 % of what is overdue once the grace is over, by the Nairobi day, and once per period', async () => {
    const { loan } = await advance();
    await accruePenalties(db, nairobi('2027-01-08', '23:59'));
    expect(await penalties(loan.id), 'within the 3 days of grace').to.deep.equal([]);
    expect((await loadLoan(db, loan.id)).status, 'past its due date').to.equal('overdue');
    // 21:30 UTC on the 8th is 00:30 on the 9th in Nairobi: the grace is over.
    await accruePenalties(db, new Date('2027-01-08T21:30:00Z'));
    expect(await penalties(loan.id)).to.deep.equal([[1, 5_375n]]); // 1,075 × 5 % = 53.75
    await accruePenalties(db, nairobi('2027-01-09', '18:00'));
    await accruePenalties(db, nairobi('2027-02-07'));
    expect(await penalties(loan.id), 'again the same period: nothing more').to.deep.equal([[1, 5_375n]]);
    await accruePenalties(db, nairobi('2027-02-08'));
    expect(await penalties(loan.id), 'the second 30-day period').to.deep.equal([[1, 5_375n], [2, 5_375n]]);
    expect(await assertReceivableMatches(loan.id, nairobi('2027-02-08'))).to.equal(107_500n + 10_750n);
    const s = await loanStatement(db, loan.id, nairobi('2027-02-08'));
    expect(s.outstanding).to.deep.equal({ penalty: 10_750n, fee: 7_500n, interest: 0n, principal: 100_000n, total: 118_250n });
    expect(s.overdue).to.deep.equal({ amount: 118_250n, since: '2027-01-05', days: 34 });
  });

  it('a late first run charges every period missed, each once', async () => {
    const { loan } = await advance();
    // Periods start after 2027-01-08, 2027-02-07 and 2027-03-09.
    await accruePenalties(db, nairobi('2027-03-10'));
    await accruePenalties(db, nairobi('2027-03-10'));
    expect(await penalties(loan.id)).to.deep.equal([[1, 5_375n], [2, 5_375n], [3, 5_375n]]);
    const income = await systemAccount(db, 'loanPenalties');
    const legs = await db('postings').join('journal_entries', 'journal_entries.id', 'postings.journal_entry_id')
      .where({ 'journal_entries.kind': 'loan_penalty', 'postings.account_id': income.id }).whereRaw("journal_entries.metadata->>'loanId' = ?", [String(loan.id)])
      .select('postings.amount');
    expect(legs.map((l) => l.amount), 'three entries crediting penalty income').to.deep.equal([-5_375n, -5_375n, -5_375n]);
    await assertReceivableMatches(loan.id, nairobi('2027-03-10'));
  });

  it('a repayment pays penalties first; a paid installment is charged no more', async () => {
    const { loan } = await advance(200);
    await accruePenalties(db, nairobi('2027-01-10'));
    const now = nairobi('2027-01-10');
    const r = await repayLoan(db, { loanId: loan.id, amount: 100n * KES, idempotencyKey: loanKey('r'), now });
    expect(r.applied).to.deep.equal({ penalty: 5_375n, fee: 4_625n, interest: 0n, principal: 0n });
    const rest = await repayLoan(db, { loanId: loan.id, amount: 107_500n + 5_375n - 10_000n, idempotencyKey: loanKey('r'), now });
    expect(rest).to.include({ status: 'repaid', outstanding: 0n });
    await accruePenalties(db, nairobi('2027-06-01'));
    expect(await penalties(loan.id)).to.deep.equal([[1, 5_375n]]);
    expect(await assertReceivableMatches(loan.id, nairobi('2027-06-01'))).to.equal(0n);
  });

  it('charges each overdue installment on what it still owes, not on penalties (2 % a month, no grace)', async () => {
    const product = await makeProduct(BIASHARA);
    const customer = await makeCustomer(0);
    const { loan } = await disburseLoan(db, { customerId: customer.id, productCode: product.code, principal: 10_000n * KES, idempotencyKey: loanKey('d'), on: '2026-12-06' });
    await accruePenalties(db, nairobi('2027-01-06'));
    expect(await penalties(loan.id), 'not before the day after the due date').to.deep.equal([]);
    await accruePenalties(db, nairobi('2027-02-07'));
    // Installment 1 (3,803.49): 76.0698 → 76.07 for each of 2 periods; installment 2 (3,603.49): 72.0698 → 72.07.
    expect(await penalties(loan.id)).to.deep.equal([[1, 7_607n], [2, 7_607n], [1, 7_207n]]);
    await assertReceivableMatches(loan.id, nairobi('2027-02-07'));
  });
});

describe('loans: overdue swept loans', () => {
  it('lists the overdue loans of products that sweep, not those that do not, nor loans not yet due', async () => {
    const customer = await makeCustomer(0);
    const swept = await makeProduct(SIMU_ADVANCE);
    const unswept = await makeProduct(SIMU_ADVANCE, { sweep: false });
    const a = await disburseLoan(db, { customerId: customer.id, productCode: swept.code, principal: 500n * KES, idempotencyKey: loanKey('d'), on: '2026-12-06' });
    await disburseLoan(db, { customerId: customer.id, productCode: unswept.code, principal: 500n * KES, idempotencyKey: loanKey('d'), on: '2026-12-06' });
    const later = await disburseLoan(db, { customerId: customer.id, productCode: swept.code, principal: 500n * KES, idempotencyKey: loanKey('d'), on: '2026-12-20' });
    expect((await overdueSweptLoans(db, customer.id, '2027-01-05')).map((l) => l.id), 'due today is not overdue').to.deep.equal([]);
    expect((await overdueSweptLoans(db, customer.id, '2027-01-06')).map((l) => l.id)).to.deep.equal([a.loan.id]);
    expect((await overdueSweptLoans(db, customer.id, '2027-01-20')).map((l) => l.id)).to.deep.equal([a.loan.id, later.loan.id]);
  });
});

describe('loans: write-off', () => {
  afterEach(assertLedgerSound);

  it('refuses before 90 days overdue, then writes off everything outstanding to the expense', async () => {
    const { loan } = await advance();
    await accruePenalties(db, nairobi('2027-04-04'));
    const early = await refusal(writeOffLoan(db, loan.id, { by: 'admin:ops', now: nairobi('2027-04-04') }));
    expect(early).to.be.instanceOf(WriteOffTooEarlyError).with.property('overdueDays', 89);
    const expense = await systemAccount(db, 'loanWriteOffs');
    const before = (await getAccount(db, expense.id)).balance;
    const outstanding = (await loanStatement(db, loan.id, nairobi('2027-04-05'))).outstanding.total;
    expect(outstanding).to.equal(107_500n + 3n * 5_375n);
    const w = await writeOffLoan(db, loan.id, { by: 'admin:ops', now: nairobi('2027-04-05') });
    expect(w).to.include({ amount: outstanding, by: 'admin:ops', replayed: false });
    expect((await getAccount(db, expense.id)).balance - before).to.equal(outstanding);
    expect(await assertReceivableMatches(loan.id, nairobi('2027-04-05'))).to.equal(0n);
    const s = await loanStatement(db, loan.id, nairobi('2027-04-05'));
    expect(s).to.include({ status: 'written_off', writtenOff: outstanding });
    const again = await writeOffLoan(db, loan.id, { by: 'admin:other', now: nairobi('2027-04-06') });
    expect(again).to.include({ replayed: true, code: w.code, by: 'admin:ops' });
    expect(await refusal(repayLoan(db, { loanId: loan.id, amount: 100n, idempotencyKey: loanKey('r'), now: nairobi('2027-04-06') }))).to.be.instanceOf(LoanStatusError);
    await accruePenalties(db, nairobi('2027-06-01'));
    expect(await penalties(loan.id), 'no penalties after a write-off').to.have.length(3);
  });

  it('refuses to write off a loan that is not overdue, or repaid', async () => {
    const { loan } = await advance(100);
    expect(await refusal(writeOffLoan(db, loan.id, { by: 'admin:ops', now: nairobi('2027-01-01') }))).to.be.instanceOf(WriteOffTooEarlyError).with.property('overdueDays', 0);
    await repayLoan(db, { loanId: loan.id, amount: 107_500n, idempotencyKey: loanKey('r'), now: nairobi('2027-01-01') });
    expect(await refusal(writeOffLoan(db, loan.id, { by: 'admin:ops', now: nairobi('2027-09-01') }))).to.be.instanceOf(LoanStatusError);
  });
});
