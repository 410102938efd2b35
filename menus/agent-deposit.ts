/**
 * Agent menu → 1 Deposit: the customer's number (the name looked up), amount (KES
 * 50–70,000), confirmation naming the customer, the agent's PIN. The agent's float pays
 * the customer's wallet; a float too small ends the session with the float shown. These
 * states sit inside the agent menu (`agent.*`).
 */
import { assign } from 'xstate';
import { parseWholeShillings } from '../src/money/index.js';
import { agentPinFailures, confirmInput, failureOf, menuSetup, nav, paymentKey, phoneInput, pinInput, reask } from './setup.js';
import type { InputEvent } from './types.js';

const failed = { target: '#menu.failed', actions: 'recordFailure' as const };
const on = (codes: string[]) => ({ type: 'failedWith' as const, params: { codes } });

/** The Deposit states, spread into the agent menu's. */
export const depositStates = {
  depositNumber: phoneInput('home', 'lookingUpDepositor'),
  lookingUpDepositor: menuSetup.createStateConfig({
    invoke: {
      src: 'lookupDepositor',
      input: ({ context }) => ({ agentMsisdn: context.msisdn, customerMsisdn: context.recipientMsisdn! }),
      onDone: { target: 'depositAmount', actions: assign({ recipientName: ({ event }) => event.output.customerName }) },
      onError: [
        { guard: on(['recipient_not_found']), target: 'depositNumber', ...reask('agent.notRegistered') },
        { guard: on(['self_transfer']), target: 'depositNumber', ...reask('agent.ownNumber') },
        { guard: on(['agent_inactive', 'agent_not_found']), target: '#menu.agentSuspended', actions: 'recordFailure' },
        failed,
      ],
    },
  }),
  depositAmount: menuSetup.createStateConfig({
    tags: ['input'],
    on: {
      INPUT: [
        ...nav('depositNumber'),
        { guard: 'isAmount', target: 'checkingDeposit', actions: ['clearError', assign({ amountCents: ({ event }) => parseWholeShillings(event.value)!.toString() })] },
        reask('invalidAmount'),
      ],
    },
  }),
  checkingDeposit: menuSetup.createStateConfig({
    invoke: {
      src: 'checkDepositAmount',
      input: ({ context }) => ({ amountCents: context.amountCents! }),
      onDone: { target: 'depositConfirm' },
      onError: [
        {
          guard: on(['limit_exceeded']),
          target: 'depositAmount',
          actions: assign({ error: ({ event }) => ({ key: `agent.limit.${failureOf(event).limitName}`, params: { limitCents: failureOf(event).limitCents ?? '0' } }) }),
        },
        failed,
      ],
    },
  }),
  depositConfirm: confirmInput('depositAmount', 'depositPin'),
  depositPin: pinInput('depositConfirm', 'depositing'),
  depositing: menuSetup.createStateConfig({
    invoke: {
      src: 'depositCash',
      input: ({ context, event }) => ({
        agentMsisdn: context.msisdn,
        customerMsisdn: context.recipientMsisdn!,
        amountCents: context.amountCents!,
        pin: (event as InputEvent).value,
        idempotencyKey: paymentKey(context, event),
      }),
      onDone: { target: '#menu.deposited', actions: assign({ agentReceipt: ({ event }) => event.output }) },
      onError: [
        ...agentPinFailures('depositPin'),
        { guard: on(['insufficient_float']), target: '#menu.insufficientFloat', actions: 'recordFailure' },
        { guard: on(['limit_exceeded']), target: '#menu.limitExceeded', actions: 'recordFailure' },
        { guard: on(['recipient_not_found']), target: 'depositNumber', ...reask('agent.notRegistered') },
        failed,
      ],
    },
  }),
};
