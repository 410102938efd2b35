/**
 * Repayment schedules: from a product's terms and a principal, the installments with their
 * due dates and what each owes, in KES cents. Pure: no I/O, no clock, no floats.
 *
 * - Fee: principal × fee rate, rounded half-up, owed with the first installment.
 * - Flat: interest = principal × rate × installments (rate per period), rounded half-up,
 *   spread evenly; principal spread evenly; each share rounded half-up, the last
 *   installment absorbing the rounding.
 * - Declining balance: the equal installment P·r / (1 − (1 + r)^−n) (computed exactly, see
 *   arith.ts); each period's interest is the outstanding principal × r rounded half-up; the
 *   rest of the installment is principal; the last installment repays what is left, so the
 *   principal parts sum to the principal exactly.
 */
import { divHalfUp, equalInstallment, percentOf } from './arith.js';
import { addPeriods, type PeriodUnit } from './dates.js';

/** What a schedule depends on: a product's terms (rates in basis points per period). */
export interface ScheduleTerms {
  installments: number;
  periodUnit: PeriodUnit;
  periodLength: number;
  interestMethod: 'flat' | 'declining';
  rateBp: number;
  feeBp: number;
}

/** One installment: its 1-based `seq`, due day (`YYYY-MM-DD`, Nairobi) and amounts in cents. */
export interface ScheduledInstallment {
  seq: number;
  dueDate: string;
  principal: bigint;
  interest: bigint;
  fee: bigint;
  /** principal + interest + fee. */
  total: bigint;
}

/**
 * The repayment schedule of `principal` cents disbursed on `disbursedOn` (`YYYY-MM-DD`):
 * installment k falls due k periods later (months clamped to the month's end).
 *
 * @throws RangeError a principal that is not positive, or terms without installments
 */
export function computeSchedule(terms: ScheduleTerms, principal: bigint, disbursedOn: string): ScheduledInstallment[] {
  if (principal <= 0n) throw new RangeError('principal must be positive cents');
  if (!Number.isInteger(terms.installments) || terms.installments < 1) throw new RangeError('a schedule needs at least one installment');
  const split = terms.interestMethod === 'flat' ? flatSplit(terms, principal) : decliningSplit(terms, principal);
  const fee = percentOf(principal, terms.feeBp);
  return split.map(([p, i], k) => {
    const f = k === 0 ? fee : 0n;
    return { seq: k + 1, dueDate: addPeriods(disbursedOn, terms.periodUnit, terms.periodLength, k + 1), principal: p, interest: i, fee: f, total: p + i + f };
  });
}

/** Even shares of `total` over `n`, each rounded half-up, the last taking the rest. */
function evenShares(total: bigint, n: number): bigint[] {
  const share = divHalfUp(total, BigInt(n));
  const shares = Array.from({ length: n - 1 }, () => share);
  return [...shares, total - share * BigInt(n - 1)];
}

function flatSplit(terms: ScheduleTerms, principal: bigint): Array<[bigint, bigint]> {
  const interest = percentOf(principal * BigInt(terms.installments), terms.rateBp);
  const p = evenShares(principal, terms.installments);
  const i = evenShares(interest, terms.installments);
  return p.map((x, k) => [x, i[k]]);
}

function decliningSplit(terms: ScheduleTerms, principal: bigint): Array<[bigint, bigint]> {
  const n = terms.installments;
  const installment = equalInstallment(principal, terms.rateBp, n);
  const rows: Array<[bigint, bigint]> = [];
  let outstanding = principal;
  for (let k = 1; k <= n; k++) {
    const interest = percentOf(outstanding, terms.rateBp);
    // The last repays what is left; a short installment never repays more than is owed.
    const part = k === n ? outstanding : minBig(installment - interest, outstanding);
    rows.push([part, interest]);
    outstanding -= part;
  }
  return rows;
}

const minBig = (a: bigint, b: bigint): bigint => (a < b ? a : b);
