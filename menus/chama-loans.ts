/**
 * Chama → 5 Loans and 6 Leave chama (states inside `chama.*`).
 *
 * Loans: `1 Apply 2 Guarantee requests 3 Repay`. Apply shows the limit (or ends saying why
 * it is zero), asks the amount (whole KES from the product's minimum to the limit), then
 * each guarantor's phone number on a screen of its own (as many as the group asks), a
 * confirmation and the PIN → END "sent to your guarantors". Guarantee requests: one picked
 * → `1 Accept` (PIN) or `2 Decline` → END. Repay: the caller's group loans (one is taken at
 * once) → the amount (`1` = all) → PIN; Loans' own `payLoan` repays and ends at its receipt.
 *
 * Leave: what leaving would pay (savings less fines) → `1 Confirm` → PIN → END "your
 * request is with the officials" (two of them approve: chama-officials.ts).
 */
import { assign } from 'xstate';
import { parseWholeShillings } from '../src/money/index.js';
import { normalizeMsisdn } from '../src/phone/index.js';
import { confirmInput, menuSetup, nav, paymentKey, pinFailures, pinInput, reask } from './setup.js';
import type { InputEvent, MenuContext } from './types.js';
import { caller, keep, on, pickList, refused } from './chama-list.js';

type Args = { context: MenuContext; event: InputEvent };

const choice = (c: string) => ({ type: 'isChoice' as const, params: { choice: c } });
const pin = (event: unknown) => (event as InputEvent).value;
const chama = (c: MenuContext) => c.chama!;
const limit = (c: MenuContext) => c.chama?.limit;
/** Guarantors still to be named after this one. */
const moreGuarantors = (c: MenuContext) => (c.chama?.guarantors?.length ?? 0) + 1 < (limit(c)?.guarantors ?? 0);

/** Whole KES from the product's minimum up to the limit. */
function inLimit({ context, event }: Args): boolean {
  const cents = parseWholeShillings(event.value);
  const l = limit(context);
  return cents !== null && l !== undefined && cents >= BigInt(l.minCents) && cents <= BigInt(l.maxCents);
}

/** Whole KES up to the payoff of the loan being repaid. */
function upToPayoff({ context, event }: Args): boolean {
  const cents = parseWholeShillings(event.value);
  return cents !== null && cents > 0n && cents <= BigInt(context.chama?.loan?.payoffCents ?? '0');
}

const addGuarantor = keep(({ context, event }) => ({ guarantors: [...(context.chama?.guarantors ?? []), normalizeMsisdn((event as InputEvent).value)!] }));

/** The Loans and Leave states, spread into Chama's states. */
export const chamaLoanStates = {
  loansMenu: menuSetup.createStateConfig({
    tags: ['input'],
    on: {
      INPUT: [
        ...nav('menu'),
        { guard: choice('1'), target: 'loadingLimit', actions: 'clearError' },
        { guard: choice('2'), target: 'loadingGuarantees', actions: 'clearError' },
        { guard: choice('3'), target: 'loadingGroupLoans', actions: 'clearError' },
        reask('invalidChoice'),
      ],
    },
  }),
  loadingLimit: menuSetup.createStateConfig({
    invoke: {
      src: 'chamaLoanLimit',
      input: caller,
      onDone: [
        { guard: ({ event }) => event.output.chamaLoanLimit.reason === 'ok', target: 'loanAmount', actions: keep(({ event }) => ({ limit: event.output.chamaLoanLimit, guarantors: [] })) },
        { target: '#menu.chamaNoLoanLimit', actions: keep(({ event }) => ({ limit: event.output.chamaLoanLimit })) },
      ],
      onError: refused,
    },
  }),
  loanAmount: menuSetup.createStateConfig({
    tags: ['input'],
    on: {
      INPUT: [
        ...nav('loansMenu'),
        {
          guard: (a: Args) => inLimit(a) && (limit(a.context)?.guarantors ?? 0) === 0,
          target: 'loanConfirm',
          actions: ['clearError', assign({ amountCents: ({ event }) => parseWholeShillings(event.value)!.toString() }), keep(() => ({ guarantors: [] }))],
        },
        { guard: inLimit, target: 'guarantor', actions: ['clearError', assign({ amountCents: ({ event }) => parseWholeShillings(event.value)!.toString() }), keep(() => ({ guarantors: [] }))] },
        { guard: 'isAmount', ...reask('chama.loanRange') },
        reask('invalidAmount'),
      ],
    },
  }),
  guarantor: menuSetup.createStateConfig({
    tags: ['input'],
    on: {
      INPUT: [
        ...nav('loanAmount'),
        { guard: ({ context, event }: Args) => normalizeMsisdn(event.value) === context.msisdn, ...reask('chama.selfGuarantor') },
        {
          guard: ({ context, event }: Args) => (context.chama?.guarantors ?? []).includes(normalizeMsisdn(event.value) ?? ''),
          ...reask('chama.sameGuarantor'),
        },
        { guard: (a: Args) => normalizeMsisdn(a.event.value) !== null && moreGuarantors(a.context), target: 'guarantor', reenter: true, actions: ['clearError', addGuarantor] },
        { guard: 'isPhone', target: 'loanConfirm', actions: ['clearError', addGuarantor] },
        reask('invalidPhone'),
      ],
    },
  }),
  loanConfirm: menuSetup.createStateConfig({
    tags: ['input'],
    on: {
      INPUT: [
        { guard: 'isHome', target: '#menu.start', actions: 'clearError' },
        { guard: 'isBack', target: 'loanAmount', actions: ['clearError', keep(() => ({ guarantors: [] }))] },
        { guard: choice('1'), target: 'loanPin', actions: 'clearError' },
        reask('invalidChoice'),
      ],
    },
  }),
  loanPin: pinInput('loanConfirm', 'applying'),
  applying: menuSetup.createStateConfig({
    invoke: {
      src: 'applyChamaLoan',
      input: ({ context, event }) => ({
        ...caller({ context }), amountCents: context.amountCents!, guarantors: chama(context).guarantors ?? [], pin: pin(event), idempotencyKey: paymentKey(context, event),
      }),
      onDone: { target: '#menu.chamaLoanRequested' },
      onError: [...pinFailures('loanPin'), refused],
    },
  }),

  loadingGuarantees: menuSetup.createStateConfig({
    invoke: {
      src: 'chamaGuarantees',
      input: caller,
      onDone: [
        { guard: ({ event }) => event.output.chamaGuarantees.length === 0, target: '#menu.chamaNoGuarantees' },
        { target: 'guarantees', actions: [keep(({ event }) => ({ requests: event.output.chamaGuarantees })), assign({ chamaPage: 0 })] },
      ],
      onError: refused,
    },
  }),
  guarantees: pickList('loansMenu', (c) => c.chama?.requests, 'guaranteeReview', (r) => ({ request: r })),
  guaranteeReview: menuSetup.createStateConfig({
    tags: ['input'],
    on: {
      INPUT: [
        ...nav('guarantees'),
        { guard: choice('1'), target: 'guaranteePin', actions: ['clearError', keep(() => ({ approve: true }))] },
        { guard: choice('2'), target: 'declining', actions: ['clearError', keep(() => ({ approve: false }))] },
        reask('invalidChoice'),
      ],
    },
  }),
  guaranteePin: pinInput('guaranteeReview', 'accepting'),
  accepting: menuSetup.createStateConfig({
    invoke: {
      src: 'decideChamaGuarantee',
      input: ({ context, event }) => ({ ...caller({ context }), requestId: chama(context).request!.id, accept: true, pin: pin(event) }),
      onDone: { target: '#menu.chamaGuaranteeDecided' },
      onError: [...pinFailures('guaranteePin'), refused],
    },
  }),
  declining: menuSetup.createStateConfig({
    invoke: {
      src: 'decideChamaGuarantee',
      input: ({ context }) => ({ ...caller({ context }), requestId: chama(context).request!.id, accept: false }),
      onDone: { target: '#menu.chamaGuaranteeDecided' },
      onError: refused,
    },
  }),

  loadingGroupLoans: menuSetup.createStateConfig({
    invoke: {
      src: 'chamaGroupLoans',
      input: caller,
      onDone: [
        { guard: ({ event }) => event.output.chamaLoans.length === 0, target: '#menu.chamaNoGroupLoan' },
        { guard: ({ event }) => event.output.chamaLoans.length === 1, target: 'groupRepayAmount', actions: keep(({ event }) => ({ loans: event.output.chamaLoans, loan: event.output.chamaLoans[0] })) },
        { target: 'groupLoans', actions: [keep(({ event }) => ({ loans: event.output.chamaLoans })), assign({ chamaPage: 0 })] },
      ],
      onError: refused,
    },
  }),
  groupLoans: pickList('loansMenu', (c) => c.chama?.loans, 'groupRepayAmount', (l) => ({ loan: l })),
  groupRepayAmount: menuSetup.createStateConfig({
    tags: ['input'],
    on: {
      INPUT: [
        ...nav('loansMenu'),
        { guard: choice('1'), target: 'groupRepayPin', actions: ['clearError', assign({ amountCents: ({ context }) => context.chama!.loan!.payoffCents })] },
        { guard: upToPayoff, target: 'groupRepayPin', actions: ['clearError', assign({ amountCents: ({ event }) => parseWholeShillings(event.value)!.toString() })] },
        { guard: 'isAmount', ...reask('chama.overPayoff') },
        reask('invalidAmount'),
      ],
    },
  }),
  groupRepayPin: pinInput('groupRepayAmount', 'groupRepaying'),
  groupRepaying: menuSetup.createStateConfig({
    invoke: {
      src: 'payLoan',
      input: ({ context, event }) => ({
        msisdn: context.msisdn, loanId: chama(context).loan!.id, amountCents: context.amountCents!, pin: pin(event), idempotencyKey: paymentKey(context, event),
      }),
      onDone: { target: '#menu.loanRepaid', actions: assign({ loanRepayment: ({ event }) => event.output.loanRepayment }) },
      onError: [...pinFailures('groupRepayPin'), { guard: on(['insufficient_funds']), target: '#menu.loanRepayShort', actions: 'recordFailure' }, refused],
    },
  }),

  loadingExit: menuSetup.createStateConfig({
    invoke: { src: 'chamaExitQuote', input: caller, onDone: { target: 'leaveConfirm', actions: keep(({ event }) => ({ exit: event.output.chamaExit })) }, onError: refused },
  }),
  leaveConfirm: confirmInput('menu', 'leavePin'),
  leavePin: pinInput('leaveConfirm', 'leaving'),
  leaving: menuSetup.createStateConfig({
    invoke: {
      src: 'requestChamaExit',
      input: ({ context, event }) => ({ ...caller({ context }), pin: pin(event) }),
      onDone: { target: '#menu.chamaLeaveRequested' },
      onError: [...pinFailures('leavePin'), refused],
    },
  }),
};
