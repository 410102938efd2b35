/**
 * An operator's bulk SMS to a segment: the guardians of a school's active students, the
 * active members of a chama, or every customer whose account is not closed. A preview
 * counts recipients (distinct MSISDNs; opted-out numbers are left out and counted apart),
 * the parts of each language's text and an estimated cost, and writes nothing. A send
 * records the bulk send (`sms_bulk_sends`) and writes one outbox row per recipient, in their
 * language (a customer's own, else English), with dedupe key `bulk:<id>:<msisdn>`. Bulk is a
 * scheduled kind: `enqueueSms` applies opt-outs and quiet hours again, and the relay and the
 * `sms` queue's limiter (config.smsPerSecond) pace the sending.
 */
import type { Db } from '../db/index.js';
import { NotFoundError } from '../errors/index.js';
import { enqueueSms, type OutboxSms } from './outbox.js';
import { smsParts, SMS_PART_PRICE_CENTS, type SmsParts } from './bulk-parts.js';

/** Who a bulk SMS goes to. */
export type BulkSegment =
  | { type: 'school_guardians'; schoolId: number }
  | { type: 'chama_members'; chamaId: number }
  | { type: 'all_customers' };

/** The text in each language the menus speak. */
export interface BulkMessage {
  en: string;
  sw: string;
}

/** What a bulk send would do (or did). Costs are estimates at SMS_PART_PRICE_CENTS per part. */
export interface BulkPreview {
  /** Distinct MSISDNs that get the SMS (opted-out ones excluded). */
  recipients: number;
  /** Distinct MSISDNs of the segment left out because they opted out (STOP). */
  optedOut: number;
  byLanguage: { en: number; sw: number };
  parts: { en: SmsParts; sw: SmsParts };
  /** Parts in all, over every recipient. */
  totalParts: number;
  pricePerPartCents: number;
  estimatedCostCents: number;
  /** Always true: AT bills what it bills; this is the list price times parts. */
  costIsEstimate: true;
}

/** A recipient and their language. */
interface Recipient {
  msisdn: string;
  language: 'en' | 'sw';
}

/** Rows written per INSERT when sending. */
const CHUNK = 1000;

/** The SMS sender a segment's SMS carry: a school's own name, else Simu's. */
async function senderOf(db: Db, segment: BulkSegment): Promise<string | undefined> {
  if (segment.type !== 'school_guardians') return undefined;
  return (await db('schools').where({ id: segment.schoolId }).first('sms_sender'))?.sms_sender as string | undefined;
}

/**
 * The distinct MSISDNs of `segment` with their language, in MSISDN order. Guardians as
 * the invoice SMS find them (student_guardians of students with status `active`); chama
 * members as `membersOf` does (status `active`).
 *
 * @throws NotFoundError no such school or chama
 */
export async function segmentRecipients(db: Db, segment: BulkSegment): Promise<Recipient[]> {
  let numbers;
  if (segment.type === 'school_guardians') {
    if (!(await db('schools').where({ id: segment.schoolId }).first('id'))) throw new NotFoundError(`no school ${segment.schoolId}`);
    numbers = db('student_guardians as g').join('students as st', 'st.id', 'g.student_id')
      .where({ 'st.school_id': segment.schoolId, 'st.status': 'active' }).distinct('g.msisdn as msisdn');
  } else if (segment.type === 'chama_members') {
    if (!(await db('chamas').where({ id: segment.chamaId }).first('id'))) throw new NotFoundError(`no chama ${segment.chamaId}`);
    numbers = db('chama_members as m').join('customers as c', 'c.id', 'm.customer_id')
      .where({ 'm.chama_id': segment.chamaId, 'm.status': 'active' }).distinct('c.msisdn as msisdn');
  } else {
    numbers = db('customers').whereNot({ status: 'closed' }).distinct('msisdn');
  }
  const rows: Array<{ msisdn: string; language: string | null }> = await db.select('n.msisdn', 'c.language')
    .from(numbers.as('n')).leftJoin('customers as c', 'c.msisdn', 'n.msisdn').orderBy('n.msisdn');
  return rows.map((r) => ({ msisdn: r.msisdn, language: String(r.language ?? 'en').trim() === 'sw' ? 'sw' : 'en' }));
}

/** Splits `recipients` into those who get the SMS and the count of those who opted out. */
async function withoutOptOuts(db: Db, recipients: Recipient[]): Promise<{ keep: Recipient[]; optedOut: number }> {
  const out = new Set<string>();
  for (let i = 0; i < recipients.length; i += CHUNK) {
    const rows: Array<{ msisdn: string }> = await db('sms_opt_outs').whereIn('msisdn', recipients.slice(i, i + CHUNK).map((r) => r.msisdn)).select('msisdn');
    for (const r of rows) out.add(r.msisdn);
  }
  return { keep: recipients.filter((r) => !out.has(r.msisdn)), optedOut: out.size };
}

function previewOf(keep: Recipient[], optedOut: number, message: BulkMessage): BulkPreview {
  const parts = { en: smsParts(message.en), sw: smsParts(message.sw) };
  const byLanguage = { en: keep.filter((r) => r.language === 'en').length, sw: keep.filter((r) => r.language === 'sw').length };
  const totalParts = byLanguage.en * parts.en.parts + byLanguage.sw * parts.sw.parts;
  return {
    recipients: keep.length, optedOut, byLanguage, parts, totalParts,
    pricePerPartCents: SMS_PART_PRICE_CENTS, estimatedCostCents: totalParts * SMS_PART_PRICE_CENTS, costIsEstimate: true,
  };
}

/** What a bulk send to `segment` would do. Reads only. @throws NotFoundError */
export async function previewBulkSms(db: Db, segment: BulkSegment, message: BulkMessage): Promise<BulkPreview> {
  const { keep, optedOut } = await withoutOptOuts(db, await segmentRecipients(db, segment));
  return previewOf(keep, optedOut, message);
}

/** Who asked for a bulk send: the admin API key. */
export interface BulkRequester {
  keyId: number;
  keyName: string;
}

/**
 * Records a bulk send and writes its outbox rows, in `trx` (the caller's transaction, with
 * its audit row). Returns the send's id and what it wrote: `queued` is the rows written
 * (fewer than `recipients` only if a number opted out in between). @throws NotFoundError
 */
export async function sendBulkSms(
  trx: Db, segment: BulkSegment, message: BulkMessage, by: BulkRequester,
): Promise<{ id: string; queued: number; preview: BulkPreview }> {
  const { keep, optedOut } = await withoutOptOuts(trx, await segmentRecipients(trx, segment));
  const preview = previewOf(keep, optedOut, message);
  const [row] = await trx('sms_bulk_sends').insert({
    segment: JSON.stringify(segment), message: JSON.stringify(message), recipients: preview.recipients, opted_out: optedOut,
    parts: preview.totalParts, estimated_cost_cents: preview.estimatedCostCents, created_by_key_id: by.keyId, created_by_key_name: by.keyName,
  }).returning('id');
  const id = String(row.id);
  const senderId = await senderOf(trx, segment);
  let queued = 0;
  for (let i = 0; i < keep.length; i += CHUNK) {
    const batch = keep.slice(i, i + CHUNK).map((r): OutboxSms => ({
      msisdn: r.msisdn, kind: 'bulk', message: message[r.language], dedupeKey: `bulk:${id}:${r.msisdn}`, ...(senderId ? { senderId } : {}),
    }));
    queued += (await enqueueSms(trx, batch)).length;
  }
  return { id, queued, preview };
}
