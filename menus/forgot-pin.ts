/**
 * My Account → 6 Forgot PIN: the national ID number, then the one-time code sent by SMS,
 * then the new PIN twice. Wrong answers re-ask with the tries left; the third locks
 * Forgot PIN (src/customers/pin-reset.ts). The code is read like a PIN (tag `pin`), so the
 * runner keeps it out of logs. These states sit inside My Account (`account.*`).
 */
import { assign } from 'xstate';
import { menuSetup, nav, newPinRefusals, pinInput, reask, sealNewPin, wrongAnswer } from './setup.js';
import type { InputEvent } from './types.js';

const failed = { target: '#menu.failed', actions: 'recordFailure' as const };
const on = (codes: string[], target: string) => ({ guard: { type: 'failedWith' as const, params: { codes } }, target, actions: 'recordFailure' as const });

/** The Forgot PIN states, spread into My Account's. */
export const forgotPinStates = {
  forgotId: menuSetup.createStateConfig({
    tags: ['input'],
    on: { INPUT: [...nav('menu'), { guard: 'isNationalId', target: 'requestingCode', actions: 'clearError' }, reask('invalidNationalId')] },
  }),
  requestingCode: menuSetup.createStateConfig({
    invoke: {
      src: 'requestPinReset',
      input: ({ context, event }) => ({ msisdn: context.msisdn, nationalId: (event as InputEvent).value }),
      onDone: { target: 'resetCode' },
      onError: [
        wrongAnswer('wrong_national_id', 'forgotId', 'wrongNationalId'),
        on(['reset_locked'], '#menu.resetLocked'),
        on(['customer_inactive'], '#menu.suspended'),
        failed,
      ],
    },
  }),
  resetCode: menuSetup.createStateConfig({
    tags: ['input', 'pin'],
    on: { INPUT: [...nav('menu'), { guard: 'isResetCode', target: 'checkingCode', actions: 'clearError' }, reask('invalidResetCode')] },
  }),
  checkingCode: menuSetup.createStateConfig({
    invoke: {
      src: 'verifyPinResetCode',
      input: ({ context, event }) => ({ msisdn: context.msisdn, sessionId: context.sessionId, code: (event as InputEvent).value }),
      onDone: { target: 'resetNewPin' },
      onError: [
        wrongAnswer('wrong_reset_code', 'resetCode', 'wrongResetCode'),
        on(['reset_locked'], '#menu.resetLocked'),
        on(['reset_expired'], '#menu.resetExpired'),
        on(['customer_inactive'], '#menu.suspended'),
        failed,
      ],
    },
  }),
  resetNewPin: pinInput('menu', 'sealingResetPin'),
  sealingResetPin: sealNewPin('confirmResetPin'),
  confirmResetPin: pinInput('resetNewPin', 'savingResetPin'),
  savingResetPin: menuSetup.createStateConfig({
    invoke: {
      src: 'completePinReset',
      input: ({ context, event }) => ({ msisdn: context.msisdn, sessionId: context.sessionId, pin: (event as InputEvent).value, seal: context.pinSeal! }),
      onDone: { target: '#menu.pinReset', actions: assign({ pinSeal: undefined }) },
      onError: [...newPinRefusals('resetNewPin'), on(['reset_expired'], '#menu.resetExpired'), on(['reset_locked'], '#menu.resetLocked'), failed],
    },
  }),
};

/** The final screens Forgot PIN ends on (top-level states of the main menu). */
export const forgotPinFinals = {
  pinReset: { type: 'final' as const },
  resetLocked: { type: 'final' as const },
  resetExpired: { type: 'final' as const },
};
