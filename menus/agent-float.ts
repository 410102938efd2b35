/**
 * Agent menu → 4 Transfer float and (super agents) 7 Sell float, one flow: the other
 * agent's number (named once found; refused when float may not go there), amount,
 * confirmation naming the agent, PIN. And 3 Commission: after the PIN, the commission
 * balance, then 1 the last commissions (paged) or 2 moving all of it to the float. These
 * states sit inside the agent menu (`agent.*`).
 */
import { assign } from 'xstate';
import { parseWholeShillings } from '../src/money/index.js';
import {
  agentPinFailures, confirmInput, menuSetup, nav, pagedStatement, paymentKey, pinInput, reask, statementLoaded,
} from './setup.js';
import type { InputEvent, MenuContext } from './types.js';

const failed = { target: '#menu.failed', actions: 'recordFailure' as const };
const on = (codes: string[]) => ({ type: 'failedWith' as const, params: { codes } });
const agentSuspended = { guard: on(['agent_inactive']), target: '#menu.agentSuspended', actions: 'recordFailure' as const };

/** The other agent was refused: ask its number again with the reason (the words differ for a sale). */
const recipientRefusals = [
  { guard: on(['agent_not_found']), target: 'floatTo', ...reask('agent.noAgent') },
  { guard: on(['float_recipient_inactive']), target: 'floatTo', ...reask('agent.recipientSuspended') },
  {
    guard: on(['float_transfer_not_allowed']),
    target: 'floatTo',
    actions: assign<MenuContext, any, undefined, InputEvent, never>({ // eslint-disable-line @typescript-eslint/no-explicit-any
      error: ({ context }) => ({ key: context.agentFlow?.floatMode === 'sell' ? 'agent.notAllowed.sell' : 'agent.notAllowed.transfer' }),
      invalidCount: ({ context }) => (context.invalidCount ?? 0) + 1,
    }),
  },
];

/** Transfer / Sell float states, spread into the agent menu's. */
export const floatStates = {
  floatTo: menuSetup.createStateConfig({
    tags: ['input'],
    on: {
      INPUT: [
        ...nav('home'),
        {
          guard: 'isAgentNumber',
          target: 'lookingUpFloatRecipient',
          actions: ['clearError', assign({ agentFlow: ({ context, event }) => ({ floatMode: context.agentFlow?.floatMode ?? 'transfer', toAgentNumber: event.value }) })],
        },
        reask('agent.invalidAgentNumber'),
      ],
    },
  }),
  lookingUpFloatRecipient: menuSetup.createStateConfig({
    invoke: {
      src: 'lookupFloatRecipient',
      input: ({ context }) => ({ fromMsisdn: context.msisdn, toAgentNumber: context.agentFlow!.toAgentNumber! }),
      onDone: { target: 'floatAmount', actions: assign({ agentFlow: ({ context, event }) => ({ ...context.agentFlow, toAgentName: event.output.name }) }) },
      onError: [...recipientRefusals, agentSuspended, failed],
    },
  }),
  floatAmount: menuSetup.createStateConfig({
    tags: ['input'],
    on: {
      INPUT: [
        ...nav('floatTo'),
        { guard: 'isAmount', target: 'floatConfirm', actions: ['clearError', assign({ amountCents: ({ event }) => parseWholeShillings(event.value)!.toString() })] },
        reask('invalidAmount'),
      ],
    },
  }),
  floatConfirm: confirmInput('floatAmount', 'floatPin'),
  floatPin: pinInput('floatConfirm', 'movingFloat'),
  movingFloat: menuSetup.createStateConfig({
    invoke: {
      src: 'moveFloat',
      input: ({ context, event }) => ({
        fromAgentNumber: context.agent!.agentNumber,
        toAgentNumber: context.agentFlow!.toAgentNumber!,
        amountCents: context.amountCents!,
        pin: (event as InputEvent).value,
        idempotencyKey: paymentKey(context, event),
      }),
      onDone: { target: '#menu.floatSent', actions: assign({ agentReceipt: ({ event }) => event.output }) },
      onError: [
        ...agentPinFailures('floatPin'),
        { guard: on(['insufficient_float']), target: '#menu.insufficientFloat', actions: 'recordFailure' },
        ...recipientRefusals,
        failed,
      ],
    },
  }),
};

/** Commission states, spread into the agent menu's. */
export const commissionStates = {
  commissionPin: pinInput('home', 'loadingCommission'),
  loadingCommission: menuSetup.createStateConfig({
    invoke: {
      src: 'agentBalances',
      input: ({ context, event }) => ({ msisdn: context.msisdn, pin: (event as InputEvent).value }),
      onDone: { target: 'commission', actions: assign({ agentFlow: ({ event }) => ({ ...event.output }) }) },
      onError: [...agentPinFailures('commissionPin'), failed],
    },
  }),
  commission: menuSetup.createStateConfig({
    tags: ['input'],
    on: {
      INPUT: [
        ...nav('home'),
        { guard: { type: 'isChoice', params: { choice: '1' } }, target: 'loadingCommissionStatement', actions: 'clearError' },
        {
          guard: ({ context, event }) => event.value === '2' && BigInt(context.agentFlow?.commissionCents ?? '0') <= 0n,
          target: '#menu.noCommissionToMove',
        },
        { guard: { type: 'isChoice', params: { choice: '2' } }, target: 'commissionConfirm', actions: 'clearError' },
        reask('invalidChoice'),
      ],
    },
  }),
  loadingCommissionStatement: menuSetup.createStateConfig({
    invoke: {
      src: 'commissionStatement',
      input: ({ context }) => ({ msisdn: context.msisdn }),
      onDone: statementLoaded('commissionStatement', '#menu.commissionStatementShown'),
      onError: [agentSuspended, failed],
    },
  }),
  commissionStatement: pagedStatement('commission', '#menu.commissionStatementShown'),
  commissionConfirm: confirmInput('commission', 'movingCommission'),
  movingCommission: menuSetup.createStateConfig({
    invoke: {
      src: 'moveCommissionToFloat',
      // The PIN was checked at commissionPin; the key counts the inputs up to this confirmation.
      input: ({ context, event }) => ({ msisdn: context.msisdn, idempotencyKey: paymentKey(context, event) }),
      onDone: [
        { guard: ({ event }) => event.output.amountCents === '0', target: '#menu.noCommissionToMove' },
        { target: '#menu.commissionMoved', actions: assign({ agentReceipt: ({ event }) => event.output }) },
      ],
      onError: [agentSuspended, failed],
    },
  }),
};
