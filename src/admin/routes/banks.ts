/**
 * Bank payments, for operators: the list (scope `read`; `status=suspense` is the work
 * queue of payments no customer could be found for), and the allocation of one held on
 * suspense:bank to a customer's wallet (scope `finance`, Idempotency-Key required, the
 * ledger key is `admin:<Idempotency-Key>`), audited. Amounts are integers of cents.
 */
import { ValidationError } from '../../errors/index.js';
import { normalizeMsisdn } from '../../phone/index.js';
import {
  allocateBankPayment, bankPaymentsQuery, toBankPayment, BANK_CODES, type BankCode, type BankPaymentRecord,
} from '../../banks/index.js';
import { defineRoute, schemas, type AdminRoute } from '../route.js';
import { objectSchema } from '../validate.js';
import { pageBy } from '../paging.js';
import { CURRENCY, writeTransaction } from './tariffs.js';

const STATUSES = ['posted', 'suspense', 'allocated'] as const;
const nullableString = { type: ['string', 'null'] };

const paymentView = {
  type: 'object',
  properties: {
    bank: { enum: [...BANK_CODES] },
    transactionId: { type: 'string', description: 'The bank\'s id (Equity transactionId, KCB transactionRef)' },
    account: { type: 'string', description: 'What the payer typed as the account (Equity studentId, KCB accountNumber)' },
    amount: { type: 'integer', description: 'Cents' },
    currency: { const: CURRENCY },
    status: { enum: [...STATUSES], description: 'posted: credited to a wallet; suspense: held on suspense:bank; allocated: moved to a wallet by an operator' },
    suspenseReason: { enum: ['unknown_account', 'inactive_customer', 'max_balance', null] },
    msisdn: { ...nullableString, description: 'E.164 of the customer credited' },
    reference: { type: 'string', description: 'Transaction code of the entry that received the money' },
    allocationReference: { ...nullableString, description: 'Transaction code of the allocation entry' },
    allocationReason: nullableString,
    allocatedBy: nullableString,
    allocatedAt: { type: ['string', 'null'], format: 'date-time' },
    payload: { type: 'object', description: 'The bank\'s JSON as sent' },
    receivedAt: { type: 'string', format: 'date-time' },
  },
};

function toView(p: BankPaymentRecord) {
  return {
    bank: p.bank, transactionId: p.transactionId, account: p.account, amount: p.amount, currency: CURRENCY, status: p.status,
    suspenseReason: p.suspenseReason, msisdn: p.msisdn, reference: p.reference, allocationReference: p.allocationReference,
    allocationReason: p.allocationReason, allocatedBy: p.allocatedBy, allocatedAt: p.allocatedAt, payload: p.payload, receivedAt: p.createdAt,
  };
}

/** What the audit row keeps of a payment. */
function audited(p: BankPaymentRecord) {
  return { status: p.status, amount: p.amount, account: p.account, msisdn: p.msisdn, reference: p.reference, allocationReference: p.allocationReference };
}

export const banksRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/banks/payments',
    scope: 'read',
    summary: 'Page bank payments (Equity, KCB), newest first; status=suspense lists those waiting for an operator to allocate them',
    query: objectSchema({ ...schemas.paging, status: { enum: [...STATUSES] }, bank: { enum: [...BANK_CODES] } }),
    response: schemas.page(paymentView),
    handler: async ({ query }, { db }) => {
      const q = bankPaymentsQuery(db);
      if (query.status) q.where('bp.status', query.status);
      if (query.bank) q.where('bp.bank', query.bank);
      return { body: await pageBy(q, { ...query, idColumn: 'bp.id' }, (r) => toView(toBankPayment(r))) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/banks/payments/{bank}/{transactionId}/allocate',
    scope: 'finance',
    summary: 'Allocate a bank payment held in suspense to a customer\'s wallet (one journal entry suspense:bank → wallet, receipt SMS), once per Idempotency-Key. 404: no such payment or customer; 409: already allocated or not in suspense; 422: over the wallet\'s maximum balance',
    idempotent: true,
    params: objectSchema({ bank: { enum: [...BANK_CODES] }, transactionId: { type: 'string', minLength: 1, maxLength: 64 } }, ['bank', 'transactionId']),
    body: objectSchema(
      { msisdn: { type: 'string', minLength: 1, maxLength: 32 }, reason: { type: 'string', minLength: 3, maxLength: 200, pattern: '\\S' } },
      ['msisdn', 'reason'],
    ),
    response: paymentView,
    handler: async ({ params, body }, ctx) => {
      const msisdn = normalizeMsisdn(body.msisdn);
      if (!msisdn) throw new ValidationError('msisdn: not a mobile number (07XXXXXXXX or +2547XXXXXXXX)', 'msisdn');
      if (!ctx.idempotencyKey) throw new ValidationError('this route needs an Idempotency-Key header', 'Idempotency-Key');
      const { before, after } = await allocateBankPayment(writeTransaction(ctx.db), {
        bank: params.bank as BankCode, transactionId: params.transactionId, msisdn, reason: body.reason.trim(),
        idempotencyKey: `admin:${ctx.idempotencyKey}`, allocatedBy: ctx.key.name,
      });
      return {
        status: 200,
        body: toView(after),
        audit: { target: `bank_payment:${params.bank}:${params.transactionId}`, before: audited(before), after: { ...audited(after), reason: after.allocationReason } },
      };
    },
  }),
];
