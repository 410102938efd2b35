/**
 * The setup every menu state is built on: its guards, actions and the effects (named
 * actors) that the USSD runner provides. Pure: no I/O here.
 */
import { assign, setup } from 'xstate';
import { effect as declareEffect } from './effect.js';
import { airtimeActors } from './airtime-actors.js';
import { lipaActors } from './lipa-actors.js';
import { withdrawActors } from './withdraw-actors.js';
import { agentActors } from './agent-actors.js';
import { topUpActors } from './topup-actors.js';
import { feesActors } from './fees-actors.js';
import { loansActors } from './loans-actors.js';
import { chamaActors } from './chama-actors.js';
import { smsConfirmActors } from './sms-confirm-actors.js';
import { normalizeMsisdn } from '../src/phone/index.js';
import { parseWholeShillings } from '../src/money/index.js';
import type { Effects, InputEvent, Lang, MenuContext, MenuFailure, MenuInput } from './types.js';

/** Invalid inputs in a row after which the session ends politely. */
export const MAX_INVALID_INPUTS = 3;

/** Mini-statement lines on one screen. */
export const STATEMENT_PAGE = 3;

function effect<K extends keyof Effects>(name: K) {
  return declareEffect<Effects[K]['input'], Effects[K]['output']>(name);
}

/** The failure an effect reported, from an xstate error event. */
export function failureOf(event: unknown): MenuFailure {
  const error = (event as { error?: unknown }).error as Partial<MenuFailure> | undefined;
  return { code: typeof error?.code === 'string' ? error.code : 'unexpected', ...error } as MenuFailure;
}

const NAME = /^[A-Za-z][A-Za-z' -]{0,29}$/;

/** Guards, actions and effects of the menus; the state tree is built on it. */
export const menuSetup = setup({
  types: { context: {} as MenuContext, events: {} as InputEvent, input: {} as MenuInput },
  actors: {
    lookupRecipient: effect('lookupRecipient'),
    quoteSendMoney: effect('quoteSendMoney'),
    sendMoney: effect('sendMoney'),
    checkBalance: effect('checkBalance'),
    verifyPin: effect('verifyPin'),
    sealPin: effect('sealPin'),
    setPin: effect('setPin'),
    register: effect('register'),
    setLanguage: effect('setLanguage'),
    miniStatement: effect('miniStatement'),
    limitsLeft: effect('limitsLeft'),
    requestPinReset: effect('requestPinReset'),
    verifyPinResetCode: effect('verifyPinResetCode'),
    completePinReset: effect('completePinReset'),
    ...airtimeActors,
    ...lipaActors,
    ...withdrawActors,
    ...agentActors,
    ...topUpActors,
    ...feesActors,
    ...loansActors,
    ...chamaActors,
    ...smsConfirmActors,
  },
  guards: {
    isHome: ({ event }) => event.value === '00',
    isBack: ({ event }) => event.value === '0',
    isChoice: ({ event }, params: { choice: string }) => event.value === params.choice,
    isPhone: ({ event }) => normalizeMsisdn(event.value) !== null,
    isAmount: ({ event }) => (parseWholeShillings(event.value) ?? 0n) > 0n,
    isPin: ({ event }) => /^[0-9]{4}$/.test(event.value),
    isName: ({ event }) => NAME.test(event.value.trim()),
    isNationalId: ({ event }) => /^[0-9]{6,10}$/.test(event.value),
    isResetCode: ({ event }) => /^[0-9]{6}$/.test(event.value),
    isRegistered: ({ context }) => context.customer !== null,
    isSuspended: ({ context }) => context.customer?.suspended === true,
    /** The caller is an agent and has not switched to the customer menu (`9`). */
    isAgentCaller: ({ context }) => !!context.agent && !context.asCustomer,
    isAgentSuspended: ({ context }) => !!context.agent && !context.asCustomer && context.agent.suspended === true,
    isAgentNumber: ({ event }) => /^[0-9]{6}$/.test(event.value),
    isStoreNumber: ({ event }) => /^[0-9]{1,6}$/.test(event.value),
    isLanguage: ({ event }) => event.value === '1' || event.value === '2',
    tooManyInvalid: ({ context }) => (context.invalidCount ?? 0) >= MAX_INVALID_INPUTS,
    failedWith: ({ event }, params: { codes: string[] }) => params.codes.includes(failureOf(event).code),
  },
  actions: {
    clearError: assign({ error: undefined, invalidCount: 0 }),
    showError: assign({ error: (_, params: { key: string }) => ({ key: params.key }), invalidCount: ({ context }) => (context.invalidCount ?? 0) + 1 }),
    chooseLanguage: assign({ lang: ({ event }) => (event.value === '2' ? 'sw' : 'en') as Lang }),
    recordFailure: assign({ failure: ({ event }) => failureOf(event) }),
  },
});

/** `0 Back` and `00 Home`, first on every input state. */
export function nav(back: string) {
  return [
    { guard: 'isHome' as const, target: '#menu.start', actions: 'clearError' as const },
    { guard: 'isBack' as const, target: back, actions: 'clearError' as const },
  ];
}

/** Re-ask the same question with an error line. */
export function reask(key: string) {
  return { actions: { type: 'showError' as const, params: { key } } };
}


/** A wrong secret (failure `code`): back to `state` with `key`'s error line and the tries left. */
export function wrongAnswer(code: string, state: string, key: string) {
  return {
    guard: { type: 'failedWith' as const, params: { codes: [code] } },
    target: state,
    actions: assign<MenuContext, any, undefined, InputEvent, never>({ // eslint-disable-line @typescript-eslint/no-explicit-any
      error: ({ event }) => ({ key, params: { left: failureOf(event).attemptsLeft ?? 0 } }),
    }),
  };
}

/** What every PIN check does with a wrong or locked PIN, or a suspended account: re-ask at `pinState`, or end. */
export function pinFailures(pinState: string) {
  return [
    wrongAnswer('wrong_pin', pinState, 'wrongPin'),
    { guard: { type: 'failedWith' as const, params: { codes: ['pin_locked'] } }, target: '#menu.pinLocked', actions: 'recordFailure' as const },
    { guard: { type: 'failedWith' as const, params: { codes: ['customer_inactive'] } }, target: '#menu.suspended', actions: 'recordFailure' as const },
  ];
}

/** What every agent PIN check does with a wrong or locked PIN, or a suspended agent: re-ask at `pinState`, or end. */
export function agentPinFailures(pinState: string) {
  return [
    wrongAnswer('wrong_pin', pinState, 'wrongPin'),
    { guard: { type: 'failedWith' as const, params: { codes: ['pin_locked'] } }, target: '#menu.agentPinLocked', actions: 'recordFailure' as const },
    { guard: { type: 'failedWith' as const, params: { codes: ['agent_inactive'] } }, target: '#menu.agentSuspended', actions: 'recordFailure' as const },
  ];
}

/** An input state that reads a PIN: `0`/`00` navigate, 4 digits go on to `next`, else re-ask. */
export function pinInput(back: string, next: string) {
  return menuSetup.createStateConfig({
    tags: ['input', 'pin'],
    on: { INPUT: [...nav(back), { guard: 'isPin', target: next, actions: 'clearError' }, reask('invalidPin')] },
  });
}

/** Keeps a keyed seal of the new PIN just typed (never the PIN), then asks for it again at `next`. */
export function sealNewPin(next: string) {
  return menuSetup.createStateConfig({
    invoke: {
      src: 'sealPin',
      input: ({ context, event }) => ({ sessionId: context.sessionId, pin: (event as InputEvent).value }),
      onDone: { target: next, actions: assign({ pinSeal: ({ event }) => event.output.seal }) },
      onError: { target: '#menu.failed', actions: 'recordFailure' },
    },
  });
}

/** When the confirmation did not match the sealed PIN (or repeats the old one), ask the new PIN again. */
export function newPinRefusals(newPinState: string) {
  const again = (codes: string[], key: string) => ({
    guard: { type: 'failedWith' as const, params: { codes } },
    target: newPinState,
    actions: [assign<MenuContext, any, undefined, InputEvent, never>({ pinSeal: undefined }), { type: 'showError' as const, params: { key } }],
  });
  return [again(['pin_mismatch'], 'pinMismatch'), again(['same_pin'], 'samePin')];
}

/** A confirmation screen: `1` goes on to `next` (the PIN), `0`/`00` navigate, else re-ask. */
export function confirmInput(back: string, next: string) {
  return menuSetup.createStateConfig({
    tags: ['input'],
    on: { INPUT: [...nav(back), { guard: { type: 'isChoice', params: { choice: '1' } }, target: next, actions: 'clearError' }, reask('invalidChoice')] },
  });
}

/**
 * The idempotency key of a payment confirmed by the PIN input `event`:
 * `ussd:<sessionId>:<n>`, n the inputs consumed when the user confirmed. A replay of the
 * session reaches the same n, so the money moves once (DESIGN.md, Money).
 */
export function paymentKey(context: Pick<MenuContext, 'sessionId'>, event: unknown): string {
  return `ussd:${context.sessionId}:${(event as InputEvent).index}`;
}

/** An input state that reads a phone number (any KE form) into `recipientMsisdn`, then goes to `next`. */
export function phoneInput(back: string, next: string) {
  return menuSetup.createStateConfig({
    tags: ['input'],
    on: {
      INPUT: [
        ...nav(back),
        { guard: 'isPhone', target: next, actions: ['clearError', assign({ recipientMsisdn: ({ event }) => normalizeMsisdn(event.value)! })] },
        reask('invalidPhone'),
      ],
    },
  });
}

/** Where a loaded statement (`event.output.lines`) goes: to the END screen `done` when it fits one screen, else to the pager `pager`. */
export function statementLoaded(pager: string, done: string) {
  const keep = assign<MenuContext, any, undefined, InputEvent, never>({ statement: ({ event }) => event.output.lines, statementPage: 0 }); // eslint-disable-line @typescript-eslint/no-explicit-any
  return [
    { guard: ({ event }: { event: { output: { lines: unknown[] } } }) => event.output.lines.length <= STATEMENT_PAGE, target: done, actions: keep },
    { target: pager, actions: keep },
  ];
}

/** A statement shown three lines a screen: `98` shows the next page; the last page ends the session at `done`. */
export function pagedStatement(back: string, done: string) {
  const nextPage = assign<MenuContext, InputEvent, undefined, InputEvent, never>({ statementPage: ({ context }) => (context.statementPage ?? 0) + 1 });
  return menuSetup.createStateConfig({
    tags: ['input'],
    on: {
      INPUT: [
        ...nav(back),
        {
          guard: ({ context, event }) => event.value === '98' && ((context.statementPage ?? 0) + 2) * STATEMENT_PAGE >= (context.statement?.length ?? 0),
          target: done,
          actions: ['clearError', nextPage],
        },
        { guard: { type: 'isChoice', params: { choice: '98' } }, actions: ['clearError', nextPage] },
        reask('invalidChoice'),
      ],
    },
  });
}
