/**
 * Loan limits (issue 8): 20 % of a customer's average monthly inflow over the last 90 days
 * in the ledger, rounded down to KES 100, capped by the product's maximum; zero while the
 * customer has an overdue loan (of any product).
 *
 * "Inflow" is defined precisely as the sum of the credits to the customer's wallet (postings
 * with a negative amount on the wallet account) whose `created_at` lies in
 * [now − 90 days, now), EXCEPT:
 *   - loan disbursements (`kind = 'loan_disbursement'`): borrowed money is not income;
 *   - reversals (`kind = 'reversal'`), and entries that have since been reversed: a refund
 *     of one's own outflow, or an inflow taken back, is not income;
 *   - opening balances (`kind = 'seed'`): funding a demo or test wallet is not income.
 * Everything else counts, whoever the counterparty: M-Pesa and bank top-ups, agent
 * deposits, money received from other customers, allocations from suspense. The average
 * month is the 90 days' total / 3, so the limit is total × 20 % / 3 = total / 15, rounded
 * down to a multiple of KES 100 (10,000 cents).
 */
import type { Db } from '../db/index.js';
import { CustomerNotFoundError } from '../customers/index.js';
import { LoanProductNotFoundError } from './errors.js';
import { findProductByCode } from './products.js';
import { nairobiDay } from './dates.js';

/** The window the limit looks back over, in days. */
export const LIMIT_WINDOW_DAYS = 90;
/** Share of the average monthly inflow a customer may borrow, in basis points (20 %). */
export const LIMIT_SHARE_BP = 2_000n;
/** Limits are whole multiples of this many cents (KES 100). */
export const LIMIT_STEP = 10_000n;
/**
 * Entry kinds whose credits to a wallet are not inflow: borrowed money, reversals, seeds, and a
 * chama's merry-go-round payout or a leaver's savings (the member's own contributions coming back).
 */
export const NOT_INFLOW_KINDS: readonly string[] = ['loan_disbursement', 'reversal', 'seed', 'chama_payout', 'chama_exit'];

/** Why a limit is zero: `overdue_loan` (any overdue loan), `no_history` (no inflow in 90 days), `below_minimum` (under the product's minimum). */
export type LoanLimitReason = 'overdue_loan' | 'no_history' | 'below_minimum';

/** A customer's limit on a product (cents). */
export interface LoanLimit {
  productCode: string;
  /** What the customer may borrow on the product: 0 with a `reason`, else between the product's minimum and maximum. */
  limit: bigint;
  reason: LoanLimitReason | null;
  /** The 90 days' inflow, and the average month (total / 3), in cents. */
  inflow: bigint;
  monthlyInflow: bigint;
  /** What the customer still owes on open loans of this product (the menu may show it; `limit` does not subtract it). */
  outstanding: bigint;
}

/**
 * The inflow (see the file's definition) to the wallet `walletAccountId` in the
 * `LIMIT_WINDOW_DAYS` days before `now`, in cents.
 */
export async function inflowOf(db: Db, walletAccountId: number, now: Date = new Date()): Promise<bigint> {
  const { rows } = await db.raw(
    `SELECT coalesce(-sum(p.amount), 0)::bigint AS inflow
       FROM postings p
       JOIN journal_entries e ON e.id = p.journal_entry_id
      WHERE p.account_id = ? AND p.amount < 0
        AND p.created_at >= ?::timestamptz - (? * interval '1 day') AND p.created_at < ?::timestamptz
        AND e.reverses_id IS NULL AND NOT (e.kind = ANY(?::text[]))
        AND NOT EXISTS (SELECT 1 FROM journal_entries r WHERE r.reverses_id = e.id)`,
    [walletAccountId, now.toISOString(), LIMIT_WINDOW_DAYS, now.toISOString(), [...NOT_INFLOW_KINDS]],
  );
  return BigInt(rows[0].inflow);
}

/**
 * The customer's loan limit on `productCode` at `now` (tests pass a fixed clock), with the
 * reason when it is zero. Reads only; the menu shows it and checks the amount against it.
 *
 * @throws LoanProductNotFoundError, CustomerNotFoundError
 */
export async function loanLimit(db: Db, customerId: number, productCode: string, now: Date = new Date()): Promise<LoanLimit> {
  const product = await findProductByCode(db, productCode);
  if (!product) throw new LoanProductNotFoundError(productCode);
  const customer = await db('customers').where({ id: customerId }).first('wallet_account_id');
  if (!customer) throw new CustomerNotFoundError();
  const inflow = await inflowOf(db, customer.wallet_account_id as number, now);
  const monthlyInflow = inflow / 3n;
  const [{ owed }] = await db('loans').join('accounts', 'accounts.id', 'loans.receivable_account_id')
    .where({ 'loans.customer_id': customerId, 'loans.product_id': product.id }).whereIn('loans.status', ['active', 'overdue'])
    .select(db.raw('coalesce(sum(accounts.balance), 0)::bigint AS owed'));
  const base = { productCode: product.code, inflow, monthlyInflow, outstanding: BigInt(owed) };
  // Marked overdue, or past due and not yet marked (the daily accrual has not run today).
  const overdue = await db('loans').where({ customer_id: customerId }).where((q) => q.where('status', 'overdue')
    .orWhere((q2) => q2.where('status', 'active').whereExists(db('loan_installments').whereRaw('loan_installments.loan_id = loans.id')
      .where('loan_installments.status', 'pending').where('loan_installments.due_date', '<', nairobiDay(now))))).first('id');
  if (overdue) return { ...base, limit: 0n, reason: 'overdue_loan' };
  if (inflow === 0n) return { ...base, limit: 0n, reason: 'no_history' };
  // 20 % of the average month, in whole cents, then down to KES 100: (inflow × 2,000 / 10,000) / 3.
  const raw = (inflow * LIMIT_SHARE_BP) / (10_000n * 3n);
  let limit = (raw / LIMIT_STEP) * LIMIT_STEP;
  if (limit > product.principalMax) limit = product.principalMax;
  if (limit < product.principalMin) return { ...base, limit: 0n, reason: 'below_minimum' };
  return { ...base, limit, reason: null };
}
