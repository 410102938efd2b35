/**
 * The reads of Send Money, each one round trip where it used to be several: the quote's
 * facts (recipient, payer's per-transaction limit, charge), both parties' rows before the
 * PIN check, and both parties' limits in force with the charge inside the transfer's
 * transaction. The checks made on them stay in ./send-money.ts, in the same order.
 */
import type { Db } from '../db/index.js';
import { toCustomer, type Customer } from '../customers/index.js';
import { DEFAULT_TIER, LIMIT_COLUMNS, toLimits, type CustomerLimits } from './limits.js';
import { bandChargeSql, type TariffType } from './tariff.js';

/** What the quote reads: the recipient, the payer's per-transaction limit, the charge. */
export interface QuoteFacts {
  recipient: Customer | null;
  payerFound: boolean;
  /** The payer's per-transaction limit in force; null when the tier has no limits. */
  perTransaction: bigint | null;
  /** The charge of the band holding the amount; null when none does. */
  charge: bigint | null;
}

/** The quote's facts for `amount` cents of `type`, in one query (the same rows the separate reads gave). */
export async function readQuoteFacts(db: Db, type: TariffType, payerMsisdn: string, recipientMsisdn: string, amount: bigint, tier = DEFAULT_TIER): Promise<QuoteFacts> {
  const band = bandChargeSql(type, amount); // NULL when no band holds it: chargeFor tells why
  const { rows } = await db.raw(
    `SELECT r.id, r.msisdn, r.first_name, r.last_name, r.wallet_account_id, r.language, r.status,
            p.id AS payer_id, coalesce(o.per_transaction, l.per_transaction) AS per_transaction, ${band.sql} AS charge
       FROM (SELECT 1) x
       LEFT JOIN customers r ON r.msisdn = ?
       LEFT JOIN customers p ON p.msisdn = ?
       LEFT JOIN limits l ON l.tier = ? AND p.id IS NOT NULL
       LEFT JOIN customer_limits o ON o.customer_id = p.id`,
    [...band.bindings, recipientMsisdn, payerMsisdn, tier],
  );
  const row = rows[0];
  return {
    recipient: row.id === null ? null : toCustomer(row),
    payerFound: row.payer_id !== null,
    perTransaction: row.per_transaction ?? null,
    charge: row.charge ?? null,
  };
}

/** The customers rows of both parties (null where none), read together before the PIN check. */
export async function readParties(db: Db, payerMsisdn: string, recipientMsisdn: string): Promise<{ payer: Record<string, unknown> | null; recipient: Record<string, unknown> | null }> {
  const rows: Record<string, unknown>[] = await db('customers').whereIn('msisdn', [payerMsisdn, recipientMsisdn]);
  return { payer: rows.find((r) => r.msisdn === payerMsisdn) ?? null, recipient: rows.find((r) => r.msisdn === recipientMsisdn) ?? null };
}

/**
 * Each of `customerIds`' limits in force and status (as loadLimitsFor) and the charge for
 * `amount` cents of `type`, in one query: in the transfer's transaction, the same reads the
 * separate queries made.
 */
export async function readLimitsAndCharge(
  db: Db, customerIds: number[], type: TariffType, amount: bigint, tier = DEFAULT_TIER,
): Promise<{ parties: Map<number, CustomerLimits>; charge: bigint | null }> {
  const band = bandChargeSql(type, amount);
  const { rows } = await db.raw(
    `SELECT c.id, c.status, ${LIMIT_COLUMNS.map((col) => `coalesce(o.${col}, l.${col}) AS ${col}`).join(', ')}, ${band.sql} AS charge
       FROM customers c
       JOIN limits l ON l.tier = ?
       LEFT JOIN customer_limits o ON o.customer_id = c.id
      WHERE c.id = ANY(?::int[])`,
    [...band.bindings, tier, customerIds],
  );
  const parties = new Map<number, CustomerLimits>(rows.map((r: Record<string, unknown>) => [r.id as number, { limits: toLimits(r), status: r.status as CustomerLimits['status'] }]));
  return { parties, charge: rows[0]?.charge ?? null };
}
