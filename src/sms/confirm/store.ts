/**
 * The pending requests of money commands by SMS (table `sms_confirmations`): staging one
 * under a fresh 4-digit code, finding the one a dialled code opens, marking it used. A
 * request is live while unused and unexpired; "used" also means that money already moved
 * under its key `sms:<id>` (a crash between the transfer and `used_at` cannot reopen it).
 */
import { randomInt } from 'node:crypto';
import type { Db } from '../../db/index.js';
import type { SmsConfirmationView } from '../../../menus/sms-confirm-actors.js';
import type { StagedQuote } from './quote.js';
import { TooManyPendingError } from './errors.js';

/** How long a staged request may be confirmed. */
export const CONFIRM_MINUTES = 5;

/** The ledger idempotency key a request's money moves under. */
export const requestKey = (requestId: string | bigint): string => `sms:${requestId}`;

/** A command as stored: amounts as decimal strings (JSON has no bigint). */
export type StoredCommand = Record<string, string>;

/**
 * Keeps a request for `customerId` and returns its id and code: 4 digits that none of the
 * MSISDN's live requests holds (chosen under an advisory lock on the MSISDN).
 */
export async function storeRequest(
  db: Db, req: { msisdn: string; customerId: number; command: StoredCommand; quote: StagedQuote },
): Promise<{ id: string; code: string }> {
  return db.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`sms-confirm:${req.msisdn}`]);
    const taken = new Set(
      (await trx('sms_confirmations').where({ msisdn: req.msisdn }).whereNull('used_at').where('expires_at', '>', trx.fn.now()).pluck('code')) as string[],
    );
    if (taken.size >= 10_000) throw new TooManyPendingError();
    let code = String(randomInt(0, 10_000)).padStart(4, '0');
    while (taken.has(code)) code = String(randomInt(0, 10_000)).padStart(4, '0');
    const [row] = await trx('sms_confirmations')
      .insert({
        msisdn: req.msisdn, customer_id: req.customerId, code, command: JSON.stringify(req.command), quote: JSON.stringify(req.quote),
        expires_at: trx.raw(`now() + interval '${CONFIRM_MINUTES} minutes'`),
      })
      .returning(['id']);
    return { id: String(row.id), code };
  });
}

/** What a dialled code is for its MSISDN: a live request to confirm, a stale one (expired or used), or nothing. */
export type DialledCode = { live: SmsConfirmationView } | { stale: true } | null;

/** Looks up `code` among `msisdn`'s requests (a code of another MSISDN is nothing). */
export async function findDialledCode(db: Db, msisdn: string, code: string): Promise<DialledCode> {
  if (!/^[0-9]{4}$/.test(code)) return null;
  const rows = await db('sms_confirmations as c')
    .leftJoin('idempotency_keys as k', 'k.key', db.raw(`'sms:' || c.id::text`))
    .where({ 'c.msisdn': msisdn, 'c.code': code })
    .select('c.id', 'c.quote', 'c.used_at', 'k.key as moved', db.raw('c.expires_at > now() AS live'))
    .orderBy('c.id', 'desc');
  if (rows.length === 0) return null;
  const live = rows.find((r) => r.live && r.used_at === null && r.moved === null);
  if (!live) return { stale: true };
  const quote = (typeof live.quote === 'string' ? JSON.parse(live.quote) : live.quote) as StagedQuote;
  return { live: { ...quote, requestId: String(live.id) } };
}

/** Marks request `requestId` of `msisdn` used (once: a second call changes nothing). */
export async function markRequestUsed(db: Db, requestId: string, msisdn: string): Promise<void> {
  await db('sms_confirmations').where({ id: requestId, msisdn }).whereNull('used_at').update({ used_at: db.fn.now() });
}
