/**
 * The sweep (issue 8): money arriving in a customer's wallet from outside repays the
 * customer's overdue loans of products that sweep, first, up to what is overdue, in the
 * SAME transaction as the arrival, with an SMS. Every place money arrives in a wallet
 * (send-money's recipient, M-Pesa C2B/STK, bank payments, agent deposits, suspense
 * allocations) calls `sweepAfterCredit` right after its transfer posts; the ledger itself
 * knows nothing of loans.
 *
 * Locks: the arrival's transfer holds the wallet; the sweep then locks each loan row and
 * repayLoan locks the receivable — the engine's order (payer account → loan row → ledger
 * accounts), so a sweep cannot deadlock with a send-money out of the same wallet, a
 * repayment or the penalty accrual. The sweep runs in a savepoint: should it fail, the
 * arrival stands, unswept (the money is never refused for a loan's sake), and the error is
 * logged.
 */
import type { Knex } from '../db/index.js';
import type { Customer } from '../customers/index.js';
import { displayBalance, type TransferResult } from '../ledger/index.js';
import { logger, maskMsisdn } from '../logger/index.js';
import { enqueueSms } from '../sms/outbox.js';
import { nairobiDay } from './dates.js';
import { sweepSms } from './messages.js';
import { getProduct } from './products.js';
import { repayLoan, type Repayment } from './repay.js';
import { loadLoan, overdueSweptLoans } from './repository.js';
import { loanStatement } from './statement.js';

const log = logger.child({ component: 'loans' });

/** The customer whose wallet received the money (what the callers already hold). */
export type SweptCustomer = Pick<Customer, 'id' | 'msisdn' | 'language' | 'walletAccountId'>;

/** The idempotency key of the sweep of loan `loanId` by the arrival posted as entry `arrivalEntryId`. */
export function sweepKey(arrivalEntryId: bigint, loanId: bigint): string {
  return `sweep:${arrivalEntryId}:${loanId}`;
}

/**
 * Sweeps the money `arrival` just credited to `customer`'s wallet (MOVES MONEY: one
 * repayLoan per overdue swept loan, oldest loan first, keyed `sweep:<arrival entry id>:<loan
 * id>`), each capped at what that loan has overdue and, together, at what arrived; writes
 * one receipt SMS per repayment. Call it in the arrival's transaction, right after its
 * transfer. A replayed arrival sweeps nothing (its first posting did). Returns the
 * repayments (none when nothing is overdue: then it costs one query).
 */
export async function sweepAfterCredit(trx: Knex.Transaction, customer: SweptCustomer, arrival: TransferResult, now: Date = new Date()): Promise<Repayment[]> {
  if (arrival.replayed) return [];
  const leg = arrival.postings.find((p) => p.accountId === customer.walletAccountId);
  const arrived = leg ? -leg.amount : 0n;
  if (arrived <= 0n) return [];
  const loans = await overdueSweptLoans(trx, customer.id, nairobiDay(now));
  if (loans.length === 0) return [];
  try {
    return await trx.transaction((sp) => sweepIn(sp, customer, arrival, arrived, loans.map((l) => l.id), now));
  } catch (err) {
    log.error('sweep failed; the arrival stands unswept', {
      error: err instanceof Error ? err.message : String(err), entryId: String(arrival.entryId), msisdn: maskMsisdn(customer.msisdn),
    });
    return [];
  }
}

async function sweepIn(sp: Knex.Transaction, customer: SweptCustomer, arrival: TransferResult, arrived: bigint, loanIds: bigint[], now: Date): Promise<Repayment[]> {
  const repayments: Repayment[] = [];
  let left = arrived;
  for (const loanId of loanIds) {
    if (left === 0n) break;
    const loan = await loadLoan(sp, loanId, true); // the wallet is held already: wallet → loan row, the engine's order
    if (loan.status !== 'active' && loan.status !== 'overdue') continue;
    const statement = await loanStatement(sp, loanId, now);
    let amount = statement.overdue.amount < statement.payoff ? statement.overdue.amount : statement.payoff;
    if (amount > left) amount = left;
    if (amount <= 0n) continue;
    const repayment = await repayLoan(sp, { loanId, amount, idempotencyKey: sweepKey(arrival.entryId, loanId), now });
    left -= amount;
    repayments.push(repayment);
    const product = await getProduct(sp, loan.productId);
    const wallet = await sp('accounts').where({ id: customer.walletAccountId }).first('balance', 'normal_side');
    await enqueueSms(sp, [{
      msisdn: customer.msisdn, kind: 'receipt', dedupeKey: `loan:sweep:${repayment.code}`,
      message: sweepSms(customer.language, {
        code: repayment.code, product: product.name, arrived, repaid: amount, outstanding: repayment.outstanding,
        balance: displayBalance({ balance: wallet.balance as bigint, normalSide: wallet.normal_side }),
      }),
    }]);
  }
  return repayments;
}
