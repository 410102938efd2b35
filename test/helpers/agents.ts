/** Test agents: each test makes its own, with fresh agent numbers and MSISDNs. */
import { randomInt } from 'node:crypto';
import { db } from '../../src/db/index.js';
import { registerAgent, AgentExistsError, type Agent, type AgentKind } from '../../src/agents/index.js';
import { displayBalance, getAccount, systemAccount, transfer } from '../../src/ledger/index.js';

/** A random 6-digit agent number (not starting with 0). */
export function randomAgentNumber(): string {
  return String(randomInt(100_000, 1_000_000));
}

/**
 * A random agent MSISDN, +254709xxxxxx: test customers' numbers (+2547 then 10–98, see
 * randomMsisdn) and the seeds' (+254700…) never use it, so an agent made on a customer's
 * phone cannot find that number taken by another test's agent.
 */
export function randomAgentMsisdn(): string {
  return `+254709${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}

/** What a test agent may differ in; everything has a default. */
export interface TestAgentOptions {
  kind?: AgentKind;
  /** The super agent's number (kind `agent` only); none by default. */
  superAgentNumber?: string | null;
  /** Float to start with, whole shillings, funded from equity:opening. */
  floatKes?: number;
  name?: string;
  /** E.164; a fresh random number by default (pass a customer's to make an agent who is also a customer). */
  msisdn?: string;
  language?: 'en' | 'sw';
  pin?: string;
}

/** Registers an agent with store 1 (PIN 1234 unless given) holding `floatKes` shillings of float. */
export async function makeAgent(opts: TestAgentOptions = {}): Promise<Agent> {
  let agent: Agent | undefined;
  // Random numbers meet now and then: draw again (a given MSISDN that is taken fails after a few draws).
  for (let attempt = 1; !agent; attempt++) {
    const agentNumber = randomAgentNumber();
    agent = await registerAgent({
      agentNumber,
      name: opts.name ?? `Test Agent ${agentNumber}`,
      msisdn: opts.msisdn ?? randomAgentMsisdn(),
      kind: opts.kind ?? 'agent',
      superAgentNumber: opts.kind === 'super_agent' ? null : (opts.superAgentNumber ?? null),
      pin: opts.pin ?? '1234',
      language: opts.language ?? 'en',
      stores: [{ storeNumber: '1', name: 'Main store' }],
    }).catch((err: unknown) => {
      if (err instanceof AgentExistsError && attempt < 5) return undefined;
      throw err;
    });
  }
  if (opts.floatKes) await fundFloat(agent, opts.floatKes);
  return agent;
}

/** Moves `kes` shillings from equity:opening into the agent's float. */
export async function fundFloat(agent: Agent, kes: number): Promise<void> {
  const opening = await systemAccount(db, 'opening');
  const cents = BigInt(kes) * 100n;
  await transfer({
    idempotencyKey: `test:float:${agent.agentNumber}:${Date.now()}:${randomInt(1e9)}`,
    kind: 'seed',
    amount: cents,
    postings: [
      { accountId: opening.id, amount: cents },
      { accountId: agent.floatAccountId, amount: -cents },
    ],
  });
}

/** The agent's float and commission balances, cents. */
export async function agentBalancesOf(agent: Agent): Promise<{ float: bigint; commission: bigint }> {
  const [float, commission] = await Promise.all([getAccount(db, agent.floatAccountId), getAccount(db, agent.commissionAccountId)]);
  return { float: displayBalance(float), commission: displayBalance(commission) };
}
