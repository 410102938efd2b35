/**
 * Loans, pure parts: repayment allocation (Fineract's penalties → fees → interest →
 * principal, oldest first), early repayment of a declining-balance loan (later interest on
 * what is left), payoff, and the loan machine's transitions.
 */
import { expect } from 'chai';
import {
  allocateRepayment, computeSchedule, nextStatus, outstandingOf, overdueOf, payoffAmount, LoanStatusError, type InstallmentState,
} from '../src/loans/index.js';

const KES = 100n;
const state = (s: ReturnType<typeof computeSchedule>): InstallmentState[] => s.map((i) => ({
  seq: i.seq, dueDate: i.dueDate, principal: i.principal, interest: i.interest, fee: i.fee, penalty: 0n,
  paidPrincipal: 0n, paidInterest: 0n, paidFee: 0n, paidPenalty: 0n,
}));
const declining = { interestMethod: 'declining' as const, rateBp: 400 };
// Biashara Loan, KES 10,000 disbursed 2026-12-06: installments of 3,803.49 (with the 200 fee), 3,603.49, 3,603.48,
// due 2027-01-06, 2027-02-06, 2027-03-06 (see loans-schedule.test.ts).
const biashara = () => state(computeSchedule({ installments: 3, periodUnit: 'month', periodLength: 1, interestMethod: 'declining', rateBp: 400, feeBp: 200 }, 10_000n * KES, '2026-12-06'));

describe('loans: allocating a repayment', () => {
  it('pays overdue installments oldest first, each penalties → fees → interest → principal', () => {
    const inst = biashara();
    inst[0].penalty = 7_607n; // 2 % of 3,803.49
    inst[1].penalty = 7_207n;
    // 76.07 + 200 + 400 + 10: the first installment's penalty, fee, interest, then 10 of its principal.
    const a = allocateRepayment(inst, 68_607n, '2027-02-10', declining);
    expect(a.applied).to.deep.equal({ penalty: 7_607n, fee: 20_000n, interest: 40_000n, principal: 1_000n });
    expect(a.installments[1].paidPenalty).to.equal(0n);
    expect(a.unapplied).to.equal(0n);
    expect(inst[0].paidPenalty, 'the input is not changed').to.equal(0n);
    // The rest of the first installment (3,193.49) then the second's penalty (72.07) before its interest.
    const b = allocateRepayment(a.installments, 319_349n + 7_207n + 100n, '2027-02-10', declining);
    expect(b.applied).to.deep.equal({ penalty: 7_207n, fee: 0n, interest: 100n, principal: 319_349n });
    expect(b.installments[0].paidPrincipal).to.equal(320_349n);
    expect(b.installments[1].paidInterest).to.equal(100n);
  });

  it('an installment due today is paid before any early repayment', () => {
    const a = allocateRepayment(biashara(), 380_349n, '2027-01-06', declining);
    expect(a.installments[0].paidPrincipal + a.installments[0].paidInterest + a.installments[0].paidFee).to.equal(380_349n);
    expect(a.rebate).to.equal(0n);
  });

  it("early repayment of a declining loan pays the period in progress' fee and interest, then principal, and reprices later interest", () => {
    // By hand: 200 fee + 400 interest of the first period, then 5,000 of principal: 3,203.49 of the first
    // installment and 1,796.51 of the second. Principal left from period 2 on: 1,535.12 + 3,464.88 = 5,000,
    // so period 2's interest is 4 % × 5,000 = 200.00 (was 271.86: 71.86 cancelled); period 3 keeps 4 % × 3,464.88 = 138.60.
    const a = allocateRepayment(biashara(), 560_000n, '2026-12-20', declining);
    expect(a.applied).to.deep.equal({ penalty: 0n, fee: 20_000n, interest: 40_000n, principal: 500_000n });
    expect(a.installments.map((i) => [i.paidPrincipal, i.interest])).to.deep.equal([[320_349n, 40_000n], [179_651n, 20_000n], [0n, 13_860n]]);
    expect(a.rebate).to.equal(7_186n);
    expect(outstandingOf(a.installments)).to.deep.equal({ penalty: 0n, fee: 0n, interest: 33_860n, principal: 500_000n, total: 533_860n });
  });

  it('the payoff of a declining loan cancels the interest of the periods not begun', () => {
    // Before the first due date: fee 200 + first interest 400 + principal 10,000; periods 2 and 3 bear none.
    expect(payoffAmount(biashara(), '2026-12-07', declining)).to.equal(1_060_000n);
    const all = allocateRepayment(biashara(), 1_060_000n, '2026-12-07', declining);
    expect(all.rebate).to.equal(27_186n + 13_860n);
    expect(outstandingOf(all.installments).total).to.equal(0n);
    // After the first due date the second period is under way and bears its full interest.
    expect(payoffAmount(biashara(), '2027-01-07', declining)).to.equal(1_060_000n + 27_186n);
  });

  it('a flat loan paid early pays its later interest too (flat interest is fixed by the contract)', () => {
    const flat = state(computeSchedule({ installments: 3, periodUnit: 'month', periodLength: 1, interestMethod: 'flat', rateBp: 500, feeBp: 0 }, 10_000n * KES, '2026-12-06'));
    expect(payoffAmount(flat, '2026-12-07', { interestMethod: 'flat', rateBp: 500 })).to.equal(1_150_000n);
    const a = allocateRepayment(flat, 450_000n, '2026-12-07', { interestMethod: 'flat', rateBp: 500 });
    // By hand: the first installment whole (500 interest, 3,333.33 principal: 3,833.33), then of the 666.67 left
    // the second's interest 500 first and 166.67 of its principal.
    expect(a.applied).to.deep.equal({ penalty: 0n, fee: 0n, interest: 100_000n, principal: 350_000n });
    expect(a.rebate).to.equal(0n);
  });

  it('leaves what exceeds the payoff unapplied', () => {
    const a = allocateRepayment(biashara(), 1_060_001n, '2026-12-07', declining);
    expect(a.unapplied).to.equal(1n);
  });

  it('overdue counts installments due before today, from the oldest due date', () => {
    expect(overdueOf(biashara(), '2027-01-06')).to.deep.equal({ amount: 0n, since: null, days: 0 });
    expect(overdueOf(biashara(), '2027-02-07')).to.deep.equal({ amount: 380_349n + 360_349n, since: '2027-01-06', days: 32 });
  });
});

describe('loans: the loan machine', () => {
  it('takes a loan applied → active → overdue → active → repaid', () => {
    expect(nextStatus('applied', 'DISBURSE')).to.equal('active');
    expect(nextStatus('active', 'FALL_DUE')).to.equal('overdue');
    expect(nextStatus('overdue', 'CATCH_UP')).to.equal('active');
    expect(nextStatus('active', 'REPAY_IN_FULL')).to.equal('repaid');
    expect(nextStatus('overdue', 'WRITE_OFF')).to.equal('written_off');
  });

  it('refuses steps the life of a loan does not have', () => {
    expect(() => nextStatus('active', 'WRITE_OFF')).to.throw(LoanStatusError);
    expect(() => nextStatus('repaid', 'DISBURSE')).to.throw(LoanStatusError);
    expect(() => nextStatus('written_off', 'REPAY_IN_FULL')).to.throw(LoanStatusError);
    expect(() => nextStatus('applied', 'REPAY_IN_FULL')).to.throw(LoanStatusError);
  });
});
