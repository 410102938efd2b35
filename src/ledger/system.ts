/** The platform's own accounts, opened by the seeds and looked up by code. */
import type { Db } from '../db/index.js';
import { getAccountByCode, type Account, type NewAccount } from './accounts.js';

/** System accounts of the platform book (DESIGN.md, Money). */
export const SYSTEM_ACCOUNTS = {
  charges: { code: 'revenue:charges', name: 'Transaction charges', type: 'revenue' },
  opening: { code: 'equity:opening', name: 'Opening balances (seed funding)', type: 'equity' },
  mpesa: { code: 'clearing:mpesa', name: 'M-Pesa clearing', type: 'asset' },
  airtime: { code: 'clearing:airtime', name: 'Airtime clearing', type: 'asset' },
  commissions: { code: 'expense:commissions', name: 'Commissions paid', type: 'expense' },
  bank: { code: 'clearing:bank', name: 'Bank clearing (money received by the banks)', type: 'asset' },
  /** Money received for no known account (an M-Pesa or bank payment to a number that is no customer), until an operator allocates it. */
  suspenseMpesa: { code: 'suspense:mpesa', name: 'M-Pesa receipts awaiting allocation', type: 'liability' },
  suspenseBank: { code: 'suspense:bank', name: 'Bank receipts awaiting allocation', type: 'liability' },
  /** Loans (src/loans): what loans earn, and what is lost when one is written off. */
  loanInterest: { code: 'revenue:loan-interest', name: 'Loan interest', type: 'revenue' },
  loanFees: { code: 'revenue:loan-fees', name: 'Loan facilitation fees', type: 'revenue' },
  loanPenalties: { code: 'revenue:loan-penalties', name: 'Loan penalties', type: 'revenue' },
  loanWriteOffs: { code: 'expense:loan-write-offs', name: 'Loans written off', type: 'expense' },
} as const satisfies Record<string, NewAccount>;

const cache = new Map<string, Account>();

/** A system account by name (cached: ids never change; never use its cached balance). */
export async function systemAccount(db: Db, name: keyof typeof SYSTEM_ACCOUNTS): Promise<Pick<Account, 'id' | 'code'>> {
  const { code } = SYSTEM_ACCOUNTS[name];
  let account = cache.get(code);
  if (!account) {
    account = await getAccountByCode(db, code);
    cache.set(code, account);
  }
  return { id: account.id, code: account.code };
}
