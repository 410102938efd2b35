/**
 * The *384# main menu as one XState v5 machine (a customer's home, or an agent's menu when
 * the phone that dialled belongs to an agent). Pure: effects that touch money or data are
 * named actors (`lookupRecipient`, `sendMoney`, ...) that the USSD runner provides with
 * `machine.provide({ actors })`; the words of each screen live in ./i18n.
 *
 * States tagged `input` wait for the user (and are the only ones the runner persists);
 * states tagged `pin` read a PIN (the runner redacts that input from logs); top-level
 * final states end the session with an END screen.
 */
import { menuSetup, nav, reask } from './setup.js';
import { sendMoneyStates } from './send-money.js';
import { accountStates } from './account.js';
import { registerStates } from './register.js';
import { airtimeFinals, airtimeStates } from './airtime.js';
import { lipaFinals, lipaStates } from './lipa.js';
import { forgotPinFinals } from './forgot-pin.js';
import { withdrawFinals, withdrawStates } from './withdraw.js';
import { agentFinals, agentStates } from './agent.js';
import { topUpFinals } from './topup.js';
import { feesFinals, feesStates } from './fees.js';
import { loansFinals, loansStates } from './loans.js';
import { chamaFinals, chamaStates } from './chama.js';
import { smsConfirmFinals, smsConfirmStates } from './sms-confirm.js';

/** The main menu machine (unprovided: the runner provides the effects). */
export const mainMenu = menuSetup.createMachine({
  id: 'menu',
  initial: 'start',
  // An agent hears the agent menu in the agent's language; `9 Customer menu` switches to the customer's.
  context: ({ input }) => ({ ...input, agent: input.agent ?? null, lang: input.agent?.language ?? input.customer?.language ?? 'en' }),
  // Checked after every transition, whatever the state: a third invalid input in a row ends it.
  always: { guard: 'tooManyInvalid', target: '.tooManyInvalid' },
  states: {
    start: {
      always: [
        // A first hop whose text is one of the caller's SMS confirmation codes (src/ussd/runner.ts).
        { guard: ({ context }) => !!context.smsConfirmation, target: 'smsConfirm' },
        { guard: ({ context }) => context.smsConfirmationStale === true, target: 'smsConfirmStale' },
        { guard: 'isAgentSuspended', target: 'agentSuspended' },
        { guard: 'isAgentCaller', target: 'agent' },
        { guard: 'isSuspended', target: 'suspended' },
        { guard: 'isRegistered', target: 'home' },
        { target: 'register' },
      ],
    },
    home: {
      tags: ['input'],
      on: {
        INPUT: [
          ...nav('#menu.home'),
          { guard: { type: 'isChoice', params: { choice: '1' } }, target: 'sendMoney', actions: 'clearError' },
          { guard: { type: 'isChoice', params: { choice: '2' } }, target: 'withdraw', actions: 'clearError' },
          { guard: { type: 'isChoice', params: { choice: '3' } }, target: 'airtime', actions: 'clearError' },
          { guard: { type: 'isChoice', params: { choice: '4' } }, target: 'lipa', actions: 'clearError' },
          { guard: { type: 'isChoice', params: { choice: '5' } }, target: 'fees', actions: 'clearError' },
          { guard: { type: 'isChoice', params: { choice: '6' } }, target: 'chama', actions: 'clearError' },
          { guard: { type: 'isChoice', params: { choice: '7' } }, target: 'loans', actions: 'clearError' },
          { guard: { type: 'isChoice', params: { choice: '8' } }, target: 'account', actions: 'clearError' },
          reask('invalidChoice'),
        ],
      },
    },
    sendMoney: sendMoneyStates,
    account: accountStates,
    register: registerStates,
    airtime: airtimeStates,
    lipa: lipaStates,
    withdraw: withdrawStates,
    agent: agentStates,
    fees: feesStates,
    loans: loansStates,
    chama: chamaStates,
    smsConfirm: smsConfirmStates,
    ...airtimeFinals,
    ...lipaFinals,
    ...forgotPinFinals,
    ...withdrawFinals,
    ...agentFinals,
    ...topUpFinals,
    ...feesFinals,
    ...loansFinals,
    ...chamaFinals,
    ...smsConfirmFinals,
    exited: { type: 'final' },
    sent: { type: 'final' },
    balanceShown: { type: 'final' },
    pinChanged: { type: 'final' },
    registered: { type: 'final' },
    pinLocked: { type: 'final' },
    insufficientFunds: { type: 'final' },
    limitExceeded: { type: 'final' },
    languageSet: { type: 'final' },
    limitsShown: { type: 'final' },
    statementShown: { type: 'final' },
    tooManyInvalid: { type: 'final' },
    suspended: { type: 'final' },
    failed: { type: 'final' },
  },
});
