/**
 * The effects of Withdraw Cash (customer side), declared for the setup (implemented in
 * src/ussd/effects-agents.ts). Amounts are cents as decimal strings (JSON context).
 *
 * The menu's own context fields are added to the shared types here, by declaration
 * merging, as lipa-actors.ts does.
 */
import { effect } from './effect.js';

/** What Withdraw Cash keeps between hops: the agent and store typed, and the agent's name once found. */
export interface WithdrawalContext {
  agentNumber: string;
  storeNumber?: string;
  agentName?: string;
}

/** The END screen's facts of a withdrawal (cents as strings; `balanceCents` is the customer's after). */
export interface WithdrawalReceiptView {
  code: string;
  agentName: string;
  storeNumber: string;
  amountCents: string;
  chargeCents: string;
  balanceCents: string;
}

/** The END screen's facts of a withdrawal to M-Pesa (cents as strings; `balanceCents` the wallet's after the debit). */
export interface MpesaWithdrawalView {
  code: string;
  amountCents: string;
  chargeCents: string;
  balanceCents: string;
}

declare module './types.js' {
  interface MenuContext {
    withdrawal?: WithdrawalContext;
    withdrawalReceipt?: WithdrawalReceiptView;
    mpesaWithdrawal?: MpesaWithdrawalView;
  }
}

/** Inputs and outputs of the Withdraw Cash effects. */
export interface WithdrawEffects {
  lookupAgentStore: { input: { customerMsisdn: string; agentNumber: string; storeNumber: string }; output: { agentName: string } };
  quoteWithdrawal: {
    input: { customerMsisdn: string; agentNumber: string; storeNumber: string; amountCents: string };
    output: { agentName: string; chargeCents: string };
  };
  withdrawCash: {
    input: { customerMsisdn: string; agentNumber: string; storeNumber: string; amountCents: string; pin: string; idempotencyKey: string };
    output: WithdrawalReceiptView;
  };
  /** The charge for withdrawing to the caller's own M-Pesa (send-money bands). */
  quoteMpesaWithdrawal: { input: { msisdn: string; amountCents: string }; output: { chargeCents: string } };
  /** Debits the wallet and records the B2C request; Daraja is called by the worker, not in the hop. */
  withdrawToMpesa: { input: { msisdn: string; amountCents: string; pin: string; idempotencyKey: string }; output: MpesaWithdrawalView };
}

function declare<K extends keyof WithdrawEffects>(name: K) {
  return effect<WithdrawEffects[K]['input'], WithdrawEffects[K]['output']>(name);
}

/** The Withdraw Cash effects, spread into the setup's actors. */
export const withdrawActors = {
  lookupAgentStore: declare('lookupAgentStore'),
  quoteWithdrawal: declare('quoteWithdrawal'),
  withdrawCash: declare('withdrawCash'),
  quoteMpesaWithdrawal: declare('quoteMpesaWithdrawal'),
  withdrawToMpesa: declare('withdrawToMpesa'),
};
