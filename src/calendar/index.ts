/**
 * Calendar days in Africa/Nairobi (DESIGN.md: days, months and "today" are Nairobi's), as
 * `YYYY-MM-DD` strings: due dates, reminders, loan schedules and seeds all count in them.
 */

const DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Africa/Nairobi', year: 'numeric', month: '2-digit', day: '2-digit' });

/** `now`'s calendar day in Africa/Nairobi, `YYYY-MM-DD`. */
export function nairobiDay(now: Date = new Date()): string {
  return DAY.format(now);
}
