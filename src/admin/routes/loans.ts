/**
 * Loans for operators: a customer's loans, one loan's statement (scope `read`), and the
 * write-off of a loan 90 or more days overdue (scope `finance`, audited; the ledger key is
 * the loan's own, `loan:<id>:write-off`, so a retry returns the first write-off). Amounts are
 * integer cents with the currency beside them. 404 for an unknown loan; 409 when the loan
 * cannot be written off (repaid, or overdue fewer than 90 days).
 */
import { loanStatement, loansOf, writeOffLoan, type Loan, type LoanStatement } from '../../loans/index.js';
import { defineRoute, schemas, type AdminRoute } from '../route.js';
import { objectSchema } from '../validate.js';
import { CURRENCY, writeTransaction } from './tariffs.js';

const cents = { type: 'integer', description: 'Cents: 50000 is KES 500.00' };
const components = {
  type: 'object',
  properties: { principal: cents, interest: cents, fee: cents, penalty: cents, total: cents },
};

const loanView = {
  type: 'object',
  properties: {
    loanId: { type: 'integer' },
    customerId: { type: 'integer' },
    productId: { type: 'integer' },
    status: { enum: ['applied', 'active', 'overdue', 'repaid', 'written_off'] },
    principal: cents,
    disbursedOn: { type: 'string', format: 'date' },
    outstanding: { ...components, description: 'What the schedule says is owed: always the balance of the loan\'s receivable' },
    payoff: { ...cents, description: 'What settles the loan today' },
    dueNow: cents,
    nextDue: { type: ['object', 'null'], properties: { seq: { type: 'integer' }, dueDate: { type: 'string', format: 'date' }, amount: cents } },
    overdue: { type: 'object', properties: { amount: cents, since: { type: ['string', 'null'], format: 'date' }, days: { type: 'integer' } } },
    writtenOff: cents,
    currency: { const: CURRENCY },
  },
};

/** A statement as the API shows it (installments left out of lists). */
function view(s: LoanStatement, withInstallments = true) {
  const { installments, ...rest } = s;
  return { ...rest, currency: CURRENCY, ...(withInstallments ? { installments } : {}) };
}

const listItem = (l: Loan) => ({
  loanId: l.id, customerId: l.customerId, productId: l.productId, status: l.status, principal: l.principal, disbursedOn: l.disbursedOn, currency: CURRENCY,
});

export const loansRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/customers/{id}/loans',
    scope: 'read',
    summary: 'A customer\'s loans, newest first',
    params: objectSchema({ id: { ...schemas.id, maximum: 2_147_483_647 } }, ['id']),
    response: { type: 'object', properties: { data: { type: 'array', items: loanView } } },
    handler: async ({ params }, { db }) => ({ body: { data: (await loansOf(db, params.id)).map(listItem) } }),
  }),
  defineRoute({
    method: 'get',
    path: '/loans/{id}',
    scope: 'read',
    summary: 'A loan\'s statement today: outstanding by component, payoff, due now, next due, overdue, installments. 404 unknown loan',
    params: objectSchema({ id: schemas.id }, ['id']),
    response: loanView,
    handler: async ({ params }, { db }) => ({ body: view(await loanStatement(db, BigInt(params.id))) }),
  }),
  defineRoute({
    method: 'post',
    path: '/loans/{id}/write-off',
    scope: 'finance',
    summary: 'Write off a loan overdue 90 days or more: everything outstanding (penalties included) moves from its receivable to expense:loan-write-offs. A retry answers the first write-off. 404 unknown loan, 409 repaid or not overdue long enough',
    params: objectSchema({ id: schemas.id }, ['id']),
    body: objectSchema({ reason: { type: 'string', minLength: 3, maxLength: 300 } }, ['reason']),
    response: {
      type: 'object',
      properties: { loanId: { type: 'integer' }, amount: cents, currency: { const: CURRENCY }, code: { type: 'string' }, by: { type: 'string' }, replayed: { type: 'boolean' } },
    },
    handler: async ({ params, body }, ctx) => {
      const trx = writeTransaction(ctx.db);
      const before = await loanStatement(trx, BigInt(params.id));
      const w = await writeOffLoan(trx, BigInt(params.id), { by: ctx.key.name });
      return {
        body: { ...w, currency: CURRENCY },
        audit: { target: `loan:${params.id}`, before: { status: before.status, outstanding: before.outstanding.total }, after: { status: 'written_off', amount: w.amount, code: w.code, reason: body.reason } },
      };
    },
  }),
];
