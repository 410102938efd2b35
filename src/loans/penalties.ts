/**
 * Penalties: an installment still unpaid after its due date and the product's grace days
 * is charged the penalty rate on what it then owes (principal, interest and fee; penalties
 * do not compound), once per period it stays overdue, not prorated. Period p (1, 2, …) is
 * charged once `today` is past (due date + grace days + (p − 1) periods). Each charge is one
 * transfer (key `loan:<id>:penalty:<seq>:<period>`: receivable debited, `revenue:loan-
 * penalties` credited, or the group's claims account for a funded loan: a group's loan
 * earns its penalties for the group) and one `loan_penalties` row, unique per installment
 * and period, so running the accrual twice, or late, charges each period once. Amounts are
 * KES cents (bigint).
 */
import type { Db, Knex } from '../db/index.js';
import { transfer } from '../ledger/index.js';
import { percentOf } from './arith.js';
import { addDays, addPeriods, nairobiDay } from './dates.js';
import { incomeAccountId } from './income.js';
import { loadInstallments, loadLoan, type InstallmentRow, type Loan } from './repository.js';
import { settleStatus } from './status.js';

/** One penalty to charge: installment `seq`, period `period`, `amount` cents. */
export interface PenaltyCharge {
  seq: number;
  period: number;
  amount: bigint;
}

/** What one accrual run did. */
export interface PenaltyRun {
  /** Loans looked at (active or overdue with an installment past due). */
  loans: number;
  /** Penalties charged now, and their sum in cents. */
  charged: number;
  amount: bigint;
}

/** Upper bound of periods charged per installment per run (a day-long period over ten years). */
const MAX_PERIODS = 3_660;

/**
 * The penalties due on `today` and not yet charged (`charged` holds `"<seq>:<period>"`). Pure.
 */
export function penaltiesDue(loan: Pick<Loan, 'penaltyBp' | 'penaltyGraceDays' | 'periodUnit' | 'periodLength'>, installments: InstallmentRow[], today: string, charged: ReadonlySet<string>): PenaltyCharge[] {
  if (loan.penaltyBp === 0) return [];
  const out: PenaltyCharge[] = [];
  for (const i of installments) {
    const base = i.principal - i.paidPrincipal + i.interest - i.paidInterest + i.fee - i.paidFee;
    if (i.status === 'written_off' || base === 0n) continue;
    const start = addDays(i.dueDate, loan.penaltyGraceDays);
    for (let p = 1; p <= MAX_PERIODS && today > addPeriods(start, loan.periodUnit, loan.periodLength, p - 1); p++) {
      const amount = percentOf(base, loan.penaltyBp);
      if (amount > 0n && !charged.has(`${i.seq}:${p}`)) out.push({ seq: i.seq, period: p, amount });
    }
  }
  return out;
}

/**
 * Charges every penalty due on `now`'s Nairobi day (MOVES MONEY, keys
 * `loan:<id>:penalty:<seq>:<period>`) and marks loans past due `overdue`. One transaction
 * per loan, the loan row locked first. Idempotent: safe to run any number of times a day.
 */
export async function accruePenalties(db: Knex, now: Date = new Date()): Promise<PenaltyRun> {
  const today = nairobiDay(now);
  const ids = await db('loans').whereIn('status', ['active', 'overdue'])
    .whereExists(db('loan_installments').whereRaw('loan_installments.loan_id = loans.id')
      .where('status', 'pending').where('due_date', '<', today))
    .orderBy('id').pluck('id');
  const run: PenaltyRun = { loans: ids.length, charged: 0, amount: 0n };
  for (const id of ids) {
    const charges = await db.transaction((trx) => accrueLoan(trx, id as bigint, today));
    run.charged += charges.length;
    run.amount += charges.reduce((s, c) => s + c.amount, 0n);
  }
  return run;
}

/** Charges one loan's due penalties in `trx` and settles its status; returns what it charged. */
export async function accrueLoan(trx: Db, loanId: bigint, today: string): Promise<PenaltyCharge[]> {
  const loan = await loadLoan(trx, loanId, true);
  if (loan.status !== 'active' && loan.status !== 'overdue') return [];
  const installments = await loadInstallments(trx, loan.id);
  const done = await trx('loan_penalties').join('loan_installments', 'loan_installments.id', 'loan_penalties.installment_id')
    .where({ 'loan_penalties.loan_id': loan.id }).select('loan_installments.seq', 'loan_penalties.period');
  const charges = penaltiesDue(loan, installments, today, new Set(done.map((d) => `${d.seq}:${d.period}`)));
  const income = await incomeAccountId(trx, loan, 'loanPenalties');
  for (const c of charges) {
    const inst = installments.find((i) => i.seq === c.seq)!;
    const result = await transfer({
      idempotencyKey: `loan:${loan.id}:penalty:${c.seq}:${c.period}`,
      kind: 'loan_penalty',
      amount: c.amount,
      memo: `loan ${loan.id} installment ${c.seq} penalty ${c.period}`,
      metadata: { loanId: String(loan.id), seq: c.seq, period: c.period },
      postings: [{ accountId: loan.receivableAccountId, amount: c.amount }, { accountId: income, amount: -c.amount }],
    }, {}, trx);
    await trx('loan_penalties').insert({ loan_id: loan.id, installment_id: inst.id, period: c.period, amount: c.amount.toString(), journal_entry_id: result.entryId });
    await trx('loan_installments').where({ id: inst.id }).update({ penalty: trx.raw('penalty + ?::bigint', [c.amount.toString()]), status: 'pending' });
    inst.penalty += c.amount;
  }
  await settleStatus(trx, loan, installments, today);
  return charges;
}
