/** Keeping a loan's stored status in step with its installments, through the machine. */
import type { Db } from '../db/index.js';
import type { InstallmentState } from './allocate.js';
import { statusOf } from './allocate.js';
import { nextStatus, stepsTo, type LoanStatus } from './machine.js';
import { setLoanStatus, type Loan } from './repository.js';

/**
 * Moves a disbursed loan to the status its installments say it is in on `today` (overdue,
 * caught up, repaid), each step approved by the machine; returns the status.
 *
 * @throws LoanStatusError when the machine refuses the step (a bug: callers lock the loan first)
 */
export async function settleStatus(db: Db, loan: Loan, installments: InstallmentState[], today: string): Promise<LoanStatus> {
  const target = statusOf(installments, today);
  let status = loan.status;
  for (const event of stepsTo(status, target)) status = nextStatus(status, event);
  if (status !== loan.status) await setLoanStatus(db, loan.id, status);
  return status;
}
