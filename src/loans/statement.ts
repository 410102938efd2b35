/** A loan's statement: what is outstanding by component, what is due next, what is overdue. */
import type { Db } from '../db/index.js';
import { outstandingOf, overdueOf, payoffAmount, type Components } from './allocate.js';
import { nairobiDay } from './dates.js';
import type { LoanStatus } from './machine.js';
import { loadInstallments, loadLoan, unpaid } from './repository.js';

/** One installment as a statement shows it (cents; `dueDate` `YYYY-MM-DD`, Nairobi). */
export interface StatementInstallment {
  seq: number;
  dueDate: string;
  principal: bigint;
  interest: bigint;
  fee: bigint;
  penalty: bigint;
  paid: bigint;
  unpaid: bigint;
  status: 'pending' | 'paid' | 'written_off';
}

/** A loan's position on a day. All amounts in cents. */
export interface LoanStatement {
  loanId: bigint;
  customerId: number;
  productId: number;
  status: LoanStatus;
  principal: bigint;
  disbursedOn: string;
  /** What the schedule says is owed: always the receivable account's balance. */
  outstanding: Components & { total: bigint };
  /** What settles the loan today (less than `outstanding.total` when paying early cancels interest). */
  payoff: bigint;
  /** Unpaid on installments due on or before today: what the Repay menu offers by default. */
  dueNow: bigint;
  /** The next installment not yet paid that falls due today or later, with what it still owes. */
  nextDue: { seq: number; dueDate: string; amount: bigint } | null;
  /** Unpaid on installments due before today, since the oldest one's due date. */
  overdue: { amount: bigint; since: string | null; days: number };
  /** What was written off (0 unless written off). */
  writtenOff: bigint;
  installments: StatementInstallment[];
}

/**
 * The statement of loan `loanId` on `now`'s Nairobi day (default: now). Reads only.
 *
 * @throws LoanNotFoundError
 */
export async function loanStatement(db: Db, loanId: bigint, now: Date = new Date()): Promise<LoanStatement> {
  const today = nairobiDay(now);
  const loan = await loadLoan(db, loanId);
  const all = await loadInstallments(db, loan.id);
  const live = all.filter((i) => i.status !== 'written_off');
  const next = live.find((i) => i.dueDate >= today && unpaid(i) > 0n);
  return {
    loanId: loan.id, customerId: loan.customerId, productId: loan.productId, status: loan.status, principal: loan.principal,
    disbursedOn: loan.disbursedOn,
    outstanding: outstandingOf(live),
    payoff: payoffAmount(live, today, loan),
    dueNow: live.filter((i) => i.dueDate <= today).reduce((s, i) => s + unpaid(i), 0n),
    nextDue: next ? { seq: next.seq, dueDate: next.dueDate, amount: unpaid(next) } : null,
    overdue: overdueOf(live, today),
    writtenOff: loan.writtenOffAmount ?? 0n,
    installments: all.map((i) => ({
      seq: i.seq, dueDate: i.dueDate, principal: i.principal, interest: i.interest, fee: i.fee, penalty: i.penalty,
      paid: i.paidPrincipal + i.paidInterest + i.paidFee + i.paidPenalty, unpaid: unpaid(i), status: i.status,
    })),
  };
}
