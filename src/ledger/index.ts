/**
 * The ledger: double-entry accounts, journal entries and postings in PostgreSQL.
 * `transfer()` is the only way money moves; `reverse()` compensates a mistake.
 */
export { transfer, type TransferRequest, type TransferHooks, type PostingInput, type LockedState } from './transfer.js';
export { reverse } from './reverse.js';
export { postAdjustment, type AdjustmentRequest } from './adjust.js';
export { loadEntry, findEntryByCode, entryIdForKey, type TransferResult, type PostedLeg } from './entries.js';
export { openAccount, getAccount, getAccountByCode, displayBalance, type Account, type AccountType, type NewAccount } from './accounts.js';
export { checkLedger, type LedgerBreach } from './check.js';
export { accountsQuery, toAccountView, postingsQuery, statementLine, type AccountFilter, type AccountView, type StatementLine } from './statements.js';
export { findEntryView, type EntryView, type EntryLegView } from './entry-detail.js';
export { trialBalance, type BookBalance } from './trial-balance.js';
export { newTransactionCode, isTransactionCode } from './code.js';
export { InsufficientFundsError, IdempotencyConflictError, InvalidEntryError, AlreadyReversedError, TransactionCodeTakenError } from './errors.js';
export { SYSTEM_ACCOUNTS, systemAccount } from './system.js';
