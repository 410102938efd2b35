/**
 * The Loans effects (home item 7), implemented with src/loans (see menus/loans-actors.ts).
 *
 * What the menu may borrow on a product is the engine's limit (loanLimit) less what the
 * caller owes on open loans of that product; below the product's minimum that is a refusal
 * (`has_loan`). Taking a loan checks the PIN, then, under a lock on the customer's row (so
 * two sessions of one customer cannot both spend one limit), the limit again, disburses and
 * writes the schedule SMS in the same transaction. Repaying checks the PIN and that the loan
 * is the caller's, then repays from the wallet and writes the receipt SMS in one transaction.
 */
import { fromPromise } from 'xstate';
import type { LoanLimitView, LoanView, LoansEffects } from '../../menus/index.js';
import { db, type Db } from '../db/index.js';
import { AppError } from '../errors/index.js';
import { CustomerNotFoundError, findCustomer, verifyPin, type Customer } from '../customers/index.js';
import { displayBalance } from '../ledger/index.js';
import {
  computeSchedule, disburseLoan, findLoanByKey, findProductByCode, getProduct, listProducts, loadLoan, loanDisbursedSms, loanLimit, loanRepaidSms,
  loanStatement, loansOf, nairobiDay, repayLoan, showDay, LoanNotFoundError, LoanOverpaymentError, LoanProductNotFoundError,
} from '../loans/index.js';
import { enqueueSms } from '../sms/outbox.js';
import { toMenuFailure } from './effect.js';

/** The amount asked for is more than the caller may borrow now (the limit fell since the menu showed it). */
export class LoanOverLimitError extends AppError {
  constructor(readonly available: bigint) {
    super('loan_over_limit', `at most ${available} cents may be borrowed now`, 409, true);
  }
}

/** As domainEffect, and a refused overpayment carries the payoff the menu asks again with. */
function effect<K extends keyof LoansEffects>(run: (input: LoansEffects[K]['input']) => Promise<LoansEffects[K]['output']>) {
  return fromPromise<LoansEffects[K]['output'], LoansEffects[K]['input']>(async ({ input }) => {
    try {
      return await run(input);
    } catch (err) {
      const failure = toMenuFailure(err);
      if (err instanceof LoanOverpaymentError) failure.payoffCents = err.payoff.toString();
      throw failure;
    }
  });
}

async function customerOf(msisdn: string): Promise<Customer> {
  const customer = await findCustomer(msisdn, db);
  if (!customer) throw new CustomerNotFoundError();
  return customer;
}

async function walletBalance(q: Db, walletAccountId: number): Promise<bigint> {
  const row = await q('accounts').where({ id: walletAccountId }).first('balance', 'normal_side');
  return displayBalance({ balance: row.balance as bigint, normalSide: row.normal_side });
}

/** The caller's limit on `productCode`, less what is owed on the product; a reason when nothing may be borrowed. */
async function limitView(q: Db, customerId: number, productCode: string): Promise<LoanLimitView> {
  const product = await findProductByCode(q, productCode);
  if (!product) throw new LoanProductNotFoundError(productCode);
  const l = await loanLimit(q, customerId, productCode);
  const left = l.limit - l.outstanding;
  const reason = l.reason ?? (left < product.principalMin ? 'has_loan' : null);
  return {
    limitCents: l.limit.toString(), availableCents: reason === null ? left.toString() : '0', minCents: product.principalMin.toString(),
    owedCents: l.outstanding.toString(), reason,
  };
}

/** The terms screen's figures of `principal` on `productCode` disbursed on `on`. */
async function termsOf(q: Db, productCode: string, principal: bigint, on = nairobiDay()) {
  const product = await findProductByCode(q, productCode);
  if (!product) throw new LoanProductNotFoundError(productCode);
  const schedule = computeSchedule(product, principal, on);
  const sum = (f: (i: (typeof schedule)[number]) => bigint) => schedule.reduce((s, i) => s + f(i), 0n);
  return {
    product, schedule,
    view: {
      principalCents: principal.toString(), feeCents: sum((i) => i.fee).toString(), totalCents: sum((i) => i.total).toString(),
      installments: schedule.length, firstCents: schedule[0].total.toString(), firstDue: showDay(schedule[0].dueDate),
    },
  };
}

async function loanView(loanId: bigint): Promise<LoanView> {
  const s = await loanStatement(db, loanId);
  const product = await getProduct(db, s.productId);
  let suggested = s.dueNow > 0n ? s.dueNow : (s.nextDue?.amount ?? s.payoff);
  if (suggested > s.payoff) suggested = s.payoff;
  return {
    id: s.loanId.toString(), productName: product.name, outstandingCents: s.outstanding.total.toString(), payoffCents: s.payoff.toString(),
    dueNowCents: s.dueNow.toString(), suggestedCents: suggested.toString(), overdueCents: s.overdue.amount.toString(),
    nextDue: s.nextDue ? { date: showDay(s.nextDue.dueDate), amountCents: s.nextDue.amount.toString() } : null,
  };
}

/** Loans effects, for `mainMenu.provide({ actors })`. */
export const loansEffects = {
  loanProducts: effect<'loanProducts'>(async () => ({
    // In the order they were made (the seeded Simu Advance first), at most LOAN_PRODUCTS_MAX of them on the screen.
    products: (await listProducts(db)).sort((a, b) => a.id - b.id)
      .map((p) => ({ code: p.code, name: p.name, minCents: p.principalMin.toString(), installments: p.installments })),
  })),
  loanLimitFor: effect<'loanLimitFor'>(async (i) => ({ limit: await limitView(db, (await customerOf(i.msisdn)).id, i.productCode) })),
  loanTerms: effect<'loanTerms'>(async (i) => ({ terms: (await termsOf(db, i.productCode, BigInt(i.amountCents))).view })),
  /** Disburses under `ussd:<sessionId>:<n>`; a replay of the session answers with the loan first made. */
  takeLoan: effect<'takeLoan'>(async (i) => {
    const customer = await verifyPin(i.msisdn, i.pin, db);
    const principal = BigInt(i.amountCents);
    return db.transaction(async (trx) => {
      await trx('customers').where({ id: customer.id }).forUpdate().first('id');
      if (!(await findLoanByKey(trx, i.idempotencyKey))) {
        const limit = await limitView(trx, customer.id, i.productCode);
        if (limit.reason !== null || principal > BigInt(limit.availableCents)) throw new LoanOverLimitError(BigInt(limit.availableCents));
      }
      const d = await disburseLoan(trx, { customerId: customer.id, productCode: i.productCode, principal, idempotencyKey: i.idempotencyKey });
      const { product, view } = await termsOf(trx, i.productCode, principal, d.loan.disbursedOn);
      const balance = await walletBalance(trx, customer.walletAccountId);
      if (!d.replayed) {
        await enqueueSms(trx, [{
          msisdn: customer.msisdn, kind: 'receipt', dedupeKey: `loan:disbursed:${d.code}`,
          message: loanDisbursedSms(customer.language, {
            code: d.code, product: product.name, principal, fee: BigInt(view.feeCents), total: BigInt(view.totalCents), balance,
            installments: d.schedule.map((s) => ({ dueDate: s.dueDate, total: s.total })),
          }),
        }]);
      }
      return { loanReceipt: { ...view, code: d.code, productName: product.name, walletBalanceCents: balance.toString() } };
    });
  }),
  myLoans: effect<'myLoans'>(async (i) => {
    const open = (await loansOf(db, (await customerOf(i.msisdn)).id, { open: true })).reverse();
    const loans: LoanView[] = [];
    for (const l of open) loans.push(await loanView(l.id));
    return { loans };
  }),
  /** Repays from the wallet under `ussd:<sessionId>:<n>`; only the caller's own loan. */
  payLoan: effect<'payLoan'>(async (i) => {
    const customer = await verifyPin(i.msisdn, i.pin, db);
    const loanId = BigInt(i.loanId);
    const loan = await loadLoan(db, loanId);
    if (loan.customerId !== customer.id) throw new LoanNotFoundError(loanId);
    const product = await getProduct(db, loan.productId);
    return db.transaction(async (trx) => {
      const r = await repayLoan(trx, { loanId, amount: BigInt(i.amountCents), idempotencyKey: i.idempotencyKey });
      const balance = await walletBalance(trx, customer.walletAccountId);
      if (!r.replayed) {
        await enqueueSms(trx, [{
          msisdn: customer.msisdn, kind: 'receipt', dedupeKey: `loan:repaid:${r.code}`,
          message: loanRepaidSms(customer.language, { code: r.code, product: product.name, amount: r.amount, outstanding: r.outstanding, balance }),
        }]);
      }
      return {
        loanRepayment: {
          code: r.code, productName: product.name, amountCents: r.amount.toString(), outstandingCents: r.outstanding.toString(), walletBalanceCents: balance.toString(),
        },
      };
    });
  }),
};
