/**
 * My Account → 7 Top up from M-PESA: the amount (whole KES 10 – 150,000; re-asked with the
 * reason), then the session ends at once with "you will receive an M-PESA prompt": M-Pesa
 * cannot prompt a phone that is still in a USSD session, so the push goes out from the
 * worker after the END (src/mpesa/stk-worker.ts). No Simu PIN: M-Pesa asks the M-PESA PIN
 * on the phone. These states sit inside My Account (`account.*`).
 */
import { assign } from 'xstate';
import { parseWholeShillings } from '../src/money/index.js';
import { failureOf, menuSetup, nav, paymentKey, reask } from './setup.js';
import type { InputEvent } from './types.js';

/** The least and most one top-up may be, in cents (KES 10 and KES 150,000). */
export const TOP_UP_MIN_CENTS = 1_000n;
export const TOP_UP_MAX_CENTS = 15_000_000n;

const inRange = ({ event }: { event: InputEvent }) => {
  const cents = parseWholeShillings(event.value);
  return cents !== null && cents >= TOP_UP_MIN_CENTS && cents <= TOP_UP_MAX_CENTS;
};
const failed = { target: '#menu.failed', actions: 'recordFailure' as const };

/** The Top up from M-PESA states, spread into My Account's. */
export const topUpStates = {
  topUpAmount: menuSetup.createStateConfig({
    tags: ['input'],
    on: {
      INPUT: [
        ...nav('menu'),
        { guard: inRange, target: 'requestingTopUp', actions: ['clearError', assign({ amountCents: ({ event }) => parseWholeShillings(event.value)!.toString() })] },
        { guard: 'isAmount', ...reask('topUp.amountRange') },
        reask('invalidAmount'),
      ],
    },
  }),
  requestingTopUp: menuSetup.createStateConfig({
    invoke: {
      src: 'requestTopUp',
      input: ({ context, event }) => ({ msisdn: context.msisdn, amountCents: context.amountCents!, idempotencyKey: paymentKey(context, event) }),
      onDone: { target: '#menu.topUpRequested', actions: assign({ amountCents: ({ event }) => event.output.amountCents }) },
      onError: [
        {
          guard: { type: 'failedWith', params: { codes: ['limit_exceeded'] } },
          target: 'topUpAmount',
          actions: assign({ error: ({ event }) => ({ key: 'topUp.maxBalance', params: { limitCents: failureOf(event).limitCents ?? '0' } }) }),
        },
        { guard: { type: 'failedWith', params: { codes: ['stk_amount_range'] } }, target: 'topUpAmount', actions: { type: 'showError', params: { key: 'topUp.amountRange' } } },
        { guard: { type: 'failedWith', params: { codes: ['customer_inactive'] } }, target: '#menu.suspended', actions: 'recordFailure' },
        { guard: { type: 'failedWith', params: { codes: ['mpesa_not_configured'] } }, target: '#menu.mpesaUnavailable', actions: 'recordFailure' },
        failed,
      ],
    },
  }),
};

/** The final screen Top up from M-PESA ends on (a top-level state of the main menu). */
export const topUpFinals = {
  topUpRequested: { type: 'final' as const },
  /** The M-Pesa rail is off (no Daraja settings, as on a development machine): nothing was recorded or moved. */
  mpesaUnavailable: { type: 'final' as const },
};
