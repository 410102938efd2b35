/**
 * Calendar days in Africa/Nairobi (DESIGN.md: days, months and "today" are Nairobi's), as
 * `YYYY-MM-DD` strings: due dates, reminders, loan schedules and seeds all count in them.
 */

const DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Africa/Nairobi', year: 'numeric', month: '2-digit', day: '2-digit' });

/** `now`'s calendar day in Africa/Nairobi, `YYYY-MM-DD`. */
export function nairobiDay(now: Date = new Date()): string {
  return DAY.format(now);
}

const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** Whether `text` is a real calendar day written `YYYY-MM-DD` (`2027-02-30` is not). */
export function isCalendarDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}
