/**
 * Withdraw Cash (home item 2) first asks where: `1 At an agent` or `2 To M-PESA`.
 *
 * To M-PESA: amount (whole KES, at least 10, within the send-money bands), confirmation with
 * the charge, PIN; the wallet is debited at once and the session ends ("You will receive
 * KES X on M-PESA shortly"): the worker asks Safaricom (B2C) and the outcome comes by SMS.
 *
 * At an agent: agent number (6 digits), store number, the agent's name
 * looked up, amount (KES 50–70,000, the charge quoted), confirmation naming agent, store,
 * amount and charge, PIN. The wallet pays amount + charge; the agent hands over the cash
 * against the SMS it receives. A suspended agent ends the session: the customer must find
 * another agent.
 */
import { assign } from 'xstate';
import { parseWholeShillings } from '../src/money/index.js';
import { failureOf, menuSetup, nav, reask, pinFailures, pinInput, confirmInput, paymentKey } from './setup.js';
import type { InputEvent, MenuContext } from './types.js';

const failed = { target: '#menu.failed', actions: 'recordFailure' as const };
const on = (codes: string[]) => ({ type: 'failedWith' as const, params: { codes } });
const agentSuspended = { guard: on(['agent_inactive']), target: '#menu.agentUnavailable', actions: 'recordFailure' as const };

/** Re-ask the store number, naming the store that was not found. */
const noStore = {
  guard: on(['store_not_found']),
  target: 'store',
  actions: assign<MenuContext, any, undefined, InputEvent, never>({ // eslint-disable-line @typescript-eslint/no-explicit-any
    error: ({ context }) => ({ key: 'withdraw.noStore', params: { store: context.withdrawal?.storeNumber ?? '' } }),
    invalidCount: ({ context }) => (context.invalidCount ?? 0) + 1,
  }),
};

/** Withdraw to the caller's own M-PESA (B2C): amount, confirmation, PIN, END at once. */
const mpesaStates = {
  mpesaAmount: menuSetup.createStateConfig({
    tags: ['input'],
    on: {
      INPUT: [
        ...nav('choose'),
        { guard: 'isAmount', target: 'mpesaQuoting', actions: ['clearError', assign({ amountCents: ({ event }) => parseWholeShillings(event.value)!.toString() })] },
        reask('invalidAmount'),
      ],
    },
  }),
  mpesaQuoting: menuSetup.createStateConfig({
    invoke: {
      src: 'quoteMpesaWithdrawal',
      input: ({ context }) => ({ msisdn: context.msisdn, amountCents: context.amountCents! }),
      onDone: { target: 'mpesaConfirm', actions: assign({ chargeCents: ({ event }) => event.output.chargeCents }) },
      onError: [
        {
          guard: on(['limit_exceeded']),
          target: 'mpesaAmount',
          actions: assign({ error: ({ event }) => ({ key: `withdraw.limit.${failureOf(event).limitName}`, params: { limitCents: failureOf(event).limitCents ?? '0' } }) }),
        },
        { guard: on(['mpesa_not_configured']), target: '#menu.mpesaUnavailable', actions: 'recordFailure' },
        failed,
      ],
    },
  }),
  mpesaConfirm: confirmInput('mpesaAmount', 'mpesaPin'),
  mpesaPin: pinInput('mpesaConfirm', 'mpesaWithdrawing'),
  mpesaWithdrawing: menuSetup.createStateConfig({
    invoke: {
      src: 'withdrawToMpesa',
      input: ({ context, event }) => ({
        msisdn: context.msisdn, amountCents: context.amountCents!, pin: (event as InputEvent).value, idempotencyKey: paymentKey(context, event),
      }),
      onDone: { target: '#menu.mpesaWithdrawalRequested', actions: assign({ mpesaWithdrawal: ({ event }) => event.output }) },
      onError: [
        ...pinFailures('mpesaPin'),
        { guard: on(['insufficient_funds']), target: '#menu.withdrawInsufficientFunds', actions: 'recordFailure' },
        { guard: on(['limit_exceeded']), target: '#menu.limitExceeded', actions: 'recordFailure' },
        { guard: on(['mpesa_not_configured']), target: '#menu.mpesaUnavailable', actions: 'recordFailure' },
        failed,
      ],
    },
  }),
};

const parties = (c: MenuContext) => ({ customerMsisdn: c.msisdn, agentNumber: c.withdrawal!.agentNumber, storeNumber: c.withdrawal!.storeNumber! });

/** The Withdraw Cash states (`withdraw.*`), entered from home item 2. */
export const withdrawStates = menuSetup.createStateConfig({
  initial: 'choose',
  states: {
    choose: {
      tags: ['input'],
      on: {
        INPUT: [
          ...nav('#menu.home'),
          { guard: { type: 'isChoice', params: { choice: '1' } }, target: 'agentNumber', actions: 'clearError' },
          { guard: { type: 'isChoice', params: { choice: '2' } }, target: 'mpesaAmount', actions: 'clearError' },
          reask('invalidChoice'),
        ],
      },
    },
    ...mpesaStates,
    agentNumber: {
      tags: ['input'],
      on: {
        INPUT: [
          ...nav('choose'),
          { guard: 'isAgentNumber', target: 'store', actions: ['clearError', assign({ withdrawal: ({ event }) => ({ agentNumber: event.value }) })] },
          reask('withdraw.invalidAgent'),
        ],
      },
    },
    store: {
      tags: ['input'],
      on: {
        INPUT: [
          ...nav('agentNumber'),
          {
            guard: 'isStoreNumber',
            target: 'lookingUp',
            actions: ['clearError', assign({ withdrawal: ({ context, event }) => ({ agentNumber: context.withdrawal!.agentNumber, storeNumber: event.value }) })],
          },
          reask('withdraw.invalidStore'),
        ],
      },
    },
    lookingUp: {
      invoke: {
        src: 'lookupAgentStore',
        input: ({ context }) => parties(context),
        onDone: { target: 'amount', actions: assign({ withdrawal: ({ context, event }) => ({ ...context.withdrawal!, agentName: event.output.agentName }) }) },
        onError: [
          { guard: on(['agent_not_found']), target: 'agentNumber', ...reask('withdraw.noAgent') },
          noStore,
          { guard: on(['self_transfer']), target: 'agentNumber', ...reask('withdraw.ownAgent') },
          agentSuspended,
          failed,
        ],
      },
    },
    amount: {
      tags: ['input'],
      on: {
        INPUT: [
          ...nav('store'),
          { guard: 'isAmount', target: 'quoting', actions: ['clearError', assign({ amountCents: ({ event }) => parseWholeShillings(event.value)!.toString() })] },
          reask('invalidAmount'),
        ],
      },
    },
    quoting: {
      invoke: {
        src: 'quoteWithdrawal',
        input: ({ context }) => ({ ...parties(context), amountCents: context.amountCents! }),
        onDone: { target: 'confirm', actions: assign({ chargeCents: ({ event }) => event.output.chargeCents }) },
        onError: [
          {
            guard: on(['limit_exceeded']),
            target: 'amount',
            actions: assign({ error: ({ event }) => ({ key: `withdraw.limit.${failureOf(event).limitName}`, params: { limitCents: failureOf(event).limitCents ?? '0' } }) }),
          },
          noStore,
          agentSuspended,
          failed,
        ],
      },
    },
    confirm: confirmInput('amount', 'pin'),
    pin: pinInput('confirm', 'withdrawing'),
    withdrawing: {
      invoke: {
        src: 'withdrawCash',
        input: ({ context, event }) => ({
          ...parties(context),
          amountCents: context.amountCents!,
          pin: (event as InputEvent).value,
          idempotencyKey: paymentKey(context, event),
        }),
        onDone: { target: '#menu.withdrawn', actions: assign({ withdrawalReceipt: ({ event }) => event.output }) },
        onError: [
          ...pinFailures('pin'),
          { guard: on(['insufficient_funds']), target: '#menu.withdrawInsufficientFunds', actions: 'recordFailure' },
          { guard: on(['limit_exceeded']), target: '#menu.limitExceeded', actions: 'recordFailure' },
          agentSuspended,
          noStore,
          failed,
        ],
      },
    },
  },
});

/** Top-level END states of Withdraw Cash (spread into the machine's states). */
export const withdrawFinals = {
  withdrawn: { type: 'final' as const },
  withdrawInsufficientFunds: { type: 'final' as const },
  agentUnavailable: { type: 'final' as const },
  mpesaWithdrawalRequested: { type: 'final' as const },
};
