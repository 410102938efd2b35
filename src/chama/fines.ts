/**
 * Fines: the day after a cycle's grace, every active member who has not paid that cycle in
 * full is fined the chama's fine, once (unique per member and cycle; transfer key
 * `chama:<id>:fine:<memberId>:<cycle>`). A fine is an entry in the chama's book only
 * (the member's fines receivable debited, fines levied credited): no money moves until the
 * member pays it, and then it goes to the group's savings (contribute.ts).
 */
import { inTransaction, type Db } from '../db/index.js';
import { config } from '../config/index.js';
import { nairobiDay } from '../calendar/index.js';
import { displayBalance, getAccount, transfer } from '../ledger/index.js';
import { addDays } from '../loans/index.js';
import { enqueueSms } from '../sms/index.js';
import { getChama, type Chama } from './chamas.js';
import { cycleOn, dueOn, fineOn } from './cycles.js';
import { firstCycleOf, paidByCycle } from './dues.js';
import { fineSms } from './messages.js';
import { getMember, membersOf } from './members.js';

/** How far back a run looks for cycles to fine (so a missed day is caught up, and old cycles are not rescanned). */
export const FINE_LOOKBACK_DAYS = 31;

/** A fine posted by a run. */
export interface PostedFine {
  chamaId: number;
  memberId: number;
  cycleNo: number;
  amount: bigint;
  code: string;
}

/** The cycles of `chama` whose fine day falls within FINE_LOOKBACK_DAYS up to `today`. */
export function cyclesToFine(chama: Chama, today: string): number[] {
  const out: number[] = [];
  const earliest = addDays(today, -FINE_LOOKBACK_DAYS);
  for (let n = cycleOn(chama, today); n >= 1; n--) {
    const day = fineOn(chama, n);
    if (day > today) continue;
    if (day < earliest) break;
    out.push(n);
  }
  return out.reverse();
}

/**
 * Posts the fines of chama `chamaId` due by `today` (default: today in Nairobi) and writes
 * each fined member's notice SMS in the same transaction as their fine. Safe to run any
 * number of times. A suspended chama, or one with no fine, posts nothing.
 *
 * @throws ChamaNotFoundError
 */
export async function postFines(db: Db, chamaId: number, today = nairobiDay()): Promise<PostedFine[]> {
  const chama = await getChama(db, chamaId);
  if (chama.status !== 'active' || chama.fine <= 0n) return [];
  const posted: PostedFine[] = [];
  for (const cycleNo of cyclesToFine(chama, today)) {
    for (const m of await membersOf(db, chama.id)) {
      if (firstCycleOf(chama, m) > cycleNo) continue;
      const fine = await fineMember(db, chama, m.id, cycleNo);
      if (fine) posted.push(fine);
    }
  }
  return posted;
}

async function fineMember(db: Db, chama: Chama, memberId: number, cycleNo: number): Promise<PostedFine | null> {
  return inTransaction(db, async (trx) => {
    const member = await getMember(trx, memberId, true);
    if (member.status !== 'active') return null;
    if (await trx('chama_fines').where({ chama_id: chama.id, member_id: member.id, cycle_no: cycleNo }).first('id')) return null;
    const p = (await paidByCycle(trx, member.id)).get(cycleNo);
    if (p && p.merryGoRound + p.savings >= chama.contribution) return null;
    const entry = await transfer({
      idempotencyKey: `chama:${chama.id}:fine:${member.id}:${cycleNo}`,
      kind: 'chama_fine',
      amount: chama.fine,
      memo: `chama ${chama.code} fine, cycle ${cycleNo}`,
      metadata: { chamaId: chama.id, memberId: member.id, cycleNo },
      postings: [{ accountId: member.finesAccountId, amount: chama.fine }, { accountId: chama.finesLeviedAccountId, amount: -chama.fine }],
    }, {}, trx);
    await trx('chama_fines').insert({ chama_id: chama.id, member_id: member.id, cycle_no: cycleNo, amount: chama.fine.toString(), journal_entry_id: entry.entryId });
    const finesOwed = displayBalance(await getAccount(trx, member.finesAccountId));
    await enqueueSms(trx, [{
      msisdn: member.msisdn, kind: 'notice', dedupeKey: `chama-fine:${chama.id}:${member.id}:${cycleNo}`,
      message: fineSms(member.language, { chama: chama.name, amount: chama.fine, cycleNo, dueOn: dueOn(chama, cycleNo), finesOwed, serviceCode: config.ussdServiceCode }),
    }]);
    return { chamaId: chama.id, memberId: member.id, cycleNo, amount: chama.fine, code: entry.code };
  });
}
