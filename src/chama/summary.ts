/**
 * A chama's money at a glance (the USSD Group balance screen): what the group's savings,
 * payout pot and loans-out accounts hold, and what has been collected toward the current
 * cycle of what every active member owes for it. Reads only. Amounts in KES cents.
 */
import type { Db } from '../db/index.js';
import { nairobiDay } from '../calendar/index.js';
import { displayBalance, getAccount } from '../ledger/index.js';
import type { Chama } from './chamas.js';
import { cycleOn } from './cycles.js';

/** The group's balances and the current cycle's collection (cents). */
export interface GroupSummary {
  savings: bigint;
  pot: bigint;
  loansOut: bigint;
  cycleNo: number;
  /** Paid toward cycle `cycleNo` (merry-go-round and savings parts), by any member. */
  collected: bigint;
  /** The contribution times the active members. */
  expected: bigint;
}

/** Chama `chama`'s balances and the collection of the cycle current on `today` (Nairobi). */
export async function groupSummary(db: Db, chama: Chama, today = nairobiDay()): Promise<GroupSummary> {
  const cycleNo = cycleOn(chama, today);
  const paid = await db('chama_dues_paid').where({ chama_id: chama.id, cycle_no: cycleNo })
    .first(db.raw('coalesce(sum(merry_go_round + savings), 0)::bigint AS sum')) as { sum: string | bigint };
  const members = await db('chama_members').where({ chama_id: chama.id, status: 'active' }).count('id as n').first() as { n: string | number };
  return {
    savings: displayBalance(await getAccount(db, chama.savingsAccountId)),
    pot: displayBalance(await getAccount(db, chama.potAccountId)),
    loansOut: displayBalance(await getAccount(db, chama.loansAccountId)),
    cycleNo,
    collected: BigInt(paid.sum),
    expected: chama.contribution * BigInt(members.n),
  };
}
