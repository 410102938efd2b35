/**
 * Write-off: an admin gives up on a loan whose oldest unpaid installment has been overdue
 * 90 days or more. What is outstanding (every component, penalties included) moves from
 * the receivable to `expense:loan-write-offs` in one transfer (key `loan:<id>:write-off`);
 * the installments are marked written off, so the receivable (zero) and the statement
 * (nothing outstanding, `writtenOff` the amount) still agree. The loan stays on record.
 * A funded loan's loss is the group's: the amount is debited to the group's claims account
 * (what its members owe it shrinks by what it gives up), not to the platform's expense.
 * Amounts are KES cents (bigint).
 */
import type { Db, Knex } from '../db/index.js';
import { ValidationError } from '../errors/index.js';
import { transfer } from '../ledger/index.js';
import { outstandingOf, overdueOf } from './allocate.js';
import { nairobiDay } from './dates.js';
import { LoanStatusError, WriteOffTooEarlyError } from './errors.js';
import { incomeAccountId } from './income.js';
import { nextStatus } from './machine.js';
import { loadInstallments, loadLoan, setLoanStatus } from './repository.js';
import { settleStatus } from './status.js';

/** Days a loan must have been overdue before it may be written off. */
export const WRITE_OFF_AFTER_DAYS = 90;

/** A write-off's outcome: the amount written off (cents) and the entry's code. */
export interface WriteOff {
  loanId: bigint;
  amount: bigint;
  by: string;
  code: string;
  replayed: boolean;
}

/**
 * Writes a loan off (MOVES MONEY, key `loan:<id>:write-off`), by the admin `by`. A second
 * call for a written-off loan returns the first write-off (`replayed: true`).
 *
 * @throws ValidationError (`by` empty); LoanNotFoundError; LoanStatusError (repaid, or never disbursed);
 *   WriteOffTooEarlyError (overdue fewer than 90 days, or not overdue)
 */
export async function writeOffLoan(db: Knex, loanId: bigint, opts: { by: string; now?: Date }): Promise<WriteOff> {
  if (!opts.by?.trim()) throw new ValidationError('who writes the loan off is required', 'by');
  return db.transaction((trx) => writeOffIn(trx, loanId, opts.by, nairobiDay(opts.now)));
}

async function writeOffIn(trx: Db, loanId: bigint, by: string, today: string): Promise<WriteOff> {
  const loan = await loadLoan(trx, loanId, true);
  if (loan.status === 'written_off') {
    const entry = await trx('journal_entries').join('loans', 'loans.write_off_entry_id', 'journal_entries.id').where({ 'loans.id': loan.id }).first('journal_entries.code');
    return { loanId: loan.id, amount: loan.writtenOffAmount!, by: loan.writtenOffBy!, code: entry.code, replayed: true };
  }
  if (loan.status !== 'active' && loan.status !== 'overdue') throw new LoanStatusError(loan.status, 'WRITE_OFF');
  const installments = await loadInstallments(trx, loan.id);
  const overdue = overdueOf(installments, today);
  if (overdue.days < WRITE_OFF_AFTER_DAYS) throw new WriteOffTooEarlyError(overdue.days);
  const status = await settleStatus(trx, loan, installments, today);
  const amount = outstandingOf(installments).total;
  const expense = await incomeAccountId(trx, loan, 'loanWriteOffs');
  const result = await transfer({
    idempotencyKey: `loan:${loan.id}:write-off`,
    kind: 'loan_write_off',
    amount,
    memo: `loan ${loan.id} written off by ${by}`,
    metadata: { loanId: String(loan.id), by },
    postings: [{ accountId: expense, amount }, { accountId: loan.receivableAccountId, amount: -amount }],
  }, {}, trx);
  await trx('loan_installments').where({ loan_id: loan.id }).where('status', 'pending').update({ status: 'written_off' });
  await setLoanStatus(trx, loan.id, nextStatus(status, 'WRITE_OFF'), {
    written_off_amount: amount.toString(), written_off_by: by, write_off_entry_id: result.entryId,
  });
  return { loanId: loan.id, amount, by, code: result.code, replayed: false };
}
