/**
 * Allocating a repayment over a loan's installments, and what a loan owes: pure functions
 * on installment state (cents; days `YYYY-MM-DD`, Nairobi).
 *
 * Order (Apache Fineract's default): installments due on or before today, oldest first,
 * each penalties → fees → interest → principal. Then what is paid ahead of time:
 * - flat loans: the next installments in order, the same way (flat interest is fixed by
 *   contract, so paying early saves none);
 * - declining-balance loans: the fee and interest of the period in progress (the first
 *   installment not yet due: that period bears its full interest, not prorated), then
 *   principal of the installments not yet due, oldest first; every later period's interest
 *   is then recomputed on the principal left (rate × principal scheduled from that period
 *   on still unpaid), and the interest no longer owed is the `rebate`.
 * Whatever is left over is `unapplied`: the caller refuses it (LoanOverpaymentError).
 */
import { percentOf } from './arith.js';
import { daysBetween } from './dates.js';

/** An installment's state: owed and paid per component, in cents. */
export interface InstallmentState {
  seq: number;
  dueDate: string;
  principal: bigint;
  interest: bigint;
  fee: bigint;
  penalty: bigint;
  paidPrincipal: bigint;
  paidInterest: bigint;
  paidFee: bigint;
  paidPenalty: bigint;
}

/** Cents per component. */
export interface Components {
  penalty: bigint;
  fee: bigint;
  interest: bigint;
  principal: bigint;
}

/** The outcome of an allocation: the installments after it, and where the money went. */
export interface Allocation {
  installments: InstallmentState[];
  applied: Components;
  /** Scheduled interest cancelled by an early repayment (declining balance), cents. */
  rebate: bigint;
  /** What could not be applied: the loan is settled without it. */
  unapplied: bigint;
}

/** The interest terms an allocation needs. */
export interface InterestTerms {
  interestMethod: 'flat' | 'declining';
  rateBp: number;
}

type Component = keyof Components;
const PAID: Record<Component, 'paidPenalty' | 'paidFee' | 'paidInterest' | 'paidPrincipal'> = {
  penalty: 'paidPenalty', fee: 'paidFee', interest: 'paidInterest', principal: 'paidPrincipal',
};
const ORDER: Component[] = ['penalty', 'fee', 'interest', 'principal'];

const zero = (): Components => ({ penalty: 0n, fee: 0n, interest: 0n, principal: 0n });

function payInto(inst: InstallmentState, components: Component[], left: bigint, applied: Components): bigint {
  for (const c of components) {
    const owed = inst[c] - inst[PAID[c]];
    const take = owed < left ? owed : left;
    inst[PAID[c]] += take;
    applied[c] += take;
    left -= take;
  }
  return left;
}

/** Allocates `amount` cents paid on `today` over `installments` (not changed: the result holds copies). */
export function allocateRepayment(installments: InstallmentState[], amount: bigint, today: string, terms: InterestTerms): Allocation {
  const after = installments.map((i) => ({ ...i }));
  const applied = zero();
  let left = amount;
  for (const inst of after.filter((i) => i.dueDate <= today)) left = payInto(inst, ORDER, left, applied);
  const ahead = after.filter((i) => i.dueDate > today);
  let rebate = 0n;
  if (terms.interestMethod === 'flat') {
    for (const inst of ahead) left = payInto(inst, ORDER, left, applied);
  } else if (ahead.length) {
    left = payInto(ahead[0], ['penalty', 'fee', 'interest'], left, applied);
    for (const inst of ahead) left = payInto(inst, ['principal'], left, applied);
    rebate = reprice(ahead.slice(1), ahead, terms.rateBp);
  }
  return { installments: after, applied, rebate, unapplied: left };
}

/** Lowers the interest of `later` periods to rate × principal still unpaid from each on; returns the interest cancelled. */
function reprice(later: InstallmentState[], ahead: InstallmentState[], rateBp: number): bigint {
  let rebate = 0n;
  for (const inst of later) {
    const from = ahead.indexOf(inst);
    const remaining = ahead.slice(from).reduce((s, i) => s + i.principal - i.paidPrincipal, 0n);
    let interest = percentOf(remaining, rateBp);
    if (interest < inst.paidInterest) interest = inst.paidInterest;
    if (interest < inst.interest) {
      rebate += inst.interest - interest;
      inst.interest = interest;
    }
  }
  return rebate;
}

/** What is still owed, per component and in total, in cents. */
export function outstandingOf(installments: InstallmentState[]): Components & { total: bigint } {
  const o = zero();
  for (const i of installments) for (const c of ORDER) o[c] += i[c] - i[PAID[c]];
  return { ...o, total: o.penalty + o.fee + o.interest + o.principal };
}

/** The amount that settles the loan on `today` (less than the outstanding total when early repayment cancels interest). */
export function payoffAmount(installments: InstallmentState[], today: string, terms: InterestTerms): bigint {
  const all = outstandingOf(installments).total;
  return all - allocateRepayment(installments, all, today, terms).unapplied;
}

/** What is overdue on `today` (unpaid on installments due before it): amount in cents, since which due date, how many days. */
export function overdueOf(installments: InstallmentState[], today: string): { amount: bigint; since: string | null; days: number } {
  const late = installments.filter((i) => i.dueDate < today && outstandingOf([i]).total > 0n);
  if (!late.length) return { amount: 0n, since: null, days: 0 };
  return { amount: outstandingOf(late).total, since: late[0].dueDate, days: daysBetween(late[0].dueDate, today) };
}

/** The status the installments say a disbursed loan is in on `today`. */
export function statusOf(installments: InstallmentState[], today: string): 'active' | 'overdue' | 'repaid' {
  if (outstandingOf(installments).total === 0n) return 'repaid';
  return overdueOf(installments, today).amount > 0n ? 'overdue' : 'active';
}
