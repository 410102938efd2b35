/**
 * `transfer()`: the only way money moves in Simu. One call writes one journal entry with
 * its postings, in one PostgreSQL transaction, through the `ledger_post()` SQL function
 * (src/ledger/post.ts):
 *
 *   1. claim the idempotency key (a concurrent twin waits on the key's unique index, then
 *      sees the first result);
 *   2. lock every account of the entry, in ascending id order (one global order: no
 *      deadlocks), and compute the balances after;
 *   3. refuse an overdraft (and let the CHECK constraint on accounts refuse it again);
 *   4. write the entry, the postings and the new balances; run `afterPost` (outbox rows).
 *
 * Without hooks, and outside a caller's transaction, all of it is one statement: one
 * round trip, and a hot account's row is locked for that statement only. With
 * a `guard` (limits, tariffs), steps 1-2 are one statement, the guard runs on the locked
 * balances, then ledger_post() writes; `afterPost` runs before the commit.
 */
import { createHash } from 'node:crypto';
import { db as defaultDb, type Db, type Knex } from '../db/index.js';
import { countTransfer } from '../metrics/index.js';
import { toAccount, type Account } from './accounts.js';
import { isTransactionCode } from './code.js';
import { AlreadyReversedError, InsufficientFundsError, InvalidEntryError } from './errors.js';
import type { TransferResult } from './entries.js';
import { postEntry, replayed } from './post.js';

export type { TransferResult } from './entries.js';

/** One leg of an entry: debit positive, credit negative, in cents. */
export interface PostingInput {
  accountId: number;
  amount: bigint;
}

/** A movement of money. The postings must sum to zero within every book they touch. */
export interface TransferRequest {
  /** `ussd:<sessionId>:<n>`, `mpesa:<receipt>`, `admin:<header>`, ... (at most 200 chars). */
  idempotencyKey: string;
  /** What kind of movement: `p2p`, `seed`, `reversal`, ... */
  kind: string;
  /** The principal in cents (what limits count), without charges. */
  amount: bigint;
  postings: PostingInput[];
  memo?: string;
  metadata?: Record<string, string | number | boolean | null>;
  /** Set by reverse(): the entry this one compensates. */
  reversesId?: bigint;
  /**
   * The entry's transaction code, when the caller must know it before posting (a Lipa
   * payment sends it to the merchant's validation URL as `TransID`). The shape
   * newTransactionCode() makes. Not part of the request's fingerprint: a replay under the
   * same key returns the first entry, with its code, whatever code it carries.
   */
  code?: string;
  /**
   * SEEDS AND IMPORTS ONLY: when the movement happened, if not now. It becomes the entry's
   * and its postings' `created_at` (what statements, limits and the loan limit read as
   * "when"); ids still follow insertion order, and `balance_after` is the balance at
   * insertion. Live code (USSD, callbacks, admin) never passes it: a back-dated entry
   * would escape the day's and month's limits. Not part of the request's fingerprint.
   */
  effectiveAt?: Date;
}

/** What `guard` sees: the locked accounts (balances before) and the balances after. */
export interface LockedState {
  accounts: ReadonlyMap<number, Account>;
  balancesAfter: ReadonlyMap<number, bigint>;
}

/** Caller code that runs inside the transfer's database transaction. */
export interface TransferHooks {
  /** Runs with the accounts locked, before anything is written; throw to refuse. */
  guard?: (trx: Knex.Transaction, state: LockedState) => Promise<void>;
  /** Runs after the entry is written, before commit (outbox rows). Not run on a replay. */
  afterPost?: (trx: Knex.Transaction, result: TransferResult) => Promise<void>;
}

/**
 * Moves money: writes one balanced journal entry, idempotently by `idempotencyKey`.
 * A second call with the same key and request returns the first result (`replayed: true`)
 * and moves nothing. Pass a transaction as `db` to compose with other writes; a refusal
 * then leaves that transaction aborted.
 *
 * @throws InvalidEntryError unbalanced postings, unknown account, bad key, badly shaped `code`
 * @throws TransactionCodeTakenError the caller's `code` belongs to another entry (not retried)
 * @throws InsufficientFundsError a no-overdraft account would go below zero
 * @throws IdempotencyConflictError the key was used for a different request
 * @throws whatever `guard` throws (nothing is written then)
 */
export async function transfer(req: TransferRequest, hooks: TransferHooks = {}, db: Db = defaultDb): Promise<TransferResult> {
  // Counted in simu_transfers_total by kind and outcome (ok, replayed, refusal code, error).
  return countTransfer(req.kind, () => transferUncounted(req, hooks, db));
}

/** transfer() without its metric. */
async function transferUncounted(req: TransferRequest, hooks: TransferHooks, db: Db): Promise<TransferResult> {
  validateRequest(req);
  const hash = requestHash(req);
  try {
    // Inside a caller's transaction, run in it (no savepoint round trips): a refusal then
    // aborts the caller's transaction too, which is what composing callers want.
    if (db.isTransaction) return await transferIn(db as Knex.Transaction, req, hash, hooks);
    // Nothing to run between the statements: one statement is the whole transaction.
    if (!hooks.guard && !hooks.afterPost) return await postEntry(db, req, hash, true);
    return await db.transaction((trx) => transferIn(trx, req, hash, hooks));
  } catch (err) {
    const code = (err as { code?: string; constraint?: string }).code;
    const constraint = (err as { constraint?: string }).constraint;
    if (code === '23514' && constraint === 'accounts_no_overdraft_check') throw new InsufficientFundsError(-1);
    if (code === '23505' && constraint === 'journal_entries_reverses_id_key') throw new AlreadyReversedError(req.reversesId ?? 0n);
    throw err;
  }
}

async function transferIn(trx: Knex.Transaction, req: TransferRequest, hash: string, hooks: TransferHooks): Promise<TransferResult> {
  let result: TransferResult;
  if (!hooks.guard) {
    result = await postEntry(trx, req, hash, true);
  } else {
    const locked = await claimAndLock(trx, req, hash);
    if (!(locked instanceof Map)) return locked; // a replay: nothing more runs
    await hooks.guard(trx, { accounts: locked, balancesAfter: balancesAfter(req, locked) });
    result = await postEntry(trx, req, hash, false);
  }
  if (!result.replayed) await hooks.afterPost?.(trx, result);
  return result;
}

/**
 * For a guarded transfer: claims the key and locks the entry's accounts in ascending id
 * order, in one statement. Returns the locked accounts, or the first result when the key
 * was claimed before.
 */
async function claimAndLock(trx: Knex.Transaction, req: TransferRequest, hash: string): Promise<Map<number, Account> | TransferResult> {
  const ids = [...new Set(req.postings.map((p) => p.accountId))].sort((a, b) => a - b);
  const { rows } = await trx.raw(
    `WITH claim AS (
       INSERT INTO idempotency_keys (key, request_hash) VALUES (?, ?) ON CONFLICT (key) DO NOTHING RETURNING key),
     locked AS MATERIALIZED (
       SELECT * FROM accounts WHERE id = ANY (?::int[]) AND EXISTS (SELECT FROM claim) ORDER BY id FOR UPDATE)
     SELECT EXISTS (SELECT FROM claim) AS claimed, locked.* FROM (VALUES (true)) AS one (x) LEFT JOIN locked ON true ORDER BY locked.id`,
    [req.idempotencyKey, hash, `{${ids.join(',')}}`],
  );
  if (!rows[0].claimed) {
    const key = await trx('idempotency_keys').where({ key: req.idempotencyKey }).first();
    return replayed(trx, req.idempotencyKey, hash, key?.request_hash ?? null, key?.journal_entry_id ?? null);
  }
  const accounts = new Map<number, Account>(rows.filter((r: { id: number | null }) => r.id !== null).map((r: Record<string, unknown>) => [r.id as number, toAccount(r)]));
  if (accounts.size !== ids.length) throw new InvalidEntryError('unknown account in postings');
  assertBalancedPerBook(req.postings, accounts);
  return accounts;
}

/** The balances after `req` (signed cents); refuses an overdraft of a no-overdraft account. */
function balancesAfter(req: TransferRequest, accounts: ReadonlyMap<number, Account>): Map<number, bigint> {
  const after = new Map<number, bigint>();
  for (const p of req.postings) {
    const account = accounts.get(p.accountId)!;
    const balance = account.balance + p.amount;
    const overdrawn = account.normalSide === 'credit' ? balance > 0n : balance < 0n;
    if (account.noOverdraft && overdrawn) throw new InsufficientFundsError(account.id);
    after.set(account.id, balance);
  }
  return after;
}

function validateRequest(req: TransferRequest): void {
  if (!req.idempotencyKey || req.idempotencyKey.length > 200) throw new InvalidEntryError('idempotency key must be 1-200 characters');
  if (req.postings.length < 2) throw new InvalidEntryError('an entry needs at least two postings');
  if (req.amount < 0n) throw new InvalidEntryError('amount must not be negative');
  if (req.effectiveAt !== undefined && Number.isNaN(req.effectiveAt.getTime())) throw new InvalidEntryError('effectiveAt must be a valid date');
  if (req.code !== undefined && !isTransactionCode(req.code)) throw new InvalidEntryError('code must be a letter and 9 upper-case letters or digits');
  let sum = 0n;
  const seen = new Set<number>();
  for (const p of req.postings) {
    if (typeof p.amount !== 'bigint' || p.amount === 0n) throw new InvalidEntryError('posting amounts must be non-zero bigint cents');
    if (seen.has(p.accountId)) throw new InvalidEntryError(`account ${p.accountId} posted twice in one entry`);
    seen.add(p.accountId);
    sum += p.amount;
  }
  if (sum !== 0n) throw new InvalidEntryError(`postings sum to ${sum}, not zero`);
}

function assertBalancedPerBook(postings: PostingInput[], accounts: ReadonlyMap<number, Account>): void {
  const perBook = new Map<string, bigint>();
  for (const p of postings) {
    const book = accounts.get(p.accountId)!.book;
    perBook.set(book, (perBook.get(book) ?? 0n) + p.amount);
  }
  for (const [book, sum] of perBook) if (sum !== 0n) throw new InvalidEntryError(`entry does not balance in book ${book}`);
}

/** The fingerprint of what a request does with money (not its memo, metadata or chosen code). */
function requestHash(req: TransferRequest): string {
  const legs = [...req.postings].sort((a, b) => a.accountId - b.accountId).map((p) => `${p.accountId}:${p.amount}`);
  const canonical = JSON.stringify([req.kind, req.amount.toString(), req.reversesId?.toString() ?? null, legs]);
  return createHash('sha256').update(canonical).digest('hex');
}
