/** Test data for loans: products with fresh codes (each test makes its own), and the receivable check. */
import { randomInt } from 'node:crypto';
import { expect } from 'chai';
import { db } from '../../src/db/index.js';
import { getAccount, systemAccount, transfer } from '../../src/ledger/index.js';
import { createProduct, loadLoan, loanStatement, type LoanProduct, type NewLoanProduct } from '../../src/loans/index.js';

/** Issue 8's Simu Advance: 1 installment in 30 days, 7.5 % fee, no interest, 5 % penalty after 3 days' grace, swept. */
export const SIMU_ADVANCE: Omit<NewLoanProduct, 'code'> = {
  name: 'Simu Advance', principalMin: 10_000n, principalMax: 5_000_000n, installments: 1, periodUnit: 'day', periodLength: 30,
  interestMethod: 'flat', rateBp: 0, feeBp: 750, penaltyBp: 500, penaltyGraceDays: 3, sweep: true,
};

/** Issue 8's Biashara Loan: 3 monthly installments, declining balance 4 % a month, 2 % fee, 2 % a month penalty. */
export const BIASHARA: Omit<NewLoanProduct, 'code'> = {
  name: 'Biashara Loan', principalMin: 100_000n, principalMax: 10_000_000n, installments: 3, periodUnit: 'month', periodLength: 1,
  interestMethod: 'declining', rateBp: 400, feeBp: 200, penaltyBp: 200, penaltyGraceDays: 0, sweep: false,
};

/** Creates a product with a fresh code from `base` and `overrides`. */
export async function makeProduct(base: Omit<NewLoanProduct, 'code'>, overrides: Partial<NewLoanProduct> = {}): Promise<LoanProduct> {
  return createProduct(db, { ...base, code: `t-${Date.now().toString(36)}-${randomInt(1e9).toString(36)}`, ...overrides });
}

let seq = 0;
/** A fresh idempotency key. */
export const loanKey = (what: string): string => `test:loans:${what}:${Date.now()}:${seq++}:${randomInt(1e9)}`;

/** A Date at `hh:mm` Nairobi time on `day` (`YYYY-MM-DD`). */
export function nairobi(day: string, time = '10:00'): Date {
  return new Date(`${day}T${time}:00+03:00`);
}

/** Asserts that the loan's receivable balance equals its statement's outstanding total; returns that total. */
export async function assertReceivableMatches(loanId: bigint, now: Date): Promise<bigint> {
  const loan = await loadLoan(db, loanId);
  const statement = await loanStatement(db, loanId, now);
  const receivable = await getAccount(db, loan.receivableAccountId);
  expect(receivable.balance, `receivable of loan ${loanId}`).to.equal(statement.outstanding.total);
  return statement.outstanding.total;
}

/**
 * Back-dates money into (kes > 0) or out of (kes < 0) a wallet against `clearing:mpesa`,
 * `daysAgo` days before `now`, through the ledger's seeds-and-imports `effectiveAt`.
 * Returns the entry id.
 */
export async function pastFlow(walletAccountId: number, daysAgo: number, kes: number | bigint, now: Date = new Date(), kind = 'import'): Promise<bigint> {
  const mpesa = await systemAccount(db, 'mpesa');
  const cents = BigInt(Math.round(Number(kes) * 100));
  const r = await transfer({
    idempotencyKey: loanKey('history'), kind, amount: cents < 0n ? -cents : cents, effectiveAt: new Date(now.getTime() - daysAgo * 86_400_000),
    postings: [{ accountId: mpesa.id, amount: cents }, { accountId: walletAccountId, amount: -cents }],
  });
  return r.entryId;
}
