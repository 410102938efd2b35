/**
 * Customers' PIN checks, with the lockout of ./lockout.ts: three wrong PINs in a row lock
 * the PIN for 30 minutes and send an SMS through the outbox.
 */
import { db as defaultDb, type Db } from '../db/index.js';
import { config } from '../config/index.js';
import { enqueueSms } from '../sms/outbox.js';
import { sms } from '../sms/messages.js';
import { hashPin, isPinFormat, pinMatches } from './pin.js';
import { toCustomer, type Customer } from './repository.js';
import { CustomerInactiveError, CustomerNotFoundError, InvalidPinError } from './errors.js';
import { checkPinOnRow, throwRefusal, type PinRow } from './lockout.js';

export { MAX_PIN_ATTEMPTS, PIN_LOCK_MINUTES } from './lockout.js';

/**
 * Checks `pin` for the customer holding `msisdn`. Counts a wrong PIN; the third in a row
 * locks the PIN and writes an SMS to the outbox. A right PIN resets the count.
 *
 * @throws CustomerNotFoundError, CustomerInactiveError
 * @throws PinLockedError locked now or before (`justLocked` tells which)
 * @throws WrongPinError with the attempts left
 */
export async function verifyPin(msisdn: string, pin: string, db: Db = defaultDb): Promise<Customer> {
  return verifyPinOnRow(msisdn, pin, (await db('customers').where({ msisdn }).first()) ?? null, db);
}

/**
 * verifyPin for a caller that has read the customer's row already (`row`, or null when
 * it found none; it may be stale). When the row shows an active customer with no wrong PIN
 * counted and no lock, and `pin` is right, the check needs no write and ends here: one
 * read, no transaction, no row lock (the check takes effect at that read, before any
 * wrong PIN that races it). Every other case (a wrong PIN, a count to reset, a lock, an
 * inactive or unknown customer) is decided again on the row locked FOR UPDATE.
 *
 * @throws as verifyPin
 */
export async function verifyPinOnRow(msisdn: string, pin: string, row: Record<string, unknown> | null, db: Db = defaultDb): Promise<Customer> {
  if (row && row.msisdn === msisdn && row.status === 'active' && row.pin_failed_attempts === 0 && row.pin_locked_until === null
    && isPinFormat(pin) && pinMatches(pin, msisdn, row.pin_hash as string, config.pinSecret)) {
    return toCustomer(row);
  }
  const { outcome, customer } = await db.transaction(async (trx) => {
    const locked = await trx('customers').where({ msisdn }).forUpdate().first();
    if (!locked) throw new CustomerNotFoundError();
    const c = toCustomer(locked);
    if (c.status !== 'active') throw new CustomerInactiveError();
    return { outcome: await checkPinOnRow(trx, 'customers', locked as PinRow, pin, c.language), customer: c };
  });
  throwRefusal(outcome);
  return customer;
}

/**
 * Changes the PIN after checking the current one (counts toward the lockout).
 *
 * @throws as verifyPin; InvalidPinError when the new PIN is not 4 digits or equals the old
 */
export async function changePin(msisdn: string, currentPin: string, newPin: string, db: Db = defaultDb): Promise<void> {
  if (!isPinFormat(newPin)) throw new InvalidPinError('invalid_pin', 'PIN must be 4 digits');
  if (newPin === currentPin) throw new InvalidPinError('same_pin', 'new PIN must differ from the current one');
  await verifyPin(msisdn, currentPin, db);
  await setPin(msisdn, newPin, db);
}

/**
 * Sets a new PIN for a customer whose identity the caller has already checked (the USSD
 * Change PIN flow verifies the current PIN first) and writes an SMS notice.
 *
 * @throws InvalidPinError (`invalid_pin`, `same_pin`), CustomerNotFoundError
 */
export async function setPin(msisdn: string, newPin: string, db: Db = defaultDb): Promise<void> {
  if (!isPinFormat(newPin)) throw new InvalidPinError('invalid_pin', 'PIN must be 4 digits');
  await db.transaction(async (trx) => {
    const row = await trx('customers').where({ msisdn }).forUpdate().first();
    if (!row) throw new CustomerNotFoundError();
    if (pinMatches(newPin, msisdn, row.pin_hash, config.pinSecret)) throw new InvalidPinError('same_pin', 'new PIN must differ from the current one');
    await trx('customers').where({ id: row.id }).update({ pin_hash: hashPin(newPin, msisdn, config.pinSecret), updated_at: trx.fn.now() });
    await enqueueSms(trx, [{ msisdn, kind: 'pin_changed', message: sms(toCustomer(row).language).pinChanged() }]);
  });
}
