/**
 * Merchant confirmations (the outbox of Daraja C2B confirmations to merchants' URLs): a
 * merchant's, newest first, with their delivery state (scope `read`), and a retry that
 * makes one due now (scope `operate`), e.g. once a merchant has fixed its server.
 */
import {
  confirmationQueueHandle, confirmationsQuery, getMerchant, retryConfirmation, CONFIRMATION_FILTERS, type ConfirmationRow,
} from '../../merchants/index.js';
import { defineRoute, schemas, type AdminRoute } from '../route.js';
import { objectSchema } from '../validate.js';
import { pageBy } from '../paging.js';
import { writeTransaction } from './tariffs.js';

const timestamp = { type: ['string', 'null'], format: 'date-time' };

/** A confirmation as the API shows it. */
const confirmationView = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    merchantId: { type: 'integer' },
    journalEntryId: { type: 'integer' },
    code: { type: 'string', description: 'The journal entry\'s transaction code: the TransID the merchant receives' },
    url: { type: 'string', description: 'The confirmation URL it is posted to (the merchant\'s when the payment was made)' },
    status: {
      enum: ['pending', 'queued', 'delivering', 'delivered', 'failed'],
      description: 'pending → queued (in bull) → delivering (a POST in flight) → delivered (2xx) | failed (out of attempts; tried again hourly)',
    },
    attempts: { type: 'integer', description: 'POSTs tried, across retries' },
    lastHttpStatus: { type: ['integer', 'null'], description: 'What the merchant answered last; null after a timeout or network error' },
    lastError: { type: ['string', 'null'] },
    nextAttemptAt: { ...timestamp, description: 'When the next POST is due; null once delivered' },
    createdAt: { type: 'string', format: 'date-time' },
    queuedAt: timestamp,
    claimedAt: timestamp,
    deliveredAt: timestamp,
    payload: { type: 'object', description: 'The Daraja C2B confirmation body posted, the same on every try' },
  },
};

/** Maps a merchant_confirmations row (with its entry's code) to its view. */
function toConfirmationView(r: Record<string, unknown>) {
  return {
    id: r.id, merchantId: r.merchant_id, journalEntryId: r.journal_entry_id, code: r.code, url: r.url, status: r.status, attempts: r.attempts,
    lastHttpStatus: r.last_http_status ?? null, lastError: r.last_error ?? null, nextAttemptAt: r.next_attempt_at ?? null,
    createdAt: r.created_at, queuedAt: r.queued_at ?? null, claimedAt: r.claimed_at ?? null, deliveredAt: r.delivered_at ?? null, payload: r.payload,
  };
}

/** What the audit row keeps of a confirmation (not its payload). */
function auditState(r: ConfirmationRow) {
  return { status: r.status, attempts: r.attempts, nextAttemptAt: r.next_attempt_at, lastHttpStatus: r.last_http_status, lastError: r.last_error };
}

const idParam = objectSchema({ id: schemas.id }, ['id']);

export const merchantConfirmationsRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/merchants/{id}/confirmations',
    scope: 'read',
    summary: 'A merchant\'s confirmations, newest first, with their delivery state; status pending means still on its way (pending, queued or delivering)',
    params: idParam,
    query: objectSchema({ ...schemas.paging, status: { enum: [...CONFIRMATION_FILTERS] } }),
    response: schemas.page(confirmationView),
    handler: async ({ params, query }, { db }) => {
      await getMerchant(db, params.id); // 404 for an unknown merchant, not an empty page
      return { body: await pageBy(confirmationsQuery(db, params.id, query.status), { ...query, idColumn: 'c.id' }, toConfirmationView) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/merchant-confirmations/{id}/retry',
    scope: 'operate',
    summary: 'Make a confirmation due now: it goes (back) to pending with its next attempt now, a failed one included, and a job waiting out its backoff runs at once. 409 when it was delivered already or a POST of it is in flight',
    params: idParam,
    response: confirmationView,
    handler: async ({ params }, { db }) => {
      const id = String(params.id);
      const { before, after } = await retryConfirmation(writeTransaction(db), id, { queue: confirmationQueueHandle() });
      return { body: toConfirmationView(after), audit: { target: `merchant_confirmation:${id}`, before: auditState(before), after: auditState(after) } };
    },
  }),
];
