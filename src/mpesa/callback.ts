/**
 * Reading Daraja's C2B validation and confirmation bodies at the edge. The format follows
 * Safaricom's C2B page (https://developer.safaricom.co.ke/APIs/CustomerToBusinessRegisterURL,
 * v2): every field a string; `TransAmount` shillings (`"10"`, `"3000.00"`); `TransTime`
 * yyyyMMddHHmmss; `MSISDN` masked (`2547 ***** 126`) or hashed in newer versions;
 * `BillRefNumber` the account the customer typed (for Simu: their own phone number).
 */
import { ValidationError } from '../errors/index.js';
import { parseDecimalShillings } from '../money/index.js';
import type { C2bRequest } from '../merchants/index.js';

/**
 * A C2B validation or confirmation body as Daraja posts it: the body Simu itself posts to
 * merchants (src/merchants/daraja.ts), with any transaction type.
 */
export type C2bCallback = Omit<C2bRequest, 'TransactionType'> & { TransactionType: string };

/** A C2B body that passed the edge: the facts, and the body itself for the record. */
export interface ParsedC2b {
  transId: string;
  /** Cents, > 0. */
  amount: bigint;
  shortCode: string;
  billRef: string;
  /** As Daraja gave it (masked or hashed); never used to find a customer. */
  msisdn: string;
  payload: Record<string, unknown>;
}

const OPTIONAL = ['TransactionType', 'TransTime', 'InvoiceNumber', 'OrgAccountBalance', 'ThirdPartyTransID', 'MSISDN', 'FirstName', 'MiddleName', 'LastName'] as const;

/**
 * Checks a C2B body and reads its facts.
 *
 * @throws ValidationError naming the field: not an object, TransID not 6-20 letters and
 *   digits, TransAmount not a positive decimal shilling string, BusinessShortCode not 5-7
 *   digits, BillRefNumber not a string of at most 40 characters, another field not a string
 */
export function parseC2bCallback(body: unknown): ParsedC2b {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ValidationError('body: expected a JSON object');
  const b = body as Record<string, unknown>;
  const transId = b.TransID;
  if (typeof transId !== 'string' || !/^[A-Za-z0-9]{6,20}$/.test(transId)) throw new ValidationError('TransID: expected 6-20 letters and digits', 'TransID');
  // A string, as Daraja sends it; a whole number is tolerated, a float never is.
  const amountText = typeof b.TransAmount === 'number' && Number.isSafeInteger(b.TransAmount) ? String(b.TransAmount) : b.TransAmount;
  const amount = typeof amountText === 'string' ? parseDecimalShillings(amountText.trim()) : null;
  if (amount === null || amount <= 0n) throw new ValidationError('TransAmount: expected a positive amount in shillings such as "3000.00"', 'TransAmount');
  const shortCode = typeof b.BusinessShortCode === 'number' ? String(b.BusinessShortCode) : b.BusinessShortCode;
  if (typeof shortCode !== 'string' || !/^[0-9]{5,7}$/.test(shortCode)) throw new ValidationError('BusinessShortCode: expected 5-7 digits', 'BusinessShortCode');
  const billRef = b.BillRefNumber ?? '';
  if (typeof billRef !== 'string' || billRef.length > 40) throw new ValidationError('BillRefNumber: expected a string of at most 40 characters', 'BillRefNumber');
  for (const field of OPTIONAL) {
    const v = b[field];
    if (v !== undefined && v !== null && typeof v !== 'string') throw new ValidationError(`${field}: expected a string`, field);
  }
  return { transId, amount, shortCode, billRef: billRef.trim(), msisdn: typeof b.MSISDN === 'string' ? b.MSISDN.slice(0, 64) : '', payload: b };
}

/**
 * Daraja's C2B validation result codes and the `ResultDesc` wording Safaricom's C2B page
 * (https://developer.safaricom.co.ke/APIs/CustomerToBusinessRegisterURL, "Validation
 * response") gives each: the same six codes src/merchants/daraja.ts reads from merchants
 * (invalid MSISDN, account number, amount, KYC, short code, other).
 */
export const DARAJA_C2B_REJECTIONS = Object.freeze({
  C2B00011: 'Invalid MSISDN',
  C2B00012: 'Invalid Account Number',
  C2B00013: 'Invalid Amount',
  C2B00014: 'Invalid KYC Details',
  C2B00015: 'Invalid Shortcode',
  C2B00016: 'Other Error',
} as const);

/** A Daraja C2B rejection code (`C2B00011`…`C2B00016`). */
export type DarajaC2bRejection = keyof typeof DARAJA_C2B_REJECTIONS;

/** Daraja's validation answer that accepts the payment (as Simu's own paybill has always answered). */
export const C2B_ACCEPTED = Object.freeze({ ResultCode: 0 as const, ResultDesc: 'Accepted' as const });

/** Daraja's validation answer that rejects with `code`, in Safaricom's wording: `{ ResultCode: "C2B00012", ResultDesc: "Invalid Account Number" }`. */
export function c2bRejection<C extends DarajaC2bRejection>(code: C): { ResultCode: C; ResultDesc: (typeof DARAJA_C2B_REJECTIONS)[C] } {
  return { ResultCode: code, ResultDesc: DARAJA_C2B_REJECTIONS[code] };
}
