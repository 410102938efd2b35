/**
 * The SMS outbox: an SMS that must not be lost is first a row here, written in the same
 * transaction as the event that causes it. The worker relays rows to bull and sends them.
 */
import type { Db } from '../db/index.js';
import { currentLogContext } from '../logger/index.js';

/** What kind of SMS: receipts, security notices, ... (for the person on call and reports). */
export type SmsKind = 'receipt' | 'pin_locked' | 'welcome' | 'pin_changed' | 'pin_reset_code' | 'notice';

/** An SMS to write to the outbox. */
export interface OutboxSms {
  /** E.164 MSISDN. */
  msisdn: string;
  /** The text, GSM-7 where possible (AT splits long texts into parts). */
  message: string;
  kind: SmsKind;
  /** When set, a second row with the same key is not written (e.g. `receipt:<code>:payer`). */
  dedupeKey?: string;
  journalEntryId?: bigint;
}

/**
 * Writes SMS rows to the outbox (pass the transaction of their cause). Rows whose
 * `dedupeKey` already exists are skipped. The USSD sessionId of the request being handled
 * (from the log context) is kept with each row, so the send is logged under it. Returns
 * the ids written.
 */
export async function enqueueSms(db: Db, messages: OutboxSms[]): Promise<bigint[]> {
  if (messages.length === 0) return [];
  const sessionId = currentLogContext()?.sessionId ?? null;
  const rows = await db('sms_outbox')
    .insert(
      messages.map((m) => ({
        msisdn: m.msisdn,
        message: m.message,
        kind: m.kind,
        dedupe_key: m.dedupeKey ?? null,
        journal_entry_id: m.journalEntryId ?? null,
        session_id: sessionId,
      })),
    )
    .onConflict('dedupe_key')
    .ignore()
    .returning('id');
  return rows.map((r) => r.id as bigint);
}
