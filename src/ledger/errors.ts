import { AppError } from '../errors/index.js';

/** The payer's account would go below zero (its no-overdraft constraint). */
export class InsufficientFundsError extends AppError {
  constructor(readonly accountId: number) {
    super('insufficient_funds', 'insufficient funds', 409, true);
  }
}

/** The idempotency key was used before with a different request. */
export class IdempotencyConflictError extends AppError {
  constructor(readonly key: string) {
    super('idempotency_conflict', `idempotency key ${key} was used for a different request`, 409, true);
  }
}

/** The request does not make a valid journal entry (unbalanced, unknown account, ...). */
export class InvalidEntryError extends AppError {
  constructor(message: string) {
    super('invalid_entry', message, 400, false);
  }
}

/** The entry was already reversed, or is itself a reversal. */
export class AlreadyReversedError extends AppError {
  constructor(readonly entryId: bigint) {
    super('already_reversed', `journal entry ${entryId} cannot be reversed again`, 409, true);
  }
}

/** A caller-chosen transaction code belongs to another journal entry already; nothing was written. */
export class TransactionCodeTakenError extends AppError {
  constructor(readonly transactionCode: string) {
    super('transaction_code_taken', `transaction code ${transactionCode} is taken by another entry`, 409, false);
  }
}
