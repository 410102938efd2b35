/** The banks capability's refusals (HTTP answers through the one error handler). */
import { AppError } from '../errors/index.js';

/** The signature header is missing or does not match the body (HTTP 401). */
export class BadSignatureError extends AppError {
  constructor(header: string) {
    super('bad_signature', `missing or invalid ${header}`, 401, true);
  }
}

/** The same bank transaction id came again with a different account or amount (HTTP 409). */
export class BankPaymentConflictError extends AppError {
  constructor(transactionId: string) {
    super('transaction_conflict', `transaction ${transactionId} was received before with a different account or amount`, 409, true);
  }
}

/** No bank payment with that bank and transaction id (HTTP 404). */
export class BankPaymentNotFoundError extends AppError {
  constructor(bank: string, transactionId: string) {
    super('not_found', `no ${bank} payment ${transactionId}`, 404, true);
  }
}

/** The payment is not in suspense: allocated already, or posted to a wallet (HTTP 409). */
export class NotInSuspenseError extends AppError {
  constructor(status: string) {
    super(status === 'allocated' ? 'already_allocated' : 'not_in_suspense', status === 'allocated' ? 'the payment was allocated already' : `the payment is ${status}, not in suspense`, 409, true);
  }
}
