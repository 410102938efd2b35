import { AppError } from '../errors/index.js';

/** The recipient's MSISDN holds no active Simu account. */
export class RecipientNotFoundError extends AppError {
  constructor() {
    super('recipient_not_found', 'the recipient is not registered with Simu', 404, true);
  }
}

/** A customer tried to send money to their own number. */
export class SelfTransferError extends AppError {
  constructor() {
    super('self_transfer', 'you cannot send money to your own number', 400, true);
  }
}

/** Which limit a transaction would break. */
export type LimitName = 'per_transaction' | 'per_day' | 'per_month' | 'max_balance' | 'min_amount';

/** The amount breaks a limit; `limit` is in cents. */
export class LimitExceededError extends AppError {
  constructor(readonly limitName: LimitName, readonly limit: bigint) {
    super('limit_exceeded', `the ${limitName.replace('_', ' ')} limit would be exceeded`, 422, true);
  }
}
