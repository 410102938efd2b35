/** Bank webhook test helpers: signed posts to /webhooks/banks/:bank and the reference payloads. */
import { randomInt } from 'node:crypto';
import { db } from '../../src/db/index.js';
import { signBody } from '../../src/banks/index.js';
import { appUrl } from './ussd.js';

/** The test secrets (test/helpers/env.ts). */
export const SECRETS = { equity: process.env.BANK_EQUITY_SECRET!, kcb: process.env.BANK_KCB_SECRET! } as const;
export const HEADERS = { equity: 'X-Equity-Signature', kcb: 'X-KCB-Signature' } as const;

/** A fresh bank transaction id with `prefix` (EQ, KCB). */
export function bankTxId(prefix: string): string {
  return `${prefix}${Date.now()}${randomInt(1_000_000)}`;
}

/**
 * Equity's sample body (/work/shared/reference/000_9f163036b5a0d679.txt, "Equity Bank
 * webhook"), as raw JSON text so that the amount keeps its characters.
 */
export function equityBody(o: { transactionId: string; studentId: string; amount?: string }): string {
  return `{
    "transactionId": ${JSON.stringify(o.transactionId)},
    "studentId": ${JSON.stringify(o.studentId)},
    "amount": ${o.amount ?? '50000.00'},
    "timestamp": "2024-01-15T10:30:00Z",
    "merchantCode": "12345"
}`;
}

/** KCB's sample body (same reference, "KCB Bank webhook"). */
export function kcbBody(o: { transactionRef: string; accountNumber: string; amount?: string }): string {
  return `{
    "transactionRef": ${JSON.stringify(o.transactionRef)},
    "accountNumber": ${JSON.stringify(o.accountNumber)},
    "amount": ${o.amount ?? '50000.00'},
    "transactionDate": "2024-01-15T10:30:00Z"
}`;
}

/** Posts `body` to the bank's webhook, signed with its secret unless `signature` is given (null: no header). */
export async function postBank(
  bank: string, body: string, opts: { signature?: string | null } = {},
): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const known = Object.hasOwn(SECRETS, bank);
  const header = known ? HEADERS[bank as keyof typeof HEADERS] : 'X-Signature';
  const secret = known ? SECRETS[bank as keyof typeof SECRETS] : 'none';
  const signature = opts.signature === undefined ? signBody(secret, body) : opts.signature;
  if (signature !== null) headers[header] = signature;
  const res = await fetch(`${await appUrl()}/webhooks/banks/${bank}`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** The bank_payments row of a bank's transaction, or undefined. */
export async function paymentRow(bank: string, transactionId: string) {
  return db('bank_payments').where({ bank, transaction_id: transactionId }).first();
}

/** How many journal entries a ledger key has (0 or 1). */
export async function entriesForKey(key: string): Promise<number> {
  const row = await db('idempotency_keys').where({ key }).whereNotNull('journal_entry_id').count<{ count: string }[]>('* as count');
  return Number(row[0].count);
}

/** Equity's sample body (as equityBody) paid to merchant code `merchantCode`: a school's, for school fees. */
export function equityBodyTo(merchantCode: string, o: { transactionId: string; studentId: string; amount?: string }): string {
  return equityBody(o).replace('"merchantCode": "12345"', `"merchantCode": ${JSON.stringify(merchantCode)}`);
}
