/**
 * Reversing a transfer by an operator's decision: the compensating entry through the
 * ledger's reverse() and, for a Send Money entry, an SMS to both parties written to the
 * outbox in the same transaction, so that a reversal is never silent and an SMS never
 * announces a reversal that rolled back.
 */
import { db as defaultDb, type Db, type Knex } from '../db/index.js';
import { AppError, NotFoundError } from '../errors/index.js';
import { findCustomer, type Customer } from '../customers/index.js';
import { InsufficientFundsError, loadEntry, reverse, type TransferResult } from '../ledger/index.js';
import { enqueueSms } from '../sms/outbox.js';
import { sms } from '../sms/messages.js';
import { nationalFormat } from '../phone/index.js';
import { displayName } from './send-money.js';

/** An account the entry credited (the recipient's wallet) no longer holds the money. */
export class FundsSpentError extends AppError {
  constructor(readonly accountId: number) {
    super('funds_spent', 'the recipient no longer holds the funds, so the transaction cannot be reversed', 409, true);
  }
}

/** What reverseTransfer did. */
export interface ReversalOutcome {
  original: TransferResult;
  /** The compensating entry (`replayed: true` when the key had reversed it already). */
  reversal: TransferResult;
  /** SMS rows written to the outbox (0 on a replay or for an entry with no customers). */
  smsQueued: number;
}

/** The two customers of a Send Money entry, either null when no longer found. */
interface Parties {
  payer: Customer | null;
  recipient: Customer | null;
}

/**
 * Reverses journal entry `entryId`: writes the compensating entry (memo = `reason`),
 * idempotent by `idempotencyKey` (`admin:<Idempotency-Key>` from the admin API); for a
 * Send Money (`p2p`) entry also writes an SMS to the payer (amount and charge returned)
 * and to the recipient (amount taken back). Everything runs in one transaction: pass the
 * caller's as `db` to write it with an audit row.
 *
 * @throws NotFoundError there is no such entry
 * @throws AlreadyReversedError the entry is a reversal or was reversed already
 * @throws FundsSpentError the recipient has spent the money
 * @throws IdempotencyConflictError the key was used for a different request
 */
export async function reverseTransfer(
  req: { entryId: bigint; reason: string; idempotencyKey: string },
  db: Db = defaultDb,
): Promise<ReversalOutcome> {
  if (!db.isTransaction) return db.transaction((trx) => reverseTransfer(req, trx));
  if (!(await db('journal_entries').where({ id: req.entryId.toString() }).first('id'))) throw new NotFoundError(`no journal entry ${req.entryId}`);
  const original = await loadEntry(db, req.entryId);
  const parties = original.kind === 'p2p' ? await sendMoneyParties(db, original) : null;
  let smsQueued = 0;
  try {
    const reversal = await reverse(req.entryId, req.idempotencyKey, req.reason, {
      afterPost: async (trx, r) => {
        if (parties) smsQueued = await writeReversalNotices(trx, original, r, parties);
      },
    }, db);
    return { original, reversal, smsQueued };
  } catch (err) {
    if (err instanceof InsufficientFundsError) throw new FundsSpentError(err.accountId);
    throw err;
  }
}

async function sendMoneyParties(db: Db, original: TransferResult): Promise<Parties> {
  const find = async (msisdn: unknown) => (typeof msisdn === 'string' ? findCustomer(msisdn, db) : null);
  return { payer: await find(original.metadata.payer), recipient: await find(original.metadata.recipient) };
}

/**
 * The payer's and the recipient's notices. Amounts come from the reversal's own postings
 * (what each wallet really got back or gave back), not from the original's metadata.
 */
async function writeReversalNotices(trx: Knex.Transaction, original: TransferResult, r: TransferResult, p: Parties): Promise<number> {
  // Wallets are credit-normal: a credit (negative) is money in, as the owner reads it.
  const leg = (c: Customer) => r.postings.find((l) => l.accountId === c.walletAccountId);
  const common = { code: r.code, originalCode: original.code, at: r.createdAt };
  const notices = [];
  const payerLeg = p.payer && leg(p.payer);
  if (p.payer && payerLeg) {
    const refunded = -payerLeg.amount;
    notices.push({
      msisdn: p.payer.msisdn, kind: 'receipt' as const, journalEntryId: r.entryId, dedupeKey: `reversal:${r.code}:payer`,
      message: sms(p.payer.language).reversalRefunded({
        ...common, amount: refunded, charge: refunded - original.amount, balance: -payerLeg.balanceAfter,
        counterparty: p.recipient ? displayName(p.recipient) : '', counterpartyMsisdn: nationalFormat(String(original.metadata.recipient)),
      }),
    });
  }
  const recipientLeg = p.recipient && leg(p.recipient);
  if (p.recipient && recipientLeg) {
    notices.push({
      msisdn: p.recipient.msisdn, kind: 'receipt' as const, journalEntryId: r.entryId, dedupeKey: `reversal:${r.code}:payee`,
      message: sms(p.recipient.language).reversalTakenBack({
        ...common, amount: recipientLeg.amount, balance: -recipientLeg.balanceAfter,
        counterparty: p.payer ? displayName(p.payer) : '', counterpartyMsisdn: nationalFormat(String(original.metadata.payer)),
      }),
    });
  }
  return (await enqueueSms(trx, notices)).length;
}
