/**
 * The worker's B2C half: posts each `requested` withdrawal to Daraja. The request row is
 * the outbox (written with the debit); a pass claims rows with SKIP LOCKED, so workers
 * never post one twice at once, and a row whose worker died mid-post is claimed again
 * after CLAIM_TIMEOUT_MINUTES with the same OriginatorConversationID.
 *
 * Format: Safaricom's B2C page (https://developer.safaricom.co.ke/APIs/BusinessToCustomer),
 * `POST /mpesa/b2c/v3/paymentrequest` with `{ OriginatorConversationID, InitiatorName,
 * SecurityCredential, CommandID: "BusinessPayment", Amount (whole KES), PartyA (B2C
 * shortcode), PartyB (2547...), Remarks, QueueTimeOutURL, ResultURL, Occasion }`; Daraja
 * acknowledges `{ ConversationID, OriginatorConversationID, ResponseCode: "0",
 * ResponseDescription: "Accept the service request successfully." }` and reports the
 * outcome later on ResultURL (or QueueTimeOutURL).
 */
import { db as defaultDb, type Db } from '../db/index.js';
import { config } from '../config/index.js';
import { logger } from '../logger/index.js';
import { darajaClient, type DarajaClient } from './client.js';
import { DarajaRequestError, MpesaNotConfiguredError } from './errors.js';
import { reverseB2c } from './b2c-outcome.js';

const log = logger.child({ component: 'mpesa' });

/** Daraja's B2C endpoint (v3: the caller names the OriginatorConversationID). */
export const B2C_PATH = '/mpesa/b2c/v3/paymentrequest';
/** A claim older than this is taken to be a dead worker's: the row is posted again. */
export const CLAIM_TIMEOUT_MINUTES = 2;

/** The B2C payment request body (Daraja's field names). */
export interface B2cPaymentRequest {
  OriginatorConversationID: string;
  InitiatorName: string;
  SecurityCredential: string;
  CommandID: 'BusinessPayment' | 'SalaryPayment' | 'PromotionPayment';
  Amount: number;
  PartyA: string;
  PartyB: string;
  Remarks: string;
  QueueTimeOutURL: string;
  ResultURL: string;
  Occasion: string;
}

/** Daraja's acknowledgement of a B2C request. */
export interface B2cAcknowledgement {
  ConversationID?: string;
  OriginatorConversationID?: string;
  ResponseCode?: string;
  ResponseDescription?: string;
}

/** The B2C settings from config: shortcode, initiator, credential and both callback URLs. */
export interface B2cSettings {
  shortcode: string;
  initiatorName: string;
  securityCredential: string;
  resultUrl: string;
  timeoutUrl: string;
}

/**
 * The B2C settings: ResultURL `${PUBLIC_URL}/mpesa/<MPESA_CALLBACK_TOKEN>/b2c/result`, and
 * QueueTimeOutURL `.../b2c/timeout`.
 *
 * @throws MpesaNotConfiguredError naming what is unset
 */
export function b2cSettings(): B2cSettings {
  const m = config.mpesa;
  const missing = [
    !m.b2cShortcode && 'MPESA_B2C_SHORTCODE', !m.b2cInitiatorName && 'MPESA_B2C_INITIATOR_NAME',
    !m.b2cSecurityCredential && 'MPESA_B2C_SECURITY_CREDENTIAL', !m.callbackToken && 'MPESA_CALLBACK_TOKEN', !config.publicUrl && 'PUBLIC_URL',
  ].filter(Boolean) as string[];
  if (missing.length) throw new MpesaNotConfiguredError(missing);
  const base = `${config.publicUrl!.replace(/\/+$/, '')}/mpesa/${m.callbackToken}/b2c`;
  return {
    shortcode: m.b2cShortcode!, initiatorName: m.b2cInitiatorName!, securityCredential: m.b2cSecurityCredential!,
    resultUrl: `${base}/result`, timeoutUrl: `${base}/timeout`,
  };
}

/** The request body for one withdrawal: `amount` cents (whole shillings), `msisdn` E.164. */
export function b2cRequestBody(s: B2cSettings, r: { originatorConversationId: string; amount: bigint; msisdn: string }): B2cPaymentRequest {
  return {
    OriginatorConversationID: r.originatorConversationId,
    InitiatorName: s.initiatorName,
    SecurityCredential: s.securityCredential,
    CommandID: 'BusinessPayment',
    Amount: Number(r.amount / 100n),
    PartyA: s.shortcode,
    PartyB: r.msisdn.replace(/^\+/, ''),
    Remarks: 'Simu wallet withdrawal',
    QueueTimeOutURL: s.timeoutUrl,
    ResultURL: s.resultUrl,
    Occasion: '',
  };
}

/** What one dispatch pass did. */
export interface B2cDispatch {
  sent: number;
  reversed: number;
  /** Left for a later pass (Daraja unreachable, or no token). */
  retry: number;
}

/** Which requests a pass takes: at most `batch` (default 20), and only `ids` when given. */
export interface B2cDispatchOptions {
  batch?: number;
  ids?: Array<bigint | string>;
}

/**
 * Claims up to `batch` requested withdrawals and posts each to Daraja. Accepted → `sent`
 * with Daraja's ConversationID. Refused (an HTTP 4xx or a non-zero ResponseCode: nothing
 * was paid) → reversed at once with an SMS. No token, an outage or a 5xx → the claim is
 * released and a later pass posts it again (same OriginatorConversationID, which v3 takes
 * from the caller so that a repeat can be recognised; should Daraja pay twice anyway, the
 * second success result is flagged for an operator by ./b2c-outcome.ts).
 */
export async function dispatchB2c(db: Db = defaultDb, client: DarajaClient = darajaClient(), opts: B2cDispatchOptions = {}): Promise<B2cDispatch> {
  const settings = b2cSettings();
  type Claimed = { id: string; originator_conversation_id: string; amount: bigint; msisdn: string };
  const claimed = await db.transaction(async (trx): Promise<Claimed[]> => {
    const only = opts.ids?.map(String);
    const rows = await trx('b2c_requests').select('id').where({ status: 'requested' })
      .modify((q) => { if (only) q.whereIn('id', only); })
      .andWhere((q) => q.whereNull('claimed_at').orWhere('claimed_at', '<', trx.raw(`now() - (? * interval '1 minute')`, [CLAIM_TIMEOUT_MINUTES])))
      .orderBy('id').limit(opts.batch ?? 20).forUpdate().skipLocked();
    if (rows.length === 0) return [];
    return trx('b2c_requests').whereIn('id', rows.map((r: { id: string }) => String(r.id)))
      .update({ claimed_at: trx.fn.now(), attempts: trx.raw('attempts + 1'), updated_at: trx.fn.now() })
      .returning(['id', 'originator_conversation_id', 'amount', 'msisdn']);
  });
  const outcome: B2cDispatch = { sent: 0, reversed: 0, retry: 0 };
  for (const row of claimed) {
    const id = String(row.id);
    try {
      const ack = await client.darajaPost<B2cAcknowledgement>(B2C_PATH, b2cRequestBody(settings, {
        originatorConversationId: row.originator_conversation_id, amount: BigInt(row.amount), msisdn: row.msisdn,
      }));
      if (ack.ResponseCode !== undefined && String(ack.ResponseCode) !== '0') {
        throw new DarajaRequestError(200, String(ack.ResponseCode), String(ack.ResponseDescription ?? ''));
      }
      await db('b2c_requests').where({ id, status: 'requested' }).update({
        status: 'sent', conversation_id: typeof ack.ConversationID === 'string' ? ack.ConversationID.slice(0, 100) : null,
        sent_at: db.fn.now(), updated_at: db.fn.now(),
      });
      outcome.sent += 1;
      log.info('b2c request accepted by daraja', { b2cId: id, conversationId: ack.ConversationID });
    } catch (err) {
      if (err instanceof DarajaRequestError && err.httpStatus >= 200 && err.httpStatus < 500) {
        const reason = `Daraja refused: ${err.darajaCode} ${err.darajaMessage}`.trim();
        if ((await reverseB2c(id, 'failed', { code: err.darajaCode, desc: reason }, db)) === 'reversed') outcome.reversed += 1;
        continue;
      }
      await db('b2c_requests').where({ id, status: 'requested' }).update({ claimed_at: null, last_error: String((err as Error).message).slice(0, 200) });
      outcome.retry += 1;
      log.warn('b2c request not posted; will retry', { b2cId: id, error: (err as Error).message });
    }
  }
  return outcome;
}
