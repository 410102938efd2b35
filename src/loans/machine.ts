/**
 * A loan's life as an xstate machine: applied → active ⇄ overdue → repaid, or (from
 * overdue) written off. Pure: it posts nothing; the domain functions ask it whether a step
 * is allowed and post the ledger entry for the step themselves, in the same transaction
 * that stores the new status.
 */
import { setup, transition } from 'xstate';
import { LoanStatusError } from './errors.js';

/** A loan's status, as stored in `loans.status`. */
export type LoanStatus = 'applied' | 'active' | 'overdue' | 'repaid' | 'written_off';

/** What happens to a loan. */
export type LoanEvent =
  | { type: 'DISBURSE' }
  | { type: 'FALL_DUE' }
  | { type: 'CATCH_UP' }
  | { type: 'REPAY_IN_FULL' }
  | { type: 'WRITE_OFF' };

export const loanMachine = setup({ types: { events: {} as LoanEvent } }).createMachine({
  id: 'loan',
  initial: 'applied',
  states: {
    applied: { on: { DISBURSE: 'active' } },
    active: { on: { FALL_DUE: 'overdue', REPAY_IN_FULL: 'repaid' } },
    overdue: { on: { CATCH_UP: 'active', REPAY_IN_FULL: 'repaid', WRITE_OFF: 'written_off' } },
    repaid: { type: 'final' },
    written_off: { type: 'final' },
  },
});

/**
 * The status after `event`, from `status`.
 *
 * @throws LoanStatusError when the machine does not take `event` in `status`
 */
export function nextStatus(status: LoanStatus, event: LoanEvent['type']): LoanStatus {
  const from = loanMachine.resolveState({ value: status, context: undefined });
  if (!from.can({ type: event })) throw new LoanStatusError(status, event);
  const [to] = transition(loanMachine, from, { type: event });
  return to.value as LoanStatus;
}

/**
 * The events that take a loan from `status` to `target` ([] when it is there already):
 * active → overdue is FALL_DUE, overdue → active CATCH_UP, either → repaid REPAY_IN_FULL.
 *
 * @throws LoanStatusError when no such step exists
 */
export function stepsTo(status: LoanStatus, target: LoanStatus): LoanEvent['type'][] {
  if (status === target) return [];
  const event: Partial<Record<LoanStatus, LoanEvent['type']>> = { overdue: 'FALL_DUE', active: 'CATCH_UP', repaid: 'REPAY_IN_FULL', written_off: 'WRITE_OFF' };
  const step = event[target];
  if (!step || nextStatus(status, step) !== target) throw new LoanStatusError(status, step ?? target);
  return [step];
}
