/**
 * Daraja's STK push callback, `POST /mpesa/<token>/stk/callback`, and how a push is settled
 * (by the callback, or by the worker's STK query). The body follows Safaricom's M-Pesa
 * Express page (https://developer.safaricom.co.ke/APIs/MpesaExpressSimulate):
 * `{ Body: { stkCallback: { MerchantRequestID, CheckoutRequestID, ResultCode, ResultDesc,
 * CallbackMetadata?: { Item: [{ Name: "Amount", Value: 1.00 }, { Name: "MpesaReceiptNumber",
 * Value: "NLJ7RT61SV" }, { Name: "TransactionDate", Value: 20191219102115 },
 * { Name: "PhoneNumber", Value: 254708374149 }] } } } }`; CallbackMetadata only with ResultCode 0.
 *
 * ResultCode 0 credits the wallet (a school-fee push: the student, ./stk-fees.ts) through `creditReceipt` (./c2b.ts) keyed
 * `mpesa:<MpesaReceiptNumber>` — the key of the C2B confirmation of the same payment — so
 * the money posts once whichever comes first, and once however often Daraja replays.
 */
import { config } from '../config/index.js';
import { db as defaultDb, type Db, type Knex } from '../db/index.js';
import { ValidationError } from '../errors/index.js';
import { logger } from '../logger/index.js';
import { parseDecimalShillings } from '../money/index.js';
import { findCustomer } from '../customers/index.js';
import { enqueueSms } from '../sms/outbox.js';
import { accountHolder, creditReceipt, type C2bOutcome } from './c2b.js';
import { stkFailureSms } from './messages.js';
import { settleFeeStkCallback } from './stk-fees.js';
import type { RecordedSchoolPayment } from '../fees/index.js';

const log = logger.child({ component: 'mpesa' });

/** Daraja's acknowledgement of an STK callback. */
export const STK_ACCEPTED = Object.freeze({ ResultCode: 0, ResultDesc: 'Accepted' });

/** An STK callback that passed the edge. */
export interface ParsedStkCallback {
  merchantRequestId: string;
  checkoutRequestId: string;
  /** As a string: `"0"`, `"1032"`, ... */
  resultCode: string;
  resultDesc: string;
  /** With ResultCode 0 only. Amount in cents. */
  paid?: { amount: bigint; receiptNumber: string; transactionDate?: string; phoneNumber?: string };
  payload: Record<string, unknown>;
}

const ID = /^[A-Za-z0-9_\-.]{1,100}$/;

/**
 * Checks an STK callback envelope and reads its facts.
 *
 * @throws ValidationError naming the field: no `Body.stkCallback` object, ids not 1-100
 *   safe characters, ResultCode not an integer, and with ResultCode 0 no Amount (positive,
 *   at most 2 decimals) or MpesaReceiptNumber (6-20 letters and digits)
 */
export function parseStkCallback(body: unknown): ParsedStkCallback {
  const cb = (body as { Body?: { stkCallback?: unknown } } | null)?.Body?.stkCallback;
  if (!cb || typeof cb !== 'object' || Array.isArray(cb)) throw new ValidationError('Body.stkCallback: expected an object', 'Body.stkCallback');
  const c = cb as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : v);
  const merchantRequestId = str(c.MerchantRequestID);
  const checkoutRequestId = str(c.CheckoutRequestID);
  if (typeof merchantRequestId !== 'string' || !ID.test(merchantRequestId)) throw new ValidationError('MerchantRequestID: expected an id', 'MerchantRequestID');
  if (typeof checkoutRequestId !== 'string' || !ID.test(checkoutRequestId)) throw new ValidationError('CheckoutRequestID: expected an id', 'CheckoutRequestID');
  const resultCode = str(c.ResultCode);
  if (typeof resultCode !== 'string' || !/^-?[0-9]{1,9}$/.test(resultCode)) throw new ValidationError('ResultCode: expected an integer', 'ResultCode');
  const resultDesc = typeof c.ResultDesc === 'string' ? c.ResultDesc.slice(0, 500) : '';
  const parsed: ParsedStkCallback = { merchantRequestId, checkoutRequestId, resultCode: String(Number(resultCode)), resultDesc, payload: body as Record<string, unknown> };
  if (parsed.resultCode !== '0') return parsed;
  const items = (c.CallbackMetadata as { Item?: unknown } | undefined)?.Item;
  if (!Array.isArray(items)) throw new ValidationError('CallbackMetadata.Item: expected a list', 'CallbackMetadata');
  const item = (name: string) => (items.find((i) => i && typeof i === 'object' && (i as { Name?: unknown }).Name === name) as { Value?: unknown } | undefined)?.Value;
  // JSON numbers such as 1.00 arrive as 1; the text of a number never has more than 2 decimals here.
  const rawAmount = item('Amount');
  const amountText = typeof rawAmount === 'number' && Number.isFinite(rawAmount) ? String(rawAmount) : rawAmount;
  const amount = typeof amountText === 'string' ? parseDecimalShillings(amountText.trim()) : null;
  if (amount === null || amount <= 0n) throw new ValidationError('Amount: expected a positive amount in shillings', 'Amount');
  const receiptNumber = item('MpesaReceiptNumber');
  if (typeof receiptNumber !== 'string' || !/^[A-Za-z0-9]{6,20}$/.test(receiptNumber)) throw new ValidationError('MpesaReceiptNumber: expected 6-20 letters and digits', 'MpesaReceiptNumber');
  const date = str(item('TransactionDate'));
  const phone = str(item('PhoneNumber'));
  parsed.paid = {
    amount, receiptNumber,
    ...(typeof date === 'string' ? { transactionDate: date.slice(0, 20) } : {}),
    ...(typeof phone === 'string' ? { phoneNumber: phone.slice(0, 20) } : {}),
  };
  return parsed;
}

/** What a callback did: `status` of the request after it, and the receipt's outcome when money came. */
export interface StkSettlement {
  /** `unknown_request` when no push of ours has that CheckoutRequestID. */
  status: string;
  replayed: boolean;
  receipt?: C2bOutcome;
  /** A school-fee push: the payment recorded on the student (./stk-fees.ts). */
  feePayment?: RecordedSchoolPayment;
}

/**
 * Statuses a callback may still settle: a query may have said 0 with no receipt number
 * (`paid_unconfirmed`), and a push the worker gave up on or lost track of is `unknown`.
 */
export const OPEN_STK_STATUSES: readonly string[] = ['requested', 'accepted', 'paid_unconfirmed', 'unknown'];
const OPEN = OPEN_STK_STATUSES;
/** Settled with no money (Daraja's code, the query, or an operator): money that comes after is still credited. */
const CLOSED_UNPAID = ['failed', 'cancelled'];

/**
 * Settles a push from its callback, once (the request row is locked; a replay, concurrent
 * or not, finds it settled). ResultCode 0: the receipt is claimed and credited to the
 * customer (or held in suspense: an amount that differs from the request, a full wallet, a
 * customer no longer active), with the receipt SMS; the request becomes `paid`. Any other
 * code: `cancelled` (1032) or `failed`, with an SMS in the customer's language; nothing
 * moves. A callback for no push of ours that reports money is held in suspense for an
 * operator, keyed by its receipt number all the same.
 *
 * Money is never dropped: ResultCode 0 for a request already `failed` or `cancelled` (an
 * operator failed it, or a failure code came first) is credited all the same and the
 * request becomes `paid`, logged as an error; for a request already `paid` under another
 * receipt number (an operator credited it by hand with a number that is not Daraja's), the
 * payment is held in suspense under its own key, so that its C2B confirmation cannot post
 * it a second time.
 */
export async function settleStkCallback(cb: ParsedStkCallback, db: Db = defaultDb): Promise<StkSettlement> {
  return db.transaction(async (trx) => {
    const row = await trx('stk_requests').where({ checkout_request_id: cb.checkoutRequestId }).forUpdate().first();
    if (!row) {
      if (!cb.paid) return { status: 'unknown_request', replayed: false };
      const receipt = await creditReceipt(
        { kind: 'stk', transId: cb.paid.receiptNumber, amount: cb.paid.amount, shortCode: config.mpesa.shortcode ?? '', billRef: '', msisdn: cb.paid.phoneNumber ?? '', payload: cb.payload },
        null, trx, { suspenseReason: `STK callback for no known push (CheckoutRequestID ${cb.checkoutRequestId})` },
      );
      return { status: 'unknown_request', replayed: receipt.replayed, receipt };
    }
    if (row.status === 'paid' && cb.paid && row.receipt_number && cb.paid.receiptNumber !== row.receipt_number) {
      return holdSecondReceipt(trx, cb, row);
    }
    if (!OPEN.includes(row.status) && !(cb.paid && CLOSED_UNPAID.includes(row.status))) return { status: row.status, replayed: true };
    if (!OPEN.includes(row.status)) {
      log.error('stk payment arrived for a request already settled unpaid: credited', { stkId: String(row.id), was: row.status, receipt: cb.paid!.receiptNumber });
    }
    if (!cb.paid) {
      const status = await settleFailure(trx, row, cb.resultCode, cb.resultDesc);
      return { status, replayed: false };
    }
    // A school-fee push: the money lands on the student, not in the payer's wallet.
    if (row.student_id) return settleFeeStkCallback(trx, cb, row);
    const customer = await accountHolder(row.msisdn, trx);
    const mismatch = cb.paid.amount !== row.amount ? `STK amount ${cb.paid.amount} cents differs from the ${row.amount} cents requested` : undefined;
    const receipt = await creditReceipt(
      { kind: 'stk', transId: cb.paid.receiptNumber, amount: cb.paid.amount, shortCode: config.mpesa.shortcode ?? '', billRef: '', msisdn: row.msisdn, payload: cb.payload },
      customer, trx, mismatch ? { suspenseReason: mismatch } : {},
    );
    await trx('stk_requests').where({ id: row.id }).update({
      status: 'paid', result_code: '0', result_desc: (mismatch ?? cb.resultDesc).slice(0, 500), receipt_number: cb.paid.receiptNumber,
      resolved_at: trx.fn.now(), updated_at: trx.fn.now(),
    });
    if (receipt.status === 'suspense' && !receipt.replayed) log.warn('stk payment held in suspense', { stkId: String(row.id), reason: receipt.reason });
    return { status: 'paid', replayed: false, receipt };
  });
}

/**
 * A paid callback for a request already `paid` under another receipt number: the payment is
 * claimed and held in suspense (keyed `mpesa:<its receipt>`: a replay, or its C2B
 * confirmation, posts nothing more) and logged as an error for an operator.
 */
async function holdSecondReceipt(trx: Knex.Transaction, cb: ParsedStkCallback, row: Record<string, any>): Promise<StkSettlement> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const paid = cb.paid!;
  const customer = await accountHolder(row.msisdn, trx);
  const receipt = await creditReceipt(
    { kind: 'stk', transId: paid.receiptNumber, amount: paid.amount, shortCode: config.mpesa.shortcode ?? '', billRef: '', msisdn: row.msisdn, payload: cb.payload },
    customer, trx, { suspenseReason: `STK callback receipt ${paid.receiptNumber} for request ${row.id}, already paid under ${row.receipt_number}` },
  );
  if (!receipt.replayed) {
    log.error('stk callback names another receipt than the one recorded: held in suspense', { stkId: String(row.id), recorded: row.receipt_number, receipt: paid.receiptNumber });
  }
  return { status: 'paid', replayed: receipt.replayed, receipt };
}

/**
 * Marks a locked request `cancelled` (1032) or `failed` with Daraja's code and words, and
 * writes the customer's SMS (outbox, same transaction). Answers the new status.
 */
export async function settleFailure(trx: Knex.Transaction, row: Record<string, any>, resultCode: string, resultDesc: string): Promise<string> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const status = resultCode === '1032' ? 'cancelled' : 'failed';
  await trx('stk_requests').where({ id: row.id }).update({
    status, result_code: resultCode, result_desc: resultDesc.slice(0, 500), resolved_at: trx.fn.now(), updated_at: trx.fn.now(),
  });
  const customer = await findCustomer(row.msisdn, trx);
  await enqueueSms(trx, [{
    msisdn: row.msisdn, kind: 'notice', dedupeKey: `stk:${row.id}:result`,
    message: stkFailureSms(customer?.language ?? 'en', resultCode, row.amount as bigint, row.student_id ? 'fees' : 'top_up'),
  }]);
  return status;
}
