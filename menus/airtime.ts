/**
 * Buy Airtime: for my number or another, amount (KES 5–10,000), confirmation, PIN. The
 * wallet is debited at once; the airtime is bought by the worker, so the session ends with
 * "you will receive your airtime shortly" and the outcome comes by SMS.
 */
import { assign } from 'xstate';
import { parseWholeShillings } from '../src/money/index.js';
import { menuSetup, nav, reask, pinFailures, pinInput, confirmInput, paymentKey, phoneInput } from './setup.js';
import type { InputEvent } from './types.js';

/** Airtime is sold in whole shillings from KES 5 to KES 10,000 (in cents). */
export const AIRTIME_MIN_CENTS = 500n;
export const AIRTIME_MAX_CENTS = 1_000_000n;

const inRange = (value: string) => {
  const cents = parseWholeShillings(value);
  return cents !== null && cents >= AIRTIME_MIN_CENTS && cents <= AIRTIME_MAX_CENTS;
};

export const airtimeStates = menuSetup.createStateConfig({
  initial: 'whom',
  states: {
    whom: {
      tags: ['input'],
      on: {
        INPUT: [
          ...nav('#menu.home'),
          {
            guard: { type: 'isChoice', params: { choice: '1' } },
            target: 'amount',
            actions: ['clearError', assign({ recipientMsisdn: ({ context }) => context.msisdn })],
          },
          { guard: { type: 'isChoice', params: { choice: '2' } }, target: 'number', actions: 'clearError' },
          reask('invalidChoice'),
        ],
      },
    },
    number: phoneInput('whom', 'amount'),
    amount: {
      tags: ['input'],
      on: {
        INPUT: [
          ...nav('whom'),
          {
            guard: ({ event }) => inRange(event.value),
            target: 'confirm',
            actions: ['clearError', assign({ amountCents: ({ event }) => parseWholeShillings(event.value)!.toString() })],
          },
          { guard: 'isAmount', ...reask('airtime.amountRange') },
          reask('invalidAmount'),
        ],
      },
    },
    confirm: confirmInput('amount', 'pin'),
    pin: pinInput('confirm', 'buying'),
    buying: {
      invoke: {
        src: 'buyAirtime',
        input: ({ context, event }) => ({
          payerMsisdn: context.msisdn,
          recipientMsisdn: context.recipientMsisdn!,
          amountCents: context.amountCents!,
          pin: (event as InputEvent).value,
          idempotencyKey: paymentKey(context, event),
        }),
        onDone: {
          target: '#menu.airtimeRequested',
          actions: assign({
            receipt: ({ event }) => ({ ...event.output, chargeCents: '0', recipientName: '' }),
          }),
        },
        onError: [
          ...pinFailures('pin'),
          { guard: { type: 'failedWith', params: { codes: ['insufficient_funds'] } }, target: '#menu.airtimeInsufficientFunds', actions: 'recordFailure' },
          { guard: { type: 'failedWith', params: { codes: ['limit_exceeded'] } }, target: '#menu.limitExceeded', actions: 'recordFailure' },
          { target: '#menu.failed', actions: 'recordFailure' },
        ],
      },
    },
  },
});

/** Top-level END states of this menu (spread into the machine's states). */
export const airtimeFinals = {
  airtimeRequested: { type: 'final' as const },
  airtimeInsufficientFunds: { type: 'final' as const },
};
