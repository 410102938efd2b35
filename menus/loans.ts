/**
 * Loans (home item 7): `1 Apply`, `2 Repay`, `3 Loan status`.
 *
 * Apply: the products (numbered), then the caller's limit on the one picked. A zero limit
 * ends the session saying why (an overdue loan, not enough history yet, below the
 * product's minimum, or an open loan of the product using the limit up). Otherwise the
 * amount (whole KES, the product's minimum up to what is available), the terms (fee, total
 * to repay, due date or first installment) with `1 Accept`, the PIN; the loan is disbursed
 * at once (the limit checked again) and the session ends with the receipt; an SMS carries
 * the schedule.
 *
 * Repay and Loan status live in ./loans-repay.ts.
 */
import { assign } from 'xstate';
import { parseWholeShillings } from '../src/money/index.js';
import { confirmInput, menuSetup, nav, paymentKey, pinFailures, pinInput, reask } from './setup.js';
import type { InputEvent, MenuContext } from './types.js';
import type { LoanProductView } from './loans-actors.js';
import { loansRepayStates } from './loans-repay.js';

/** Products listed on one screen. */
export const LOAN_PRODUCTS_MAX = 4;

type Args = { context: MenuContext; event: InputEvent };

const failed = { target: '#menu.failed', actions: 'recordFailure' as const };
const on = (codes: string[]) => ({ type: 'failedWith' as const, params: { codes } });

/** The product `event.value` names in the list (1-based), or undefined. */
function pickedProduct({ context, event }: Args): LoanProductView | undefined {
  return /^[1-9]$/.test(event.value) ? context.loans?.products?.[Number(event.value) - 1] : undefined;
}

/** Whole KES from the product's minimum up to what the caller may borrow now. */
function inLimit({ context, event }: Args): boolean {
  const cents = parseWholeShillings(event.value);
  const limit = context.loans?.limit;
  return cents !== null && limit !== undefined && cents >= BigInt(limit.minCents) && cents <= BigInt(limit.availableCents);
}

const keepAmount = assign<MenuContext, InputEvent, undefined, InputEvent, never>({ amountCents: ({ event }) => parseWholeShillings(event.value)!.toString() });
const productCode = (c: MenuContext) => c.loans!.product!.code;

/** The Loans states (`loans.*`), entered from home item 7. */
export const loansStates = menuSetup.createStateConfig({
  initial: 'menu',
  states: {
    menu: {
      tags: ['input'],
      on: {
        INPUT: [
          ...nav('#menu.home'),
          { guard: { type: 'isChoice', params: { choice: '1' } }, target: 'loadingProducts', actions: ['clearError', assign({ loans: {} })] },
          { guard: { type: 'isChoice', params: { choice: '2' } }, target: 'loadingLoans', actions: ['clearError', assign({ loans: { purpose: 'repay' as const } })] },
          { guard: { type: 'isChoice', params: { choice: '3' } }, target: 'loadingLoans', actions: ['clearError', assign({ loans: { purpose: 'status' as const } })] },
          reask('invalidChoice'),
        ],
      },
    },
    loadingProducts: {
      invoke: {
        src: 'loanProducts',
        input: ({ context }) => ({ msisdn: context.msisdn }),
        onDone: [
          {
            guard: ({ event }) => event.output.products.length > 0,
            target: 'product',
            actions: assign({ loans: ({ event }) => ({ products: event.output.products.slice(0, LOAN_PRODUCTS_MAX) }) }),
          },
          { target: '#menu.loansUnavailable' },
        ],
        onError: failed,
      },
    },
    product: {
      tags: ['input'],
      on: {
        INPUT: [
          ...nav('menu'),
          {
            guard: (a) => pickedProduct(a) !== undefined,
            target: 'checkingLimit',
            actions: ['clearError', assign({ loans: ({ context, event }) => ({ products: context.loans?.products, product: pickedProduct({ context, event }) }) })],
          },
          reask('invalidChoice'),
        ],
      },
    },
    checkingLimit: {
      invoke: {
        src: 'loanLimitFor',
        input: ({ context }) => ({ msisdn: context.msisdn, productCode: productCode(context) }),
        onDone: [
          { guard: ({ event }) => event.output.limit.reason === null, target: 'amount', actions: assign({ loans: ({ context, event }) => ({ ...context.loans, limit: event.output.limit }) }) },
          { target: '#menu.loanNoLimit', actions: assign({ loans: ({ context, event }) => ({ ...context.loans, limit: event.output.limit }) }) },
        ],
        onError: failed,
      },
    },
    amount: {
      tags: ['input'],
      on: {
        INPUT: [
          ...nav('product'),
          { guard: inLimit, target: 'quoting', actions: ['clearError', keepAmount] },
          { guard: 'isAmount', ...reask('loans.amountRange') },
          reask('invalidAmount'),
        ],
      },
    },
    quoting: {
      invoke: {
        src: 'loanTerms',
        input: ({ context }) => ({ productCode: productCode(context), amountCents: context.amountCents! }),
        onDone: { target: 'terms', actions: assign({ loans: ({ context, event }) => ({ ...context.loans, terms: event.output.terms }) }) },
        onError: failed,
      },
    },
    terms: confirmInput('amount', 'pin'),
    pin: pinInput('terms', 'disbursing'),
    disbursing: {
      invoke: {
        src: 'takeLoan',
        input: ({ context, event }) => ({
          msisdn: context.msisdn, productCode: productCode(context), amountCents: context.amountCents!, pin: (event as InputEvent).value,
          idempotencyKey: paymentKey(context, event),
        }),
        onDone: { target: '#menu.loanDisbursed', actions: assign({ loanReceipt: ({ event }) => event.output.loanReceipt }) },
        onError: [
          ...pinFailures('pin'),
          { guard: on(['loan_over_limit', 'limit_exceeded']), target: '#menu.loanRefused', actions: 'recordFailure' },
          failed,
        ],
      },
    },
    ...loansRepayStates,
  },
});

/** Top-level END states of Loans (spread into the machine's states). */
export const loansFinals = {
  loansUnavailable: { type: 'final' as const },
  loanNoLimit: { type: 'final' as const },
  loanDisbursed: { type: 'final' as const },
  loanRefused: { type: 'final' as const },
  noLoan: { type: 'final' as const },
  loanStatusShown: { type: 'final' as const },
  loanRepaid: { type: 'final' as const },
  loanRepayShort: { type: 'final' as const },
};
