/**
 * Suspending and reactivating a customer. A suspended customer can neither send (verifyPin
 * refuses anyone not active) nor receive (send money checks the recipient, inside its
 * transaction too); their balance stays where it is.
 */
import type { Knex } from '../db/index.js';
import { AppError } from '../errors/index.js';
import { CustomerNotFoundError } from './errors.js';
import type { Customer } from './repository.js';

/** The statuses an operator may set (closing an account is a flow of its own). */
export const SETTABLE_STATUSES = ['active', 'suspended'] as const;
export type SettableStatus = (typeof SETTABLE_STATUSES)[number];

/** A closed account does not come back by a status change. */
export class CustomerClosedError extends AppError {
  constructor() {
    super('customer_closed', 'this account is closed; its status cannot be changed', 409, true);
  }
}

/** A status with the operator's reason for it. */
export interface StatusWithReason {
  status: Customer['status'];
  reason: string | null;
}

/**
 * Sets the status of the customer holding `msisdn` (E.164), with the reason, in the
 * caller's transaction (row locked). Setting the status a customer already has records
 * the new reason and changes nothing else. Returns the status before and after.
 *
 * @throws CustomerNotFoundError, CustomerClosedError
 */
export async function setCustomerStatus(
  trx: Knex.Transaction, msisdn: string, status: SettableStatus, reason: string,
): Promise<{ before: StatusWithReason; after: StatusWithReason }> {
  const row = await trx('customers').where({ msisdn }).forUpdate().first('id', 'status', 'status_reason');
  if (!row) throw new CustomerNotFoundError();
  if (row.status === 'closed') throw new CustomerClosedError();
  await trx('customers').where({ id: row.id }).update({ status, status_reason: reason, updated_at: trx.fn.now() });
  return { before: { status: row.status, reason: row.status_reason ?? null }, after: { status, reason } };
}
