/**
 * The effects of Withdraw Cash (customer side) and of the agent menu, implemented with
 * src/agents (see menus/withdraw-actors.ts and menus/agent-actors.ts). A float too small
 * reaches the menu with the float in cents; an agent refusal that could be either party's
 * (`agent_inactive` from a float movement) is told apart here.
 */
import { fromPromise } from 'xstate';
import type { WithdrawEffects } from '../../menus/withdraw-actors.js';
import type { AgentEffects } from '../../menus/agent-actors.js';
import type { StatementLineView } from '../../menus/types.js';
import {
  activeAgentStore, agentBalances, agentStatement, checkDepositAmount, depositCash, findAgent, findAgentByMsisdn, lookupDepositor, lookupFloatRecipient,
  moveCommissionToFloat, moveFloat, quoteWithdrawal, setAgentPin, statementOf, verifyAgentPin, withdrawCash,
  AgentInactiveError, AgentNotFoundError, InsufficientFloatError, type AgentStatementLine,
} from '../agents/index.js';
import { sealMatches, InvalidPinError } from '../customers/index.js';
import { SelfTransferError } from '../payments/index.js';
import { AppError } from '../errors/index.js';
import { toMenuFailure } from './effect.js';

type All = WithdrawEffects & AgentEffects;

/** The agent float would go to is suspended (the sending agent is not). */
export class FloatRecipientInactiveError extends AppError {
  constructor() {
    super('float_recipient_inactive', 'that agent is suspended', 403, true);
  }
}

/** Like domainEffect, but an InsufficientFloatError also carries the float (cents) to the menu. */
function effect<K extends keyof All>(run: (input: All[K]['input']) => Promise<All[K]['output']>) {
  return fromPromise<All[K]['output'], All[K]['input']>(async ({ input }) => {
    try {
      return await run(input);
    } catch (err) {
      const failure = toMenuFailure(err);
      if (err instanceof InsufficientFloatError) failure.floatCents = err.float.toString();
      throw failure;
    }
  });
}

// Statement dates as `dd/mm` in Africa/Nairobi (as the customer mini statement shows them).
const DAY_MONTH = new Intl.DateTimeFormat('en-GB', { timeZone: 'Africa/Nairobi', day: '2-digit', month: '2-digit' });

function lines(rows: AgentStatementLine[]): { lines: StatementLineView[] } {
  return { lines: rows.map((l) => ({ code: l.code, date: DAY_MONTH.format(l.at), party: l.counterparty, amountCents: l.amount.toString() })) };
}

/**
 * `agent_inactive` from a float movement may be either agent's: when the sender (`fromActive`)
 * is still active it was the other agent's, a refusal the menu re-asks.
 */
async function whoseSuspension<T>(run: () => Promise<T>, fromActive: () => Promise<boolean>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof AgentInactiveError && (await fromActive())) throw new FloatRecipientInactiveError();
    throw err;
  }
}

const activeByMsisdn = async (msisdn: string) => (await findAgentByMsisdn(msisdn))?.status === 'active';
const activeByNumber = async (agentNumber: string) => (await findAgent(agentNumber))?.status === 'active';

/** The agent whose phone is `msisdn`, active, for effects that come after this session's PIN check. */
async function activeAgent(msisdn: string) {
  const agent = await findAgentByMsisdn(msisdn);
  if (!agent) throw new AgentNotFoundError();
  if (agent.status !== 'active') throw new AgentInactiveError();
  return agent;
}

/** Withdraw Cash's effects, for `mainMenu.provide({ actors })`. */
export const withdrawEffects = {
  lookupAgentStore: effect<'lookupAgentStore'>(async (i) => {
    const { agent } = await activeAgentStore(i.agentNumber, i.storeNumber);
    if (agent.msisdn === i.customerMsisdn) throw new SelfTransferError();
    return { agentName: agent.name };
  }),
  quoteWithdrawal: effect<'quoteWithdrawal'>(async (i) => {
    const q = await quoteWithdrawal(i.customerMsisdn, i.agentNumber, i.storeNumber, BigInt(i.amountCents));
    return { agentName: q.agentName, chargeCents: q.charge.toString() };
  }),
  withdrawCash: effect<'withdrawCash'>(async (i) => {
    const r = await withdrawCash({
      customerMsisdn: i.customerMsisdn, agentNumber: i.agentNumber, storeNumber: i.storeNumber, amount: BigInt(i.amountCents), pin: i.pin, idempotencyKey: i.idempotencyKey,
    });
    return {
      code: r.code, agentName: r.agentName, storeNumber: r.storeNumber, amountCents: r.amount.toString(), chargeCents: r.charge.toString(), balanceCents: r.balance.toString(),
    };
  }),
};

/** The agent menu's effects, for `mainMenu.provide({ actors })`. */
export const agentEffects = {
  lookupDepositor: effect<'lookupDepositor'>(async (i) => ({ customerName: await lookupDepositor(i.agentMsisdn, i.customerMsisdn) })),
  checkDepositAmount: effect<'checkDepositAmount'>(async (i) => {
    checkDepositAmount(BigInt(i.amountCents));
    return {};
  }),
  depositCash: effect<'depositCash'>(async (i) => {
    const r = await depositCash({ agentMsisdn: i.agentMsisdn, customerMsisdn: i.customerMsisdn, amount: BigInt(i.amountCents), pin: i.pin, idempotencyKey: i.idempotencyKey });
    return {
      code: r.code, amountCents: r.amount.toString(), floatCents: r.float.toString(), commissionCents: r.commission.toString(), name: r.customerName, msisdn: r.customerMsisdn,
    };
  }),
  agentBalances: effect<'agentBalances'>(async (i) => {
    const b = await agentBalances(i.msisdn, i.pin);
    return { floatCents: b.float.toString(), commissionCents: b.commission.toString() };
  }),
  commissionStatement: effect<'commissionStatement'>(async (i) => lines(await statementOf(await activeAgent(i.msisdn), 'commission'))),
  moveCommissionToFloat: effect<'moveCommissionToFloat'>(async (i) => {
    const r = await moveCommissionToFloat(i.msisdn, i.idempotencyKey);
    return { code: r.code ?? '', amountCents: r.amount.toString(), floatCents: r.float.toString() };
  }),
  lookupFloatRecipient: effect<'lookupFloatRecipient'>(async (i) =>
    whoseSuspension(() => lookupFloatRecipient(i.fromMsisdn, i.toAgentNumber), () => activeByMsisdn(i.fromMsisdn)),
  ),
  moveFloat: effect<'moveFloat'>(async (i) => {
    const r = await whoseSuspension(
      () => moveFloat({ fromAgentNumber: i.fromAgentNumber, toAgentNumber: i.toAgentNumber, amount: BigInt(i.amountCents), pin: i.pin, idempotencyKey: i.idempotencyKey }),
      () => activeByNumber(i.fromAgentNumber),
    );
    return { code: r.code, amountCents: r.amount.toString(), floatCents: r.float.toString(), name: r.toName, agentNumber: r.toAgentNumber };
  }),
  agentStatement: effect<'agentStatement'>(async (i) => lines(await agentStatement(i.msisdn, i.pin, 'float'))),
  verifyAgentPin: effect<'verifyAgentPin'>(async (i) => {
    await verifyAgentPin(i.msisdn, i.pin);
    return {};
  }),
  setAgentPin: effect<'setAgentPin'>(async (i) => {
    if (!sealMatches(i.pin, i.sessionId, i.seal)) throw new InvalidPinError('pin_mismatch', 'the PINs did not match');
    await setAgentPin(i.msisdn, i.pin);
    return {};
  }),
};
