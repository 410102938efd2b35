/**
 * STK push top-ups ("Top up from M-PESA"): the USSD hop records a request (the row in
 * `stk_requests` is the outbox of the push) and ends the session at once, since M-Pesa
 * cannot prompt a phone that is still in a USSD session (DESIGN.md, USSD); the worker
 * pushes it (./stk-worker.ts); Daraja's callback (./stk-callback.ts) or the worker's STK
 * query settles it.
 *
 * Daraja formats, from Safaricom's M-Pesa Express pages
 * (https://developer.safaricom.co.ke/APIs/MpesaExpressSimulate and
 * https://developer.safaricom.co.ke/APIs/MpesaExpressQuery):
 * - push: `POST /mpesa/stkpush/v1/processrequest` `{ BusinessShortCode, Password, Timestamp,
 *   TransactionType: "CustomerPayBillOnline", Amount (whole shillings), PartyA, PartyB,
 *   PhoneNumber (2547...), CallBackURL, AccountReference (≤ 12), TransactionDesc }`, where
 *   Password = base64(BusinessShortCode + Passkey + Timestamp), Timestamp yyyyMMddHHmmss;
 *   answers `{ MerchantRequestID, CheckoutRequestID, ResponseCode: "0", ResponseDescription,
 *   CustomerMessage }`.
 * - query: `POST /mpesa/stkpushquery/v1/query` `{ BusinessShortCode, Password, Timestamp,
 *   CheckoutRequestID }`; answers `{ ResponseCode, ResultCode, ResultDesc, ... }` (no receipt
 *   number), or, while the customer has not answered, HTTP 500
 *   `{ errorCode: "500.001.1001", errorMessage: "The transaction is being processed" }`.
 */
import { config } from '../config/index.js';
import { db as defaultDb, type Db } from '../db/index.js';
import { AppError } from '../errors/index.js';
import { CustomerInactiveError, CustomerNotFoundError, findCustomer } from '../customers/index.js';
import { displayBalance, getAccount } from '../ledger/index.js';
import { LimitExceededError, limitsInForce } from '../payments/index.js';
import { nationalFormat } from '../phone/index.js';
import { darajaClient } from './client.js';
import { MpesaNotConfiguredError } from './errors.js';

/** The least a customer may top up by STK push: KES 10 (Daraja takes KES 1 and up). */
export const STK_MIN_CENTS = 1_000n;
/** The most one STK push may bill: KES 150,000 (M-Pesa's per-transaction maximum). */
export const STK_MAX_CENTS = 15_000_000n;

/** The amount is outside KES 10 – 150,000 or not whole shillings. */
export class StkAmountError extends AppError {
  constructor() {
    super('stk_amount_range', 'an M-PESA top-up is KES 10 to KES 150,000 in whole shillings', 422, true);
  }
}

/** What the USSD menu asks for (cents; whole shillings). */
export interface StkTopUpRequest {
  msisdn: string;
  amount: bigint;
  /** `ussd:<sessionId>:<n>`: a replayed hop records one request. */
  idempotencyKey: string;
}

/** A recorded request: the worker pushes it. */
export interface StkTopUp {
  id: bigint;
  amount: bigint;
  /** True when this key had been recorded before (a replayed hop). */
  replayed: boolean;
}

/**
 * Records a top-up request for the worker to push, after checking the amount (KES 10 –
 * 150,000, whole shillings) and that the wallet stays within its maximum balance. Fast: no
 * call to Daraja here.
 *
 * @throws StkAmountError, MpesaNotConfiguredError (the rail is off: nothing is recorded), LimitExceededError (`max_balance`), CustomerNotFoundError, CustomerInactiveError
 */
export async function requestStkTopUp(req: StkTopUpRequest, db: Db = defaultDb): Promise<StkTopUp> {
  if (req.amount < STK_MIN_CENTS || req.amount > STK_MAX_CENTS || req.amount % 100n !== 0n) throw new StkAmountError();
  // A rail that is off (a development machine) must not record a push nobody will send.
  stkSettings();
  darajaClient();
  const customer = await findCustomer(req.msisdn, db);
  if (!customer) throw new CustomerNotFoundError();
  const limits = await limitsInForce(db, customer.id, () => new CustomerInactiveError());
  const balance = displayBalance(await getAccount(db, customer.walletAccountId));
  if (balance + req.amount > limits.maxBalance) throw new LimitExceededError('max_balance', limits.maxBalance);
  const [row] = await db('stk_requests')
    .insert({ customer_id: customer.id, msisdn: customer.msisdn, amount: req.amount, idempotency_key: req.idempotencyKey })
    .onConflict('idempotency_key').ignore().returning(['id', 'amount']);
  if (row) return { id: row.id, amount: row.amount, replayed: false };
  const old = await db('stk_requests').where({ idempotency_key: req.idempotencyKey }).first('id', 'amount');
  return { id: old.id, amount: old.amount, replayed: true };
}

/** `yyyyMMddHHmmss` in Africa/Nairobi (Daraja's Timestamp). */
export function darajaTimestamp(at: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Africa/Nairobi', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
    }).formatToParts(at).map((p) => [p.type, p.value]),
  );
  return `${parts.year}${parts.month}${parts.day}${parts.hour}${parts.minute}${parts.second}`;
}

/** The STK Password: base64(shortcode + passkey + timestamp). */
export function stkPassword(shortCode: string, passkey: string, timestamp: string): string {
  return Buffer.from(`${shortCode}${passkey}${timestamp}`).toString('base64');
}

/** An STK push request body (Daraja field names). */
export interface StkPushBody {
  BusinessShortCode: string;
  Password: string;
  Timestamp: string;
  TransactionType: 'CustomerPayBillOnline';
  /** Whole shillings. */
  Amount: number;
  PartyA: string;
  PartyB: string;
  PhoneNumber: string;
  CallBackURL: string;
  AccountReference: string;
  TransactionDesc: string;
}

/** Daraja's answer to a push. */
export interface StkPushAnswer {
  MerchantRequestID?: string;
  CheckoutRequestID?: string;
  ResponseCode?: string;
  ResponseDescription?: string;
  CustomerMessage?: string;
  [field: string]: unknown;
}

/** Daraja's answer to an STK query (ResultCode may come as a string or a number). */
export interface StkQueryAnswer {
  ResponseCode?: string;
  ResultCode?: string | number;
  ResultDesc?: string;
  [field: string]: unknown;
}

/** Shortcode, passkey and the callback URL, from config. @throws MpesaNotConfiguredError */
export function stkSettings(): { shortCode: string; passkey: string; callbackUrl: string } {
  const { shortcode, passkey, callbackToken } = config.mpesa;
  const missing = [!shortcode && 'MPESA_SHORTCODE', !passkey && 'MPESA_PASSKEY', !callbackToken && 'MPESA_CALLBACK_TOKEN', !config.publicUrl && 'PUBLIC_URL']
    .filter(Boolean) as string[];
  if (missing.length) throw new MpesaNotConfiguredError(missing);
  return { shortCode: shortcode!, passkey: passkey!, callbackUrl: `${config.publicUrl!.replace(/\/+$/, '')}/mpesa/${callbackToken}/stk/callback` };
}

/**
 * The push body for a request. AccountReference is the customer's own number in national
 * form (`0712345678`, 10 characters): if M-Pesa also sends the C2B confirmation of this
 * payment, its BillRefNumber names the same wallet, and the shared key `mpesa:<receipt>`
 * posts it once. A school-fee push (./stk-fees.ts) gives its own `accountReference` (the
 * admission number, ≤ 12 characters as recorded) and `transactionDesc` (`School fees`).
 */
export function stkPushBody(r: { msisdn: string; amount: bigint; accountReference?: string | null; transactionDesc?: string }, at: Date): StkPushBody {
  const s = stkSettings();
  const timestamp = darajaTimestamp(at);
  const phone = r.msisdn.replace(/^\+/, '');
  return {
    BusinessShortCode: s.shortCode, Password: stkPassword(s.shortCode, s.passkey, timestamp), Timestamp: timestamp,
    TransactionType: 'CustomerPayBillOnline', Amount: Number(r.amount / 100n), PartyA: phone, PartyB: s.shortCode, PhoneNumber: phone,
    CallBackURL: s.callbackUrl, AccountReference: (r.accountReference || nationalFormat(r.msisdn)).slice(0, 12), TransactionDesc: r.transactionDesc ?? 'Simu top-up',
  };
}

/** The STK query body for a push. */
export function stkQueryBody(checkoutRequestId: string, at: Date): { BusinessShortCode: string; Password: string; Timestamp: string; CheckoutRequestID: string } {
  const s = stkSettings();
  const timestamp = darajaTimestamp(at);
  return { BusinessShortCode: s.shortCode, Password: stkPassword(s.shortCode, s.passkey, timestamp), Timestamp: timestamp, CheckoutRequestID: checkoutRequestId };
}
