/**
 * An operator's PIN unlock: after the customer proves who they are (a call to the care
 * line), the wrong-PIN count and the lock are cleared so they can try again at once
 * instead of waiting out the lock.
 */
import type { Knex } from '../db/index.js';
import { CustomerNotFoundError } from './errors.js';
import { toPinState, type PinState } from './lookup.js';

/**
 * Clears the wrong-PIN count and the lock of the customer holding `msisdn` (E.164), in
 * the caller's transaction (row locked, as verifyPin locks it). Returns the state before
 * and after.
 *
 * @throws CustomerNotFoundError
 */
export async function unlockPin(trx: Knex.Transaction, msisdn: string): Promise<{ before: PinState; after: PinState }> {
  const row = await trx('customers').where({ msisdn }).forUpdate().first('id', 'pin_failed_attempts', 'pin_locked_until');
  if (!row) throw new CustomerNotFoundError();
  const [after] = await trx('customers')
    .where({ id: row.id })
    .update({ pin_failed_attempts: 0, pin_locked_until: null, updated_at: trx.fn.now() })
    .returning(['pin_failed_attempts', 'pin_locked_until']);
  return { before: toPinState(row), after: toPinState(after) };
}
