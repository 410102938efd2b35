/**
 * Agent menu → 2 Float balance, 5 Mini statement (the float's last entries, paged) and
 * 6 Change PIN (current PIN, new PIN twice). These states sit inside the agent menu
 * (`agent.*`).
 */
import { assign } from 'xstate';
import { agentPinFailures, menuSetup, newPinRefusals, pagedStatement, pinInput, sealNewPin, statementLoaded } from './setup.js';
import type { InputEvent } from './types.js';

const failed = { target: '#menu.failed', actions: 'recordFailure' as const };

/** Float balance, mini statement and Change PIN states, spread into the agent menu's. */
export const agentAccountStates = {
  balancePin: pinInput('home', 'loadingBalances'),
  loadingBalances: menuSetup.createStateConfig({
    invoke: {
      src: 'agentBalances',
      input: ({ context, event }) => ({ msisdn: context.msisdn, pin: (event as InputEvent).value }),
      onDone: { target: '#menu.agentBalanceShown', actions: assign({ agentFlow: ({ event }) => ({ ...event.output }) }) },
      onError: [...agentPinFailures('balancePin'), failed],
    },
  }),
  statementPin: pinInput('home', 'loadingStatement'),
  loadingStatement: menuSetup.createStateConfig({
    invoke: {
      src: 'agentStatement',
      input: ({ context, event }) => ({ msisdn: context.msisdn, pin: (event as InputEvent).value }),
      onDone: statementLoaded('statement', '#menu.agentStatementShown'),
      onError: [...agentPinFailures('statementPin'), failed],
    },
  }),
  // Three lines a screen; 98 shows the next page; the last page ends the session.
  statement: pagedStatement('home', '#menu.agentStatementShown'),
  currentPin: pinInput('home', 'verifyingPin'),
  verifyingPin: menuSetup.createStateConfig({
    invoke: {
      src: 'verifyAgentPin',
      input: ({ context, event }) => ({ msisdn: context.msisdn, pin: (event as InputEvent).value }),
      onDone: { target: 'newPin' },
      onError: [...agentPinFailures('currentPin'), failed],
    },
  }),
  newPin: pinInput('home', 'sealingPin'),
  sealingPin: sealNewPin('confirmNewPin'),
  confirmNewPin: pinInput('newPin', 'savingPin'),
  savingPin: menuSetup.createStateConfig({
    invoke: {
      src: 'setAgentPin',
      input: ({ context, event }) => ({ msisdn: context.msisdn, sessionId: context.sessionId, pin: (event as InputEvent).value, seal: context.pinSeal! }),
      onDone: { target: '#menu.pinChanged', actions: assign({ pinSeal: undefined }) },
      onError: [...newPinRefusals('newPin'), failed],
    },
  }),
};
