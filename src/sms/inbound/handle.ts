/**
 * One inbound SMS, handled once. AT posts its "incoming messages" callback form-encoded
 * with `from` (the sender's number), `to` (our shortcode), `text`, `date`, `id` (AT's
 * message id), `linkId` (premium/on-demand only) and `networkCode`. Source: AT's SMS docs
 * ("Incoming messages" notification) and AT's own sample handlers, which read exactly
 * these fields.
 *
 * In one transaction: the `sms_inbound` row (unique AT `id`: a retry, even a concurrent
 * one, finds it and does nothing), the command's effects, and the reply in the outbox
 * (kind `reply`). A text that seems to carry a PIN is stored and logged only redacted.
 */
import type { KeyStore } from '../../keystore/index.js';
import type { Db } from '../../db/index.js';
import { findCustomer } from '../../customers/index.js';
import { logger, maskMsisdn } from '../../logger/index.js';
import { enqueueSms } from '../outbox.js';
import { parseSms } from './parser.js';
import { replies } from './replies.js';
import { defaultStager, runCommand, type CommandOutcome, type MoneyStager } from './commands.js';
import { smsRateLimit, type SmsRateLimit } from './rate-limit.js';

const log = logger.child({ component: 'sms' });

/** An inbound SMS as AT posts it, validated (src/sms/inbound/router.ts); `from` is already E.164. */
export interface InboundSms {
  id: string;
  from: string;
  to: string;
  text: string;
  date?: string;
  linkId?: string;
  networkCode?: string;
}

/**
 * What became of an inbound SMS: a command outcome (./commands.ts), `rate_warned` (the
 * first one past the hourly limit: the warning went back), `dropped` (past the limit, no
 * reply), `error` (a fault of ours: a generic reply went back), `duplicate` (AT's retry of
 * an id already handled: nothing done).
 */
export type InboundOutcome = CommandOutcome | 'rate_warned' | 'dropped' | 'error' | 'duplicate';

/** The outcome, the command the text named, and the outbox row of the reply when one was written. */
export interface InboundResult {
  outcome: InboundOutcome;
  command: string | null;
  replyId?: bigint;
}

/** What handling needs. */
export interface InboundDeps {
  db: Db;
  /** The Redis client the per-number limit counts in. */
  redis: KeyStore;
  /** Stages money commands; default src/sms/confirm `stageMoneyCommand`. */
  stage?: MoneyStager;
  /** Overrides the rate limit (default: SMS_COMMANDS_PER_HOUR in `redis`). */
  rateLimit?: SmsRateLimit;
  /** The clock (balance times, loan days). Default: now. */
  now?: () => Date;
}

/** Handles `sms` once (see the file's docstring) and returns what became of it. */
export async function handleInboundSms(sms: InboundSms, deps: InboundDeps): Promise<InboundResult> {
  const { db, redis, stage = defaultStager } = deps;
  const rateLimit = deps.rateLimit ?? smsRateLimit(redis);
  const parsed = parseSms(sms.text);
  const fields = { atId: sms.id, msisdn: maskMsisdn(sms.from), text: parsed.redacted.slice(0, 160), command: parsed.name };
  const result = await db.transaction(async (trx): Promise<InboundResult & { code?: string }> => {
    const inserted = await trx('sms_inbound')
      .insert({ at_id: sms.id, msisdn: sms.from, to: sms.to, text: parsed.redacted, link_id: sms.linkId || null, command: parsed.name, outcome: 'received' })
      .onConflict('at_id').ignore().returning('id');
    if (inserted.length === 0) return { outcome: 'duplicate', command: parsed.name };
    const rowId = String(inserted[0].id);
    const verdict = await rateLimit(sms.from);
    if (verdict === 'drop') {
      await trx('sms_inbound').where({ id: rowId }).update({ outcome: 'dropped' });
      return { outcome: 'dropped', command: parsed.name };
    }
    const customer = await findCustomer(sms.from, trx);
    const r = replies(customer?.language ?? 'en');
    let outcome: InboundOutcome;
    let reply: string;
    let code: string | undefined;
    if (verdict === 'warn') {
      [outcome, reply] = ['rate_warned', r.rateWarning()];
    } else {
      try {
        // A savepoint: a command that fails half-way leaves nothing behind but this row and the reply.
        ({ outcome, reply, code } = await trx.transaction((sp) => runCommand(sp, { msisdn: sms.from, customer }, parsed, stage, deps.now?.() ?? new Date())));
      } catch (err) {
        log.error('sms command failed', { ...fields, error: (err as Error)?.message });
        [outcome, reply] = ['error', r.failed()];
      }
    }
    await trx('sms_inbound').where({ id: rowId }).update({ outcome });
    const [replyId] = await enqueueSms(trx, [{ msisdn: sms.from, message: reply, kind: 'reply', dedupeKey: `sms-reply:${sms.id}` }]);
    return { outcome, command: parsed.name, replyId, code };
  });
  log.info('sms inbound', { ...fields, outcome: result.outcome, ...(result.code ? { code: result.code } : {}) });
  return { outcome: result.outcome, command: result.command, ...(result.replyId !== undefined ? { replyId: result.replyId } : {}) };
}
