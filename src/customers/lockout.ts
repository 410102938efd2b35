/**
 * The wrong-PIN lockout, shared by every holder of a PIN (customers, agents): three wrong
 * PINs in a row lock the PIN for PIN_LOCK_MINUTES and send an SMS through the outbox. The
 * count and the lock live in the holder's row (`pin_hash`, `pin_failed_attempts`,
 * `pin_locked_until`), so they survive restarts and are shared by every web process.
 */
import type { Knex } from '../db/index.js';
import { config } from '../config/index.js';
import { enqueueSms } from '../sms/outbox.js';
import { sms } from '../sms/messages.js';
import { isPinFormat, pinMatches } from './pin.js';
import { PinLockedError, WrongPinError } from './errors.js';

/** Wrong PINs in a row that lock the PIN. */
export const MAX_PIN_ATTEMPTS = 3;
/** How long a lock lasts, in minutes. */
export const PIN_LOCK_MINUTES = 30;

/** The outcome of one PIN check; a refusal is thrown by `throwRefusal` after the transaction commits. */
export type PinOutcome = { kind: 'ok' } | { kind: 'wrong'; attemptsLeft: number } | { kind: 'locked'; until: Date; justLocked: boolean };

/** A PIN holder's row as the lockout reads it (locked FOR UPDATE by the caller). */
export interface PinRow {
  id: number;
  msisdn: string;
  pin_hash: string;
  pin_failed_attempts: number;
  pin_locked_until: Date | null;
}

/**
 * Checks `pin` against `row` of `table` (customers or agents), in the caller's transaction
 * with the row locked: counts a wrong PIN, locks on the third (and writes the SMS in
 * `language`), clears the count on a right PIN. Returns the outcome; the caller commits,
 * then calls `throwRefusal`, so that the count commits even though the check fails.
 */
export async function checkPinOnRow(trx: Knex.Transaction, table: 'customers' | 'agents', row: PinRow, pin: string, language: 'en' | 'sw'): Promise<PinOutcome> {
  const lockedUntil = row.pin_locked_until;
  if (lockedUntil && lockedUntil > new Date()) return { kind: 'locked', until: lockedUntil, justLocked: false };
  if (isPinFormat(pin) && pinMatches(pin, row.msisdn, row.pin_hash, config.pinSecret)) {
    if (row.pin_failed_attempts !== 0 || lockedUntil) await trx(table).where({ id: row.id }).update({ pin_failed_attempts: 0, pin_locked_until: null });
    return { kind: 'ok' };
  }
  const attempts = row.pin_failed_attempts + 1;
  if (attempts < MAX_PIN_ATTEMPTS) {
    await trx(table).where({ id: row.id }).update({ pin_failed_attempts: attempts });
    return { kind: 'wrong', attemptsLeft: MAX_PIN_ATTEMPTS - attempts };
  }
  const [locked] = await trx(table)
    .where({ id: row.id })
    .update({ pin_failed_attempts: 0, pin_locked_until: trx.raw(`now() + make_interval(mins => ${PIN_LOCK_MINUTES})`) })
    .returning('pin_locked_until');
  await enqueueSms(trx, [{ msisdn: row.msisdn, kind: 'pin_locked', message: sms(language).pinLocked(PIN_LOCK_MINUTES) }]);
  return { kind: 'locked', until: locked.pin_locked_until as Date, justLocked: true };
}

/**
 * Throws the refusal of a PIN outcome (after its transaction committed).
 *
 * @throws PinLockedError, WrongPinError
 */
export function throwRefusal(outcome: PinOutcome): void {
  if (outcome.kind === 'locked') throw new PinLockedError(outcome.until, outcome.justLocked);
  if (outcome.kind === 'wrong') throw new WrongPinError(outcome.attemptsLeft);
}
