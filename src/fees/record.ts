/**
 * Recording a fee payment that arrived from outside Simu's wallets: M-Pesa C2B or STK, or
 * a bank webhook. Its `reference` (the bill reference, an admission number as typed) names
 * the student; the amount then comes off their receivable in the school's book. Money paid
 * into the school's own paybill or bank account is the school's already, so only the
 * school's book moves; money that landed in Simu's own paybill (`platformLeg`) also moves,
 * in the same entry, from that clearing account to the school's settlement account. A
 * payment that names no student is kept `unmatched` for the bursar (allocate.ts); its
 * platform money still reaches the school's settlement account, so it is never lost.
 */
import { inTransaction, type Db } from '../db/index.js';
import { ValidationError } from '../errors/index.js';
import { getAccountByCode, IdempotencyConflictError, transfer, type PostingInput } from '../ledger/index.js';
import { normalizeMsisdn } from '../phone/index.js';
import { platformLeg, schoolLeg } from './legs.js';
import { enqueueFeeReceipts } from './notify.js';
import { claimPayment, findSchoolPaymentByKey, type PaymentChannel, type PaymentStatus, type SchoolPayment } from './payments.js';
import { getSchool } from './schools.js';
import { findStudent } from './students.js';

/** A payment from outside, as a rail's handler hands it over. */
export interface SchoolPaymentRequest {
  schoolId: number;
  /** What the payer gave as the account (Daraja BillRefNumber, the bank's reference), as received. */
  reference: string;
  /** KES cents, > 0. */
  amount: bigint;
  /** From the source: `mpesa:<receipt>`, `bank:<bank>:<transaction id>`. Also the ledger key. */
  idempotencyKey: string;
  channel: Exclude<PaymentChannel, 'wallet'>;
  /** The payer's number as the rail sent it; a masked or malformed one is kept as null (receipts go to the guardians). */
  payerMsisdn?: string | null;
  /** The rail's payload, kept with the payment. */
  raw?: Record<string, unknown>;
  /**
   * Set when the money landed in Simu's own account (an STK push or C2B to MPESA_SHORTCODE):
   * the platform clearing account it is in (`clearing:mpesa`), moved to the school's settlement.
   */
  platformLeg?: { fromAccount: string };
}

/** What recording a payment did (replays answer the first outcome). */
export interface RecordedSchoolPayment {
  /** posted: on the student; unmatched: waiting for the bursar; allocated: (a replay of a payment allocated since). */
  status: PaymentStatus;
  studentId?: number;
  paymentId: bigint;
  /** The transaction code of the entry that received it; none for an unmatched payment into the school's own account. */
  entryCode?: string;
  /** True when the key was recorded before: nothing moved this time. */
  replayed: boolean;
}

/**
 * Records a fee payment once, by `idempotencyKey`: on the matching student (school book:
 * collections debit, receivable credit; with `platformLeg` also clearing debit, settlement
 * credit; one entry, kind `fees_payment`) with the receipt SMS to the guardians and the
 * payer; or as unmatched (with `platformLeg`: one platform-only entry, kind
 * `fees_unmatched`; without: nothing moves). Pass a transaction as `db` to compose. A replay
 * (also concurrent) returns the first outcome and moves nothing.
 *
 * @throws ValidationError amount not positive, key not 1-200 characters, reference empty or over 100 characters, a platformLeg account that is not a platform clearing account
 * @throws SchoolNotFoundError (a suspended school's payments are still recorded: the money has arrived)
 * @throws IdempotencyConflictError the key was recorded before for another school or amount (or used by another kind of entry)
 */
export async function recordSchoolPayment(db: Db, req: SchoolPaymentRequest): Promise<RecordedSchoolPayment> {
  if (typeof req.amount !== 'bigint' || req.amount <= 0n) throw new ValidationError('amount: positive cents', 'amount');
  if (!req.idempotencyKey || req.idempotencyKey.length > 200) throw new ValidationError('idempotencyKey: 1-200 characters', 'idempotencyKey');
  const reference = req.reference.trim();
  if (!reference || reference.length > 100) throw new ValidationError('reference: 1-100 characters', 'reference');
  const school = await getSchool(db, req.schoolId);
  const earlier = await findSchoolPaymentByKey(db, req.idempotencyKey);
  if (earlier) return replayOf(earlier, req);
  const from = req.platformLeg ? await clearingAccount(db, req.platformLeg.fromAccount) : null;
  const student = await findStudent(db, school.id, reference);
  const payerMsisdn = req.payerMsisdn ? normalizeMsisdn(req.payerMsisdn) : null;
  return inTransaction(db, async (trx) => {
    const paymentId = await claimPayment(trx, {
      schoolId: school.id, studentId: student?.id ?? null, channel: req.channel, idempotencyKey: req.idempotencyKey, amount: req.amount,
      payerMsisdn, reference, status: student ? 'posted' : 'unmatched', raw: req.raw ?? {},
    });
    if (paymentId === null) return replayOf((await findSchoolPaymentByKey(trx, req.idempotencyKey))!, req);
    const postings: PostingInput[] = [...(from ? platformLeg(school, from, req.amount) : []), ...(student ? schoolLeg(school, student, req.amount) : [])];
    if (postings.length === 0) return { status: 'unmatched', paymentId, replayed: false };
    const entry = await transfer(
      {
        idempotencyKey: req.idempotencyKey,
        kind: student ? 'fees_payment' : 'fees_unmatched',
        amount: req.amount,
        postings,
        memo: `${req.channel} school fees ${reference}${student ? '' : ' (unmatched)'}`,
        metadata: { schoolId: school.id, studentId: student?.id ?? null, channel: req.channel, reference, paymentId: String(paymentId) },
      },
      { afterPost: async (t, r) => { if (student) await enqueueFeeReceipts(t, { school, student, amount: req.amount, entry: r, payerMsisdn }); } },
      trx,
    );
    // The payment row claimed the key in this transaction, so the ledger key cannot have
    // been claimed by a twin: a replay here means another kind of entry used the key first.
    if (entry.replayed) throw new IdempotencyConflictError(req.idempotencyKey);
    await trx('school_payments').where({ id: String(paymentId) }).update({ journal_entry_id: entry.entryId });
    return { status: student ? 'posted' : 'unmatched', studentId: student?.id, paymentId, entryCode: entry.code, replayed: false };
  });
}

/** The platform clearing account `code` (`clearing:mpesa`). @throws ValidationError for any other account */
async function clearingAccount(db: Db, code: string): Promise<number> {
  const account = await getAccountByCode(db, code).catch(() => null);
  if (!account || account.book !== 'platform' || !code.startsWith('clearing:')) {
    throw new ValidationError(`platformLeg.fromAccount: ${code} is not a platform clearing account`, 'platformLeg');
  }
  return account.id;
}

/**
 * The first outcome of a key. The channel may differ: an STK callback and the C2B
 * confirmation of the same M-Pesa receipt are one payment under one key (DESIGN.md).
 *
 * @throws IdempotencyConflictError when this request is for another school or amount
 */
function replayOf(p: SchoolPayment, req: SchoolPaymentRequest): RecordedSchoolPayment {
  if (p.schoolId !== req.schoolId || p.amount !== req.amount) throw new IdempotencyConflictError(req.idempotencyKey);
  return { status: p.status, studentId: p.studentId ?? undefined, paymentId: p.id, entryCode: p.entryCode ?? undefined, replayed: true };
}
