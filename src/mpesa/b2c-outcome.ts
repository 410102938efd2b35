/**
 * How a withdrawal to M-Pesa ends: completed (a receipt SMS; the money already left the
 * wallet and stays in `clearing:mpesa`, which mirrors the M-Pesa float it was paid from),
 * or failed / timed out and its debit reversed with a compensating entry (ledger
 * reverse(), amount and charge back to the wallet) and a notice SMS. Each is written with
 * the row's new status in one transaction holding the row's lock, so Daraja's callback
 * posted five times at once, and the worker's refusal path, move the money at most once.
 *
 * A success result for a request already reversed (its queue timeout came first) is not
 * credited or debited again: the customer has both the M-Pesa payout and the refund, so
 * the row is stamped `late_success_at` with the receipt and logged as an error for an
 * operator to recover the money (the ledger cannot take it back by itself: the wallet may
 * be spent). A second success with another receipt for a completed request (the worker
 * posted again after an answer lost in transit and Daraja paid twice) is flagged the same way.
 */
import { db as defaultDb, type Db, type Knex } from '../db/index.js';
import { logger } from '../logger/index.js';
import { findCustomer } from '../customers/index.js';
import { AlreadyReversedError, displayBalance, loadEntry, reverse } from '../ledger/index.js';
import { nationalFormat } from '../phone/index.js';
import { enqueueSms } from '../sms/outbox.js';
import type { ParsedB2cResult } from './b2c-callback.js';
import { b2cSms } from './b2c-messages.js';

const log = logger.child({ component: 'mpesa' });

/** What an outcome did. `late_success`: a success after a reversal, flagged for an operator. */
export type B2cOutcome = 'completed' | 'reversed' | 'unchanged' | 'late_success' | 'unknown';

/** The idempotency key of request `id`'s reversal. */
export function b2cReversalKey(id: bigint | string): string {
  return `b2c:${id}:reversal`;
}

interface B2cRow {
  id: string;
  customer_id: number;
  msisdn: string;
  amount: bigint;
  charge: bigint;
  journal_entry_id: bigint;
  status: string;
  mpesa_receipt: string | null;
}

async function lockRow(trx: Knex.Transaction, where: Record<string, string>): Promise<B2cRow | undefined> {
  return trx('b2c_requests').where(where).forUpdate().first();
}

/** The row a callback is about: by our OriginatorConversationID, else Daraja's ConversationID. */
async function rowOf(trx: Knex.Transaction, r: ParsedB2cResult): Promise<B2cRow | undefined> {
  return (await lockRow(trx, { originator_conversation_id: r.originatorConversationId }))
    ?? (r.conversationId ? lockRow(trx, { conversation_id: r.conversationId }) : undefined);
}

/**
 * Applies a B2C result: ResultCode 0 completes the request (receipt recorded, SMS);
 * anything else reverses it. Idempotent; a request no one asked for answers `unknown`.
 */
export async function applyB2cResult(r: ParsedB2cResult, db: Db = defaultDb): Promise<B2cOutcome> {
  if (r.resultCode !== '0') return settleByCallback(r, 'failed', db);
  return db.transaction(async (trx) => {
    const row = await rowOf(trx, r);
    if (!row) return unknown(r);
    if (row.status === 'completed') {
      // The same result again acts nothing; a second payout (another receipt) is an operator's.
      if (!r.receipt || r.receipt === row.mpesa_receipt) return 'unchanged';
      const flagged = await trx('b2c_requests').where({ id: row.id }).whereNull('late_success_at').update({ late_success_at: trx.fn.now(), updated_at: trx.fn.now() });
      if (flagged) log.error('M-Pesa paid a withdrawal twice: recover it by hand', { b2cId: row.id, receipt: r.receipt });
      return flagged ? 'late_success' : 'unchanged';
    }
    if (row.status === 'failed' || row.status === 'timed_out') {
      const flagged = await trx('b2c_requests').where({ id: row.id }).whereNull('late_success_at')
        .update({ late_success_at: trx.fn.now(), mpesa_receipt: r.receipt, updated_at: trx.fn.now() });
      if (flagged === 0) return 'unchanged';
      log.error('M-Pesa paid a withdrawal already reversed: recover it by hand', { b2cId: row.id, receipt: r.receipt, status: row.status });
      return 'late_success';
    }
    if (r.amount !== null && r.amount !== BigInt(row.amount)) {
      log.error('B2C result amount differs from the request', { b2cId: row.id, expected: String(row.amount), got: String(r.amount) });
    }
    await trx('b2c_requests').where({ id: row.id }).update({
      status: 'completed', result_code: r.resultCode, result_desc: r.resultDesc, mpesa_receipt: r.receipt,
      receiver_name: r.receiverName, conversation_id: r.conversationId ?? trx.raw('conversation_id'),
      completed_at: trx.fn.now(), updated_at: trx.fn.now(),
    });
    const customer = await findCustomer(row.msisdn, trx);
    const entry = await loadEntry(trx, BigInt(row.journal_entry_id));
    if (customer) {
      await enqueueSms(trx, [{
        msisdn: row.msisdn, kind: 'receipt', journalEntryId: BigInt(row.journal_entry_id), dedupeKey: `b2c:${row.id}:paid`,
        message: b2cSms(customer.language).paid({
          code: entry.code, receipt: r.receipt!, amount: BigInt(row.amount), charge: BigInt(row.charge), phone: nationalFormat(row.msisdn), at: new Date(),
        }),
      }]);
    }
    log.info('b2c withdrawal completed', { b2cId: row.id, code: entry.code, receipt: r.receipt });
    return 'completed';
  });
}

/** Applies a queue-timeout notification: the request is reversed (status `timed_out`). Idempotent. */
export async function applyB2cTimeout(r: ParsedB2cResult, db: Db = defaultDb): Promise<B2cOutcome> {
  return settleByCallback(r, 'timed_out', db);
}

async function settleByCallback(r: ParsedB2cResult, status: 'failed' | 'timed_out', db: Db): Promise<B2cOutcome> {
  return db.transaction(async (trx) => {
    const row = await rowOf(trx, r);
    if (!row) return unknown(r);
    return reverseLocked(trx, row, status, { code: r.resultCode, desc: r.resultDesc });
  });
}

/**
 * Reverses request `id` (Daraja refused it, reported a failure, or it timed out in the
 * queue): compensating entry (key `b2c:<id>:reversal`), status, result and notice SMS in
 * one transaction. A request already final is left as it is.
 */
export async function reverseB2c(id: bigint | string, status: 'failed' | 'timed_out', why: { code: string; desc: string }, db: Db = defaultDb): Promise<B2cOutcome> {
  return db.transaction(async (trx) => {
    const row = await lockRow(trx, { id: String(id) });
    if (!row) return 'unknown';
    return reverseLocked(trx, row, status, why);
  });
}

async function reverseLocked(trx: Knex.Transaction, row: B2cRow, status: 'failed' | 'timed_out', why: { code: string; desc: string }): Promise<B2cOutcome> {
  if (row.status !== 'requested' && row.status !== 'sent') {
    if (row.status === 'completed') log.error('B2C failure reported for a completed withdrawal: left completed', { b2cId: row.id, code: why.code });
    return 'unchanged';
  }
  const entryId = BigInt(row.journal_entry_id);
  const original = await loadEntry(trx, entryId);
  let reversal;
  try {
    reversal = await reverse(entryId, b2cReversalKey(row.id), `withdrawal to M-Pesa ${original.code} ${status}: ${why.desc}`.slice(0, 200), {}, trx);
  } catch (err) {
    if (!(err instanceof AlreadyReversedError)) throw err;
    // An operator reversed it already (and told the customer): the money is back.
    const earlier = await trx('journal_entries').where({ reverses_id: entryId.toString() }).first('id');
    await settle(trx, row.id, status, why, BigInt(earlier.id));
    return 'reversed';
  }
  await settle(trx, row.id, status, why, reversal.entryId);
  const customer = await findCustomer(row.msisdn, trx);
  const wallet = customer ? reversal.postings.find((p) => p.accountId === customer.walletAccountId) : undefined;
  if (customer) {
    await enqueueSms(trx, [{
      msisdn: row.msisdn, kind: 'notice', journalEntryId: reversal.entryId, dedupeKey: `b2c:${row.id}:reversed`,
      message: b2cSms(customer.language).reversed({
        code: original.code, reversalCode: reversal.code, amount: BigInt(row.amount), charge: BigInt(row.charge), at: reversal.createdAt,
        balance: wallet ? displayBalance({ balance: wallet.balanceAfter, normalSide: 'credit' }) : 0n,
      }),
    }]);
  }
  log.warn('b2c withdrawal reversed', { b2cId: row.id, status, code: original.code, reversal: reversal.code, resultCode: why.code });
  return 'reversed';
}

async function settle(trx: Knex.Transaction, id: string, status: string, why: { code: string; desc: string }, reversalEntryId: bigint): Promise<void> {
  await trx('b2c_requests').where({ id }).update({
    status, result_code: why.code.slice(0, 20), result_desc: why.desc.slice(0, 200), reversal_entry_id: reversalEntryId.toString(),
    completed_at: trx.fn.now(), updated_at: trx.fn.now(),
  });
}

function unknown(r: ParsedB2cResult): B2cOutcome {
  log.warn('B2C callback for no request of ours', { originatorConversationId: r.originatorConversationId, conversationId: r.conversationId });
  return 'unknown';
}
