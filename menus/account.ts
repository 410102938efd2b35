/** My Account: Balance, Change PIN, Language, Mini statement (after PIN, paged), My limits and Forgot PIN. */
import { assign } from 'xstate';
import { menuSetup, nav, reask, pinFailures, pinInput, sealNewPin, newPinRefusals } from './setup.js';
import type { InputEvent } from './types.js';
import { forgotPinStates } from './forgot-pin.js';

/** Mini-statement lines on one screen. */
export const STATEMENT_PAGE = 3;

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
        onDone: [
          { guard: ({ event }) => event.output.lines.length <= STATEMENT_PAGE, target: '#menu.statementShown', actions: assign({ statement: ({ event }) => event.output.lines, statementPage: 0 }) },
          { target: 'statement', actions: assign({ statement: ({ event }) => event.output.lines, statementPage: 0 }) },
        ],
        onError: [...pinFailures('statementPin'), failed],
      },
    },
    // Three lines a screen; 98 shows the next page; the last page ends the session.
    statement: {
      tags: ['input'],
      on: {
        INPUT: [
          ...nav('menu'),
          {
            guard: ({ context, event }) => event.value === '98' && ((context.statementPage ?? 0) + 2) * STATEMENT_PAGE >= (context.statement?.length ?? 0),
            target: '#menu.statementShown',
            actions: ['clearError', assign({ statementPage: ({ context }) => (context.statementPage ?? 0) + 1 })],
          },
          {
            guard: { type: 'isChoice', params: { choice: '98' } },
            actions: ['clearError', assign({ statementPage: ({ context }) => (context.statementPage ?? 0) + 1 })],
          },
          reask('invalidChoice'),
        ],
      },
    },
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
  },
});
