/**
 * `transfer()`: the only way money moves in Simu. One call writes one journal entry with
 * its postings, in one PostgreSQL transaction:
 *
 *   1. claim the idempotency key (a concurrent twin waits on the key's unique index, then
 *      sees the first result);
 *   2. lock every account of the entry, in ascending id order (one global order: no
 *      deadlocks), and compute the balances after;
 *   3. refuse an overdraft (and let the CHECK constraint on accounts refuse it again);
 *   4. run the caller's `guard` (limits, tariffs) on the locked balances;
 *   5. write the entry, the postings and the new balances in one statement; run
 *      `afterPost` (outbox rows).
 */
import { createHash } from 'node:crypto';
import { db as defaultDb, type Db, type Knex } from '../db/index.js';
import { countTransfer } from '../metrics/index.js';
import { toAccount, type Account } from './accounts.js';
import { isTransactionCode, newTransactionCode } from './code.js';
import { AlreadyReversedError, IdempotencyConflictError, InsufficientFundsError, InvalidEntryError, TransactionCodeTakenError } from './errors.js';
import { loadEntry, type TransferResult } from './entries.js';

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
  const claimed = await trx('idempotency_keys')
    .insert({ key: req.idempotencyKey, request_hash: hash })
    .onConflict('key')
    .ignore()
    .returning('key');
  if (claimed.length === 0) return replay(trx, req.idempotencyKey, hash);

  const ids = [...new Set(req.postings.map((p) => p.accountId))].sort((a, b) => a - b);
  const rows = await trx('accounts').whereIn('id', ids).orderBy('id').forUpdate();
  if (rows.length !== ids.length) throw new InvalidEntryError('unknown account in postings');
  const accounts = new Map(rows.map((r) => [r.id as number, toAccount(r)]));
  assertBalancedPerBook(req.postings, accounts);

  const balancesAfter = new Map<number, bigint>();
  for (const p of req.postings) {
    const account = accounts.get(p.accountId)!;
    const after = account.balance + p.amount;
    const overdrawn = account.normalSide === 'credit' ? after > 0n : after < 0n;
    if (account.noOverdraft && overdrawn) throw new InsufficientFundsError(account.id);
    balancesAfter.set(account.id, after);
  }
  await hooks.guard?.(trx, { accounts, balancesAfter });

  const entry = await writeEntry(trx, req, balancesAfter);

  const result: TransferResult = {
    entryId: entry.id,
    code: entry.code,
    kind: req.kind,
    amount: req.amount,
    createdAt: entry.created_at,
    metadata: req.metadata ?? {},
    postings: req.postings.map((p) => ({ accountId: p.accountId, amount: p.amount, balanceAfter: balancesAfter.get(p.accountId)! })),
    replayed: false,
  };
  await hooks.afterPost?.(trx, result);
  return result;
}

/**
 * Writes the entry, its postings, the new balances and the key's entry id in one
 * statement: the accounts are locked from here to commit, so round trips are what a hot
 * account pays for. A (vanishingly rare) transaction-code collision writes nothing and is
 * retried with a new code, unless the caller chose the code: it may have shown it to
 * someone already (a merchant's validation URL), so the entry is refused instead.
 */
async function writeEntry(
  trx: Knex.Transaction,
  req: TransferRequest,
  balancesAfter: ReadonlyMap<number, bigint>,
): Promise<{ id: bigint; code: string; created_at: Date }> {
  const legs = req.postings.map(() => '(?::int, ?::bigint, ?::bigint)').join(', ');
  const legValues = req.postings.flatMap((p) => [p.accountId, p.amount.toString(), balancesAfter.get(p.accountId)!.toString()]);
  for (;;) {
    const { rows } = await trx.raw(
      `WITH legs (account_id, amount, balance_after) AS (VALUES ${legs}),
       e AS (
         INSERT INTO journal_entries (code, kind, amount, reverses_id, memo, metadata, created_at)
         VALUES (?, ?, ?::bigint, ?::bigint, ?, ?::jsonb, coalesce(?::timestamptz, now()))
         ON CONFLICT (code) DO NOTHING
         RETURNING id, code, created_at),
       p AS (
         INSERT INTO postings (journal_entry_id, account_id, amount, balance_after, created_at)
         SELECT e.id, legs.account_id, legs.amount, legs.balance_after, e.created_at FROM e, legs),
       b AS (
         UPDATE accounts AS a SET balance = a.balance + legs.amount
         FROM legs WHERE a.id = legs.account_id AND EXISTS (SELECT 1 FROM e)),
       k AS (
         UPDATE idempotency_keys SET journal_entry_id = e.id FROM e WHERE key = ?)
       SELECT id, code, created_at FROM e`,
      [
        ...legValues,
        req.code ?? newTransactionCode(), req.kind, req.amount.toString(), req.reversesId?.toString() ?? null, req.memo ?? null,
        JSON.stringify(req.metadata ?? {}), req.effectiveAt?.toISOString() ?? null, req.idempotencyKey,
      ],
    );
    if (rows.length) return rows[0];
    if (req.code !== undefined) throw new TransactionCodeTakenError(req.code);
  }
}

async function replay(trx: Knex.Transaction, key: string, hash: string): Promise<TransferResult> {
  const row = await trx('idempotency_keys').where({ key }).first();
  if (!row || row.request_hash !== hash) throw new IdempotencyConflictError(key);
  // A key is claimed and its entry written in one transaction, so a committed key has one.
  const entry = await loadEntry(trx, row.journal_entry_id as bigint);
  return { ...entry, replayed: true };
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
