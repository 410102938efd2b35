/** Registration of a new number: first name, last name, national ID, new PIN twice. */
import { assign } from 'xstate';
import { menuSetup, nav, reask, pinInput, sealNewPin, newPinRefusals } from './setup.js';
import type { InputEvent } from './types.js';

const failed = { target: '#menu.failed', actions: 'recordFailure' as const };

export const registerStates = menuSetup.createStateConfig({
  initial: 'language',
  states: {
    // Before anything else a new caller picks the language every later screen speaks.
    language: {
      tags: ['input'],
      on: {
        INPUT: [
          ...nav('language'),
          { guard: 'isLanguage', target: 'intro', actions: ['clearError', 'chooseLanguage'] },
          reask('invalidChoice'),
        ],
      },
    },
    intro: {
      tags: ['input'],
      on: {
        INPUT: [
          ...nav('language'),
          { guard: { type: 'isChoice', params: { choice: '1' } }, target: 'firstName', actions: 'clearError' },
          { guard: { type: 'isChoice', params: { choice: '2' } }, target: '#menu.exited' },
          reask('invalidChoice'),
        ],
      },
    },
    firstName: {
      tags: ['input'],
      on: {
        INPUT: [
          ...nav('intro'),
          { guard: 'isName', target: 'lastName', actions: ['clearError', assign({ registration: ({ event }) => ({ firstName: tidyName(event.value) }) })] },
          reask('invalidName'),
        ],
      },
    },
    lastName: {
      tags: ['input'],
      on: {
        INPUT: [
          ...nav('firstName'),
          { guard: 'isName', target: 'nationalId', actions: ['clearError', assign({ registration: ({ context, event }) => ({ ...context.registration, lastName: tidyName(event.value) }) })] },
          reask('invalidName'),
        ],
      },
    },
    nationalId: {
      tags: ['input'],
      on: {
        INPUT: [
          ...nav('lastName'),
          { guard: 'isNationalId', target: 'newPin', actions: ['clearError', assign({ registration: ({ context, event }) => ({ ...context.registration, nationalId: event.value }) })] },
          reask('invalidNationalId'),
        ],
      },
    },
    newPin: pinInput('nationalId', 'sealingPin'),
    sealingPin: sealNewPin('confirmPin'),
    confirmPin: pinInput('newPin', 'registering'),
    registering: {
      invoke: {
        src: 'register',
        input: ({ context, event }) => ({
          msisdn: context.msisdn,
          sessionId: context.sessionId,
          firstName: context.registration!.firstName!,
          lastName: context.registration!.lastName!,
          nationalId: context.registration!.nationalId!,
          pin: (event as InputEvent).value,
          seal: context.pinSeal!,
          language: context.lang,
        }),
        onDone: { target: '#menu.registered', actions: assign({ pinSeal: undefined, customer: ({ event, context }) => ({ firstName: event.output.firstName, language: context.lang }) }) },
        onError: [
          ...newPinRefusals('newPin'),
          failed,
        ],
      },
    },
  },
});

/** `  amina ` → `Amina`: names as people write them. */
function tidyName(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase().replace(/(^|[\s'-])([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}
