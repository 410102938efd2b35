/**
 * AT's airtime status callback (dashboard: Airtime → Airtime Callback URLs → Status
 * Callback URL). AT posts `requestId` (the one its send answer carried) and `status`,
 * `Success` or `Failed`, with `phoneNumber`, `description`, `discount`, `value` beside them
 * (AT's airtime docs). Form-encoded or JSON: both are read.
 */
import express, { Router, type Request, type Response } from 'express';
import { Ajv } from 'ajv';
import { db as processDb, type Knex } from '../db/index.js';
import { ValidationError, refuseUnstorableBody } from '../errors/index.js';
import { logger } from '../logger/index.js';
import { recordAirtimeSuccess, reverseAirtime, type AirtimeOutcome } from './outcome.js';

const log = logger.child({ component: 'airtime' });

/** A status callback as AT posts it. */
export interface AirtimeStatusReport {
  requestId: string;
  status: 'Success' | 'Failed';
  phoneNumber?: string;
  description?: string;
}

const validate = new Ajv({ allErrors: true, strict: false }).compile<AirtimeStatusReport>({
  type: 'object',
  properties: {
    requestId: { type: 'string', minLength: 1, maxLength: 100 },
    status: { enum: ['Success', 'Failed'] },
    phoneNumber: { type: 'string', maxLength: 32 },
    description: { type: 'string', maxLength: 500 },
  },
  required: ['requestId', 'status'],
});

/** Validates `payload`; throws ValidationError (HTTP 400) with the reason. */
export function parseAirtimeStatus(payload: unknown): AirtimeStatusReport {
  if (validate(payload)) return payload;
  const reason = (validate.errors ?? [])
    .map((e) => `${e.instancePath.slice(1) || String(e.params.missingProperty ?? 'body')}: ${e.message}`)
    .join('; ');
  throw new ValidationError(`bad airtime status: ${reason}`);
}

/**
 * Applies one status callback to the request AT knows as `requestId`: Success → `success`
 * and a receipt; Failed → the reversal and a notice (once, however often AT posts it).
 * Returns `unknown_request` when no request matches.
 */
export async function recordAirtimeStatus(payload: unknown, db: Knex = processDb): Promise<AirtimeOutcome | 'unknown_request'> {
  const report = parseAirtimeStatus(payload);
  const row: { id: bigint } | undefined = await db('airtime_requests').where({ at_request_id: report.requestId }).first('id');
  if (!row) {
    // A callback can outrun our record of AT's answer; the review pass lists the request.
    log.warn('airtime status for an unknown request', { atRequestId: report.requestId, status: report.status });
    return 'unknown_request';
  }
  const reason = `AT reported Failed${report.description ? `: ${report.description}` : ''}`;
  const outcome = report.status === 'Success' ? await recordAirtimeSuccess(row.id, db) : await reverseAirtime(row.id, reason, db);
  log.info('airtime status', { airtimeId: String(row.id), atRequestId: report.requestId, status: report.status, outcome });
  return outcome;
}

async function handle(req: Request, res: Response): Promise<void> {
  try {
    const outcome = await recordAirtimeStatus(req.body ?? {});
    // 200 for an unknown id too: AT's retries will not make it known.
    res.status(200).json({ ok: true, outcome });
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err; // express 5 passes it to the error handler
    log.info('bad airtime status callback', { reason: err.message });
    res.status(400).json({ error: err.code, reason: err.message });
  }
}

/** `POST /airtime/status`: mounted by the HTTP app behind the AT_CALLBACK_TOKEN check. */
export const airtimeStatusRouter: Router = Router();
airtimeStatusRouter.post(
  '/airtime/status',
  express.urlencoded({ extended: false, limit: '16kb' }),
  express.json({ limit: '16kb' }),
  refuseUnstorableBody,
  handle,
);
