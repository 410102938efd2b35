/**
 * The SMS outbox: list and look at rows with their delivery state (scope `read`), and
 * retry one (scope `operate`). Messages are shown in full: admins read a receipt to help
 * its customer, and no SMS ever carries a PIN (the catalogue in src/sms/messages.ts only
 * tells a user that their PIN was locked or changed). The one secret an SMS carries, the
 * Forgot PIN one-time code (kind `pin_reset_code`), is masked: whoever reads the outbox
 * must not be able to finish someone else's PIN reset. An agent's initial PIN SMS (kind
 * `notice`, dedupe key `agent-pin:…`) is masked too: the operator who registered the agent
 * must not learn its PIN.
 */
import { NotFoundError, ValidationError } from '../../errors/index.js';
import { normalizeMsisdn } from '../../phone/index.js';
import { retryOutboxSms, smsQueueHandle, type OutboxRow } from '../../sms/index.js';
import { AGENT_PIN_SMS_KEY } from './agents.js';
import { defineRoute, schemas, type AdminRoute } from '../route.js';
import { objectSchema } from '../validate.js';
import { pageBy } from '../paging.js';
import { SECRET_PLACEHOLDER } from '../../sms/index.js';

const STATUSES = ['pending', 'queued', 'sending', 'sent', 'delivered', 'failed'] as const;

const timestamp = { type: ['string', 'null'], format: 'date-time' };

/** An outbox row as the API shows it. */
const smsView = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    msisdn: { type: 'string', description: 'E.164' },
    kind: { type: 'string', description: 'receipt, pin_locked, welcome, pin_changed, notice, ...' },
    message: { type: 'string' },
    status: { enum: [...STATUSES], description: 'pending → queued (in bull) → sending → sent (AT accepted) → delivered | failed' },
    attempts: { type: 'integer', description: 'Sends tried (claims), across retries' },
    atStatus: { type: ['string', 'null'], description: 'Africa\'s Talking\'s last word: its send status or delivery report status' },
    atMessageId: { type: ['string', 'null'] },
    lastError: { type: ['string', 'null'] },
    journalEntryId: { type: ['integer', 'null'] },
    sessionId: { type: ['string', 'null'], description: 'The USSD session that caused it' },
    createdAt: { type: 'string', format: 'date-time' },
    queuedAt: timestamp,
    claimedAt: timestamp,
    sentAt: timestamp,
    deliveredAt: timestamp,
  },
};

/** The message as operators may read it: one-time codes and initial PINs masked. */
function maskedMessage(r: Record<string, unknown>): string {
  // The secret itself is stored only sealed (src/sms/secret.ts); older rows held it in clear.
  const text = String(r.message).split(SECRET_PLACEHOLDER).join(r.kind === 'pin_reset_code' ? '******' : '****');
  if (r.kind === 'pin_reset_code') return text.replace(/[0-9]{6}/g, '******');
  if (String(r.dedupe_key ?? '').startsWith(AGENT_PIN_SMS_KEY)) return text.replace(/\b[0-9]{4}\b/g, '****');
  return text;
}

/** Maps an sms_outbox row to its view. */
function toSmsView(r: Record<string, unknown>) {
  return {
    id: r.id, msisdn: r.msisdn, kind: r.kind, message: maskedMessage(r),
    status: r.status, attempts: r.attempts,
    atStatus: r.at_status, atMessageId: r.at_message_id, lastError: r.last_error,
    journalEntryId: r.journal_entry_id ?? null, sessionId: r.session_id ?? null,
    createdAt: r.created_at, queuedAt: r.queued_at, claimedAt: r.claimed_at, sentAt: r.sent_at, deliveredAt: r.delivered_at,
  };
}

/** What the audit row keeps of an outbox row (not the message). */
function auditState(r: OutboxRow) {
  return { status: r.status, attempts: r.attempts, atStatus: r.at_status, lastError: r.last_error };
}

const idParam = objectSchema({ id: schemas.id }, ['id']);

export const smsRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/sms',
    scope: 'read',
    summary: 'Page the SMS outbox, newest first; filter by status, kind and recipient (to: 0712345678, 712345678, 254712345678 or +254712345678)',
    query: objectSchema({
      ...schemas.paging,
      status: { enum: [...STATUSES] },
      kind: { type: 'string', pattern: '^[a-z_]{1,40}$' },
      to: { type: 'string', minLength: 1, maxLength: 32 },
    }),
    response: schemas.page(smsView),
    handler: async ({ query }, { db }) => {
      const q = db('sms_outbox');
      if (query.status) q.where({ status: query.status });
      if (query.kind) q.where({ kind: query.kind });
      if (query.to !== undefined) {
        const msisdn = normalizeMsisdn(query.to);
        if (!msisdn) throw new ValidationError('to: not a mobile number (07XXXXXXXX or +2547XXXXXXXX)', 'to');
        q.where({ msisdn });
      }
      return { body: await pageBy(q, query, toSmsView) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/sms/{id}',
    scope: 'read',
    summary: 'One outbox SMS with its delivery state: status, attempts, AT\'s status and message id, last error, and when it was queued, claimed, sent and delivered',
    params: idParam,
    response: smsView,
    handler: async ({ params }, { db }) => {
      const row = await db('sms_outbox').where({ id: String(params.id) }).first();
      if (!row) throw new NotFoundError(`no SMS ${params.id} in the outbox`);
      return { body: toSmsView(row) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/sms/{id}/retry',
    scope: 'operate',
    summary: 'Send an SMS again: a failed row (or one stuck queued or sending for over 5 minutes) goes back to pending and the relay picks it up. 409 when it was sent or delivered already, is pending, or is still in flight',
    params: idParam,
    response: smsView,
    handler: async ({ params }, { db }) => {
      const { before, after } = await retryOutboxSms(db as Parameters<typeof retryOutboxSms>[0], String(params.id), { queue: smsQueueHandle() });
      return { body: toSmsView(after), audit: { target: `sms:${params.id}`, before: auditState(before), after: auditState(after) } };
    },
  }),
];
