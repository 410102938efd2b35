/** Loans and installments: reading them (optionally locked) and writing installment state. */
import type { Db } from '../db/index.js';
import { LoanNotFoundError } from './errors.js';
import type { LoanStatus } from './machine.js';
import type { InstallmentState } from './allocate.js';
import type { PeriodUnit } from './dates.js';

/**
 * Who lends a funded loan: a group (a chama) whose money it is. Both are accounts of the
 * platform book: `fundAccountId` the group's cash (a no-overdraft liability: the principal
 * leaves it, repayments return to it), `claimsAccountId` what members owe the group on its
 * loans (a liability whose balance is minus the sum of the receivables of the group's live
 * loans; the loan's fee, interest, penalties, rebates and write-off land there, not in
 * revenue or expense accounts).
 */
export interface Funder {
  fundAccountId: number;
  claimsAccountId: number;
}

/** A loan with the terms it was made with (amounts in cents, rates in basis points). */
export interface Loan {
  id: bigint;
  customerId: number;
  productId: number;
  principal: bigint;
  /** The facilitation fee, owed with the first installment. */
  fee: bigint;
  /** Interest scheduled at disbursement (before any early-repayment rebate). */
  interest: bigint;
  interestMethod: 'flat' | 'declining';
  rateBp: number;
  penaltyBp: number;
  penaltyGraceDays: number;
  periodUnit: PeriodUnit;
  periodLength: number;
  status: LoanStatus;
  /** `YYYY-MM-DD`, Nairobi. */
  disbursedOn: string;
  disbursedAt: Date | null;
  receivableAccountId: number;
  idempotencyKey: string;
  writtenOffAmount: bigint | null;
  writtenOffBy: string | null;
  /** The group whose money the loan lends; null for the platform's own loans. */
  funder: Funder | null;
}

/** An installment row: what is owed and paid per component, with its id and status. */
export interface InstallmentRow extends InstallmentState {
  id: bigint;
  status: 'pending' | 'paid' | 'written_off';
}

/** Maps a loans row (`disbursed_on` read as text). */
export function toLoan(r: Record<string, unknown>): Loan {
  return {
    id: r.id as bigint, customerId: r.customer_id as number, productId: r.product_id as number,
    principal: r.principal as bigint, fee: r.fee as bigint, interest: r.interest as bigint,
    interestMethod: r.interest_method as Loan['interestMethod'], rateBp: r.rate_bp as number, penaltyBp: r.penalty_bp as number,
    penaltyGraceDays: r.penalty_grace_days as number, periodUnit: r.period_unit as PeriodUnit, periodLength: r.period_length as number,
    status: r.status as LoanStatus, disbursedOn: r.disbursed_on_text as string, disbursedAt: (r.disbursed_at as Date | null) ?? null,
    receivableAccountId: r.receivable_account_id as number, idempotencyKey: r.idempotency_key as string,
    writtenOffAmount: (r.written_off_amount as bigint | null) ?? null, writtenOffBy: (r.written_off_by as string | null) ?? null,
    funder: r.funder_account_id == null ? null
      : { fundAccountId: r.funder_account_id as number, claimsAccountId: r.claims_account_id as number },
  };
}

const LOAN_COLUMNS = ['*', "to_char(disbursed_on, 'YYYY-MM-DD') AS disbursed_on_text"];

/** The loan `id`, locked FOR UPDATE when `lock` (every money-moving step locks it first, then the accounts). @throws LoanNotFoundError */
export async function loadLoan(db: Db, id: bigint, lock = false): Promise<Loan> {
  const q = db('loans').where({ id }).first(db.raw(LOAN_COLUMNS.join(', ')));
  const row = await (lock ? q.forUpdate() : q);
  if (!row) throw new LoanNotFoundError(id);
  return toLoan(row);
}

/** The loan disbursed under idempotency key `key`, or null. */
export async function findLoanByKey(db: Db, key: string): Promise<Loan | null> {
  const row = await db('loans').where({ idempotency_key: key }).first(db.raw(LOAN_COLUMNS.join(', ')));
  return row ? toLoan(row) : null;
}

/** A customer's loans, newest first (every status unless `open`: active and overdue only). */
export async function loansOf(db: Db, customerId: number, opts: { open?: boolean } = {}): Promise<Loan[]> {
  const q = db('loans').where({ customer_id: customerId }).select(db.raw(LOAN_COLUMNS.join(', '))).orderBy('id', 'desc');
  if (opts.open) q.whereIn('status', ['active', 'overdue']);
  return (await q).map(toLoan);
}

/**
 * A customer's open loans of products that sweep (`loan_products.sweep`) with something
 * overdue on `today` (`YYYY-MM-DD`), oldest first: what money arriving in the wallet repays
 * first. Not locked: repayLoan locks each loan.
 */
export async function overdueSweptLoans(db: Db, customerId: number, today: string): Promise<Loan[]> {
  const rows = await db('loans').join('loan_products', 'loan_products.id', 'loans.product_id')
    .where({ 'loans.customer_id': customerId, 'loan_products.sweep': true }).whereIn('loans.status', ['active', 'overdue'])
    .whereExists(db('loan_installments').whereRaw('loan_installments.loan_id = loans.id').where('loan_installments.status', 'pending')
      .where('loan_installments.due_date', '<', today))
    .orderBy('loans.id').select(db.raw("loans.*, to_char(loans.disbursed_on, 'YYYY-MM-DD') AS disbursed_on_text"));
  return rows.map(toLoan);
}

/** The loan's installments in order (due dates read as `YYYY-MM-DD`). */
export async function loadInstallments(db: Db, loanId: bigint): Promise<InstallmentRow[]> {
  const rows = await db('loan_installments').where({ loan_id: loanId }).orderBy('seq')
    .select('*', db.raw("to_char(due_date, 'YYYY-MM-DD') AS due_text"));
  return rows.map((r) => ({
    id: r.id, seq: r.seq, dueDate: r.due_text, status: r.status,
    principal: r.principal, interest: r.interest, fee: r.fee, penalty: r.penalty,
    paidPrincipal: r.paid_principal, paidInterest: r.paid_interest, paidFee: r.paid_fee, paidPenalty: r.paid_penalty,
  }));
}

/** Writes back the amounts of installments that changed (matched by seq), marking fully paid ones `paid`. */
export async function saveInstallments(db: Db, loanId: bigint, before: InstallmentRow[], after: InstallmentState[]): Promise<void> {
  for (const inst of after) {
    const old = before.find((b) => b.seq === inst.seq)!;
    const fields = ['principal', 'interest', 'fee', 'penalty', 'paidPrincipal', 'paidInterest', 'paidFee', 'paidPenalty'] as const;
    if (fields.every((f) => old[f] === inst[f])) continue;
    await db('loan_installments').where({ loan_id: loanId, seq: inst.seq }).update({
      principal: inst.principal.toString(), interest: inst.interest.toString(), fee: inst.fee.toString(), penalty: inst.penalty.toString(),
      paid_principal: inst.paidPrincipal.toString(), paid_interest: inst.paidInterest.toString(),
      paid_fee: inst.paidFee.toString(), paid_penalty: inst.paidPenalty.toString(),
      status: unpaid(inst) === 0n ? 'paid' : 'pending',
    });
  }
}

/** What is still owed on an installment, all components, in cents. */
export function unpaid(i: InstallmentState): bigint {
  return i.principal - i.paidPrincipal + i.interest - i.paidInterest + i.fee - i.paidFee + i.penalty - i.paidPenalty;
}

/** Stores a new status (the caller has had the machine approve the step). */
export async function setLoanStatus(db: Db, loanId: bigint, status: LoanStatus, extra: Record<string, unknown> = {}): Promise<void> {
  await db('loans').where({ id: loanId }).update({ status, updated_at: db.fn.now(), ...extra });
}
