/**
 * M-Pesa requests Daraja left hanging, for the person on call. STK push top-ups: the list
 * of those needing a person (`unknown`, `paid_unconfirmed`; or one status), credited with
 * the receipt number the M-Pesa org portal shows (keyed `mpesa:<receipt>` like Daraja's
 * callbacks: one payment posts once) or failed (nothing moves). Withdrawals to M-Pesa
 * (B2C): the list of stuck and late-success requests, completed with the portal's receipt
 * or reversed. Lists need `read`; actions need `finance`, an Idempotency-Key, and leave an
 * audit row. 404 for an unknown id, 409 when the request is not in a status the action
 * applies to (or the receipt is another request's or customer's), 400 for bad input.
 */
import { ValidationError } from '../../errors/index.js';
import {
  B2C_REVIEW_FILTERS, B2C_STATUSES, B2C_STUCK_MINUTES, GIVE_UP_MINUTES, STK_SETTLEABLE, STK_STATUSES,
  b2cReviewQuery, completeB2cRequest, creditStkRequest, failStkRequest, reverseB2cRequest, stkRequestsQuery, toB2cRequestView, toStkRequestView,
  type B2cRequestView, type StkRequestView,
} from '../../mpesa/index.js';
import { defineRoute, schemas, type AdminContext, type AdminRoute } from '../route.js';
import { objectSchema } from '../validate.js';
import { pageBy } from '../paging.js';
import { CURRENCY, writeTransaction } from './tariffs.js';

const cents = { type: 'integer', description: 'Cents: 50000 is KES 500.00' };
const when = { type: ['string', 'null'], format: 'date-time' };
const text = { type: ['string', 'null'] };
const receipt = { type: 'string', pattern: '^[A-Za-z0-9]{6,20}$', description: 'M-Pesa\'s receipt number as the org portal shows it' };
const reason = { type: 'string', minLength: 3, maxLength: 300, description: 'What the operator checked, for the record' };
const idParams = objectSchema({ id: schemas.id }, ['id']);

const stkView = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    customerId: { type: 'integer' },
    msisdn: { type: 'string', description: 'E.164' },
    amount: cents,
    currency: { const: CURRENCY },
    status: { enum: [...STK_STATUSES] },
    resultCode: text,
    resultDesc: { ...text, description: `Daraja's words, or why it needs a person ("no final answer from M-Pesa after ${GIVE_UP_MINUTES} minutes"), or the operator's` },
    receiptNumber: text,
    merchantRequestId: text,
    checkoutRequestId: text,
    pushAttempts: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    acceptedAt: when,
    lastQueryAt: when,
    resolvedAt: when,
  },
};

const b2cView = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    customerId: { type: 'integer' },
    msisdn: { type: 'string', description: 'E.164' },
    amount: cents,
    charge: cents,
    currency: { const: CURRENCY },
    status: { enum: [...B2C_STATUSES] },
    stuck: { type: 'boolean', description: `sent with no result from Daraja for more than ${B2C_STUCK_MINUTES} minutes` },
    originatorConversationId: { type: 'string' },
    conversationId: text,
    resultCode: text,
    resultDesc: text,
    mpesaReceipt: text,
    journalEntryId: { type: 'integer' },
    reversalEntryId: { type: ['integer', 'null'] },
    attempts: { type: 'integer' },
    lastError: text,
    createdAt: { type: 'string', format: 'date-time' },
    sentAt: when,
    completedAt: when,
    lateSuccessAt: { ...when, description: 'A success that came after a reversal, or a second one: the customer was paid twice, recover it by hand' },
    stuckFlaggedAt: { ...when, description: 'When the worker logged it as stuck' },
  },
};

function stkBody(v: StkRequestView) {
  return { ...v, currency: CURRENCY };
}

function b2cBody(v: B2cRequestView) {
  return { ...v, currency: CURRENCY };
}

function stkAudit(v: StkRequestView) {
  return { status: v.status, amount: v.amount, receiptNumber: v.receiptNumber, resultCode: v.resultCode, resultDesc: v.resultDesc };
}

function b2cAudit(v: B2cRequestView) {
  return { status: v.status, amount: v.amount, charge: v.charge, mpesaReceipt: v.mpesaReceipt, resultCode: v.resultCode, reversalEntryId: v.reversalEntryId };
}

/** The router demands the header on idempotent routes; say so plainly should one slip through. */
function idempotencyKeyOf(ctx: AdminContext): string {
  if (!ctx.idempotencyKey) throw new ValidationError('this route needs an Idempotency-Key header', 'Idempotency-Key');
  return `admin:${ctx.idempotencyKey}`;
}

export const mpesaRequestsRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/mpesa/stk',
    scope: 'read',
    summary: `STK push top-ups, newest first: by default those needing a person (unknown: the outcome was never seen, or no final answer after ${GIVE_UP_MINUTES} minutes; paid_unconfirmed: the STK query said paid but no receipt came); status= one status`,
    query: objectSchema({ ...schemas.paging, status: { enum: [...STK_STATUSES] } }),
    response: schemas.page(stkView),
    handler: async ({ query }, { db }) => ({
      body: await pageBy(stkRequestsQuery(db, query.status ? [query.status] : undefined), query, (r) => stkBody(toStkRequestView(r))),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/mpesa/stk/{id}/credit',
    scope: 'finance',
    idempotent: true,
    summary: `Credit an STK top-up (${STK_SETTLEABLE.join(', ')}) that the M-Pesa portal shows paid, with its receipt number: posted to the wallet keyed mpesa:<receipt> with the receipt SMS, so its callback or C2B confirmation posts nothing more; a receipt held in suspense for no one is allocated. 404 unknown id, 409 settled already or the receipt is another request's, customer's or amount`,
    params: idParams,
    body: objectSchema({ receipt, reason }, ['receipt', 'reason']),
    response: {
      ...stkView,
      properties: {
        ...stkView.properties,
        credit: {
          type: 'object',
          properties: {
            transId: { type: 'string' },
            status: { enum: ['posted', 'suspense', 'allocated'], description: 'suspense: the wallet refused it (over its maximum, customer not active)' },
            replayed: { type: 'boolean', description: 'The receipt had been credited before (its callback or C2B confirmation came first): nothing moved now' },
            reason: { type: 'string' },
          },
        },
      },
    },
    handler: async ({ params, body }, ctx) => {
      const { before, after, receipt: credit } = await creditStkRequest(writeTransaction(ctx.db), params.id, {
        receipt: body.receipt, reason: body.reason, by: ctx.key.name, idempotencyKey: idempotencyKeyOf(ctx),
      });
      return { body: { ...stkBody(after), credit }, audit: { target: `stk_request:${params.id}`, before: stkAudit(before), after: { ...stkAudit(after), credit } } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/mpesa/stk/{id}/fail',
    scope: 'finance',
    idempotent: true,
    summary: `Fail an STK top-up (${STK_SETTLEABLE.join(', ')}) that the M-Pesa portal shows not paid: nothing moves, the customer gets an SMS; a paid callback that comes after is still credited. 404 unknown id, 409 settled already`,
    params: idParams,
    body: objectSchema({ reason }, ['reason']),
    response: stkView,
    handler: async ({ params, body }, ctx) => {
      idempotencyKeyOf(ctx);
      const { before, after } = await failStkRequest(writeTransaction(ctx.db), params.id, { reason: body.reason, by: ctx.key.name });
      return { body: stkBody(after), audit: { target: `stk_request:${params.id}`, before: stkAudit(before), after: stkAudit(after) } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/mpesa/b2c',
    scope: 'read',
    summary: `Withdrawals to M-Pesa needing a person, newest first: filter=stuck (sent, no result for more than ${B2C_STUCK_MINUTES} minutes), late_success (paid after a reversal, or twice), all (both; the default); status= narrows to one status`,
    query: objectSchema({ ...schemas.paging, filter: { enum: [...B2C_REVIEW_FILTERS], default: 'all' }, status: { enum: [...B2C_STATUSES] } }),
    response: schemas.page(b2cView),
    handler: async ({ query }, { db }) => ({
      body: await pageBy(b2cReviewQuery(db, { filter: query.filter, status: query.status }), query, (r) => b2cBody(toB2cRequestView(r))),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/mpesa/b2c/{id}/complete',
    scope: 'finance',
    idempotent: true,
    summary: 'Complete a sent withdrawal that the M-Pesa portal shows paid, with its receipt number: status completed and the receipt SMS; nothing moves. 404 unknown id, 409 not sent or the receipt is another request\'s',
    params: idParams,
    body: objectSchema({ receipt, reason }, ['receipt', 'reason']),
    response: b2cView,
    handler: async ({ params, body }, ctx) => {
      idempotencyKeyOf(ctx);
      const { before, after } = await completeB2cRequest(writeTransaction(ctx.db), params.id, { receipt: body.receipt, reason: body.reason, by: ctx.key.name });
      return { body: b2cBody(after), audit: { target: `b2c_request:${params.id}`, before: b2cAudit(before), after: b2cAudit(after) } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/mpesa/b2c/{id}/reverse',
    scope: 'finance',
    idempotent: true,
    summary: 'Reverse a sent withdrawal that the M-Pesa portal shows not paid: amount and charge back to the wallet by a compensating entry, with the notice SMS; a success that comes after is flagged, never paid again. 404 unknown id, 409 not sent',
    params: idParams,
    body: objectSchema({ reason }, ['reason']),
    response: b2cView,
    handler: async ({ params, body }, ctx) => {
      idempotencyKeyOf(ctx);
      const { before, after } = await reverseB2cRequest(writeTransaction(ctx.db), params.id, { reason: body.reason, by: ctx.key.name });
      return { body: b2cBody(after), audit: { target: `b2c_request:${params.id}`, before: b2cAudit(before), after: b2cAudit(after) } };
    },
  }),
];
