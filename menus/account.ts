/** My Account: Balance, Change PIN, Language, Mini statement (after PIN, paged), My limits, Forgot PIN and Top up from M-PESA. */
import { assign } from 'xstate';
import { menuSetup, nav, reask, pinFailures, pinInput, sealNewPin, newPinRefusals, pagedStatement, statementLoaded } from './setup.js';
import type { InputEvent } from './types.js';
import { forgotPinStates } from './forgot-pin.js';
import { topUpStates } from './topup.js';

export { STATEMENT_PAGE } from './setup.js';

const choice = (c: string) => ({ type: 'isChoice' as const, params: { choice: c } });
const failed = { target: '#menu.failed', actions: 'recordFailure' as const };

export const accountStates = menuSetup.createStateConfig({
  initial: 'menu',
  states: {
    menu: {
      tags: ['input'],
      on: {
        INPUT: [
          ...nav('#menu.home'),
          { guard: choice('1'), target: 'balancePin', actions: 'clearError' },
          { guard: choice('2'), target: 'currentPin', actions: 'clearError' },
          { guard: choice('3'), target: 'language', actions: 'clearError' },
          { guard: choice('4'), target: 'statementPin', actions: 'clearError' },
          { guard: choice('5'), target: 'loadingLimits', actions: 'clearError' },
          { guard: choice('6'), target: 'forgotId', actions: 'clearError' },
          { guard: choice('7'), target: 'topUpAmount', actions: 'clearError' },
          reask('invalidChoice'),
        ],
      },
    },
    balancePin: pinInput('menu', 'checkingBalance'),
    statementPin: pinInput('menu', 'loadingStatement'),
    loadingStatement: {
      invoke: {
        src: 'miniStatement',
        input: ({ context, event }) => ({ msisdn: context.msisdn, pin: (event as InputEvent).value }),
        onDone: statementLoaded('statement', '#menu.statementShown'),
        onError: [...pinFailures('statementPin'), failed],
      },
    },
    // Three lines a screen; 98 shows the next page; the last page ends the session.
    statement: pagedStatement('menu', '#menu.statementShown'),
    loadingLimits: {
      invoke: {
        src: 'limitsLeft',
        input: ({ context }) => ({ msisdn: context.msisdn }),
        onDone: { target: '#menu.limitsShown', actions: assign({ limitsLeft: ({ event }) => event.output }) },
        onError: failed,
      },
    },
    language: {
      tags: ['input'],
      on: { INPUT: [...nav('menu'), { guard: 'isLanguage', target: 'savingLanguage', actions: ['clearError', 'chooseLanguage'] }, reask('invalidChoice')] },
    },
    savingLanguage: {
      invoke: {
        src: 'setLanguage',
        input: ({ context }) => ({ msisdn: context.msisdn, language: context.lang }),
        onDone: { target: '#menu.languageSet' },
        onError: failed,
      },
    },
    checkingBalance: {
      invoke: {
        src: 'checkBalance',
        input: ({ context, event }) => ({ msisdn: context.msisdn, pin: (event as InputEvent).value }),
        onDone: { target: '#menu.balanceShown', actions: assign({ balanceCents: ({ event }) => event.output.balanceCents }) },
        onError: [...pinFailures('balancePin'), failed],
      },
    },
    currentPin: pinInput('menu', 'verifyingPin'),
    verifyingPin: {
      invoke: {
        src: 'verifyPin',
        input: ({ context, event }) => ({ msisdn: context.msisdn, pin: (event as InputEvent).value }),
        onDone: { target: 'newPin' },
        onError: [...pinFailures('currentPin'), failed],
      },
    },
    newPin: pinInput('menu', 'sealingPin'),
    sealingPin: sealNewPin('confirmNewPin'),
    confirmNewPin: pinInput('newPin', 'savingPin'),
    savingPin: {
      invoke: {
        src: 'setPin',
        input: ({ context, event }) => ({ msisdn: context.msisdn, sessionId: context.sessionId, pin: (event as InputEvent).value, seal: context.pinSeal! }),
        onDone: { target: '#menu.pinChanged', actions: assign({ pinSeal: undefined }) },
        onError: [...newPinRefusals('newPin'), failed],
      },
    },
    ...forgotPinStates,
    ...topUpStates,
  },
});
