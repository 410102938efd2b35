/**
 * Buy Airtime, the customer's half: the PIN check, then in one transaction the debit of the
 * wallet into `clearing:airtime` (limits apply to the principal, as for any outgoing
 * payment) and the `airtime_requests` row the worker sends to AT from. The customer does
 * not wait for AT: the outcome arrives by SMS (./outcome.ts).
 */
import { db as defaultDb, type Db } from '../db/index.js';
import { ValidationError } from '../errors/index.js';
import { currentLogContext } from '../logger/index.js';
import { verifyPin, CustomerInactiveError } from '../customers/index.js';
import { displayBalance, systemAccount, transfer, type TransferResult } from '../ledger/index.js';
import { limitsInForce } from '../payments/index.js';
// Not (yet) on the payments surface: the same two checks Send Money runs.
import { checkOutgoingLimits, checkPerTransaction } from '../payments/index.js';
import { normalizeMsisdn } from '../phone/index.js';
import { AirtimeAmountError, isAirtimeAmount } from './errors.js';

/** What the last USSD screen shows (amounts in cents; `balance` is the payer's, after). */
export interface AirtimePurchase {
  requestId: bigint;
  code: string;
  amount: bigint;
  recipientMsisdn: string;
  balance: bigint;
  /** True when an idempotent retry returned an earlier purchase. */
  replayed: boolean;
}

/** What a purchase takes: `recipientMsisdn` in any common Kenyan format. */
export interface AirtimeOrder {
  payerMsisdn: string;
  recipientMsisdn: string;
  amount: bigint;
  pin: string;
  /** `ussd:<sessionId>:<n>` from USSD. */
  idempotencyKey: string;
}

/**
 * Moves `amount` cents from the payer's wallet into `clearing:airtime` after checking the
 * PIN, and writes the airtime request (status `pending`) in the same transaction,
 * idempotent by `idempotencyKey`: a replay returns the first purchase and writes nothing.
 * The worker relays the request to AT (./worker.ts).
 *
 * @throws AirtimeAmountError, ValidationError (recipient), WrongPinError, PinLockedError,
 *   CustomerInactiveError, LimitExceededError, InsufficientFundsError, IdempotencyConflictError
 */
export async function buyAirtime(order: AirtimeOrder, db: Db = defaultDb): Promise<AirtimePurchase> {
  if (!isAirtimeAmount(order.amount)) throw new AirtimeAmountError();
  const recipient = normalizeMsisdn(order.recipientMsisdn);
  if (!recipient) throw new ValidationError('recipient: not a mobile number', 'recipient');
  const payer = await verifyPin(order.payerMsisdn, order.pin, db);
  const clearing = await systemAccount(db, 'airtime');
  return db.transaction(async (trx) => {
    // Read in the transfer's transaction: a suspension or limit change committed since the
    // PIN check is the one honoured.
    const limits = await limitsInForce(trx, payer.id, () => new CustomerInactiveError());
    checkPerTransaction(limits, order.amount);
    const result = await transfer(
      {
        idempotencyKey: order.idempotencyKey,
        kind: 'airtime',
        amount: order.amount,
        postings: [
          { accountId: payer.walletAccountId, amount: order.amount },
          { accountId: clearing.id, amount: -order.amount },
        ],
        metadata: { payer: payer.msisdn, recipient },
      },
      {
        guard: (t) => checkOutgoingLimits(t, limits, payer.walletAccountId, order.amount),
        afterPost: async (t, r) => {
          await t('airtime_requests').insert({
            customer_id: payer.id, payer_msisdn: payer.msisdn, recipient_msisdn: recipient, amount: order.amount.toString(),
            journal_entry_id: r.entryId.toString(), session_id: currentLogContext()?.sessionId ?? null,
          });
        },
      },
      trx,
    );
    const row = await trx('airtime_requests').where({ journal_entry_id: result.entryId.toString() }).first('id', 'recipient_msisdn');
    return {
      requestId: BigInt(row.id),
      code: result.code,
      amount: result.amount,
      recipientMsisdn: row.recipient_msisdn,
      balance: walletBalance(result, payer.walletAccountId),
      replayed: result.replayed,
    };
  });
}

function walletBalance(result: TransferResult, walletAccountId: number): bigint {
  const leg = result.postings.find((p) => p.accountId === walletAccountId);
  return leg ? displayBalance({ balance: leg.balanceAfter, normalSide: 'credit' }) : 0n;
}
