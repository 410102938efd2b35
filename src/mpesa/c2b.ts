/**
 * C2B top-up: a customer pays Simu's paybill with their own phone number as the account
 * (`BillRefNumber`, any Kenyan form). Validation accepts or rejects the payment before
 * M-Pesa completes it; confirmation credits the wallet from `clearing:mpesa` (debit
 * clearing, credit wallet), keyed `mpesa:<TransID>` — the key an STK callback for the same
 * payment will use, so one payment never posts twice. A payment for no active customer,
 * or that would take a wallet over its maximum balance, goes to `suspense:mpesa` under the
 * same key and waits for an operator. Every confirmation is a row in `mpesa_receipts`.
 *
 * Answers follow Safaricom's C2B page (https://developer.safaricom.co.ke/APIs/CustomerToBusinessRegisterURL):
 * `{ ResultCode: 0, ResultDesc: "Accepted" }`, or `C2B00011`…`C2B00016` to reject
 * (C2B00012: invalid account number, C2B00013: invalid amount, C2B00015: invalid shortcode).
 *
 * The same URLs serve schools' own paybills: c2bPayee() sends a request by its
 * `BusinessShortCode` to Simu's top-up (MPESA_SHORTCODE, unchanged), to School Fees
 * (src/fees/c2b.ts) for a school's paybill, or nowhere: validation then answers
 * `{ ResultCode: "C2B00015", ResultDesc: "Invalid Shortcode" }`, and a confirmation answers
 * 400 and records nothing (src/mpesa/http.ts logs it as an error for the on-call person).
 */
import { db as defaultDb, type Db, type Knex } from '../db/index.js';
import { findCustomer, type Customer } from '../customers/index.js';
import { displayBalance, getAccount, systemAccount, transfer, type TransferResult } from '../ledger/index.js';
import { checkMaxBalance, limitsInForce, LimitExceededError } from '../payments/index.js';
import { normalizeMsisdn } from '../phone/index.js';
import { enqueueSms } from '../sms/outbox.js';
import { ValidationError } from '../errors/index.js';
import { findSchoolByPaybill, validateSchoolC2b, type School } from '../fees/index.js';
import { c2bRejection, type ParsedC2b } from './callback.js';
import { topUpSms } from './messages.js';
import { sweepAfterCredit } from '../loans/sweep.js';
import { awaitsFeePush, settleFeePushFromC2b } from './stk-fees.js';

/** Daraja's answer to a validation request. */
export type C2bValidationAnswer = { ResultCode: 0; ResultDesc: 'Accepted' } | { ResultCode: `C2B000${number}`; ResultDesc: string };

/** Daraja's acknowledgement of a confirmation, whatever Simu did with the money. */
export const C2B_CONFIRMED = Object.freeze({ ResultCode: 0, ResultDesc: 'Success' });

/** What became of a confirmation: credited to a wallet, or held in suspense (with why). */
export interface C2bOutcome {
  status: 'posted' | 'suspense' | 'allocated';
  /** True when the TransID had been confirmed before: nothing moved this time. */
  replayed: boolean;
  reason?: string;
  customerId?: number;
}

/** The ledger key of an M-Pesa payment (C2B TransID = STK MpesaReceiptNumber). */
export function mpesaKey(transId: string): string {
  return `mpesa:${transId}`;
}

/** The active customer whose phone number `billRef` is (any KE form), or null. */
export async function accountHolder(billRef: string, db: Db = defaultDb): Promise<Customer | null> {
  const msisdn = normalizeMsisdn(billRef);
  const customer = msisdn ? await findCustomer(msisdn, db) : null;
  return customer?.status === 'active' ? customer : null;
}

/** Whose paybill a C2B request is for: Simu's own (MPESA_SHORTCODE), a school's (any status), or no one's. */
export type C2bPayee = { kind: 'simu' } | { kind: 'school'; school: School } | { kind: 'unknown' };

/** The payee of `c2b` by its `BusinessShortCode`; `shortCode` is Simu's own paybill, which wins. */
export async function c2bPayee(c2b: ParsedC2b, shortCode: string, db: Db = defaultDb): Promise<C2bPayee> {
  if (c2b.shortCode === shortCode) return { kind: 'simu' };
  const school = await findSchoolByPaybill(db, c2b.shortCode);
  return school ? { kind: 'school', school } : { kind: 'unknown' };
}

/**
 * Decides a validation request. A school's paybill goes to School Fees (validateSchoolC2b:
 * C2B00012 "Invalid Account Number" for no admission number of the school); a suspended
 * school's paybill and any other shortcode are rejected with C2B00015 "Invalid Shortcode".
 * For Simu's own paybill: rejects a payment for an
 * account that is no active customer (C2B00012), or that would take the wallet over its
 * maximum balance (C2B00013); accepts the rest. Changes nothing.
 */
export async function validateC2b(c2b: ParsedC2b, shortCode: string, db: Db = defaultDb): Promise<C2bValidationAnswer> {
  const payee = await c2bPayee(c2b, shortCode, db);
  if (payee.kind === 'school') {
    if (payee.school.status !== 'active') return c2bRejection('C2B00015');
    return validateSchoolC2b(db, payee.school, c2b);
  }
  if (payee.kind === 'unknown') return c2bRejection('C2B00015');
  const customer = await accountHolder(c2b.billRef, db);
  if (!customer) {
    // The admission number of a school-fee push (./stk-fees.ts), if M-Pesa validates it.
    if (await awaitsFeePush(c2b.billRef, c2b.amount, db)) return { ResultCode: 0, ResultDesc: 'Accepted' };
    return { ResultCode: 'C2B00012', ResultDesc: 'Rejected' };
  }
  // Suspended since the lookup: reject as an unknown account (CustomerGoneError is ours alone).
  const limits = await limitsInForce(db, customer.id, () => new CustomerGoneError()).catch((err: unknown) => {
    if (err instanceof CustomerGoneError) return null;
    throw err;
  });
  if (!limits) return { ResultCode: 'C2B00012', ResultDesc: 'Rejected' };
  const balance = displayBalance(await getAccount(db, customer.walletAccountId));
  if (balance + c2b.amount > limits.maxBalance) return { ResultCode: 'C2B00013', ResultDesc: 'Rejected' };
  return { ResultCode: 0, ResultDesc: 'Accepted' };
}

/**
 * Records and posts a confirmation, once per TransID (a replay, concurrent or not, finds
 * the receipt row and moves nothing): to the customer's wallet with a receipt SMS in their
 * language (outbox, same transaction), or to suspense when there is no active customer for
 * the account or the wallet would go over its maximum balance.
 *
 * @throws ValidationError (`BusinessShortCode`) for a payment to another shortcode: not Simu's money
 */
export async function confirmC2b(c2b: ParsedC2b, shortCode: string, db: Db = defaultDb): Promise<C2bOutcome> {
  if (c2b.shortCode !== shortCode) throw new ValidationError(`BusinessShortCode: ${c2b.shortCode} is not Simu's paybill`, 'BusinessShortCode');
  const customer = await accountHolder(c2b.billRef, db);
  if (!customer) {
    // The confirmation of a school-fee push that came before its STK callback: the student, not suspense.
    const fees = await settleFeePushFromC2b(c2b, db);
    if (fees) return fees;
  }
  return creditReceipt({ ...c2b, kind: 'c2b' }, customer, db);
}

/** One M-Pesa payment into Simu's paybill, from a C2B confirmation or an STK callback. */
export interface MpesaReceipt extends ParsedC2b {
  /** Which callback told us first (the row keeps it). */
  kind: 'c2b' | 'stk';
}

/**
 * Claims the `mpesa_receipts` row of `receipt.transId` and posts the money once, whichever
 * callback (C2B confirmation, STK callback) comes first: to `customer`'s wallet from
 * `clearing:mpesa` keyed `mpesa:<transId>` with a receipt SMS, or to `suspense:mpesa` under
 * the same key when there is no customer, the wallet would go over its maximum balance, or
 * the caller gives `suspenseReason` (say, an STK amount that differs from the request).
 * A receipt claimed before moves nothing (`replayed`). Runs in its own transaction, or in
 * a savepoint of the caller's when `db` is one.
 */
export async function creditReceipt(
  receipt: MpesaReceipt, customer: Customer | null, db: Db = defaultDb, opts: { suspenseReason?: string } = {},
): Promise<C2bOutcome> {
  const [clearing, suspense] = await Promise.all([systemAccount(db, 'mpesa'), systemAccount(db, 'suspenseMpesa')]);
  return db.transaction(async (trx) => {
    const claimed = await trx('mpesa_receipts')
      .insert({
        trans_id: receipt.transId, kind: receipt.kind, amount: receipt.amount, bill_ref: receipt.billRef, msisdn: receipt.msisdn,
        short_code: receipt.shortCode, payload: JSON.stringify(receipt.payload), status: 'suspense',
      })
      .onConflict('trans_id').ignore().returning('id');
    if (claimed.length === 0) {
      const row = await trx('mpesa_receipts').where({ trans_id: receipt.transId }).first('status', 'amount', 'customer_id');
      return {
        status: row.status, replayed: true, ...(row.customer_id ? { customerId: row.customer_id } : {}),
        ...(row.amount !== receipt.amount ? { reason: 'replay with another amount ignored' } : {}),
      };
    }
    let reason = opts.suspenseReason ?? 'no active customer for the account';
    if (customer && !opts.suspenseReason) {
      const credited = await creditWallet(trx, receipt, customer, clearing.id).catch((err: unknown) => {
        if (err instanceof LimitExceededError || err instanceof CustomerGoneError) return err.message;
        throw err;
      });
      if (typeof credited !== 'string') {
        await trx('mpesa_receipts').where({ trans_id: receipt.transId })
          .update({ status: 'posted', journal_entry_id: credited.entryId, customer_id: customer.id, updated_at: trx.fn.now() });
        return { status: 'posted', replayed: false, customerId: customer.id };
      }
      reason = credited;
    }
    const held = await transfer({
      idempotencyKey: mpesaKey(receipt.transId), kind: 'mpesa_suspense', amount: receipt.amount,
      postings: [{ accountId: clearing.id, amount: receipt.amount }, { accountId: suspense.id, amount: -receipt.amount }],
      memo: `M-Pesa ${receipt.transId} for account ${receipt.billRef.slice(0, 40)}: ${reason}`,
      metadata: { transId: receipt.transId, billRef: receipt.billRef },
    }, {}, trx);
    await trx('mpesa_receipts').where({ trans_id: receipt.transId })
      .update({ status: 'suspense', status_reason: reason, journal_entry_id: held.entryId, customer_id: customer?.id ?? null, updated_at: trx.fn.now() });
    return { status: 'suspense', replayed: false, reason };
  });
}

/** The customer was suspended or closed between the lookup and the posting. */
class CustomerGoneError extends Error {
  constructor() {
    super('the customer is not active');
  }
}

/**
 * Credits `customer`'s wallet from clearing in a savepoint: a refusal (maximum balance, a
 * suspension committed meanwhile) rolls back only the savepoint, and its ledger key with
 * it, so the caller can post to suspense under the same key.
 */
async function creditWallet(trx: Knex.Transaction, c2b: MpesaReceipt, customer: Customer, clearingId: number): Promise<TransferResult> {
  return trx.transaction(async (sp) => {
    const limits = await limitsInForce(sp, customer.id, () => new CustomerGoneError());
    const posted = await transfer({
      idempotencyKey: mpesaKey(c2b.transId), kind: c2b.kind === 'stk' ? 'mpesa_stk' : 'mpesa_c2b', amount: c2b.amount,
      postings: [{ accountId: clearingId, amount: c2b.amount }, { accountId: customer.walletAccountId, amount: -c2b.amount }],
      memo: `M-Pesa top-up ${c2b.transId}`,
      metadata: { transId: c2b.transId, customer: customer.msisdn },
    }, {
      guard: async (_t, state) => checkMaxBalance(limits, -state.balancesAfter.get(customer.walletAccountId)!),
      afterPost: async (t, r) => {
        await enqueueSms(t, [{
          msisdn: customer.msisdn, kind: 'receipt', journalEntryId: r.entryId, dedupeKey: `receipt:${r.code}:mpesa`,
          message: topUpSms(customer.language, { code: r.code, mpesaRef: c2b.transId, amount: r.amount, at: r.createdAt, balance: walletAfter(r, customer.walletAccountId) }),
        }]);
      },
    }, sp);
    await sweepAfterCredit(sp, customer, posted); // an overdue swept loan is repaid first (src/loans/sweep.ts)
    return posted;
  });
}

/** The wallet's balance (credit side, positive) right after `r`. */
export function walletAfter(r: TransferResult, walletAccountId: number): bigint {
  const leg = r.postings.find((p) => p.accountId === walletAccountId);
  return leg ? displayBalance({ balance: leg.balanceAfter, normalSide: 'credit' }) : 0n;
}
