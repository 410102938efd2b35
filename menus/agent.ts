/**
 * The agent menu: where a session starts when the phone that dialled belongs to an agent.
 * 1 Deposit, 2 Float balance, 3 Commission, 4 Transfer float, 5 Mini statement, 6 Change
 * PIN, 7 Sell float (super agents), 9 Customer menu (an agent who is also a customer).
 * The flows live in agent-deposit.ts, agent-float.ts and agent-account.ts.
 */
import { assign } from 'xstate';
import { menuSetup, nav, reask } from './setup.js';
import { depositStates } from './agent-deposit.js';
import { commissionStates, floatStates } from './agent-float.js';
import { agentAccountStates } from './agent-account.js';
import type { FloatMode } from './agent-actors.js';
import type { InputEvent, Lang, MenuContext } from './types.js';

const choice = (c: string) => ({ type: 'isChoice' as const, params: { choice: c } });
const floatFlow = (floatMode: FloatMode) => ['clearError' as const, assign<MenuContext, InputEvent, undefined, InputEvent, never>({ agentFlow: { floatMode } })];

/** The agent menu's states (`agent.*`), where `start` sends an agent's phone. */
export const agentStates = menuSetup.createStateConfig({
  initial: 'home',
  states: {
    home: {
      tags: ['input'],
      on: {
        INPUT: [
          ...nav('home'),
          { guard: choice('1'), target: 'depositNumber', actions: ['clearError', assign({ agentFlow: undefined })] },
          { guard: choice('2'), target: 'balancePin', actions: 'clearError' },
          { guard: choice('3'), target: 'commissionPin', actions: 'clearError' },
          { guard: choice('4'), target: 'floatTo', actions: floatFlow('transfer') },
          { guard: choice('5'), target: 'statementPin', actions: 'clearError' },
          { guard: choice('6'), target: 'currentPin', actions: 'clearError' },
          { guard: ({ context, event }) => event.value === '7' && context.agent?.kind === 'super_agent', target: 'floatTo', actions: floatFlow('sell') },
          {
            // The customer menu in the customer's own language; `00` then goes to the customer home.
            guard: ({ context, event }) => event.value === '9' && context.customer !== null,
            target: '#menu.start',
            actions: ['clearError', assign({ asCustomer: true, lang: ({ context }) => (context.customer?.language ?? context.lang) as Lang })],
          },
          reask('invalidChoice'),
        ],
      },
    },
    ...depositStates,
    ...floatStates,
    ...commissionStates,
    ...agentAccountStates,
  },
});

/** Top-level END states of the agent menu (spread into the machine's states). */
export const agentFinals = {
  deposited: { type: 'final' as const },
  insufficientFloat: { type: 'final' as const },
  agentBalanceShown: { type: 'final' as const },
  commissionMoved: { type: 'final' as const },
  noCommissionToMove: { type: 'final' as const },
  commissionStatementShown: { type: 'final' as const },
  floatSent: { type: 'final' as const },
  agentStatementShown: { type: 'final' as const },
  agentSuspended: { type: 'final' as const },
  agentPinLocked: { type: 'final' as const },
};
