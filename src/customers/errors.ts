import { AppError } from '../errors/index.js';

/** The PIN is locked after too many wrong tries; `until` is when it opens again. */
export class PinLockedError extends AppError {
  constructor(readonly until: Date, readonly justLocked: boolean) {
    super('pin_locked', 'PIN locked after too many wrong tries', 423, true);
  }
}

/** The PIN was wrong; `attemptsLeft` before the lock. */
export class WrongPinError extends AppError {
  constructor(readonly attemptsLeft: number) {
    super('wrong_pin', 'wrong PIN', 401, true);
  }
}

/** No customer holds this MSISDN. */
export class CustomerNotFoundError extends AppError {
  constructor() {
    super('customer_not_found', 'no customer with that number', 404, true);
  }
}

/** The MSISDN is registered already. */
export class AlreadyRegisteredError extends AppError {
  constructor() {
    super('already_registered', 'that number is registered already', 409, true);
  }
}

/** The customer's account is suspended or closed. */
export class CustomerInactiveError extends AppError {
  constructor() {
    super('customer_inactive', 'this account is not active', 403, true);
  }
}

/** The new PIN is not acceptable (format, same as old, confirmation mismatch). */
export class InvalidPinError extends AppError {
  constructor(code: 'invalid_pin' | 'pin_mismatch' | 'same_pin', message: string) {
    super(code, message, 400, true);
  }
}

/** A Forgot PIN answer (national ID or one-time code) was wrong; `attemptsLeft` before the lock. */
export class WrongResetAnswerError extends AppError {
  constructor(code: 'wrong_national_id' | 'wrong_reset_code', readonly attemptsLeft: number) {
    super(code, code === 'wrong_national_id' ? 'the national ID does not match this number' : 'wrong code', 401, true);
  }
}

/** Forgot PIN is locked (three wrong answers, or too many codes asked for); `until` is when it opens. */
export class ResetLockedError extends AppError {
  constructor(readonly until: Date) {
    super('reset_locked', 'Forgot PIN is locked for now', 423, true);
  }
}

/** No live one-time code (none asked for, expired, or used), or the session did not prove one. */
export class ResetExpiredError extends AppError {
  constructor() {
    super('reset_expired', 'the code has expired or was not asked for', 410, true);
  }
}
