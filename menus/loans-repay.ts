/**
 * Loans → Repay and Loan status (states inside `loans.*`).
 *
 * Both start from the caller's open loans: none ends the session ("no loan"); several are
 * listed to pick one. Loan status then ends with what is outstanding, the next due date
 * and amount, and what is overdue. Repay asks the amount, showing what is due now (else the
 * next installment) and the payoff: `1` pays the amount suggested, any whole KES up to the
 * payoff pays that much (more is asked again, naming the payoff); then the PIN; the
 * wallet pays and the session ends with the receipt and what is left; an SMS receipt too.
 */
import { assign } from 'xstate';
import { parseWholeShillings } from '../src/money/index.js';
import { failureOf, menuSetup, paymentKey, pinFailures, pinInput, reask } from './setup.js';
import type { InputEvent, MenuContext } from './types.js';
import type { LoanView } from './loans-actors.js';

/** Open loans listed on one screen. */
export const LOANS_LIST_MAX = 4;

type Args = { context: MenuContext; event: InputEvent };

const failed = { target: '#menu.failed', actions: 'recordFailure' as const };
const on = (codes: string[]) => ({ type: 'failedWith' as const, params: { codes } });
const isStatus = ({ context }: { context: MenuContext }) => context.loans?.purpose === 'status';
const several = (c: MenuContext) => (c.loans?.loans?.length ?? 0) > 1;

function pickedLoan({ context, event }: Args): LoanView | undefined {
  return /^[1-9]$/.test(event.value) ? context.loans?.loans?.[Number(event.value) - 1] : undefined;
}

/** Whole KES up to the payoff of the loan being repaid. */
function upToPayoff({ context, event }: Args): boolean {
  const cents = parseWholeShillings(event.value);
  return cents !== null && cents > 0n && cents <= BigInt(context.loans?.loan?.payoffCents ?? '0');
}

const keepLoan = (loan: (a: Args) => LoanView | undefined) =>
  assign<MenuContext, InputEvent, undefined, InputEvent, never>({ loans: ({ context, event }) => ({ ...context.loans, loan: loan({ context, event }) }) });

/** The re-ask above the amount when it is more than the payoff (named). */
const overPayoff = (payoffCents: (a: { context: MenuContext; event: unknown }) => string) => assign<MenuContext, any, undefined, InputEvent, never>({ // eslint-disable-line @typescript-eslint/no-explicit-any
  error: (a) => ({ key: 'loans.overPayoff', params: { payoffCents: payoffCents(a) } }),
  invalidCount: ({ context }) => (context.invalidCount ?? 0) + 1,
});

/** `0 Back` to the list when one was shown, else to the Loans menu; `00 Home`. */
const back = [
  { guard: 'isHome' as const, target: '#menu.start', actions: 'clearError' as const },
  { guard: ({ context, event }: Args) => event.value === '0' && several(context), target: 'pickLoan', actions: 'clearError' as const },
  { guard: 'isBack' as const, target: 'menu', actions: 'clearError' as const },
];

/** The Repay and Loan status states, spread into Loans' states. */
export const loansRepayStates = {
  loadingLoans: menuSetup.createStateConfig({
    invoke: {
      src: 'myLoans',
      input: ({ context }) => ({ msisdn: context.msisdn }),
      onDone: [
        { guard: ({ event }) => event.output.loans.length === 0, target: '#menu.noLoan' },
        {
          guard: ({ context, event }) => event.output.loans.length === 1 && context.loans?.purpose === 'status',
          target: '#menu.loanStatusShown',
          actions: assign({ loans: ({ context, event }) => ({ ...context.loans, loans: event.output.loans, loan: event.output.loans[0] }) }),
        },
        {
          guard: ({ event }) => event.output.loans.length === 1,
          target: 'repayAmount',
          actions: assign({ loans: ({ context, event }) => ({ ...context.loans, loans: event.output.loans, loan: event.output.loans[0] }) }),
        },
        { target: 'pickLoan', actions: assign({ loans: ({ context, event }) => ({ ...context.loans, loans: event.output.loans.slice(0, LOANS_LIST_MAX) }) }) },
      ],
      onError: failed,
    },
  }),
  pickLoan: menuSetup.createStateConfig({
    tags: ['input'],
    on: {
      INPUT: [
        { guard: 'isHome', target: '#menu.start', actions: 'clearError' },
        { guard: 'isBack', target: 'menu', actions: 'clearError' },
        { guard: (a) => pickedLoan(a) !== undefined && isStatus(a), target: '#menu.loanStatusShown', actions: ['clearError', keepLoan(pickedLoan)] },
        { guard: (a) => pickedLoan(a) !== undefined, target: 'repayAmount', actions: ['clearError', keepLoan(pickedLoan)] },
        reask('invalidChoice'),
      ],
    },
  }),
  repayAmount: menuSetup.createStateConfig({
    tags: ['input'],
    on: {
      INPUT: [
        ...back,
        {
          guard: { type: 'isChoice', params: { choice: '1' } },
          target: 'repayPin',
          actions: ['clearError', assign({ amountCents: ({ context }) => context.loans!.loan!.suggestedCents })],
        },
        { guard: upToPayoff, target: 'repayPin', actions: ['clearError', assign({ amountCents: ({ event }) => parseWholeShillings(event.value)!.toString() })] },
        { guard: 'isAmount', actions: overPayoff(({ context }) => context.loans?.loan?.payoffCents ?? '0') },
        reask('invalidAmount'),
      ],
    },
  }),
  repayPin: pinInput('repayAmount', 'repaying'),
  repaying: menuSetup.createStateConfig({
    invoke: {
      src: 'payLoan',
      input: ({ context, event }) => ({
        msisdn: context.msisdn, loanId: context.loans!.loan!.id, amountCents: context.amountCents!, pin: (event as InputEvent).value,
        idempotencyKey: paymentKey(context, event),
      }),
      onDone: { target: '#menu.loanRepaid', actions: assign({ loanRepayment: ({ event }) => event.output.loanRepayment }) },
      onError: [
        ...pinFailures('repayPin'),
        { guard: on(['insufficient_funds']), target: '#menu.loanRepayShort', actions: 'recordFailure' },
        {
          // The payoff fell since the screen was shown (a sweep, another session): ask again with today's payoff.
          guard: on(['loan_overpayment']),
          target: 'repayAmount',
          actions: [
            assign({ loans: ({ context, event }) => ({ ...context.loans, loan: { ...context.loans!.loan!, payoffCents: failureOf(event).payoffCents ?? '0' } }) }),
            overPayoff(({ event }) => failureOf(event).payoffCents ?? '0'),
          ],
        },
        { guard: on(['loan_status', 'loan_not_found']), target: '#menu.noLoan' },
        failed,
      ],
    },
  }),
};
