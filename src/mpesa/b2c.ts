/**
 * Withdraw to M-Pesa (B2C), the customer's half: the quote shown on the confirmation screen
 * and the debit. After the PIN check, one transaction debits the wallet amount + charge
 * (the amount into `clearing:mpesa`, which mirrors Simu's M-Pesa float, the charge to
 * `revenue:charges`; the charge is the `send_money` tariff's, as issue 6 says), keyed by the
 * USSD payment key, and writes the `b2c_requests` row the worker posts to Daraja from
 * (./b2c-send.ts). The customer does not wait for Safaricom: the outcome comes by SMS
 * (./b2c-outcome.ts).
 */
import { randomUUID } from 'node:crypto';
import { db as defaultDb, type Db } from '../db/index.js';
import { currentLogContext } from '../logger/index.js';
import { findCustomer, verifyPin, CustomerInactiveError, CustomerNotFoundError } from '../customers/index.js';
import { displayBalance, systemAccount, transfer, type PostingInput, type TransferResult } from '../ledger/index.js';
import { chargeFor, checkOutgoingLimits, checkPerTransaction, limitsInForce, loadLimits, LimitExceededError } from '../payments/index.js';
import { b2cSettings } from './b2c-send.js';
import { darajaClient } from './client.js';

/** The least Daraja pays out by B2C: KES 10, in cents. */
export const B2C_MIN_AMOUNT = 1_000n;

/** What the confirmation screen shows (cents). */
export interface B2cQuote {
  amount: bigint;
  charge: bigint;
}

/** What the END screen shows (cents; `balance` the wallet's after the debit). */
export interface B2cWithdrawal extends B2cQuote {
  requestId: bigint;
  code: string;
  msisdn: string;
  balance: bigint;
  /** True when an idempotent retry returned an earlier withdrawal. */
  replayed: boolean;
}

/**
 * Checks that `amount` cents is whole shillings of at least KES 10 (Daraja's `Amount` is a
 * whole number of shillings).
 *
 * @throws LimitExceededError (`min_amount`) under KES 10 or with cents
 */
export function checkB2cAmount(amount: bigint): void {
  if (amount < B2C_MIN_AMOUNT || amount % 100n !== 0n) throw new LimitExceededError('min_amount', B2C_MIN_AMOUNT);
}

/**
 * The charge for withdrawing `amount` cents to the customer's own M-Pesa (send-money
 * bands) after the amount and per-transaction checks. Moves nothing.
 *
 * @throws MpesaNotConfiguredError (the B2C rail is off), LimitExceededError (`min_amount`, `per_transaction`), CustomerNotFoundError
 */
export async function quoteB2cWithdrawal(msisdn: string, amount: bigint, db: Db = defaultDb): Promise<B2cQuote> {
  // A rail that is off (a development machine) must not take the money and hold it.
  b2cSettings();
  darajaClient();
  checkB2cAmount(amount);
  const customer = await findCustomer(msisdn, db);
  if (!customer) throw new CustomerNotFoundError();
  checkPerTransaction(await loadLimits(db, customer.id), amount);
  return { amount, charge: await chargeFor(db, 'send_money', amount) };
}

/** A withdrawal order: `idempotencyKey` is `ussd:<sessionId>:<n>` from USSD. */
export interface B2cOrder {
  msisdn: string;
  amount: bigint;
  pin: string;
  idempotencyKey: string;
}

/**
 * Debits the customer's wallet `amount` + charge after checking the PIN and writes the
 * B2C request (status `requested`, a fresh OriginatorConversationID) in the same
 * transaction, idempotent by `idempotencyKey`: a replay returns the first withdrawal and
 * writes nothing. Limits and the tariff are read in that transaction.
 *
 * @throws MpesaNotConfiguredError (the B2C rail is off: nothing is debited), WrongPinError, PinLockedError, CustomerInactiveError, LimitExceededError,
 *   InsufficientFundsError, IdempotencyConflictError
 */
export async function requestB2cWithdrawal(order: B2cOrder, db: Db = defaultDb): Promise<B2cWithdrawal> {
  b2cSettings();
  checkB2cAmount(order.amount);
  const customer = await verifyPin(order.msisdn, order.pin, db);
  const [clearing, revenue] = await Promise.all([systemAccount(db, 'mpesa'), systemAccount(db, 'charges')]);
  return db.transaction(async (trx) => {
    const limits = await limitsInForce(trx, customer.id, () => new CustomerInactiveError());
    checkPerTransaction(limits, order.amount);
    const charge = await chargeFor(trx, 'send_money', order.amount);
    const postings: PostingInput[] = [
      { accountId: customer.walletAccountId, amount: order.amount + charge },
      { accountId: clearing.id, amount: -order.amount },
    ];
    if (charge > 0n) postings.push({ accountId: revenue.id, amount: -charge });
    const result = await transfer(
      {
        idempotencyKey: order.idempotencyKey, kind: 'mpesa_b2c', amount: order.amount, postings,
        memo: 'Withdraw to M-Pesa',
        metadata: { customer: customer.msisdn, charge: Number(charge) }, // cents
      },
      {
        guard: (t) => checkOutgoingLimits(t, limits, customer.walletAccountId, order.amount),
        afterPost: async (t, r) => {
          await t('b2c_requests').insert({
            customer_id: customer.id, msisdn: customer.msisdn, amount: order.amount.toString(), charge: charge.toString(),
            journal_entry_id: r.entryId.toString(), originator_conversation_id: randomUUID(),
            session_id: currentLogContext()?.sessionId ?? null,
          });
        },
      },
      trx,
    );
    const row = await trx('b2c_requests').where({ journal_entry_id: result.entryId.toString() }).first('id', 'amount', 'charge', 'msisdn');
    return {
      requestId: BigInt(row.id), code: result.code, msisdn: row.msisdn, amount: BigInt(row.amount), charge: BigInt(row.charge),
      balance: walletAfter(result, customer.walletAccountId), replayed: result.replayed,
    };
  });
}

/** The wallet's balance (credit side, positive) right after `r`. */
function walletAfter(r: TransferResult, walletAccountId: number): bigint {
  const leg = r.postings.find((p) => p.accountId === walletAccountId);
  return leg ? displayBalance({ balance: leg.balanceAfter, normalSide: 'credit' }) : 0n;
}
