/**
 * Chama (home item 6): the caller's chamas (a paged list; none ends the session saying
 * how to join), then a chama's menu: `1 Contribute 2 My standing 3 Group balance 4 Next
 * payout 5 Loans 6 Leave chama`, and for its officials `7 Members 8 Approve payouts
 * 9 Approve requests`.
 *
 * Contribute shows what is due (fines, arrears, this cycle) and asks the amount: `1` pays
 * what is due (when something is), any whole KES up to the most that may be paid now pays
 * that much (more is asked again, naming the most); then a confirmation and the PIN; the
 * wallet pays (key `ussd:<sessionId>:<n>`) and the session ends with the receipt; an SMS
 * receipt too. My standing, Group balance and Next payout end with what they show.
 *
 * The officials' items live in ./chama-officials.ts; Loans and Leave in ./chama-loans.ts.
 * Every domain refusal ends at `chamaRefused`, worded per failure code (i18n/parts/chama*.ts).
 */
import { assign } from 'xstate';
import { parseWholeShillings } from '../src/money/index.js';
import { confirmInput, menuSetup, nav, paymentKey, pinFailures, pinInput, reask } from './setup.js';
import type { InputEvent, MenuContext } from './types.js';
import { caller, keep, on, pickList, refused } from './chama-list.js';
import { chamaOfficialStates } from './chama-officials.js';
import { chamaLoanStates } from './chama-loans.js';

type Args = { context: MenuContext; event: InputEvent };

const choice = (c: string) => ({ type: 'isChoice' as const, params: { choice: c } });
/** The caller is an official of the chama picked. */
const official = ({ context }: { context: MenuContext }) => (context.chama?.picked?.role ?? 'member') !== 'member';
const dues = (c: MenuContext) => c.chama?.dues;

/** Whole KES, more than 0, up to the most that may be paid now. */
function upToMax({ context, event }: Args): boolean {
  const cents = parseWholeShillings(event.value);
  return cents !== null && cents > 0n && cents <= BigInt(dues(context)?.maxCents ?? '0');
}

/** A menu item that loads (state `target`) for officials only. */
const officialItem = (c: string, target: string) => ({ guard: (a: Args) => a.event.value === c && official(a), target, actions: 'clearError' as const });

/** The Chama states (`chama.*`), entered from home item 6. */
export const chamaStates = menuSetup.createStateConfig({
  initial: 'loading',
  states: {
    loading: {
      invoke: {
        src: 'myChamas',
        input: ({ context }) => ({ msisdn: context.msisdn }),
        onDone: [
          { guard: ({ event }) => event.output.chamas.length === 0, target: '#menu.notInChama' },
          { target: 'list', actions: assign({ chama: ({ event }) => ({ list: event.output.chamas }), chamaPage: 0 }) },
        ],
        onError: refused,
      },
    },
    list: pickList('#menu.home', (c) => c.chama?.list, 'menu', (item) => ({ picked: item })),
    menu: {
      tags: ['input'],
      on: {
        INPUT: [
          ...nav('list'),
          { guard: choice('1'), target: 'loadingDues', actions: 'clearError' },
          { guard: choice('2'), target: 'loadingStanding', actions: 'clearError' },
          { guard: choice('3'), target: 'loadingBalance', actions: 'clearError' },
          { guard: choice('4'), target: 'loadingNextPayout', actions: 'clearError' },
          { guard: choice('5'), target: 'loansMenu', actions: 'clearError' },
          { guard: choice('6'), target: 'loadingExit', actions: 'clearError' },
          officialItem('7', 'loadingMembers'),
          officialItem('8', 'loadingPayout'),
          officialItem('9', 'loadingRequests'),
          reask('invalidChoice'),
        ],
      },
    },
    loadingDues: {
      invoke: { src: 'chamaDues', input: caller, onDone: { target: 'contributeAmount', actions: keep(({ event }) => ({ dues: event.output.chamaDues })) }, onError: refused },
    },
    contributeAmount: {
      tags: ['input'],
      on: {
        INPUT: [
          ...nav('menu'),
          {
            guard: ({ context, event }) => event.value === '1' && BigInt(dues(context)?.dueCents ?? '0') > 0n,
            target: 'contributeConfirm',
            actions: ['clearError', assign({ amountCents: ({ context }) => dues(context)!.dueCents })],
          },
          { guard: upToMax, target: 'contributeConfirm', actions: ['clearError', assign({ amountCents: ({ event }) => parseWholeShillings(event.value)!.toString() })] },
          { guard: 'isAmount', ...reask('chama.overMax') },
          reask('invalidAmount'),
        ],
      },
    },
    contributeConfirm: confirmInput('contributeAmount', 'contributePin'),
    contributePin: pinInput('contributeConfirm', 'contributing'),
    contributing: {
      invoke: {
        src: 'contributeChama',
        input: ({ context, event }) => ({
          ...caller({ context }), amountCents: context.amountCents!, pin: (event as InputEvent).value, idempotencyKey: paymentKey(context, event),
        }),
        onDone: { target: '#menu.chamaContributed', actions: assign({ chamaReceipt: ({ event }) => event.output.chamaReceipt }) },
        onError: [...pinFailures('contributePin'), { guard: on(['limit_exceeded']), target: '#menu.limitExceeded', actions: 'recordFailure' }, refused],
      },
    },
    loadingStanding: {
      invoke: { src: 'chamaStanding', input: caller, onDone: { target: '#menu.chamaStandingShown', actions: assign({ chamaStanding: ({ event }) => event.output.chamaStanding }) }, onError: refused },
    },
    loadingBalance: {
      invoke: { src: 'chamaBalance', input: caller, onDone: { target: '#menu.chamaBalanceShown', actions: assign({ chamaBalance: ({ event }) => event.output.chamaBalance }) }, onError: refused },
    },
    loadingNextPayout: {
      invoke: { src: 'chamaPayout', input: caller, onDone: { target: '#menu.chamaPayoutShown', actions: keep(({ event }) => ({ payout: event.output.chamaPayout })) }, onError: refused },
    },
    ...chamaOfficialStates,
    ...chamaLoanStates,
  },
});

/** Top-level END states of Chama (spread into the machine's states). */
export const chamaFinals = {
  notInChama: { type: 'final' as const },
  chamaRefused: { type: 'final' as const },
  chamaContributed: { type: 'final' as const },
  chamaStandingShown: { type: 'final' as const },
  chamaBalanceShown: { type: 'final' as const },
  chamaPayoutShown: { type: 'final' as const },
  chamaPayoutApproved: { type: 'final' as const },
  chamaMemberAdded: { type: 'final' as const },
  chamaRoleSet: { type: 'final' as const },
  chamaNoRequests: { type: 'final' as const },
  chamaRequestDecided: { type: 'final' as const },
  chamaLeaveRequested: { type: 'final' as const },
  chamaNoLoanLimit: { type: 'final' as const },
  chamaLoanRequested: { type: 'final' as const },
  chamaNoGuarantees: { type: 'final' as const },
  chamaGuaranteeDecided: { type: 'final' as const },
  chamaNoGroupLoan: { type: 'final' as const },
};
