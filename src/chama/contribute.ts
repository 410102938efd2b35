/**
 * Contributing to a chama from a Simu wallet: one journal entry moves the money in the
 * platform book (wallet debit; the chama's pot and savings credit) and records it in the
 * chama's book (the member's fines paid, the member's savings grown). Money pays fines
 * first, then the current cycle (oldest unpaid first), then ahead (dues.ts). The payer's
 * limits apply as for Send Money; no charge. Amounts in KES cents.
 */
import { inTransaction, type Db, type Knex } from '../db/index.js';
import { CustomerInactiveError, resolveCaller, type Customer } from '../customers/index.js';
import { ValidationError } from '../errors/index.js';
import { displayBalance, getAccount, IdempotencyConflictError, loadEntry, transfer, type PostingInput, type TransferResult } from '../ledger/index.js';
import { checkOutgoingLimits, checkPerTransaction, limitsInForce, loadLimits } from '../payments/index.js';
import { enqueueSms } from '../sms/index.js';
import { getChama, type Chama } from './chamas.js';
import { allocate, duesOf, type Allocation, type Dues } from './dues.js';
import { ChamaInactiveError, ContributionTooLargeError, NotAMemberError } from './errors.js';
import { contributionSms } from './messages.js';
import { getMember, membershipOf, type Member } from './members.js';

/** Who pays: by MSISDN with the PIN to check, or by customer id when the caller has checked the PIN already. */
export type ChamaPayer = { payerMsisdn: string; pin: string } | { customerId: number; pinVerified: true };

/** A contribution of `amount` cents to chama `chamaId`, keyed `ussd:<sessionId>:<n>` from USSD. */
export type Contribution = ChamaPayer & {
  chamaId: number;
  amount: bigint;
  idempotencyKey: string;
  /** The day it is paid, `YYYY-MM-DD` (Nairobi); defaults to today. Tests and imports set it. */
  today?: string;
};

/** The outcome of a contribution (cents). */
export interface ContributionReceipt {
  contributionId: bigint;
  code: string;
  chamaName: string;
  amount: bigint;
  allocation: Allocation;
  /** The member's dues after the payment. */
  dues: Dues;
  /** The member's savings in the group after. */
  saved: bigint;
  walletBalance: bigint;
  at: Date;
  replayed: boolean;
}

/**
 * What the Contribute screen offers: the member's dues today (`due`: fines, arrears and
 * this cycle; `max`: the most that may be paid now). Moves nothing.
 *
 * @throws ChamaNotFoundError, NotAMemberError
 */
export async function contributionQuote(db: Db, chamaId: number, customerId: number, today?: string): Promise<{ chama: Chama; member: Member; dues: Dues }> {
  const chama = await getChama(db, chamaId);
  const member = await membershipOf(db, chama.id, customerId);
  return { chama, member, dues: await duesOf(db, chama, member, today) };
}

/**
 * Pays `amount` cents into chama `chamaId` from the member's wallet in one transfer()
 * keyed `idempotencyKey` (kind `chama_contribution`), records how it was shared out and
 * writes the receipt SMS, all in one transaction. The member's row is locked first, so two
 * payments by one member share out in turn; two members paying at once both post. A replay
 * returns the first contribution and moves nothing.
 *
 * @throws WrongPinError, PinLockedError (a PIN given), CustomerNotFoundError, CustomerInactiveError, ChamaNotFoundError,
 *   ChamaInactiveError, NotAMemberError, ValidationError (amount not positive), ContributionTooLargeError,
 *   LimitExceededError, InsufficientFundsError, IdempotencyConflictError
 */
export async function contribute(db: Db, req: Contribution): Promise<ContributionReceipt> {
  if (typeof req.amount !== 'bigint' || req.amount <= 0n) throw new ValidationError('amount: positive cents', 'amount');
  const payer = await payerOf(db, req);
  const chama = await getChama(db, req.chamaId);
  const earlier = await db('chama_contributions').where({ idempotency_key: req.idempotencyKey }).first();
  if (earlier) return replayOf(db, earlier, req, payer, chama);
  if (chama.status !== 'active') throw new ChamaInactiveError(chama.id);
  const membership = await membershipOf(db, chama.id, payer.id);
  checkPerTransaction(await loadLimits(db, payer.id), req.amount);
  return inTransaction(db, async (trx) => {
    const limits = await limitsInForce(trx, payer.id, () => new CustomerInactiveError());
    const member = await getMember(trx, membership.id, true);
    if (member.status !== 'active') throw new NotAMemberError('you');
    const raced = await trx('chama_contributions').where({ idempotency_key: req.idempotencyKey }).first();
    if (raced) return replayOf(trx, raced, req, payer, chama);
    const dues = await duesOf(trx, chama, member, req.today);
    const allocation = allocate(chama, dues, req.amount);
    if (!allocation) throw new ContributionTooLargeError(dues.max);
    const entry = await transfer({
      idempotencyKey: req.idempotencyKey,
      kind: 'chama_contribution',
      amount: req.amount,
      postings: contributionPostings(chama, member, payer.walletAccountId, req.amount, allocation),
      memo: `chama ${chama.code} contribution`,
      metadata: { payer: payer.msisdn, chamaId: chama.id, memberId: member.id },
    }, { guard: (t) => checkOutgoingLimits(t, limits, payer.walletAccountId, req.amount) }, trx);
    if (entry.replayed) throw new IdempotencyConflictError(req.idempotencyKey);
    const [{ id }] = await trx('chama_contributions').insert({
      chama_id: chama.id, member_id: member.id, amount: req.amount.toString(), fines_paid: allocation.fines.toString(),
      idempotency_key: req.idempotencyKey, journal_entry_id: entry.entryId,
    }).returning('id');
    if (allocation.lines.length > 0) {
      await trx('chama_dues_paid').insert(allocation.lines.map((l) => ({
        contribution_id: id, chama_id: chama.id, member_id: member.id, cycle_no: l.cycleNo,
        merry_go_round: l.merryGoRound.toString(), savings: l.savings.toString(),
      })));
    }
    const out = await receipt(trx, BigInt(id), entry, chama, member, payer, req.amount, allocation, false, req.today);
    const last = allocation.lines.at(-1)?.cycleNo ?? null;
    await enqueueSms(trx, [{
      msisdn: payer.msisdn, kind: 'receipt', dedupeKey: `chama-contribution:${id}`,
      message: contributionSms(payer.language, {
        code: entry.code, chama: chama.name, amount: req.amount, fines: allocation.fines, cycleNo: last,
        stillDue: out.dues.due, saved: out.saved, balance: out.walletBalance,
      }),
    }]);
    return out;
  });
}

/** The postings of a contribution: platform book (wallet → pot and savings) and the chama's book (fines paid, member's savings). */
export function contributionPostings(chama: Chama, member: Member, walletAccountId: number, amount: bigint, a: Allocation): PostingInput[] {
  const mgr = a.lines.reduce((s, l) => s + l.merryGoRound, 0n);
  const saved = a.lines.reduce((s, l) => s + l.savings, 0n);
  return [
    { accountId: walletAccountId, amount },
    { accountId: chama.potAccountId, amount: -mgr },
    { accountId: chama.savingsAccountId, amount: -(saved + a.fines) },
    { accountId: chama.finesCollectedAccountId, amount: a.fines },
    { accountId: member.finesAccountId, amount: -a.fines },
    { accountId: chama.savingsHeldAccountId, amount: saved },
    { accountId: member.savingsAccountId, amount: -saved },
  ].filter((p) => p.amount !== 0n);
}

/** The payer, their PIN checked when given. */
function payerOf(db: Db, req: ChamaPayer): Promise<Customer> {
  return resolveCaller(db, 'pin' in req ? { msisdn: req.payerMsisdn, pin: req.pin } : req);
}

async function receipt(db: Db, id: bigint, entry: TransferResult, chama: Chama, member: Member, payer: Customer, amount: bigint, allocation: Allocation, replayed: boolean, today?: string): Promise<ContributionReceipt> {
  const wallet = entry.postings.find((p) => p.accountId === payer.walletAccountId)!;
  const savingsLeg = entry.postings.find((p) => p.accountId === member.savingsAccountId);
  const saved = savingsLeg ? -savingsLeg.balanceAfter : displayBalance(await getAccount(db, member.savingsAccountId));
  return {
    contributionId: id, code: entry.code, chamaName: chama.name, amount, allocation, dues: await duesOf(db, chama, member, today),
    saved, walletBalance: -wallet.balanceAfter, at: entry.createdAt, replayed,
  };
}

/** The first contribution under the key, as its receipt. @throws IdempotencyConflictError when this request is another one */
async function replayOf(db: Db | Knex.Transaction, row: Record<string, unknown>, req: Contribution, payer: Customer, chama: Chama): Promise<ContributionReceipt> {
  const member = await getMember(db, row.member_id as number);
  if (row.chama_id !== chama.id || member.customerId !== payer.id || BigInt(row.amount as string) !== req.amount) {
    throw new IdempotencyConflictError(req.idempotencyKey);
  }
  const lines = await db('chama_dues_paid').where({ contribution_id: row.id as string }).orderBy('cycle_no');
  const allocation: Allocation = {
    fines: BigInt(row.fines_paid as string),
    lines: lines.map((l) => ({ cycleNo: l.cycle_no as number, merryGoRound: BigInt(l.merry_go_round), savings: BigInt(l.savings) })),
  };
  return receipt(db, BigInt(row.id as string), await loadEntry(db, row.journal_entry_id as bigint), chama, member, payer, req.amount, allocation, true);
}

