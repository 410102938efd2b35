/**
 * A chama's cycles. Cycle n is due on `firstDueOn` + (n−1) weeks or months (a monthly
 * due day is the 1st-28th, so it never clamps); the cycle current on a day is the first one
 * due on or after it. A cycle not fully paid by the end of its grace (due day +
 * `fineGraceDays`) is fined the day after. All days are `YYYY-MM-DD` in Africa/Nairobi.
 */
import { addDays, addPeriods, daysBetween } from '../loans/index.js';
import type { Chama } from './chamas.js';

/** The day cycle `n` (1-based) of `chama` is due. */
export function dueOn(chama: Pick<Chama, 'firstDueOn' | 'frequency'>, n: number): string {
  return addPeriods(chama.firstDueOn, chama.frequency === 'weekly' ? 'week' : 'month', 1, n - 1);
}

/** The cycle current on `day`: the first cycle due on or after it (cycle 1 before the first due day). */
export function cycleOn(chama: Pick<Chama, 'firstDueOn' | 'frequency'>, day: string): number {
  const days = daysBetween(chama.firstDueOn, day);
  if (days <= 0) return 1;
  // An estimate from below, then step: months vary in length.
  let n = Math.max(1, Math.floor(days / (chama.frequency === 'weekly' ? 7 : 31)));
  while (dueOn(chama, n) < day) n++;
  while (n > 1 && dueOn(chama, n - 1) >= day) n--;
  return n;
}

/** The day members who have not paid cycle `n` in full are fined: the day after its grace. */
export function fineOn(chama: Pick<Chama, 'firstDueOn' | 'frequency' | 'fineGraceDays'>, n: number): string {
  return addDays(dueOn(chama, n), chama.fineGraceDays + 1);
}

/** How many cycles a member may pay ahead of the current one. */
export const MAX_CYCLES_AHEAD = 12;
