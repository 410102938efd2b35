/** Send Money: recipient, amount, confirmation (names the recipient, shows the charge), PIN. */
import { assign } from 'xstate';
import { parseWholeShillings } from '../src/money/index.js';
import { failureOf, menuSetup, nav, reask, pinFailures, pinInput, confirmInput, paymentKey, phoneInput } from './setup.js';
import type { InputEvent } from './types.js';

export const sendMoneyStates = menuSetup.createStateConfig({
  initial: 'recipient',
  states: {
    recipient: phoneInput('#menu.home', 'lookingUp'),
    lookingUp: {
      invoke: {
        src: 'lookupRecipient',
        input: ({ context }) => ({ payerMsisdn: context.msisdn, recipientMsisdn: context.recipientMsisdn! }),
        onDone: { target: 'amount', actions: assign({ recipientName: ({ event }) => event.output.recipientName }) },
        onError: [
          { guard: { type: 'failedWith', params: { codes: ['recipient_not_found'] } }, target: 'recipient', ...reask('recipientNotFound') },
          { guard: { type: 'failedWith', params: { codes: ['self_transfer'] } }, target: 'recipient', ...reask('selfTransfer') },
          { target: '#menu.failed', actions: 'recordFailure' },
        ],
      },
    },
    amount: {
      tags: ['input'],
      on: {
        INPUT: [
          ...nav('recipient'),
          { guard: 'isAmount', target: 'quoting', actions: ['clearError', assign({ amountCents: ({ event }) => parseWholeShillings(event.value)!.toString() })] },
          reask('invalidAmount'),
        ],
      },
    },
    quoting: {
      invoke: {
        src: 'quoteSendMoney',
        input: ({ context }) => ({ payerMsisdn: context.msisdn, recipientMsisdn: context.recipientMsisdn!, amountCents: context.amountCents! }),
        onDone: { target: 'confirm', actions: assign({ chargeCents: ({ event }) => event.output.chargeCents }) },
        onError: [
          {
            guard: { type: 'failedWith', params: { codes: ['limit_exceeded'] } },
            target: 'amount',
            actions: assign({ error: ({ event }) => ({ key: `limit.${failureOf(event).limitName}`, params: { limitCents: failureOf(event).limitCents ?? '0' } }) }),
          },
          { target: '#menu.failed', actions: 'recordFailure' },
        ],
      },
    },
    confirm: confirmInput('amount', 'pin'),
    pin: pinInput('confirm', 'sending'),
    sending: {
      invoke: {
        src: 'sendMoney',
        input: ({ context, event }) => ({
          payerMsisdn: context.msisdn,
          recipientMsisdn: context.recipientMsisdn!,
          amountCents: context.amountCents!,
          pin: (event as InputEvent).value,
          idempotencyKey: paymentKey(context, event),
        }),
        onDone: { target: '#menu.sent', actions: assign({ receipt: ({ event }) => event.output }) },
        onError: [
          ...pinFailures('pin'),
          { guard: { type: 'failedWith', params: { codes: ['insufficient_funds'] } }, target: '#menu.insufficientFunds', actions: 'recordFailure' },
          { guard: { type: 'failedWith', params: { codes: ['limit_exceeded'] } }, target: '#menu.limitExceeded', actions: 'recordFailure' },
          { guard: { type: 'failedWith', params: { codes: ['recipient_not_found'] } }, target: 'recipient', ...reask('recipientNotFound') },
          { target: '#menu.failed', actions: 'recordFailure' },
        ],
      },
    },
  },
});
