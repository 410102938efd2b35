/**
 * AT's SMS callbacks about subscribers, form-encoded (set in AT's dashboard, SMS → SMS
 * Callback URLs):
 * - `POST /sms/inbound` ("Incoming messages"): `from`, `to`, `text`, `date`, `id`, `linkId`,
 *   `networkCode` (./handle.ts);
 * - `POST /sms/opt-out` ("Bulk SMS opt out"): `senderId` (the sender id the subscriber
 *   opted out of) and `phoneNumber`.
 * Both answer 200 once handled (AT only needs a 200), or 400 `{ error, reason }` for a bad
 * body, having written nothing. The HTTP app mounts them behind the AT_CALLBACK_TOKEN check.
 */
import express, { Router, type Request, type Response } from 'express';
import { Ajv, type ValidateFunction } from 'ajv';
import { ValidationError, assertStorableText } from '../../errors/index.js';
import { logger, maskMsisdn } from '../../logger/index.js';
import { normalizeMsisdn } from '../../phone/index.js';
import { handleInboundSms, type InboundDeps, type InboundSms } from './handle.js';
import { optOut } from './opt-outs.js';

const log = logger.child({ component: 'sms' });

const ajv = new Ajv({ allErrors: true, strict: false });

const PHONE = { type: 'string', pattern: '^\\+?[0-9]{6,15}$' };

const validateInbound = ajv.compile<InboundSms>({
  type: 'object',
  properties: {
    from: PHONE,
    to: { type: 'string', minLength: 1, maxLength: 32 },
    // Concatenated SMS reach a few hundred characters; AT caps what it relays.
    text: { type: 'string', maxLength: 1600 },
    date: { type: 'string', maxLength: 40 },
    id: { type: 'string', minLength: 1, maxLength: 100 },
    linkId: { type: 'string', maxLength: 100 },
    networkCode: { type: 'string', maxLength: 16 },
  },
  required: ['from', 'to', 'text', 'id'],
});

/** AT's opt-out notification. */
export interface OptOutNotice {
  senderId?: string;
  phoneNumber: string;
}

const validateOptOut = ajv.compile<OptOutNotice>({
  type: 'object',
  properties: { senderId: { type: 'string', maxLength: 32 }, phoneNumber: PHONE },
  required: ['phoneNumber'],
});

/** The reasons ajv gives (field and rule; never the value, which may carry a PIN). */
function reasonOf(errors: ValidateFunction['errors']): string {
  return (errors ?? []).map((e) => `${e.instancePath.slice(1) || String(e.params.missingProperty ?? 'body')}: ${e.message}`).join('; ');
}

/** Validates an inbound SMS body and normalises `from` to E.164; throws ValidationError (400). */
export function parseInboundSms(payload: unknown): InboundSms {
  if (!validateInbound(payload)) throw new ValidationError(`bad inbound sms: ${reasonOf(validateInbound.errors)}`);
  assertStorableText(payload);
  const from = normalizeMsisdn(payload.from);
  if (!from) throw new ValidationError('bad inbound sms: from: not a mobile number', 'from');
  return { ...payload, from };
}

/** Validates an opt-out notification and normalises `phoneNumber`; throws ValidationError (400). */
export function parseOptOut(payload: unknown): OptOutNotice {
  if (!validateOptOut(payload)) throw new ValidationError(`bad opt-out: ${reasonOf(validateOptOut.errors)}`);
  const phoneNumber = normalizeMsisdn(payload.phoneNumber);
  if (!phoneNumber) throw new ValidationError('bad opt-out: phoneNumber: not a mobile number', 'phoneNumber');
  return { ...payload, phoneNumber };
}

/** Answers 400 for a ValidationError; lets anything else through to the app's error handler (500: AT retries). */
function refuse(res: Response, err: unknown, what: string): void {
  if (!(err instanceof ValidationError)) throw err;
  log.info(`bad ${what}`, { reason: err.message });
  res.status(400).json({ error: err.code, reason: err.message });
}

/** The router of `POST /sms/inbound` and `POST /sms/opt-out`. */
export function smsInboundRouter(deps: InboundDeps): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  router.post('/sms/inbound', form, async (req: Request, res: Response) => {
    let sms: InboundSms;
    try {
      sms = parseInboundSms(req.body ?? {});
    } catch (err) {
      return refuse(res, err, 'inbound sms');
    }
    const result = await handleInboundSms(sms, deps);
    res.status(200).json({ ok: true, outcome: result.outcome });
  });
  router.post('/sms/opt-out', form, async (req: Request, res: Response) => {
    let notice: OptOutNotice;
    try {
      notice = parseOptOut(req.body ?? {});
    } catch (err) {
      return refuse(res, err, 'sms opt-out');
    }
    const added = await optOut(deps.db, notice.phoneNumber, 'at');
    log.info('sms opt-out', { msisdn: maskMsisdn(notice.phoneNumber), senderId: notice.senderId, added });
    res.status(200).json({ ok: true, added });
  });
  return router;
}
