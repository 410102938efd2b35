/**
 * The Daraja C2B (v2) request body that M-Pesa posts to a merchant's validation and
 * confirmation URLs, and the validation answer, so that a merchant who already integrates
 * with Daraja can point Simu at the same endpoints. Field names and formats as Safaricom
 * documents them: `TransTime` yyyyMMddHHmmss (Kenyan time), `TransAmount` shillings with
 * two decimals as a string, `MSISDN` masked as C2B v2 does (`2547 ***** 126`).
 */
import { CENTS_PER_KES } from '../money/index.js';
import type { MerchantKind } from './repository.js';

/** The body of a C2B validation or confirmation request. */
export interface C2bRequest {
  TransactionType: 'Pay Bill' | 'Buy Goods';
  TransID: string;
  TransTime: string;
  TransAmount: string;
  BusinessShortCode: string;
  BillRefNumber: string;
  InvoiceNumber: string;
  OrgAccountBalance: string;
  ThirdPartyTransID: string;
  MSISDN: string;
  FirstName: string;
  MiddleName: string;
  LastName: string;
}

/** The facts a C2B body is built from (amounts in cents). */
export interface C2bFacts {
  kind: MerchantKind;
  shortCode: string;
  /** The journal entry's code: chosen before validation, so both requests carry the same one. */
  transId: string;
  at: Date;
  amount: bigint;
  accountRef: string;
  /** The merchant's settlement balance after the payment (confirmation only). */
  orgBalance?: bigint;
  thirdPartyTransId?: string;
  msisdn: string;
  firstName: string;
  lastName: string;
}

const NAIROBI = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Africa/Nairobi', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

/** `2026-11-23T12:15:07Z` → `20261123151507` (Africa/Nairobi). */
export function transTime(at: Date): string {
  const parts = Object.fromEntries(NAIROBI.formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts.year}${parts.month}${parts.day}${parts.hour}${parts.minute}${parts.second}`;
}

/** `100050n` → `1000.50`. */
export function shillings(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / CENTS_PER_KES}.${(abs % CENTS_PER_KES).toString().padStart(2, '0')}`;
}

/** `+254712345126` → `2547 ***** 126`, as C2B v2 shows a payer's number. */
export function maskedMsisdn(e164: string): string {
  const digits = e164.replace(/^\+/, '');
  return `${digits.slice(0, 4)} ***** ${digits.slice(-3)}`;
}

/** The C2B request body for `facts`. */
export function c2bRequest(facts: C2bFacts): C2bRequest {
  return {
    TransactionType: facts.kind === 'paybill' ? 'Pay Bill' : 'Buy Goods',
    TransID: facts.transId,
    TransTime: transTime(facts.at),
    TransAmount: shillings(facts.amount),
    BusinessShortCode: facts.shortCode,
    BillRefNumber: facts.kind === 'paybill' ? facts.accountRef : '',
    InvoiceNumber: '',
    OrgAccountBalance: facts.orgBalance === undefined ? '' : shillings(facts.orgBalance),
    ThirdPartyTransID: facts.thirdPartyTransId ?? '',
    MSISDN: maskedMsisdn(facts.msisdn),
    FirstName: facts.firstName,
    MiddleName: '',
    LastName: facts.lastName,
  };
}

/** What a validation answer means: accept (0) or reject (C2B000xx, or anything unreadable). */
export type ValidationVerdict =
  | { accepted: true; thirdPartyTransId?: string }
  | { accepted: false; resultCode: string; resultDesc: string };

/**
 * Reads a validation answer. Daraja's contract: HTTP 200 with `ResultCode` `0` (number or
 * string) accepts; `C2B00011`…`C2B00016` reject (invalid MSISDN, account number, amount,
 * KYC, short code, other). A merchant may echo a `ThirdPartyTransID`, which M-Pesa then
 * carries into the confirmation. Returns null when the answer is not a Daraja answer at all
 * (not 200, or no ResultCode): the merchant's default then applies, as on a timeout.
 */
export function readValidationAnswer(status: number, body: Record<string, unknown> | null): ValidationVerdict | null {
  if (status !== 200 || !body || body.ResultCode === undefined || body.ResultCode === null) return null;
  const code = String(body.ResultCode).trim();
  const desc = typeof body.ResultDesc === 'string' ? body.ResultDesc.slice(0, 100) : '';
  if (code === '0') {
    const third = typeof body.ThirdPartyTransID === 'string' && body.ThirdPartyTransID ? body.ThirdPartyTransID.slice(0, 40) : undefined;
    return { accepted: true, ...(third ? { thirdPartyTransId: third } : {}) };
  }
  return { accepted: false, resultCode: /^C2B000[0-9]{2}$/.test(code) ? code : 'C2B00016', resultDesc: desc };
}
