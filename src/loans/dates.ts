/**
 * Calendar days for loans, written `YYYY-MM-DD`: due dates and "today" are days in
 * Africa/Nairobi (DESIGN.md, Money). Arithmetic is on the calendar (UTC midnight of the
 * day, so no daylight-saving or offset can shift a day).
 */

/** A loan's period unit. */
export type PeriodUnit = 'day' | 'week' | 'month';

const DAY = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const MS_PER_DAY = 86_400_000;

function parse(day: string): Date {
  const m = DAY.exec(day);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!d || d.getUTCDate() !== Number(m![3])) throw new RangeError(`not a calendar day: ${day}`);
  return d;
}

const text = (d: Date): string => d.toISOString().slice(0, 10);

/** Whether `day` is a real calendar day written `YYYY-MM-DD` (src/calendar). */
export { isCalendarDate as isDay } from '../calendar/index.js';

/** `now`'s calendar day in Africa/Nairobi, `YYYY-MM-DD` (src/calendar). */
export { nairobiDay } from '../calendar/index.js';

/** `day` plus `n` days. */
export function addDays(day: string, n: number): string {
  return text(new Date(parse(day).getTime() + n * MS_PER_DAY));
}

/** `day` plus `n` calendar months, clamped to the month's last day (Jan 31 + 1 = Feb 28 or 29). */
export function addMonths(day: string, n: number): string {
  const d = parse(day);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + n;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return text(new Date(Date.UTC(y, m, Math.min(d.getUTCDate(), last))));
}

/** `day` plus `n` periods of `length` units. Months are counted from `day` itself, so clamping never accumulates. */
export function addPeriods(day: string, unit: PeriodUnit, length: number, n: number): string {
  if (unit === 'month') return addMonths(day, length * n);
  return addDays(day, (unit === 'week' ? 7 : 1) * length * n);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((parse(to).getTime() - parse(from).getTime()) / MS_PER_DAY);
}
