/**
 * Quiet hours for scheduled SMS (invoices, reminders): none is sent between 21:00 and 07:00
 * in Africa/Nairobi (DESIGN.md: days and hours are Nairobi's). Receipts and security
 * notices are not scheduled SMS: they go at once, day or night.
 */

/** The first hour of quiet (21:00) and the hour it ends (07:00), Africa/Nairobi. */
export const QUIET_FROM_HOUR = 21;
export const QUIET_UNTIL_HOUR = 7;
const ZONE = 'Africa/Nairobi';

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

/** `at` as wall-clock fields in Nairobi. */
function nairobi(at: Date): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const f = Object.fromEntries(parts.formatToParts(at).map((p) => [p.type, p.value]));
  return { y: Number(f.year), m: Number(f.month), d: Number(f.day), h: Number(f.hour), min: Number(f.minute), s: Number(f.second) };
}

/** True when `at` falls in quiet hours (21:00 to 06:59:59 in Nairobi). */
export function isQuietHour(at: Date): boolean {
  const { h } = nairobi(at);
  return h >= QUIET_FROM_HOUR || h < QUIET_UNTIL_HOUR;
}

/**
 * The earliest instant a scheduled SMS may go at or after `at`: `at` itself outside quiet
 * hours, else 07:00 Nairobi of the morning that ends them.
 */
export function nextSendableAt(at: Date): Date {
  if (!isQuietHour(at)) return at;
  const w = nairobi(at);
  // Nairobi's offset from UTC at `at` (whole minutes), from its wall clock.
  const offsetMs = Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s) - Math.floor(at.getTime() / 1000) * 1000;
  const dayAhead = w.h >= QUIET_FROM_HOUR ? 1 : 0;
  return new Date(Date.UTC(w.y, w.m - 1, w.d + dayAhead, QUIET_UNTIL_HOUR, 0, 0) - offsetMs);
}
