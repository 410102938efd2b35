/**
 * Loan schedules to the cent (pure: computeSchedule, the equal installment, calendar
 * months), against worked examples computed independently of the code; each says where
 * it comes from.
 */
import { expect } from 'chai';
import { addMonths, computeSchedule, equalInstallment, percentOf, type ScheduleTerms } from '../src/loans/index.js';

const KES = 100n;
const monthly = (n: number, rateBp: number, method: 'flat' | 'declining', feeBp = 0): ScheduleTerms => ({
  installments: n, periodUnit: 'month', periodLength: 1, interestMethod: method, rateBp, feeBp,
});
const rows = (s: ReturnType<typeof computeSchedule>) => s.map((i) => [i.dueDate, i.principal, i.interest, i.fee]);
const sum = (s: ReturnType<typeof computeSchedule>, k: 'principal' | 'interest' | 'fee' | 'total') => s.reduce((a, i) => a + i[k], 0n);

describe('loans: computeSchedule', () => {
  it('Simu Advance, KES 1,000 for 30 days at a 7.5 % fee and no interest, is one installment of KES 1,075 (by hand: 1,000 × 7.5 % = 75)', () => {
    const s = computeSchedule({ installments: 1, periodUnit: 'day', periodLength: 30, interestMethod: 'flat', rateBp: 0, feeBp: 750 }, 1_000n * KES, '2026-12-06');
    expect(rows(s)).to.deep.equal([['2027-01-05', 1_000n * KES, 0n, 75n * KES]]);
    expect(s[0].total).to.equal(1_075n * KES);
  });

  it('KES 100,000 over 12 months declining at 1 % a month: installments of KES 8,884.88, interest on the balance each month', () => {
    // Standard amortization: A = P·r/(1−(1+r)^−n) = 100,000 × 0.01 / (1 − 1.01^−12) = 8,884.8789 → 8,884.88
    // (the figure any amortization table gives for 100,000 at 12 % a year over 12 months). Rows
    // worked independently in Python (fractions.Fraction, half-up to the cent per row): interest =
    // balance × 1 %, principal = 8,884.88 − interest, the last row repays the balance left.
    const s = computeSchedule(monthly(12, 100, 'declining'), 100_000n * KES, '2026-01-15');
    const expected: Array<[bigint, bigint]> = [
      [788488n, 100000n], [796373n, 92115n], [804337n, 84151n], [812380n, 76108n], [820504n, 67984n], [828709n, 59779n],
      [836996n, 51492n], [845366n, 43122n], [853820n, 34668n], [862358n, 26130n], [870981n, 17507n], [879688n, 8797n],
    ];
    expect(s.map((i) => [i.principal, i.interest])).to.deep.equal(expected);
    expect(s.slice(0, 11).every((i) => i.total === 888_488n)).to.equal(true);
    expect(s[11].total).to.equal(888_485n);
    expect(sum(s, 'principal')).to.equal(100_000n * KES);
    expect(sum(s, 'interest')).to.equal(661_853n);
    expect(s.map((i) => i.dueDate)).to.deep.equal([
      '2026-02-15', '2026-03-15', '2026-04-15', '2026-05-15', '2026-06-15', '2026-07-15',
      '2026-08-15', '2026-09-15', '2026-10-15', '2026-11-15', '2026-12-15', '2027-01-15',
    ]);
  });

  it('Biashara Loan, KES 10,000 over 3 months declining at 4 % with a 2 % fee: 3,603.49 a month (by hand)', () => {
    // By hand: A = 10,000 × 0.04 / (1 − 1.04^−3) = 3,603.4854 → 3,603.49.
    // Month 1: interest 10,000 × 4 % = 400.00, principal 3,203.49, balance 6,796.51.
    // Month 2: interest 271.8604 → 271.86, principal 3,331.63, balance 3,464.88.
    // Month 3: interest 138.5952 → 138.60, principal 3,464.88: 3,603.48 (the last absorbs rounding).
    // Fee: 10,000 × 2 % = 200, with the first installment.
    const s = computeSchedule(monthly(3, 400, 'declining', 200), 10_000n * KES, '2026-12-06');
    expect(rows(s)).to.deep.equal([
      ['2027-01-06', 320_349n, 40_000n, 20_000n],
      ['2027-02-06', 333_163n, 27_186n, 0n],
      ['2027-03-06', 346_488n, 13_860n, 0n],
    ]);
    expect(s.map((i) => i.total)).to.deep.equal([380_349n, 360_349n, 360_348n]);
  });

  it('flat: KES 10,000 over 3 months at 5 % a month is 500 interest a month and principal 3,333.33, 3,333.33, 3,333.34 (by hand)', () => {
    const s = computeSchedule(monthly(3, 500, 'flat'), 10_000n * KES, '2026-03-31');
    expect(rows(s)).to.deep.equal([
      ['2026-04-30', 333_333n, 50_000n, 0n],
      ['2026-05-31', 333_333n, 50_000n, 0n],
      ['2026-06-30', 333_334n, 50_000n, 0n],
    ]);
  });

  it('flat interest is rounded half-up once, then spread with the last absorbing the rounding (by hand)', () => {
    // KES 7,777 over 7 weeks at 1.5 % a week: 7,777 × 0.015 × 7 = 816.585 → 816.59 (half-up).
    // 816.59 / 7 = 116.6557 → 116.66 × 6 = 699.96, the last 116.63. Principal 7,777 / 7 = 1,111 each.
    const s = computeSchedule({ installments: 7, periodUnit: 'week', periodLength: 1, interestMethod: 'flat', rateBp: 150, feeBp: 0 }, 7_777n * KES, '2026-12-06');
    expect(sum(s, 'interest')).to.equal(81_659n);
    expect(s.map((i) => i.interest)).to.deep.equal([11_666n, 11_666n, 11_666n, 11_666n, 11_666n, 11_666n, 11_663n]);
    expect(s.every((i) => i.principal === 111_100n)).to.equal(true);
    expect(s.map((i) => i.dueDate)).to.deep.equal(['2026-12-13', '2026-12-20', '2026-12-27', '2027-01-03', '2027-01-10', '2027-01-17', '2027-01-24']);
  });

  it('principal parts sum to the principal exactly for awkward amounts, both methods', () => {
    for (const principal of [100_001n, 333_337n, 9_999_999n]) {
      for (const method of ['flat', 'declining'] as const) {
        const s = computeSchedule(monthly(7, 333, method, 175), principal, '2026-01-31');
        expect(sum(s, 'principal'), `${method} ${principal}`).to.equal(principal);
        expect(s.every((i) => i.principal > 0n && i.interest >= 0n)).to.equal(true);
        expect(sum(s, 'fee')).to.equal(percentOf(principal, 175));
      }
    }
  });

  it('a declining loan at 0 % repays the principal in equal parts', () => {
    const s = computeSchedule(monthly(4, 0, 'declining'), 1_000n * KES, '2026-01-01');
    expect(s.map((i) => [i.principal, i.interest])).to.deep.equal([[25_000n, 0n], [25_000n, 0n], [25_000n, 0n], [25_000n, 0n]]);
  });

  it('months clamp to the month end without drifting: Jan 31 → Feb 28 (29 in a leap year) → Mar 31', () => {
    expect(addMonths('2026-01-31', 1)).to.equal('2026-02-28');
    expect(addMonths('2028-01-31', 1)).to.equal('2028-02-29');
    const s = computeSchedule(monthly(3, 100, 'declining'), 1_000n * KES, '2026-01-31');
    expect(s.map((i) => i.dueDate)).to.deep.equal(['2026-02-28', '2026-03-31', '2026-04-30']);
    expect(addMonths('2026-11-30', 3)).to.equal('2027-02-28');
  });

  it('equalInstallment rounds the exact rational half-up, and percentOf rounds half-up on cents', () => {
    expect(equalInstallment(10_000_000n, 100, 12)).to.equal(888_488n);
    expect(equalInstallment(1_000_000n, 400, 3)).to.equal(360_349n);
    expect(percentOf(150n, 5000)).to.equal(75n); // 75.0
    expect(percentOf(101n, 5000)).to.equal(51n); // 50.5 → 51
    expect(percentOf(99n, 5000)).to.equal(50n); // 49.5 → 50
    expect(percentOf(3n, 1000)).to.equal(0n); // 0.3 → 0
  });

  it('refuses a principal that is not positive', () => {
    expect(() => computeSchedule(monthly(3, 100, 'flat'), 0n, '2026-01-01')).to.throw(RangeError);
  });
});
