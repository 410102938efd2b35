/**
 * The merry-go-round payout. Cycles are paid out in order: the next is the one after the
 * last paid (a cycle nothing was collected for has no payout), payable from its due day. Its recipient is the front of the rotation queue,
 * skipping a member in arrears for that cycle or before (skipped to the end of the queue,
 * unless officials override and pay them). The payout needs two officials' approvals
 * (approvals.ts); the second one pays it at once: every merry-go-round part collected for
 * that cycle or earlier and not yet paid out moves from the pot to the recipient's wallet
 * (transfer key `chama:<id>:payout:<cycle>`), the recipient goes to the back of the queue,
 * and every member gets an SMS. Amounts in KES cents; days `YYYY-MM-DD` (Nairobi).
 */
import { inTransaction, type Db, type Knex } from '../db/index.js';
import { nairobiDay } from '../calendar/index.js';
import { CustomerInactiveError } from '../customers/index.js';
import { transfer } from '../ledger/index.js';
import { checkMaxBalance, limitsInForce } from '../payments/index.js';
import { enqueueSms } from '../sms/index.js';
import { recordApproval, signedRoles, signerOf, requiredRoles, type Signer } from './approvals.js';
import { getChama, type Chama } from './chamas.js';
import { cycleOn, dueOn } from './cycles.js';
import { firstCycleOf, paidByCycle } from './dues.js';
import { ChamaInactiveError, ChamaStateError } from './errors.js';
import { getMember, membersOf, sendToBack, type ChamaRole, type Member } from './members.js';
import { payoutNoticeSms, payoutReceiptSms } from './messages-payouts.js';

/** The next payout as the officials see it. */
export interface NextPayout {
  cycleNo: number;
  dueOn: string;
  /** False until the cycle's due day. */
  payable: boolean;
  recipient: Member;
  /** The member at the front of the queue passed over for arrears (null: none). */
  skipped: Member | null;
  override: boolean;
  /** What the pot holds for this cycle and earlier, not yet paid out. */
  amount: bigint;
  /** The pending payout's id once an official has approved it (null before). */
  payoutId: number | null;
  needed: ChamaRole[];
  signed: ChamaRole[];
}

/** The outcome of an approval. */
export interface PayoutApproval {
  next: NextPayout;
  /** Set when this approval paid it. */
  paid: { amount: bigint; code: string } | null;
}

/**
 * The cycle the next payout is for: a pending payout's; else the cycle after the last one
 * paid out, moved on past cycles nothing was collected for (the oldest cycle with money in
 * the pot not yet paid out); with nothing in the pot, the cycle current on `today`.
 */
async function nextCycleNo(db: Db, chama: Chama, today: string): Promise<number> {
  const pending = await db('chama_payouts').where({ chama_id: chama.id, status: 'pending' }).min('cycle_no as n').first() as { n: number | null };
  if (pending.n !== null) return pending.n;
  const paid = await db('chama_payouts').where({ chama_id: chama.id, status: 'paid' }).max('cycle_no as n').first() as { n: number | null };
  const after = (paid.n ?? 0) + 1;
  const unpaid = await db('chama_dues_paid').where({ chama_id: chama.id }).whereNull('payout_id').where('merry_go_round', '>', 0)
    .min('cycle_no as n').first() as { n: number | null };
  return Math.max(after, unpaid.n ?? cycleOn(chama, today));
}

/** Whether `member` owes any contribution for cycle `cycleNo` or before. */
async function inArrears(db: Db, chama: Chama, member: Member, cycleNo: number): Promise<boolean> {
  const paid = await paidByCycle(db, member.id);
  for (let n = firstCycleOf(chama, member); n <= cycleNo; n++) {
    const p = paid.get(n);
    if (!p || p.merryGoRound + p.savings < chama.contribution) return true;
  }
  return false;
}

/** What the pot holds for cycles up to `cycleNo` not yet paid out (cents). */
export async function potFor(db: Db, chamaId: number, cycleNo: number): Promise<bigint> {
  const row = await db('chama_dues_paid').where({ chama_id: chamaId }).where('cycle_no', '<=', cycleNo).whereNull('payout_id')
    .sum('merry_go_round as sum').first() as { sum: string | null };
  return BigInt(row.sum ?? 0);
}

/**
 * The next payout of chama `chamaId` on `today`: its cycle, recipient (from a pending
 * payout, else the queue) and what it would pay. Null when the chama has no members.
 *
 * @throws ChamaNotFoundError
 */
export async function nextPayout(db: Db, chamaId: number, today = nairobiDay()): Promise<NextPayout | null> {
  const chama = await getChama(db, chamaId);
  const cycleNo = await nextCycleNo(db, chama, today);
  const pending = await db('chama_payouts').where({ chama_id: chama.id, cycle_no: cycleNo, status: 'pending' }).first();
  let recipient: Member;
  let skipped: Member | null = null;
  if (pending) {
    recipient = await getMember(db, pending.recipient_member_id);
    skipped = pending.skipped_member_id ? await getMember(db, pending.skipped_member_id) : null;
  } else {
    const queue = await membersOf(db, chama.id);
    if (queue.length === 0) return null;
    recipient = queue[0];
    // Before the cycle's due day its own contribution is not late yet: only earlier cycles count.
    const upTo = dueOn(chama, cycleNo) <= today ? cycleNo : cycleNo - 1;
    for (const m of queue) {
      if (!(await inArrears(db, chama, m, upTo))) { recipient = m; break; }
    }
    if (recipient.id !== queue[0].id) skipped = queue[0];
  }
  const due = dueOn(chama, cycleNo);
  return {
    cycleNo, dueOn: due, payable: due <= today, recipient, skipped, override: Boolean(pending?.override),
    amount: await potFor(db, chama.id, cycleNo), payoutId: pending?.id ?? null,
    needed: requiredRoles('payout', recipient.role), signed: pending ? await signedRoles(db, 'payout', pending.id) : [],
  };
}

/**
 * An official approves the next payout of cycle `cycleNo` (the cycle the screen showed; a
 * payout that moved on meanwhile is refused). The first approval fixes the recipient; the
 * approval that completes the required signatures pays it. With `override`, the member the
 * queue skipped for arrears is paid instead (the pending payout, if any, is cancelled and
 * its approvals with it).
 *
 * @throws WrongPinError, PinLockedError, ChamaNotFoundError, ChamaInactiveError, NotAMemberError, NotAnOfficialError,
 *   ChamaStateError (`payout_changed`, `not_due`, `nothing_to_pay`, `already_approved`, `nothing_to_override`),
 *   LimitExceededError (the recipient's wallet would pass its maximum balance)
 */
export async function approvePayout(db: Db, req: { chamaId: number; cycleNo: number; signer: Signer; override?: boolean; today?: string }): Promise<PayoutApproval> {
  const signer = await signerOf(db, req.signer);
  const today = req.today ?? nairobiDay();
  return inTransaction(db, async (trx) => {
    await trx('chamas').where({ id: req.chamaId }).forUpdate().first('id');
    const chama = await getChama(trx, req.chamaId);
    if (chama.status !== 'active') throw new ChamaInactiveError(chama.id);
    let next = await nextPayout(trx, chama.id, today);
    if (!next || next.cycleNo !== req.cycleNo) throw new ChamaStateError('payout_changed', 'the payout has changed: look again');
    if (!next.payable) throw new ChamaStateError('not_due', `cycle ${next.cycleNo} is due on ${next.dueOn}`);
    if (next.amount <= 0n) throw new ChamaStateError('nothing_to_pay', 'nothing has been collected for this payout');
    if (req.override) {
      if (!next.skipped) throw new ChamaStateError('nothing_to_override', 'no member was skipped');
      if (next.payoutId) await trx('chama_payouts').where({ id: next.payoutId }).update({ status: 'cancelled' });
      const [{ id }] = await trx('chama_payouts').insert({ chama_id: chama.id, cycle_no: next.cycleNo, recipient_member_id: next.skipped.id, override: true }).returning('id');
      next = { ...next, recipient: next.skipped, skipped: null, override: true, payoutId: id, needed: requiredRoles('payout', next.skipped.role), signed: [] };
    } else if (!next.payoutId) {
      const [{ id }] = await trx('chama_payouts').insert({
        chama_id: chama.id, cycle_no: next.cycleNo, recipient_member_id: next.recipient.id, skipped_member_id: next.skipped?.id ?? null,
      }).returning('id');
      next = { ...next, payoutId: id };
    }
    const { complete, signed } = await recordApproval(trx, chama.id, 'payout', next.payoutId!, signer, next.recipient);
    next = { ...next, signed };
    if (!complete) return { next, paid: null };
    return { next, paid: await pay(trx, chama, next) };
  });
}

async function pay(trx: Knex.Transaction, chama: Chama, next: NextPayout): Promise<{ amount: bigint; code: string }> {
  const recipient = next.recipient;
  const wallet = (await trx('customers').where({ id: recipient.customerId }).first('wallet_account_id')).wallet_account_id as number;
  const limits = await limitsInForce(trx, recipient.customerId, () => new CustomerInactiveError());
  const entry = await transfer({
    idempotencyKey: `chama:${chama.id}:payout:${next.cycleNo}`,
    kind: 'chama_payout',
    amount: next.amount,
    memo: `chama ${chama.code} merry-go-round, cycle ${next.cycleNo}`,
    metadata: { chamaId: chama.id, cycleNo: next.cycleNo, memberId: recipient.id, payoutId: next.payoutId },
    postings: [{ accountId: chama.potAccountId, amount: next.amount }, { accountId: wallet, amount: -next.amount }],
  }, { guard: async (_t, state) => checkMaxBalance(limits, -state.balancesAfter.get(wallet)!) }, trx);
  await trx('chama_dues_paid').where({ chama_id: chama.id }).where('cycle_no', '<=', next.cycleNo).whereNull('payout_id').update({ payout_id: next.payoutId });
  await trx('chama_payouts').where({ id: next.payoutId }).update({ status: 'paid', amount: next.amount.toString(), journal_entry_id: entry.entryId, paid_at: trx.fn.now() });
  await sendToBack(trx, chama.id, recipient.id);
  if (next.skipped && !next.override) await sendToBack(trx, chama.id, next.skipped.id);
  const balance = -entry.postings.find((p) => p.accountId === wallet)!.balanceAfter;
  const following = await nextPayout(trx, chama.id);
  const messages = (await membersOf(trx, chama.id)).map((m) => ({
    msisdn: m.msisdn, kind: 'receipt' as const, dedupeKey: `chama-payout:${next.payoutId}:${m.id}`,
    message: m.id === recipient.id
      ? payoutReceiptSms(m.language, { code: entry.code, chama: chama.name, amount: next.amount, cycleNo: next.cycleNo, balance })
      : payoutNoticeSms(m.language, { chama: chama.name, amount: next.amount, cycleNo: next.cycleNo, recipient: recipient.name, next: following?.recipient.name ?? null, nextDue: following?.dueOn ?? null }),
  }));
  await enqueueSms(trx, messages);
  return { amount: next.amount, code: entry.code };
}
