/**
 * How an airtime request ends: delivered (a receipt SMS), or failed and its debit reversed
 * with a compensating entry (a notice SMS). Both are written with the row's new status in
 * one transaction, holding the row's lock, so that AT's callback posted twice, the worker
 * and the review pass can all meet here and the money moves back at most once.
 */
import { db as defaultDb, type Db, type Knex } from '../db/index.js';
import { NotFoundError } from '../errors/index.js';
import { logger, maskMsisdn } from '../logger/index.js';
import { findCustomer } from '../customers/index.js';
import { AlreadyReversedError, displayBalance, getAccount, loadEntry, reverse } from '../ledger/index.js';
import { nationalFormat } from '../phone/index.js';
import { enqueueSms } from '../sms/index.js';
import { airtimeSms } from './messages.js';
import { findAirtimeRequest, type AirtimeRequest } from './repository.js';

const log = logger.child({ component: 'airtime' });

/** What an outcome did: moved the row on, or found it already settled. */
export type AirtimeOutcome = 'success' | 'reversed' | 'unchanged';

/** The idempotency key of request `id`'s reversal. */
export function reversalKey(id: bigint | string): string {
  return `airtime:${id}:reversal`;
}

async function payerOf(trx: Knex.Transaction, req: AirtimeRequest) {
  const payer = await findCustomer(req.payerMsisdn, trx);
  if (!payer) throw new Error(`airtime request ${req.id}: payer ${maskMsisdn(req.payerMsisdn)} not found`);
  return payer;
}

/**
 * Records that AT delivered request `id` (status `success`) and writes the receipt SMS
 * (dedupe key `airtime:<id>:receipt`). A request already final is left as it is.
 */
export async function recordAirtimeSuccess(id: bigint | string, db: Knex = defaultDb): Promise<AirtimeOutcome> {
  return db.transaction(async (trx) => {
    const req = await lockedRequest(trx, id);
    if (req.status !== 'pending' && req.status !== 'sent') {
      if (req.status === 'reversed') log.error('AT reports airtime delivered after its reversal: recover it by hand', { airtimeId: String(id) });
      return 'unchanged';
    }
    await trx('airtime_requests').where({ id: String(id) }).update({ status: 'success', at_status: 'Success', completed_at: trx.fn.now() });
    const payer = await payerOf(trx, req);
    const entry = await loadEntry(trx, req.journalEntryId);
    const wallet = await getAccount(trx, payer.walletAccountId);
    await enqueueSms(trx, [{
      msisdn: payer.msisdn, kind: 'receipt', journalEntryId: req.journalEntryId, dedupeKey: `airtime:${id}:receipt`,
      message: airtimeSms(payer.language).delivered({
        code: entry.code, amount: req.amount, recipient: nationalFormat(req.recipientMsisdn), at: new Date(), balance: displayBalance(wallet),
      }),
    }]);
    log.info('airtime delivered', { airtimeId: String(id), code: entry.code });
    return 'success';
  });
}

/**
 * Reverses request `id` because `reason` (AT refused it, reported Failed, or never took
 * it): the compensating entry of its debit (ledger reverse(), key `airtime:<id>:reversal`),
 * status `reversed` and the notice SMS (dedupe key `airtime:<id>:reversed`), in one
 * transaction. Idempotent: a request already reversed or delivered is left as it is. When
 * the reversal cannot be written the row is set `failed` (the review pass tries again) and
 * the error is thrown.
 */
export async function reverseAirtime(id: bigint | string, reason: string, db: Knex = defaultDb): Promise<AirtimeOutcome> {
  try {
    return await db.transaction((trx) => reverseIn(trx, id, reason));
  } catch (err) {
    await db('airtime_requests').where({ id: String(id) }).whereIn('status', ['pending', 'sent'])
      .update({ status: 'failed', last_error: reason.slice(0, 200) });
    log.error('airtime reversal not written; the review pass will try again', { airtimeId: String(id), error: (err as Error).message });
    throw err;
  }
}

async function reverseIn(trx: Knex.Transaction, id: bigint | string, reason: string): Promise<AirtimeOutcome> {
  const req = await lockedRequest(trx, id);
  if (req.status === 'reversed' || req.status === 'success') {
    if (req.status === 'success') log.error('AT reports a delivered airtime as failed: left as delivered', { airtimeId: String(id), reason });
    return 'unchanged';
  }
  const original = await loadEntry(trx, req.journalEntryId);
  let reversal;
  try {
    reversal = await reverse(req.journalEntryId, reversalKey(id), `airtime ${original.code} failed: ${reason}`.slice(0, 200), {}, trx);
  } catch (err) {
    if (!(err instanceof AlreadyReversedError)) throw err;
    // An operator reversed it already (and told the customer): the money is back.
    const earlier = await trx('journal_entries').where({ reverses_id: req.journalEntryId.toString() }).first('id');
    await settleReversed(trx, id, reason, BigInt(earlier.id));
    return 'reversed';
  }
  await settleReversed(trx, id, reason, reversal.entryId);
  const payer = await payerOf(trx, req);
  const walletLeg = reversal.postings.find((p) => p.accountId === payer.walletAccountId);
  await enqueueSms(trx, [{
    msisdn: payer.msisdn, kind: 'notice', journalEntryId: reversal.entryId, dedupeKey: `airtime:${id}:reversed`,
    message: airtimeSms(payer.language).reversed({
      code: original.code, reversalCode: reversal.code, amount: req.amount, recipient: nationalFormat(req.recipientMsisdn),
      at: reversal.createdAt, balance: walletLeg ? displayBalance({ balance: walletLeg.balanceAfter, normalSide: 'credit' }) : 0n,
    }),
  }]);
  log.warn('airtime failed; debit reversed', { airtimeId: String(id), code: original.code, reversal: reversal.code, reason });
  return 'reversed';
}

async function settleReversed(trx: Db, id: bigint | string, reason: string, reversalEntryId: bigint): Promise<void> {
  await trx('airtime_requests').where({ id: String(id) }).update({
    status: 'reversed', reversal_entry_id: reversalEntryId.toString(), last_error: reason.slice(0, 200), completed_at: trx.fn.now(),
  });
}

async function lockedRequest(trx: Knex.Transaction, id: bigint | string): Promise<AirtimeRequest> {
  const req = await findAirtimeRequest(trx, id, true);
  if (!req) throw new NotFoundError(`no airtime request ${id}`);
  return req;
}
