/**
 * The fault suite's report: one block per scenario on stdout saying what was injected and
 * what was counted (the figures issue 11's note quotes), and the settings the suite runs
 * Simu's processes with.
 */
import { tally, type SessionOutcome } from './phone.js';
import type { MoneyAudit, ReceiptAudit } from './verify.js';

/**
 * Shorter SMS claim and stuck windows than production's 2 and 5 minutes, so that a receipt
 * a killed worker held is sent again about a minute later instead of five. Still longer than
 * AT_SEND_TIMEOUT_MS (30 s), the bound of a live send, with 25 s left to record a send
 * through a database outage (SETTLE_PATIENCE_MS).
 */
export const FAST_RECLAIM: Record<string, string> = { SMS_CLAIM_EXPIRES_S: '60', SMS_STUCK_AFTER_S: '65' };

/** Prints one scenario's counts. */
export function report(
  scenario: string,
  outcomes: SessionOutcome[],
  money?: MoneyAudit,
  receipts?: ReceiptAudit,
  extra: Record<string, unknown> = {},
): void {
  const lines = [`    ⚑ ${scenario}`, `      sessions: ${outcomes.length} ${JSON.stringify(tally(outcomes))}`];
  const errors = new Map<string, number>();
  for (const o of outcomes) if (o.kind === 'lost' || o.kind === 'http') errors.set(o.kind === 'lost' ? o.error : `HTTP ${o.status}`, (errors.get(o.kind === 'lost' ? o.error : `HTTP ${o.status}`) ?? 0) + 1);
  if (errors.size) lines.push(`      no answer: ${JSON.stringify(Object.fromEntries([...errors].slice(0, 5)))}`);
  if (money) {
    lines.push(
      `      ledger: ${money.entries} send-money entries; ${money.confirmed} confirmed to users, ${money.unseenEntries} committed with the answer lost; ` +
        `missing ${money.confirmedMissing.length}, confirmed twice ${money.confirmedTwice.length}, sessions paid twice ${money.sessionsPaidTwice.length}`,
    );
  }
  if (receipts) {
    lines.push(
      `      receipts: ${receipts.rows} rows ${JSON.stringify(receipts.byStatus)}; never at AT ${receipts.neverReceived}; extra copies at AT ${receipts.extraCopies}; entries without receipts ${receipts.entriesWithoutReceipts}`,
    );
  }
  if (Object.keys(extra).length) lines.push(`      ${JSON.stringify(extra)}`);
  console.log(lines.join('\n'));
}
