/**
 * SMS in embedded mode: nothing is sent. The sender hands each outbox SMS here instead of
 * to AT; it is kept in this process's memory (the last KEPT_SMS_LIMIT) and printed to the
 * log, and `GET /dev/sms` (served only in embedded mode) lets `npm run phone` show a
 * number's SMS as a handset would. The outbox row is marked sent as after AT's acceptance.
 */
import { Router } from 'express';
import type { Knex } from '../db/index.js';
import { logger, maskMsisdn } from '../logger/index.js';
import { normalizeMsisdn } from '../phone/index.js';
import type { AtSendResult } from './at-client.js';

const log = logger.child({ component: 'sms' });

/** How many kept SMS the process remembers; older ones are forgotten. */
export const KEPT_SMS_LIMIT = 1000;

/** One SMS embedded mode kept instead of sending. */
export interface KeptSms {
  /** 1, 2, 3… in the order kept (per process run). */
  id: number;
  /** E.164 MSISDN. */
  to: string;
  /** The text as the handset would show it (secrets opened). */
  message: string;
  /** ISO 8601 time it was kept. */
  at: string;
}

const kept: KeptSms[] = [];
let lastId = 0;

/**
 * Keeps one SMS in place of AT's send and answers as AT's acceptance would (messageId
 * `embedded-<id>`). `logged` is the text for the log line: the stored text, whose
 * `{secret}` placeholder keeps a one-time code out of the log.
 */
export function keepSms(to: string, message: string, logged: string): AtSendResult {
  const sms: KeptSms = { id: ++lastId, to, message, at: new Date().toISOString() };
  kept.push(sms);
  if (kept.length > KEPT_SMS_LIMIT) kept.splice(0, kept.length - KEPT_SMS_LIMIT);
  log.info('sms kept, not sent (embedded mode)', { id: sms.id, to: maskMsisdn(to), text: logged });
  return { outcome: 'accepted', messageId: `embedded-${sms.id}`, status: 'Kept', statusCode: 100 };
}

/** The kept SMS to `msisdn` (E.164) with an id above `afterId`, oldest first. */
export function keptSmsFor(msisdn: string, afterId = 0): KeptSms[] {
  return kept.filter((s) => s.to === msisdn && s.id > afterId);
}

/**
 * `GET /dev/sms?to=<number>&after=<id>` → `{ last, pending, messages: KeptSms[] }`: the SMS
 * kept for one number after `after`; the last id kept for any number (where a new reader
 * starts); and how many of the number's outbox SMS are due but not yet kept (the phone
 * waits for them before it hangs up). For development only; mount it only in embedded
 * mode. 400 on a bad number.
 */
export function devSmsRouter(db: Knex): Router {
  const router = Router();
  router.get('/dev/sms', async (req, res) => {
    const to = normalizeMsisdn(typeof req.query.to === 'string' ? req.query.to : '');
    const after = Number(typeof req.query.after === 'string' ? req.query.after : '0');
    if (!to || !Number.isSafeInteger(after) || after < 0) {
      res.status(400).json({ error: 'bad_request', message: 'give to=<phone number> and optionally after=<id, a whole number>' });
      return;
    }
    const due = await db('sms_outbox').count<{ n: bigint }[]>({ n: '*' }).where('msisdn', to).whereIn('status', ['pending', 'queued', 'sending'])
      .andWhere((q) => q.whereNull('not_before').orWhere('not_before', '<=', db.fn.now()));
    res.json({ last: lastId, pending: Number(due[0]?.n ?? 0), messages: keptSmsFor(to, after) });
  });
  return router;
}
