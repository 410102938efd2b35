/**
 * Airtime requests, for operators (scope `read`): the report of requests without a final
 * status an hour after they were made (`status=unresolved`: AT's answer or callback never
 * came, or a reversal is still owed), or a page of requests by status or payer.
 */
import { ValidationError } from '../../errors/index.js';
import { normalizeMsisdn } from '../../phone/index.js';
import { AIRTIME_STATUSES, OPEN_STATUSES, UNRESOLVED_AFTER_MINUTES } from '../../airtime/index.js';
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
  },
};

function toAirtimeView(r: Record<string, unknown>) {
  return {
    id: r.id, payer: r.payer_msisdn, recipient: r.recipient_msisdn, amount: r.amount, currency: 'KES', status: r.status, attempts: r.attempts,
    atRequestId: r.at_request_id, atStatus: r.at_status, lastError: r.last_error, journalEntryId: r.journal_entry_id,
    reversalEntryId: r.reversal_entry_id ?? null, sessionId: r.session_id ?? null, createdAt: r.created_at, queuedAt: r.queued_at,
    sentAt: r.sent_at, completedAt: r.completed_at, reviewedAt: r.reviewed_at,
  };
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
];
