/**
 * Forgot PIN, in three steps a USSD session takes in turn:
 *
 *   1. `requestPinReset`: the customer types their national ID number; when it matches,
 *      a 6-digit one-time code goes out by SMS (outbox), kept here only as a keyed hash.
 *   2. `verifyPinResetCode`: the customer types the code; the session that proves it is
 *      remembered with it.
 *   3. `completePinReset`: that session, and only it, sets the new PIN, which also clears
 *      a wrong-PIN lock.
 *
 * Wrong answers (national ID or code) in a row are counted on the customer like wrong
 * PINs: the third locks Forgot PIN for RESET_LOCK_MINUTES and tells the customer by SMS.
 * At most MAX_RESET_CODES codes go out in that window, so Forgot PIN cannot be used to
 * flood a phone with SMS. Counts commit even when the answer is refused: each step's
 * transaction returns an outcome and the refusal is thrown after commit.
 */
import { randomInt } from 'node:crypto';
import { db as defaultDb, type Db, type Knex } from '../db/index.js';
import { config } from '../config/index.js';
import { enqueueSms } from '../sms/outbox.js';
import { SECRET_PLACEHOLDER } from '../sms/secret.js';
import { sms } from '../sms/messages.js';
import { hashPin, isPinFormat, pinMatches } from './pin.js';
import { toCustomer, type Customer } from './repository.js';
import { CustomerInactiveError, CustomerNotFoundError, InvalidPinError, ResetExpiredError, ResetLockedError, WrongResetAnswerError } from './errors.js';

/** Minutes a one-time code stays good; also how long a proved session may take to set the PIN. */
export const RESET_CODE_MINUTES = 10;
/** Wrong answers in a row that lock Forgot PIN. */
export const MAX_RESET_ATTEMPTS = 3;
/** How long a Forgot PIN lock lasts, in minutes; also the window MAX_RESET_CODES counts in. */
export const RESET_LOCK_MINUTES = 30;
/** Codes sent at most per RESET_LOCK_MINUTES. */
export const MAX_RESET_CODES = 3;

/** A one-time code as typed: exactly 6 digits. */
export function isResetCodeFormat(code: string): boolean {
  return /^[0-9]{6}$/.test(code);
}

type Outcome<T> = { kind: 'ok'; value: T } | { kind: 'refused'; error: Error };

/** Runs `step` on the locked, active customer row of `msisdn`; throws a refusal after commit. */
async function onCustomer<T>(db: Db, msisdn: string, step: (trx: Knex.Transaction, row: Record<string, unknown>, c: Customer) => Promise<Outcome<T>>): Promise<T> {
  const outcome = await db.transaction(async (trx): Promise<Outcome<T>> => {
    const row = await trx('customers').where({ msisdn }).forUpdate().first();
    if (!row) throw new CustomerNotFoundError();
    const customer = toCustomer(row);
    if (customer.status !== 'active') throw new CustomerInactiveError();
    const lockedUntil = row.reset_locked_until as Date | null;
    if (lockedUntil && lockedUntil > new Date()) return { kind: 'refused', error: new ResetLockedError(lockedUntil) };
    return step(trx, row, customer);
  });
  if (outcome.kind === 'refused') throw outcome.error;
  return outcome.value;
}

/** Counts a wrong answer; the third in a row locks Forgot PIN, voids the live codes and sends an SMS. */
async function wrongAnswer(trx: Knex.Transaction, row: Record<string, unknown>, c: Customer, code: 'wrong_national_id' | 'wrong_reset_code'): Promise<Outcome<never>> {
  const attempts = (row.reset_failed_attempts as number) + 1;
  if (attempts < MAX_RESET_ATTEMPTS) {
    await trx('customers').where({ id: c.id }).update({ reset_failed_attempts: attempts });
    return { kind: 'refused', error: new WrongResetAnswerError(code, MAX_RESET_ATTEMPTS - attempts) };
  }
  const [locked] = await trx('customers')
    .where({ id: c.id })
    .update({ reset_failed_attempts: 0, reset_locked_until: trx.raw(`now() + make_interval(mins => ${RESET_LOCK_MINUTES})`) })
    .returning('reset_locked_until');
  await trx('pin_resets').where({ customer_id: c.id }).whereNull('consumed_at').update({ consumed_at: trx.fn.now() });
  await enqueueSms(trx, [{ msisdn: c.msisdn, kind: 'pin_locked', message: sms(c.language).resetLocked(RESET_LOCK_MINUTES) }]);
  return { kind: 'refused', error: new ResetLockedError(locked.reset_locked_until as Date) };
}

const codeKey = (msisdn: string) => `reset:${msisdn}`;

/**
 * Step 1: checks `nationalId` against the customer holding `msisdn` (E.164) and, when it
 * matches, writes a new one-time code to the SMS outbox. Earlier live codes stay good
 * until they expire (an SMS may arrive late). Returns the minutes the code is good for.
 *
 * @throws CustomerNotFoundError, CustomerInactiveError
 * @throws WrongResetAnswerError (`wrong_national_id`, with the attempts left)
 * @throws ResetLockedError locked now, just locked, or MAX_RESET_CODES sent already
 */
export async function requestPinReset(msisdn: string, nationalId: string, db: Db = defaultDb): Promise<{ expiresInMinutes: number }> {
  return onCustomer(db, msisdn, async (trx, row, c) => {
    if (row.national_id !== nationalId.trim()) return wrongAnswer(trx, row, c, 'wrong_national_id');
    const recent = await trx('pin_resets')
      .where({ customer_id: c.id })
      .where('created_at', '>', trx.raw(`now() - make_interval(mins => ${RESET_LOCK_MINUTES})`))
      .orderBy('created_at')
      .select('created_at');
    if (recent.length >= MAX_RESET_CODES) {
      const opens = new Date((recent[0].created_at as Date).getTime() + RESET_LOCK_MINUTES * 60_000);
      return { kind: 'refused', error: new ResetLockedError(opens) };
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await trx('pin_resets').insert({
      customer_id: c.id,
      code_hash: hashPin(code, codeKey(msisdn), config.pinSecret),
      expires_at: trx.raw(`now() + make_interval(mins => ${RESET_CODE_MINUTES})`),
    });
    await enqueueSms(trx, [{ msisdn, kind: 'pin_reset_code', message: sms(c.language).resetCode(SECRET_PLACEHOLDER, RESET_CODE_MINUTES), secret: code }]);
    return { kind: 'ok', value: { expiresInMinutes: RESET_CODE_MINUTES } };
  });
}

/**
 * Step 2: checks `code` against the customer's live codes. The code that matches is
 * proved by `sessionId` (the USSD session that may now set the PIN); the other live codes
 * are voided and the wrong-answer count is cleared.
 *
 * @throws CustomerNotFoundError, CustomerInactiveError, ResetLockedError
 * @throws ResetExpiredError when no code is live
 * @throws WrongResetAnswerError (`wrong_reset_code`, with the attempts left)
 */
export async function verifyPinResetCode(msisdn: string, code: string, sessionId: string, db: Db = defaultDb): Promise<void> {
  return onCustomer(db, msisdn, async (trx, row, c) => {
    const live = await trx('pin_resets')
      .where({ customer_id: c.id })
      .whereNull('consumed_at')
      .whereNull('verified_at')
      .where('expires_at', '>', trx.fn.now())
      .select('id', 'code_hash');
    if (live.length === 0) return { kind: 'refused', error: new ResetExpiredError() };
    const match = isResetCodeFormat(code) ? live.find((r) => pinMatches(code, codeKey(msisdn), r.code_hash as string, config.pinSecret)) : undefined;
    if (!match) return wrongAnswer(trx, row, c, 'wrong_reset_code');
    await trx('pin_resets').where({ id: match.id }).update({ verified_at: trx.fn.now(), verified_session_id: sessionId });
    await trx('pin_resets').where({ customer_id: c.id }).whereNull('consumed_at').whereNot({ id: match.id }).update({ consumed_at: trx.fn.now() });
    await trx('customers').where({ id: c.id }).update({ reset_failed_attempts: 0 });
    return { kind: 'ok', value: undefined };
  });
}

/**
 * Step 3: sets `newPin` for the customer whose code `sessionId` proved within
 * RESET_CODE_MINUTES, clears the wrong-PIN count and lock, uses the code up and writes an
 * SMS notice. The new PIN may equal the old one (a customer locked out may remember it).
 *
 * @throws CustomerNotFoundError, CustomerInactiveError, ResetLockedError
 * @throws InvalidPinError (`invalid_pin`) when `newPin` is not 4 digits
 * @throws ResetExpiredError when this session proved no live code
 */
export async function completePinReset(msisdn: string, sessionId: string, newPin: string, db: Db = defaultDb): Promise<void> {
  if (!isPinFormat(newPin)) throw new InvalidPinError('invalid_pin', 'PIN must be 4 digits');
  return onCustomer(db, msisdn, async (trx, _row, c) => {
    const proved = await trx('pin_resets')
      .where({ customer_id: c.id, verified_session_id: sessionId })
      .whereNull('consumed_at')
      .where('verified_at', '>', trx.raw(`now() - make_interval(mins => ${RESET_CODE_MINUTES})`))
      .first('id');
    if (!proved) return { kind: 'refused', error: new ResetExpiredError() };
    await trx('pin_resets').where({ id: proved.id }).update({ consumed_at: trx.fn.now() });
    await trx('customers').where({ id: c.id }).update({
      pin_hash: hashPin(newPin, msisdn, config.pinSecret), pin_failed_attempts: 0, pin_locked_until: null, updated_at: trx.fn.now(),
    });
    await enqueueSms(trx, [{ msisdn, kind: 'pin_changed', message: sms(c.language).pinReset() }]);
    return { kind: 'ok', value: undefined };
  });
}
