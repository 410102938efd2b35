/**
 * Airtime requests, for operators (scope `read`): the report of requests without a final
 * status an hour after they were made (`status=unresolved`: AT's answer or callback never
 * came, or a reversal is still owed), with what AT said when the review last asked it, or
 * a page of requests by status or payer. `POST /airtime/{id}/recheck` (scope `finance`: its
 * answer may reverse the debit) asks AT now, as the review does.
 */
import { NotFoundError, ValidationError } from '../../errors/index.js';
import { normalizeMsisdn } from '../../phone/index.js';
import {
  AIRTIME_STATUSES, AT_CHECK_EVERY_MINUTES, OPEN_STATUSES, UNRESOLVED_AFTER_MINUTES, checkAirtimeWithAt,
} from '../../airtime/index.js';
import { defineRoute, schemas, type AdminRoute } from '../route.js';
import { objectSchema } from '../validate.js';
import { pageBy } from '../paging.js';

const timestamp = { type: ['string', 'null'], format: 'date-time' };
const nullableString = { type: ['string', 'null'] };

const airtimeView = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    payer: { type: 'string', description: 'E.164' },
    recipient: { type: 'string', description: 'E.164' },
    amount: { type: 'integer', description: 'Cents' },
    currency: { const: 'KES' },
    status: { enum: [...AIRTIME_STATUSES], description: 'pending (debited, not yet taken by AT) → sent (AT took it) → success | reversed; failed: the reversal is still owed' },
    attempts: { type: 'integer', description: 'Sends to AT tried' },
    atRequestId: nullableString,
    atStatus: nullableString,
    lastError: nullableString,
    journalEntryId: { type: 'integer' },
    reversalEntryId: { type: ['integer', 'null'] },
    sessionId: nullableString,
    createdAt: { type: 'string', format: 'date-time' },
    queuedAt: timestamp,
    sentAt: timestamp,
    completedAt: timestamp,
    reviewedAt: { ...timestamp, description: 'When the worker found it unresolved after an hour' },
    checkedAt: { ...timestamp, description: `When AT was last asked for its status (the review asks every ${AT_CHECK_EVERY_MINUTES} minutes while it is unresolved)` },
    checks: { type: 'integer', description: 'How often AT was asked' },
    checkOutcome: { enum: ['delivered', 'failed', 'pending', 'error', null], description: 'What the last answer meant: delivered, failed (reversed), pending (AT has no final status yet), error (AT did not answer: outage, HTTP error, unknown id)' },
    checkDetail: { ...nullableString, description: 'AT\'s words in that answer' },
  },
};

function toAirtimeView(r: Record<string, unknown>) {
  return {
    id: r.id, payer: r.payer_msisdn, recipient: r.recipient_msisdn, amount: r.amount, currency: 'KES', status: r.status, attempts: r.attempts,
    atRequestId: r.at_request_id, atStatus: r.at_status, lastError: r.last_error, journalEntryId: r.journal_entry_id,
    reversalEntryId: r.reversal_entry_id ?? null, sessionId: r.session_id ?? null, createdAt: r.created_at, queuedAt: r.queued_at,
    sentAt: r.sent_at, completedAt: r.completed_at, reviewedAt: r.reviewed_at,
    checkedAt: r.checked_at ?? null, checks: r.checks ?? 0, checkOutcome: r.check_outcome ?? null, checkDetail: r.check_detail ?? null,
  };
}

/** What the audit keeps of a request around a recheck. */
function auditState(r: Record<string, unknown>) {
  return { status: r.status, atRequestId: r.at_request_id, checkOutcome: r.check_outcome ?? null, checkDetail: r.check_detail ?? null };
}

export const airtimeRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/airtime',
    scope: 'read',
    summary: `Page airtime requests, newest first. status=unresolved: those still pending, sent or failed ${UNRESOLVED_AFTER_MINUTES} minutes after they were made; or one status; payer: 07XXXXXXXX or +2547XXXXXXXX`,
    query: objectSchema({
      ...schemas.paging,
      status: { enum: ['unresolved', ...AIRTIME_STATUSES] },
      payer: { type: 'string', minLength: 1, maxLength: 32 },
    }),
    response: schemas.page(airtimeView),
    handler: async ({ query }, { db }) => {
      const q = db('airtime_requests');
      if (query.status === 'unresolved') {
        q.whereIn('status', [...OPEN_STATUSES]).andWhere('created_at', '<', db.raw(`now() - (? * interval '1 minute')`, [UNRESOLVED_AFTER_MINUTES]));
      } else if (query.status) {
        q.where({ status: query.status });
      }
      if (query.payer !== undefined) {
        const msisdn = normalizeMsisdn(query.payer);
        if (!msisdn) throw new ValidationError('payer: not a mobile number (07XXXXXXXX or +2547XXXXXXXX)', 'payer');
        q.where({ payer_msisdn: msisdn });
      }
      return { body: await pageBy(q, query, toAirtimeView) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/airtime/{id}/recheck',
    scope: 'finance',
    summary: 'Ask AT now for the status of a pending or sent request it took, as the review does: Success → delivered (receipt SMS); Failed → the debit reversed (notice SMS); anything else, or no answer from AT, leaves it as it was. Every answer is kept in checkedAt / checkOutcome / checkDetail. 409 when it is final, failed (its reversal is owed) or AT never took it',
    params: objectSchema({ id: schemas.id }, ['id']),
    response: airtimeView,
    handler: async ({ params }, { db }) => {
      const id = String(params.id);
      const before = await db('airtime_requests').where({ id }).first();
      if (!before) throw new NotFoundError(`no airtime request ${id}`);
      await checkAirtimeWithAt(id, db as Parameters<typeof checkAirtimeWithAt>[1]);
      const after = await db('airtime_requests').where({ id }).first();
      return { body: toAirtimeView(after), audit: { target: `airtime:${id}`, before: auditState(before), after: auditState(after) } };
    },
  }),
];
