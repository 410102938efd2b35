/**
 * Who is acting: a customer named by MSISDN with the PIN to check, or by id when the caller
 * (a USSD effect) has checked the PIN already in the same session.
 */
import type { Db } from '../db/index.js';
import { CustomerInactiveError, CustomerNotFoundError } from './errors.js';
import { verifyPin } from './pin-check.js';
import { findCustomer, type Customer } from './repository.js';

/** A customer who acts: by MSISDN and PIN, or by id with the PIN checked already. */
export type Caller = { msisdn: string; pin: string } | { customerId: number; pinVerified: true };

/**
 * The active customer `caller` names, their PIN checked when given (a wrong PIN counts
 * toward the lockout).
 *
 * @throws WrongPinError, PinLockedError, InvalidPinError (a PIN given), CustomerNotFoundError, CustomerInactiveError
 */
export async function resolveCaller(db: Db, caller: Caller): Promise<Customer> {
  if ('pin' in caller) return verifyPin(caller.msisdn, caller.pin, db);
  const row = await db('customers').where({ id: caller.customerId }).first('msisdn');
  const customer = row ? await findCustomer(row.msisdn, db) : null;
  if (!customer) throw new CustomerNotFoundError();
  if (customer.status !== 'active') throw new CustomerInactiveError();
  return customer;
}
