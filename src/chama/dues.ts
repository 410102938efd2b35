/**
 * What a member owes and has paid, cycle by cycle, and how a contribution is shared out:
 * fines first, then the oldest unpaid cycle up to the current one, then cycles ahead (at
 * most MAX_CYCLES_AHEAD). Within a cycle the merry-go-round part is filled before the
 * savings part, so the cycle's recipient is paid in full first. Amounts in KES cents.
 */
import type { Db } from '../db/index.js';
import { displayBalance, getAccount } from '../ledger/index.js';
import { nairobiDay } from '../calendar/index.js';
import type { Chama } from './chamas.js';
import { cycleOn, MAX_CYCLES_AHEAD } from './cycles.js';
import type { Member } from './members.js';

/** What a member has paid toward one cycle. */
export interface CyclePaid {
  merryGoRound: bigint;
  savings: bigint;
}

/** One line of an allocation: what goes to cycle `cycleNo`. */
export interface DuesLine {
  cycleNo: number;
  merryGoRound: bigint;
  savings: bigint;
}

/** How a contribution is shared out. */
export interface Allocation {
  fines: bigint;
  lines: DuesLine[];
}

/** A member's dues on a day (cents). */
export interface Dues {
  /** The cycle current on the day, and the member's first cycle (the one current when they joined). */
  cycleNo: number;
  firstCycle: number;
  /** Unpaid contributions of cycles before the current one. */
  arrears: bigint;
  /** What the current cycle still needs, and what was paid toward it. */
  currentDue: bigint;
  paidThisCycle: bigint;
  /** Paid toward cycles after the current one. */
  ahead: bigint;
  /** Fines owed (the member's fines account). */
  fines: bigint;
  /** fines + arrears + currentDue. */
  due: bigint;
  /** The most that may be paid now: `due` plus MAX_CYCLES_AHEAD cycles ahead, less what is paid ahead. */
  max: bigint;
  paid: Map<number, CyclePaid>;
}

/** What member `memberId` has paid per cycle (merry-go-round and savings parts). */
export async function paidByCycle(db: Db, memberId: number): Promise<Map<number, CyclePaid>> {
  const rows = await db('chama_dues_paid').where({ member_id: memberId }).groupBy('cycle_no')
    .select('cycle_no', db.raw('sum(merry_go_round)::bigint AS mgr'), db.raw('sum(savings)::bigint AS sav'));
  return new Map(rows.map((r) => [r.cycle_no as number, { merryGoRound: BigInt(r.mgr), savings: BigInt(r.sav) }]));
}

/** The cycle a member's dues start at: the one current on the day they joined. */
export function firstCycleOf(chama: Chama, member: Pick<Member, 'joinedAt'>): number {
  return cycleOn(chama, nairobiDay(member.joinedAt));
}

/** A member's dues on `day` (default today in Nairobi), read from their payments and their fines account. */
export async function duesOf(db: Db, chama: Chama, member: Member, day = nairobiDay()): Promise<Dues> {
  const paid = await paidByCycle(db, member.id);
  const fines = displayBalance(await getAccount(db, member.finesAccountId));
  return duesFrom(chama, firstCycleOf(chama, member), cycleOn(chama, day), paid, fines);
}

/** Pure: dues from what was paid per cycle and the fines owed. */
export function duesFrom(chama: Chama, firstCycle: number, cycleNo: number, paid: Map<number, CyclePaid>, fines: bigint): Dues {
  const paidOn = (n: number) => { const p = paid.get(n); return p ? p.merryGoRound + p.savings : 0n; };
  const owed = (n: number) => { const left = chama.contribution - paidOn(n); return left > 0n ? left : 0n; };
  let arrears = 0n;
  for (let n = firstCycle; n < cycleNo; n++) arrears += owed(n);
  const current = Math.max(cycleNo, firstCycle);
  const currentDue = owed(current);
  let ahead = 0n;
  let room = 0n;
  for (let n = current + 1; n <= current + MAX_CYCLES_AHEAD; n++) { ahead += paidOn(n); room += owed(n); }
  const due = fines + arrears + currentDue;
  return { cycleNo, firstCycle, arrears, currentDue, paidThisCycle: paidOn(current), ahead, fines, due, max: due + room, paid };
}

/**
 * Shares `amount` cents out over `dues` (pure): fines, then cycles from the member's first
 * to the current, then ahead. Returns null when `amount` is more than `dues.max`.
 */
export function allocate(chama: Chama, dues: Dues, amount: bigint): Allocation | null {
  if (amount > dues.max) return null;
  const fines = amount < dues.fines ? amount : dues.fines;
  let left = amount - fines;
  const lines: DuesLine[] = [];
  const last = Math.max(dues.cycleNo, dues.firstCycle) + MAX_CYCLES_AHEAD;
  for (let n = dues.firstCycle; n <= last && left > 0n; n++) {
    const p = dues.paid.get(n) ?? { merryGoRound: 0n, savings: 0n };
    const mgrRoom = chama.merryGoRound - p.merryGoRound > 0n ? chama.merryGoRound - p.merryGoRound : 0n;
    const owed = chama.contribution - p.merryGoRound - p.savings;
    if (owed <= 0n) continue;
    const take = left < owed ? left : owed;
    const merryGoRound = take < mgrRoom ? take : mgrRoom;
    lines.push({ cycleNo: n, merryGoRound, savings: take - merryGoRound });
    left -= take;
  }
  return left === 0n ? { fines, lines } : null;
}
