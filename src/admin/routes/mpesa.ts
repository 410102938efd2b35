/**
 * M-Pesa receipts in suspense (money received for no active customer, or over a wallet's
 * maximum balance): listed newest first (scope `read`), and allocated to a customer's
 * wallet (scope `finance`, Idempotency-Key required, ledger key `admin:<Idempotency-Key>`),
 * with a receipt SMS and an audit row. 404 for an unknown receipt, 409 when it is not in
 * suspense (allocated already, or posted when it came).
 */
import { ValidationError } from '../../errors/index.js';
import { allocateReceipt, suspenseQuery, toReceiptView, type ReceiptView } from '../../mpesa/index.js';
import { defineRoute, schemas, type AdminRoute } from '../route.js';
import { objectSchema } from '../validate.js';
import { pageBy } from '../paging.js';
import { CURRENCY, writeTransaction } from './tariffs.js';

const receiptView = {
  type: 'object',
  properties: {
    transId: { type: 'string', description: 'M-Pesa\'s transaction id (C2B TransID)' },
    kind: { enum: ['c2b', 'stk'] },
    amount: { type: 'integer', description: 'Cents' },
    currency: { const: CURRENCY },
    billRef: { type: 'string', description: 'The account the payer typed (BillRefNumber)' },
    msisdn: { type: 'string', description: 'The payer as Daraja gave it (masked)' },
    status: { enum: ['posted', 'suspense', 'allocated'] },
    statusReason: { type: ['string', 'null'], description: 'Why it went to suspense' },
    journalEntryId: { type: ['integer', 'null'] },
    allocatedTo: { type: ['integer', 'null'], description: 'The customer id it was allocated to' },
    allocationEntryId: { type: ['integer', 'null'] },
    allocationReason: { type: ['string', 'null'] },
    allocatedAt: { type: ['string', 'null'], format: 'date-time' },
    createdAt: { type: 'string', format: 'date-time' },
    payload: { type: 'object', description: 'Daraja\'s confirmation body as received' },
  },
};

/** A receipt as the API shows it. */
function view(r: ReceiptView) {
  const { id: _id, shortCode: _s, ...rest } = r;
  return { ...rest, currency: CURRENCY };
}

/** What the audit row keeps of a receipt (not its payload). */
function auditState(r: ReceiptView) {
  return { status: r.status, amount: r.amount, allocatedTo: r.allocatedTo, allocationEntryId: r.allocationEntryId, allocationReason: r.allocationReason };
}

export const mpesaRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/mpesa/suspense',
    scope: 'read',
    summary: 'M-Pesa receipts held in suspense:mpesa awaiting allocation, newest first',
    query: objectSchema({ ...schemas.paging }),
    response: schemas.page(receiptView),
    handler: async ({ query }, { db }) => ({ body: await pageBy(suspenseQuery(db), query, (r) => view(toReceiptView(r))) }),
  }),
  defineRoute({
    method: 'post',
    path: '/mpesa/suspense/{transId}/allocate',
    scope: 'finance',
    idempotent: true,
    summary: 'Move a suspense receipt to the wallet of the customer holding msisdn, with a receipt SMS. 404 unknown receipt, 409 not in suspense',
    params: objectSchema({ transId: { type: 'string', pattern: '^[A-Za-z0-9]{6,20}$' } }, ['transId']),
    body: objectSchema({ msisdn: schemas.msisdn, reason: { type: 'string', minLength: 3, maxLength: 300 } }, ['msisdn', 'reason']),
    response: receiptView,
    handler: async ({ params, body }, ctx) => {
      if (!ctx.idempotencyKey) throw new ValidationError('this route needs an Idempotency-Key header', 'Idempotency-Key');
      const { before, after } = await allocateReceipt(writeTransaction(ctx.db), {
        transId: params.transId, msisdn: body.msisdn, reason: body.reason, idempotencyKey: `admin:${ctx.idempotencyKey}`, by: ctx.key.name,
      });
      return { body: view(after), audit: { target: `mpesa_receipt:${params.transId}`, before: auditState(before), after: auditState(after) } };
    },
  }),
];
