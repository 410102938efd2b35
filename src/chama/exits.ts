/**
 * A member leaving a chama. The member (or an official for them) asks; two officials
 * approve (approvals.ts); the second approval pays the member's savings less the fines
 * they owe into their wallet (transfer key `chama:<id>:exit:<exitId>`): in the platform
 * book the group's savings → the wallet; in the chama's book the member's savings and
 * fines accounts are closed out to zero (the fines they owed stay with the group as paid).
 * Their membership ends and the rotation closes up. A member with a group loan not repaid,
 * a guarantee still held, or fines above their savings cannot leave yet. Amounts in cents.
 */
import { inTransaction, type Db, type Knex } from '../db/index.js';
import { displayBalance, getAccount, transfer } from '../ledger/index.js';
import { enqueueSms } from '../sms/index.js';
import { recordApproval, signerOf, type Signer } from './approvals.js';
import { getChama, type Chama } from './chamas.js';
import { ChamaInactiveError, ChamaStateError, NotAnOfficialError } from './errors.js';
import { exitPaidSms } from './messages-payouts.js';
import { getMember, isOfficial, membershipOf, membersOf, type Member } from './members.js';

/** A member's exit as it stands. */
export interface Exit {
  id: number;
  chamaId: number;
  memberId: number;
  status: 'pending' | 'paid' | 'cancelled';
  /** Set when paid: their savings, the fines taken from them, and what reached their wallet. */
  savings: bigint | null;
  fines: bigint | null;
  amount: bigint | null;
}

function toExit(r: Record<string, unknown>): Exit {
  const big = (v: unknown) => (v === null || v === undefined ? null : BigInt(v as string));
  return { id: r.id as number, chamaId: r.chama_id as number, memberId: r.member_id as number, status: r.status as Exit['status'], savings: big(r.savings), fines: big(r.fines), amount: big(r.amount) };
}

/** What leaving would pay member `member` now: their savings, less fines owed. */
export async function exitQuote(db: Db, member: Member): Promise<{ savings: bigint; fines: bigint; amount: bigint }> {
  const savings = displayBalance(await getAccount(db, member.savingsAccountId));
  const fines = displayBalance(await getAccount(db, member.finesAccountId));
  return { savings, fines, amount: savings - fines };
}

/** Refuses an exit that cannot be paid now. @throws ChamaStateError `loan_outstanding`, `guaranteeing`, `fines_exceed_savings` */
async function checkCanLeave(db: Db, member: Member): Promise<void> {
  const loan = await db('chama_loan_requests').join('loans', 'loans.id', 'chama_loan_requests.loan_id')
    .where({ 'chama_loan_requests.member_id': member.id }).whereIn('loans.status', ['active', 'overdue']).first('loans.id');
  if (loan) throw new ChamaStateError('loan_outstanding', 'repay your group loan first');
  const guarantee = await db('chama_guarantors').join('chama_loan_requests', 'chama_loan_requests.id', 'chama_guarantors.request_id')
    .leftJoin('loans', 'loans.id', 'chama_loan_requests.loan_id')
    .where({ 'chama_guarantors.member_id': member.id }).whereNot('chama_guarantors.status', 'declined')
    .where((q) => q.whereIn('chama_loan_requests.status', ['guarantors', 'treasurer']).orWhereIn('loans.status', ['active', 'overdue']))
    .first('chama_guarantors.request_id');
  if (guarantee) throw new ChamaStateError('guaranteeing', 'you guarantee a loan that is not repaid');
  const q = await exitQuote(db, member);
  if (q.amount < 0n) throw new ChamaStateError('fines_exceed_savings', 'pay your fines first');
}

/**
 * Asks for member `memberId` to leave: by the member themself or by an official of the
 * chama (`requester` is a customer id whose PIN the caller checked). Returns the pending
 * exit (the same one when asked twice).
 *
 * @throws NotAMemberError, NotAnOfficialError, ChamaInactiveError, ChamaStateError (see checkCanLeave)
 */
export async function requestExit(db: Db, req: { chamaId: number; memberId: number; requesterCustomerId: number }): Promise<Exit> {
  return inTransaction(db, async (trx) => {
    const chama = await getChama(trx, req.chamaId);
    if (chama.status !== 'active') throw new ChamaInactiveError(chama.id);
    const member = await getMember(trx, req.memberId, true);
    const requester = await membershipOf(trx, chama.id, req.requesterCustomerId);
    if (member.chamaId !== chama.id || member.status !== 'active') throw new ChamaStateError('not_active', 'not an active member');
    if (requester.id !== member.id && !isOfficial(requester.role)) throw new NotAnOfficialError('only the member or an official may ask');
    const pending = await trx('chama_exits').where({ member_id: member.id, status: 'pending' }).first();
    if (pending) return toExit(pending);
    await checkCanLeave(trx, member);
    const [row] = await trx('chama_exits').insert({ chama_id: chama.id, member_id: member.id }).returning('*');
    return toExit(row);
  });
}

/** The pending exits of chama `chamaId`, oldest first, with who is leaving. */
export async function pendingExits(db: Db, chamaId: number): Promise<{ exit: Exit; member: Member }[]> {
  const rows = await db('chama_exits').where({ chama_id: chamaId, status: 'pending' }).orderBy('id');
  const out: { exit: Exit; member: Member }[] = [];
  for (const r of rows) out.push({ exit: toExit(r), member: await getMember(db, r.member_id) });
  return out;
}

/**
 * An official approves exit `exitId`; the approval that completes the two signatures pays it.
 *
 * @throws WrongPinError, PinLockedError, NotAMemberError, NotAnOfficialError, ChamaStateError (`exit_not_pending`,
 *   `already_approved`, and those of checkCanLeave), ChamaInactiveError
 */
export async function approveExit(db: Db, req: { exitId: number; signer: Signer }): Promise<{ exit: Exit; complete: boolean }> {
  const signer = await signerOf(db, req.signer);
  return inTransaction(db, async (trx) => {
    const row = await trx('chama_exits').where({ id: req.exitId }).forUpdate().first();
    if (!row || row.status !== 'pending') throw new ChamaStateError('exit_not_pending', 'no such request to leave');
    const chama = await getChama(trx, row.chama_id);
    if (chama.status !== 'active') throw new ChamaInactiveError(chama.id);
    const member = await getMember(trx, row.member_id, true);
    const { complete } = await recordApproval(trx, chama.id, 'exit', row.id, signer, member);
    if (!complete) return { exit: toExit(row), complete: false };
    await checkCanLeave(trx, member);
    return { exit: await payExit(trx, chama, member, row.id), complete: true };
  });
}

async function payExit(trx: Knex.Transaction, chama: Chama, member: Member, exitId: number): Promise<Exit> {
  const { savings, fines, amount } = await exitQuote(trx, member);
  const wallet = (await trx('customers').where({ id: member.customerId }).first('wallet_account_id')).wallet_account_id as number;
  let entryId: bigint | null = null;
  let code: string | null = null;
  if (savings > 0n || fines > 0n) {
    const entry = await transfer({
      idempotencyKey: `chama:${chama.id}:exit:${exitId}`,
      kind: 'chama_exit',
      amount: savings,
      memo: `chama ${chama.code}: ${member.name} leaves`,
      metadata: { chamaId: chama.id, memberId: member.id, exitId },
      postings: [
        { accountId: chama.savingsAccountId, amount },
        { accountId: wallet, amount: -amount },
        { accountId: member.savingsAccountId, amount: savings },
        { accountId: member.finesAccountId, amount: -fines },
        { accountId: chama.finesCollectedAccountId, amount: fines },
        { accountId: chama.savingsHeldAccountId, amount: -savings },
      ].filter((p) => p.amount !== 0n),
    }, {}, trx);
    entryId = entry.entryId;
    code = entry.code;
  }
  const [row] = await trx('chama_exits').where({ id: exitId }).update({
    status: 'paid', savings: savings.toString(), fines: fines.toString(), amount: amount.toString(), journal_entry_id: entryId, paid_at: trx.fn.now(),
  }).returning('*');
  await trx('chama_members').where({ id: member.id }).update({ status: 'left', left_at: trx.fn.now() });
  await trx('chama_exits').where({ member_id: member.id, status: 'pending' }).update({ status: 'cancelled' });
  // A payout waiting for approvals to the leaver is void: the next approval picks from the queue again.
  await trx('chama_payouts').where({ recipient_member_id: member.id, status: 'pending' }).update({ status: 'cancelled' });
  await trx('chama_loan_requests').where({ member_id: member.id }).whereIn('status', ['guarantors', 'treasurer']).update({ status: 'declined', decided_at: trx.fn.now() });
  const others = await membersOf(trx, chama.id);
  await enqueueSms(trx, [member, ...others].map((m) => ({
    msisdn: m.msisdn, kind: 'receipt' as const, dedupeKey: `chama-exit:${exitId}:${m.id}`,
    message: exitPaidSms(m.language, { chama: chama.name, member: member.name, amount, code, toMember: m.id === member.id }),
  })));
  return toExit(row);
}
