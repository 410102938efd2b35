/**
 * Finding customers as an operator does: by MSISDN in whatever form it was written down,
 * by national ID, or by a piece of a name; and one customer's full record (KYC fields,
 * status and PIN lock state). No PIN hash leaves this module.
 */
import type { Db, Knex } from '../db/index.js';
import { normalizeMsisdn } from '../phone/index.js';
import { CustomerNotFoundError } from './errors.js';
import { toCustomer, type Customer } from './repository.js';

/** A line of a search result. */
export interface CustomerSummary {
  id: number;
  msisdn: string;
  firstName: string;
  lastName: string;
  status: Customer['status'];
  createdAt: Date;
}

/** The wrong-PIN lockout state. `locked` is true while `lockedUntil` is in the future. */
export interface PinState {
  failedAttempts: number;
  lockedUntil: Date | null;
  locked: boolean;
}

/** A customer's record as an operator sees it. */
export interface CustomerRecord extends Customer {
  nationalId: string;
  /** Why the customer has their status (the operator's words), when someone set it. */
  statusReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  pin: PinState;
}

/**
 * The customers matching `q`, as a query the caller orders and pages by `id`: an MSISDN
 * in any form (`0712…`, `712…`, `254712…`, `+254712…`) matches that number; other digits
 * match a national ID; anything else matches a piece of the first, last or full name,
 * ignoring case. No `q` matches everyone.
 */
export function searchCustomers(db: Db, q?: string): Knex.QueryBuilder {
  const query = db('customers').select('id', 'msisdn', 'first_name', 'last_name', 'status', 'created_at');
  const text = q?.trim();
  if (!text) return query;
  const msisdn = normalizeMsisdn(text);
  if (msisdn) return query.where({ msisdn });
  if (/^[0-9]+$/.test(text)) return query.where({ national_id: text });
  // The fragment is the operator's text, not a pattern: escape LIKE's wildcards.
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return query.where((w) => {
    w.whereILike('first_name', pattern).orWhereILike('last_name', pattern).orWhereRaw(`first_name || ' ' || last_name ILIKE ?`, [pattern]);
  });
}

/** Maps a row of searchCustomers. */
export function toCustomerSummary(row: Record<string, unknown>): CustomerSummary {
  return {
    id: row.id as number,
    msisdn: row.msisdn as string,
    firstName: row.first_name as string,
    lastName: row.last_name as string,
    status: row.status as Customer['status'],
    createdAt: row.created_at as Date,
  };
}

/**
 * The record of the customer holding `msisdn` (E.164).
 *
 * @throws CustomerNotFoundError
 */
export async function loadCustomerRecord(db: Db, msisdn: string): Promise<CustomerRecord> {
  const row = await db('customers').where({ msisdn }).first();
  if (!row) throw new CustomerNotFoundError();
  return {
    ...toCustomer(row),
    nationalId: row.national_id,
    statusReason: row.status_reason ?? null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    pin: toPinState(row),
  };
}

/** The PIN lock state of a customers row. */
export function toPinState(row: Record<string, unknown>): PinState {
  const lockedUntil = (row.pin_locked_until as Date | null) ?? null;
  // The same test verifyPin applies: a lock whose time has passed no longer holds.
  return { failedAttempts: row.pin_failed_attempts as number, lockedUntil, locked: lockedUntil !== null && lockedUntil > new Date() };
}
