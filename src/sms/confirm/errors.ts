/**
 * Refusals of a money command by SMS that no other capability words: the rest come from
 * the domain that checked the command (RecipientNotFoundError, LimitExceededError,
 * InsufficientFundsError, NotAMemberError, ...), each an AppError with its own `code`.
 */
import { AppError } from '../../errors/index.js';

/** The command's amount is not a positive number of cents. */
export class SmsAmountError extends AppError {
  constructor() {
    super('invalid_amount', 'the amount must be more than KES 0', 400, true);
  }
}

/** A repayment was asked for but the customer has no loan with anything to pay. */
export class NoOpenLoanError extends AppError {
  constructor() {
    super('no_open_loan', 'you have no loan to repay', 404, true);
  }
}

/** Every 4-digit code is taken by the MSISDN's live requests (10,000 of them: abuse, not use). */
export class TooManyPendingError extends AppError {
  constructor() {
    super('too_many_pending', 'too many requests are waiting for confirmation', 429, true);
  }
}
