/**
 * The SMS outbox: an SMS that must not be lost is first a row here, written in the same
 * transaction as the event that causes it. The worker relays rows to bull and sends them.
 */
import type { Db } from '../db/index.js';
import { currentLogContext } from '../logger/index.js';
import { nextSendableAt } from './quiet-hours.js';
import { sealSecret } from './secret.js';

/**
 * What kind of SMS: receipts, security notices, ... (for the person on call and reports).
 * `invoice`, `reminder` and `bulk` (an operator's send to a segment) are scheduled SMS: they
 * respect opt-outs and quiet hours. `reply` answers an SMS command.
 */
export type SmsKind = 'receipt' | 'pin_locked' | 'welcome' | 'pin_changed' | 'pin_reset_code' | 'notice' | 'invoice' | 'reminder' | 'reply' | 'bulk';

/** The kinds an opted-out number does not get and that wait out quiet hours. */
export const SCHEDULED_KINDS: ReadonlySet<SmsKind> = new Set<SmsKind>(['invoice', 'reminder', 'bulk']);

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
  /**
   * The sender it carries when not Simu's own `AT_SENDER_ID` (a school's name, at most 11
   * letters, digits or spaces). If AT refuses it (InvalidSenderId: not approved for this
   * account), the SMS goes again under Simu's sender rather than not at all.
   */
  senderId?: string;
  /**
   * A secret the text carries (a one-time code, an initial PIN): `message` then holds
   * `{secret}` where it goes, and the row stores it only sealed (./secret.ts).
   */
  secret?: string;
}

/** Options of `enqueueSms`. */
export interface EnqueueOptions {
  /** The clock scheduled kinds are held against (quiet hours). Default: now. Tests pass a fake one. */
  now?: Date;
}

/**
 * Writes SMS rows to the outbox (pass the transaction of their cause). Rows whose
 * `dedupeKey` already exists are skipped. Scheduled kinds (`invoice`, `reminder`) are the
 * one place opt-outs and quiet hours are applied: a number in `sms_opt_outs` gets none, and
 * one written between 21:00 and 07:00 Nairobi waits (`not_before`) until 07:00. The USSD sessionId of the request being handled
 * (from the log context) is kept with each row, so the send is logged under it. Returns
 * the ids written.
 */
export async function enqueueSms(db: Db, messages: OutboxSms[], opts: EnqueueOptions = {}): Promise<bigint[]> {
  if (messages.length === 0) return [];
  const scheduled = messages.filter((m) => SCHEDULED_KINDS.has(m.kind));
  let optedOut = new Set<string>();
  if (scheduled.length > 0) {
    const rows: Array<{ msisdn: string }> = await db('sms_opt_outs').select('msisdn').whereIn('msisdn', [...new Set(scheduled.map((m) => m.msisdn))]);
    optedOut = new Set(rows.map((r) => r.msisdn));
  }
  const keep = messages.filter((m) => !(SCHEDULED_KINDS.has(m.kind) && optedOut.has(m.msisdn)));
  if (keep.length === 0) return [];
  const now = opts.now ?? new Date();
  const held = nextSendableAt(now);
  const notBefore = held.getTime() === now.getTime() ? null : held;
  const sessionId = currentLogContext()?.sessionId ?? null;
  const rows = await db('sms_outbox')
    .insert(
      keep.map((m) => ({
        not_before: SCHEDULED_KINDS.has(m.kind) ? notBefore : null,
        sender_id: m.senderId ?? null,
        secret_sealed: m.secret === undefined ? null : sealSecret(m.secret),
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
