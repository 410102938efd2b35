/**
 * PIN checks with a lockout that lives in PostgreSQL (it survives restarts and is shared
 * by every web process): three wrong PINs in a row lock the PIN for 30 minutes and send
 * an SMS through the outbox.
 */
import { db as defaultDb, type Db } from '../db/index.js';
import { config } from '../config/index.js';
import { enqueueSms } from '../sms/outbox.js';
import { sms } from '../sms/messages.js';
import { hashPin, isPinFormat, pinMatches } from './pin.js';
import { toCustomer, type Customer } from './repository.js';
import { CustomerInactiveError, CustomerNotFoundError, InvalidPinError, PinLockedError, WrongPinError } from './errors.js';

/** Wrong PINs in a row that lock the PIN. */
export const MAX_PIN_ATTEMPTS = 3;
/** How long a lock lasts, in minutes. */
export const PIN_LOCK_MINUTES = 30;

/**
 * Checks `pin` for the customer holding `msisdn`. Counts a wrong PIN; the third in a row
 * locks the PIN and writes an SMS to the outbox. A right PIN resets the count.
 *
 * @throws CustomerNotFoundError, CustomerInactiveError
 * @throws PinLockedError locked now or before (`justLocked` tells which)
 * @throws WrongPinError with the attempts left
 */
export async function verifyPin(msisdn: string, pin: string, db: Db = defaultDb): Promise<Customer> {
  // The wrong-PIN count must commit even though the check fails: the transaction returns
  // an outcome and the refusal is thrown after commit.
  const outcome = await db.transaction(async (trx): Promise<PinOutcome> => {
    const row = await trx('customers').where({ msisdn }).forUpdate().first();
    if (!row) throw new CustomerNotFoundError();
    const customer = toCustomer(row);
    if (customer.status !== 'active') throw new CustomerInactiveError();
    const lockedUntil = row.pin_locked_until as Date | null;
    if (lockedUntil && lockedUntil > new Date()) return { kind: 'locked', until: lockedUntil, justLocked: false };
    if (isPinFormat(pin) && pinMatches(pin, msisdn, row.pin_hash, config.pinSecret)) {
      if (row.pin_failed_attempts !== 0 || lockedUntil) {
        await trx('customers').where({ id: row.id }).update({ pin_failed_attempts: 0, pin_locked_until: null });
      }
      return { kind: 'ok', customer };
    }
    const attempts = (row.pin_failed_attempts as number) + 1;
    if (attempts < MAX_PIN_ATTEMPTS) {
      await trx('customers').where({ id: row.id }).update({ pin_failed_attempts: attempts });
      return { kind: 'wrong', attemptsLeft: MAX_PIN_ATTEMPTS - attempts };
    }
    const [locked] = await trx('customers')
      .where({ id: row.id })
      .update({ pin_failed_attempts: 0, pin_locked_until: trx.raw(`now() + make_interval(mins => ${PIN_LOCK_MINUTES})`) })
      .returning('pin_locked_until');
    await enqueueSms(trx, [{ msisdn, kind: 'pin_locked', message: sms(customer.language).pinLocked(PIN_LOCK_MINUTES) }]);
    return { kind: 'locked', until: locked.pin_locked_until as Date, justLocked: true };
  });
  if (outcome.kind === 'locked') throw new PinLockedError(outcome.until, outcome.justLocked);
  if (outcome.kind === 'wrong') throw new WrongPinError(outcome.attemptsLeft);
  return outcome.customer;
}

type PinOutcome =
  | { kind: 'ok'; customer: Customer }
  | { kind: 'wrong'; attemptsLeft: number }
  | { kind: 'locked'; until: Date; justLocked: boolean };

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
