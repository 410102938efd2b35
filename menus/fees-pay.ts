/**
 * School Fees → paying for the student on the statement screen (states inside `fees.*`).
 *
 * `1 Pay from Simu wallet`: amount (any whole KES; more than is owed leaves the student in
 * credit), confirmation naming school, student and amount (no charge), PIN; END with the
 * receipt code, the new fee balance (or credit) and the wallet balance. Not enough money,
 * a wrong or locked PIN and a limit end or re-ask as in the other menus.
 *
 * `2 Pay with M-PESA`: amount (KES 10 – 150,000), then END at once with "you will receive
 * an M-PESA prompt": the push to Simu's paybill (account reference: the admission number)
 * goes out from the worker after the session ends (src/mpesa/stk-fees.ts).
 */
import { assign } from 'xstate';
import { parseWholeShillings } from '../src/money/index.js';
import { confirmInput, failureOf, menuSetup, nav, paymentKey, pinFailures, pinInput, reask } from './setup.js';
import { TOP_UP_MAX_CENTS, TOP_UP_MIN_CENTS } from './topup.js';
import type { InputEvent, MenuContext } from './types.js';

const failed = { target: '#menu.failed', actions: 'recordFailure' as const };
const on = (codes: string[]) => ({ type: 'failedWith' as const, params: { codes } });
const studentId = (c: MenuContext) => c.fees!.statement!.studentId;
const keepAmount = assign<MenuContext, InputEvent, undefined, InputEvent, never>({ amountCents: ({ event }) => parseWholeShillings(event.value)!.toString() });
const inMpesaRange = ({ event }: { event: InputEvent }) => {
  const cents = parseWholeShillings(event.value);
  return cents !== null && cents >= TOP_UP_MIN_CENTS && cents <= TOP_UP_MAX_CENTS;
};
const schoolUnavailable = { guard: on(['school_inactive']), target: '#menu.feesSchoolUnavailable', actions: 'recordFailure' as const };
const suspended = { guard: on(['customer_inactive']), target: '#menu.suspended', actions: 'recordFailure' as const };

/** The payment states, spread into School Fees' states. */
export const feesPayStates = {
  walletAmount: menuSetup.createStateConfig({
    tags: ['input'],
    on: { INPUT: [...nav('statement'), { guard: 'isAmount', target: 'quoting', actions: ['clearError', keepAmount] }, reask('invalidAmount')] },
  }),
  quoting: menuSetup.createStateConfig({
    invoke: {
      src: 'quoteFeesWallet',
      input: ({ context }) => ({ msisdn: context.msisdn, studentId: studentId(context), amountCents: context.amountCents! }),
      onDone: { target: 'confirm' },
      onError: [
        {
          guard: on(['limit_exceeded']),
          target: 'walletAmount',
          actions: assign({ error: ({ event }) => ({ key: `limit.${failureOf(event).limitName}`, params: { limitCents: failureOf(event).limitCents ?? '0' } }) }),
        },
        schoolUnavailable,
        suspended,
        failed,
      ],
    },
  }),
  confirm: confirmInput('walletAmount', 'pin'),
  pin: pinInput('confirm', 'paying'),
  paying: menuSetup.createStateConfig({
    invoke: {
      src: 'payFeesWallet',
      input: ({ context, event }) => ({
        msisdn: context.msisdn, studentId: studentId(context), amountCents: context.amountCents!, pin: (event as InputEvent).value, idempotencyKey: paymentKey(context, event),
      }),
      onDone: { target: '#menu.feesPaid', actions: assign({ feeReceipt: ({ event }) => event.output.feeReceipt }) },
      onError: [
        ...pinFailures('pin'),
        { guard: on(['insufficient_funds']), target: '#menu.feesInsufficientFunds', actions: 'recordFailure' },
        { guard: on(['limit_exceeded']), target: '#menu.limitExceeded', actions: 'recordFailure' },
        schoolUnavailable,
        failed,
      ],
    },
  }),
  mpesaAmount: menuSetup.createStateConfig({
    tags: ['input'],
    on: {
      INPUT: [
        ...nav('statement'),
        { guard: inMpesaRange, target: 'requestingMpesa', actions: ['clearError', keepAmount] },
        { guard: 'isAmount', ...reask('fees.mpesaRange') },
        reask('invalidAmount'),
      ],
    },
  }),
  requestingMpesa: menuSetup.createStateConfig({
    invoke: {
      src: 'requestFeesMpesa',
      input: ({ context, event }) => ({ msisdn: context.msisdn, studentId: studentId(context), amountCents: context.amountCents!, idempotencyKey: paymentKey(context, event) }),
      onDone: { target: '#menu.feesMpesaRequested', actions: assign({ amountCents: ({ event }) => event.output.amountCents }) },
      onError: [
        { guard: on(['stk_amount_range']), target: 'mpesaAmount', actions: { type: 'showError', params: { key: 'fees.mpesaRange' } } },
        { guard: on(['mpesa_not_configured']), target: '#menu.feesMpesaUnavailable', actions: 'recordFailure' },
        schoolUnavailable,
        suspended,
        failed,
      ],
    },
  }),
};
