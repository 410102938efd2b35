/**
 * The effects of the agent menu, declared for the setup (implemented in
 * src/ussd/effects-agents.ts). Amounts are cents as decimal strings (JSON context).
 *
 * The menu's own context and failure fields are added to the shared types here, by
 * declaration merging, as lipa-actors.ts does.
 */
import { effect } from './effect.js';
import type { StatementLineView } from './types.js';

/** Which float flow the agent is in: `4 Transfer float` or (super agents) `7 Sell float`. */
export type FloatMode = 'transfer' | 'sell';

/** What the agent menu keeps between hops (cents as strings). */
export interface AgentFlowContext {
  floatMode?: FloatMode;
  /** The agent float goes to, and its name once found. */
  toAgentNumber?: string;
  toAgentName?: string;
  /** Balances as last read (after the PIN). */
  floatCents?: string;
  commissionCents?: string;
}

/**
 * The END screen's facts of an agent movement (cents as strings; `floatCents` is the
 * agent's float after). `name`/`msisdn` are the customer of a deposit or the agent float
 * went to; `code` is empty when nothing moved.
 */
export interface AgentReceiptView {
  code: string;
  amountCents: string;
  floatCents: string;
  commissionCents?: string;
  name?: string;
  msisdn?: string;
  agentNumber?: string;
}

declare module './types.js' {
  interface MenuContext {
    agentFlow?: AgentFlowContext;
    agentReceipt?: AgentReceiptView;
    /** Set when an agent who is also a customer chose `9 Customer menu`: `00` then goes to the customer home. */
    asCustomer?: boolean;
  }
  interface MenuFailure {
    /** For insufficient_float: the agent's float, cents. */
    floatCents?: string;
  }
}

type NoOutput = Record<string, never>;
type Lines = { lines: StatementLineView[] };

/** Inputs and outputs of the agent menu's effects. */
export interface AgentEffects {
  lookupDepositor: { input: { agentMsisdn: string; customerMsisdn: string }; output: { customerName: string } };
  checkDepositAmount: { input: { amountCents: string }; output: NoOutput };
  depositCash: {
    input: { agentMsisdn: string; customerMsisdn: string; amountCents: string; pin: string; idempotencyKey: string };
    output: AgentReceiptView;
  };
  agentBalances: { input: { msisdn: string; pin: string }; output: { floatCents: string; commissionCents: string } };
  /** The last commissions, for an agent whose PIN this session has checked. */
  commissionStatement: { input: { msisdn: string }; output: Lines };
  /** Moves the whole commission to float, for an agent whose PIN this session has checked. */
  moveCommissionToFloat: { input: { msisdn: string; idempotencyKey: string }; output: AgentReceiptView };
  lookupFloatRecipient: { input: { fromMsisdn: string; toAgentNumber: string }; output: { agentNumber: string; name: string } };
  moveFloat: {
    input: { fromAgentNumber: string; toAgentNumber: string; amountCents: string; pin: string; idempotencyKey: string };
    output: AgentReceiptView;
  };
  agentStatement: { input: { msisdn: string; pin: string }; output: Lines };
  verifyAgentPin: { input: { msisdn: string; pin: string }; output: NoOutput };
  setAgentPin: { input: { msisdn: string; sessionId: string; pin: string; seal: string }; output: NoOutput };
}

function declare<K extends keyof AgentEffects>(name: K) {
  return effect<AgentEffects[K]['input'], AgentEffects[K]['output']>(name);
}

/** The agent menu's effects, spread into the setup's actors. */
export const agentActors = {
  lookupDepositor: declare('lookupDepositor'),
  checkDepositAmount: declare('checkDepositAmount'),
  depositCash: declare('depositCash'),
  agentBalances: declare('agentBalances'),
  commissionStatement: declare('commissionStatement'),
  moveCommissionToFloat: declare('moveCommissionToFloat'),
  lookupFloatRecipient: declare('lookupFloatRecipient'),
  moveFloat: declare('moveFloat'),
  agentStatement: declare('agentStatement'),
  verifyAgentPin: declare('verifyAgentPin'),
  setAgentPin: declare('setAgentPin'),
};
