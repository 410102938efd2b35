/** My Account: Balance (after PIN) and Change PIN (current, new, new again). */
import { assign } from 'xstate';
import { menuSetup, nav, reask, pinFailures } from './setup.js';
import type { InputEvent } from './types.js';

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
          reask('invalidChoice'),
        ],
      },
    },
    balancePin: {
      tags: ['input', 'pin'],
      on: { INPUT: [...nav('menu'), { guard: 'isPin', target: 'checkingBalance', actions: 'clearError' }, reask('invalidPin')] },
    },
    checkingBalance: {
      invoke: {
        src: 'checkBalance',
        input: ({ context, event }) => ({ msisdn: context.msisdn, pin: (event as InputEvent).value }),
        onDone: { target: '#menu.balanceShown', actions: assign({ balanceCents: ({ event }) => event.output.balanceCents }) },
        onError: [...pinFailures('balancePin'), failed],
      },
    },
    currentPin: {
      tags: ['input', 'pin'],
      on: { INPUT: [...nav('menu'), { guard: 'isPin', target: 'verifyingPin', actions: 'clearError' }, reask('invalidPin')] },
    },
    verifyingPin: {
      invoke: {
        src: 'verifyPin',
        input: ({ context, event }) => ({ msisdn: context.msisdn, pin: (event as InputEvent).value }),
        onDone: { target: 'newPin' },
        onError: [...pinFailures('currentPin'), failed],
      },
    },
    newPin: {
      tags: ['input', 'pin'],
      on: { INPUT: [...nav('menu'), { guard: 'isPin', target: 'sealingPin', actions: 'clearError' }, reask('invalidPin')] },
    },
    sealingPin: {
      invoke: {
        src: 'sealPin',
        input: ({ context, event }) => ({ sessionId: context.sessionId, pin: (event as InputEvent).value }),
        onDone: { target: 'confirmNewPin', actions: assign({ pinSeal: ({ event }) => event.output.seal }) },
        onError: failed,
      },
    },
    confirmNewPin: {
      tags: ['input', 'pin'],
      on: { INPUT: [...nav('newPin'), { guard: 'isPin', target: 'savingPin', actions: 'clearError' }, reask('invalidPin')] },
    },
    savingPin: {
      invoke: {
        src: 'setPin',
        input: ({ context, event }) => ({ msisdn: context.msisdn, sessionId: context.sessionId, pin: (event as InputEvent).value, seal: context.pinSeal! }),
        onDone: { target: '#menu.pinChanged', actions: assign({ pinSeal: undefined }) },
        onError: [
          { guard: { type: 'failedWith', params: { codes: ['pin_mismatch'] } }, target: 'newPin', actions: [assign({ pinSeal: undefined }), { type: 'showError', params: { key: 'pinMismatch' } }] },
          { guard: { type: 'failedWith', params: { codes: ['same_pin'] } }, target: 'newPin', actions: [assign({ pinSeal: undefined }), { type: 'showError', params: { key: 'samePin' } }] },
          failed,
        ],
      },
    },
  },
});
