/**
 * Where a loan's income and losses post: the platform's revenue and expense accounts for
 * its own loans, the funder's claims account for a funded loan (all of a group's loan
 * income is the group's, and so is a loss). Amounts are KES cents (bigint).
 */
import type { Db } from '../db/index.js';
import { systemAccount, type PostingInput } from '../ledger/index.js';
import type { Loan } from './repository.js';

/** The system accounts a loan's income or loss would post to, were it the platform's. */
export type LoanIncome = 'loanFees' | 'loanInterest' | 'loanPenalties' | 'loanWriteOffs';

/** The account id that `what` of `loan` posts to: its funder's claims account, else the system account. */
export async function incomeAccountId(db: Db, loan: Pick<Loan, 'funder'>, what: LoanIncome): Promise<number> {
  return loan.funder ? loan.funder.claimsAccountId : (await systemAccount(db, what)).id;
}

/**
 * Postings with one leg per account (transfer() wants each account once: a funded loan's
 * claims account may take several amounts in one entry), in first-seen order, zero legs dropped.
 */
export function mergePostings(postings: PostingInput[]): PostingInput[] {
  const sums = new Map<number, bigint>();
  for (const p of postings) sums.set(p.accountId, (sums.get(p.accountId) ?? 0n) + p.amount);
  return [...sums].filter(([, amount]) => amount !== 0n).map(([accountId, amount]) => ({ accountId, amount }));
}
