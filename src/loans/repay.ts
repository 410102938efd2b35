/**
 * Repayment: money from the customer's wallet (or another account of the platform book, an
 * M-Pesa clearing account say) pays the loan, allocated as allocate.ts says, in one
 * transaction. Lock order: the payer's account, then the loan row, then the accounts
 * transfer() locks. A sweep that credits the wallet and then repays in the same
 * transaction takes them in the same order (the wallet first), so the two cannot
 * deadlock; penalty accrual and write-off lock the loan row, then its receivable.
 *
 * One transfer under the caller's key: the payer is debited the amount, the
 * receivable credited the amount plus any interest an early repayment cancels, and that
 * cancelled interest is debited back to `revenue:loan-interest`. For a funded loan (a
 * group's money) the cancelled interest is debited to the group's claims account instead,
 * and the same entry returns the repaid money to the group: claims debited the amount (the
 * group is owed that much less), the group's fund credited it. Amounts are KES cents (bigint).
 *
 * A repayment larger than what settles the loan today is refused whole
 * (LoanOverpaymentError with the payoff): nothing moves, and the menu offers the payoff.
 */
import { inTransaction, type Db, type Knex } from '../db/index.js';
import { IdempotencyConflictError, transfer } from '../ledger/index.js';
import { ValidationError } from '../errors/index.js';
import { allocateRepayment, outstandingOf, type Components } from './allocate.js';
import { nairobiDay } from './dates.js';
import { LoanOverpaymentError, LoanStatusError } from './errors.js';
import { incomeAccountId, mergePostings } from './income.js';
import type { LoanStatus } from './machine.js';
import { loadInstallments, loadLoan, saveInstallments } from './repository.js';
import { settleStatus } from './status.js';

/** A repayment; `idempotencyKey` comes from the source (`ussd:<sessionId>:<n>`, `mpesa:<receipt>`, a sweep's key). */
export interface RepaymentRequest {
  loanId: bigint;
  /** Cents, positive, at most what settles the loan today. */
  amount: bigint;
  idempotencyKey: string;
  /** The paying account; defaults to the borrower's wallet. */
  fromAccountId?: number;
  /** The clock (tests pass a fixed one); "today" is its day in Nairobi. */
  now?: Date;
}

/** A repayment's outcome: where the money went, interest cancelled, and what is left (cents). */
export interface Repayment {
  loanId: bigint;
  amount: bigint;
  applied: Components;
  rebate: bigint;
  /** The loan's outstanding total after the repayment. */
  outstanding: bigint;
  status: LoanStatus;
  /** The journal entry's transaction code. */
  code: string;
  replayed: boolean;
}

/**
 * Repays a loan (MOVES MONEY, key = the caller's `idempotencyKey`). A retry with the same
 * key returns the first repayment (`replayed: true`) and moves nothing. Pass a transaction
 * as `db` to compose (a sweep in the transaction that credits the wallet).
 *
 * @throws ValidationError amount not positive; LoanNotFoundError; LoanStatusError (not active or overdue);
 *   LoanOverpaymentError (more than the payoff); InsufficientFundsError (the payer is short);
 *   IdempotencyConflictError (the key was used for something else)
 */
export async function repayLoan(db: Db, req: RepaymentRequest): Promise<Repayment> {
  if (typeof req.amount !== 'bigint' || req.amount <= 0n) throw new ValidationError('amount must be positive cents', 'amount');
  return inTransaction(db, (trx) => repayIn(trx, req));
}

async function repayIn(trx: Knex.Transaction, req: RepaymentRequest): Promise<Repayment> {
  const unlocked = await loadLoan(trx, req.loanId);
  const payer: number = req.fromAccountId ?? (await trx('customers').where({ id: unlocked.customerId }).first('wallet_account_id')).wallet_account_id;
  await trx('accounts').where({ id: payer }).forUpdate().first('id');
  const loan = await loadLoan(trx, req.loanId, true);
  const earlier = await trx('loan_repayments').where({ idempotency_key: req.idempotencyKey }).first();
  if (earlier) {
    if (earlier.loan_id !== loan.id || earlier.amount !== req.amount) throw new IdempotencyConflictError(req.idempotencyKey);
    return replayed(trx, earlier, loan.status);
  }
  if (loan.status !== 'active' && loan.status !== 'overdue') throw new LoanStatusError(loan.status, 'REPAY');
  const today = nairobiDay(req.now);
  const before = await loadInstallments(trx, loan.id);
  const alloc = allocateRepayment(before, req.amount, today, loan);
  if (alloc.unapplied > 0n) throw new LoanOverpaymentError(req.amount - alloc.unapplied);

  const interestIncome = await incomeAccountId(trx, loan, 'loanInterest');
  const result = await transfer({
    idempotencyKey: req.idempotencyKey,
    kind: 'loan_repayment',
    amount: req.amount,
    memo: `loan ${loan.id} repayment`,
    metadata: { loanId: String(loan.id), rebate: alloc.rebate.toString(), funded: loan.funder !== null },
    postings: mergePostings([
      { accountId: payer, amount: req.amount },
      { accountId: loan.receivableAccountId, amount: -(req.amount + alloc.rebate) },
      { accountId: interestIncome, amount: alloc.rebate },
      // A group's loan: the repaid money goes back to the group's cash, which is owed that much less.
      ...(loan.funder ? [{ accountId: loan.funder.claimsAccountId, amount: req.amount }, { accountId: loan.funder.fundAccountId, amount: -req.amount }] : []),
    ]),
  }, {}, trx);
  const a = alloc.applied;
  await trx('loan_repayments').insert({
    loan_id: loan.id, idempotency_key: req.idempotencyKey, amount: req.amount.toString(), penalty: a.penalty.toString(),
    fee: a.fee.toString(), interest: a.interest.toString(), principal: a.principal.toString(), rebate: alloc.rebate.toString(),
    journal_entry_id: result.entryId,
  });
  await saveInstallments(trx, loan.id, before, alloc.installments);
  const status = await settleStatus(trx, loan, alloc.installments, today);
  return {
    loanId: loan.id, amount: req.amount, applied: a, rebate: alloc.rebate, outstanding: outstandingOf(alloc.installments).total,
    status, code: result.code, replayed: false,
  };
}

async function replayed(trx: Knex.Transaction, row: Record<string, unknown>, status: LoanStatus): Promise<Repayment> {
  const entry = await trx('journal_entries').where({ id: row.journal_entry_id as bigint }).first('code');
  const installments = await loadInstallments(trx, row.loan_id as bigint);
  return {
    loanId: row.loan_id as bigint, amount: row.amount as bigint, rebate: row.rebate as bigint, status, code: entry.code, replayed: true,
    applied: { penalty: row.penalty as bigint, fee: row.fee as bigint, interest: row.interest as bigint, principal: row.principal as bigint },
    outstanding: outstandingOf(installments.filter((i) => i.status !== 'written_off')).total,
  };
}
