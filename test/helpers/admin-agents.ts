/** Agents for the admin API tests: each test registers its own, with random numbers and MSISDNs. */
import { randomInt, randomUUID } from 'node:crypto';
import { db } from '../../src/db/index.js';
import { balancesOf, registerAgent, AgentExistsError, type Agent, type AgentKind } from '../../src/agents/index.js';
import { systemAccount, transfer } from '../../src/ledger/index.js';
import { admin } from './admin.js';
import { randomMsisdn } from './customers.js';
import { textToSend } from '../../src/sms/index.js';

/** The PIN of every agent makeAgent() registers. */
export const PIN = '1357';

/** A random 6-digit agent number. */
export const newNumber = () => String(randomInt(100_000, 1_000_000));

/** Registers an agent straight through the domain (PIN 1357), with `floatKes` of float from equity:opening. */
export async function makeAgent(opts: { kind?: AgentKind; superAgentNumber?: string; floatKes?: number } = {}): Promise<Agent> {
  let agent: Agent | undefined;
  while (!agent) {
    agent = await registerAgent(
      { agentNumber: newNumber(), name: 'Test Agent', msisdn: randomMsisdn(), kind: opts.kind ?? 'agent', superAgentNumber: opts.superAgentNumber, pin: PIN, stores: [{ storeNumber: '1', name: 'Main' }] },
      db,
    ).catch((err: unknown) => {
      if (err instanceof AgentExistsError) return undefined;
      throw err;
    });
  }
  if (opts.floatKes) {
    const opening = await systemAccount(db, 'opening');
    const cents = BigInt(opts.floatKes) * 100n;
    await transfer({
      idempotencyKey: `test:float:${agent.agentNumber}:${randomUUID()}`, kind: 'seed', amount: cents,
      postings: [{ accountId: opening.id, amount: cents }, { accountId: agent.floatAccountId, amount: -cents }],
    });
  }
  return agent;
}

/** A super agent with `superKes` of float and an agent under it with `agentKes`. */
export async function pair(superKes: number, agentKes: number): Promise<{ sup: Agent; agent: Agent }> {
  const sup = await makeAgent({ kind: 'super_agent', floatKes: superKes });
  return { sup, agent: await makeAgent({ superAgentNumber: sup.agentNumber, floatKes: agentKes }) };
}

/** A valid POST /admin/agents body (a fresh number and MSISDN) with `overrides`. */
export function registration(overrides: Record<string, unknown> = {}) {
  return { agentNumber: newNumber(), name: 'Wanjiru Shop', msisdn: randomMsisdn(), kind: 'agent', stores: [{ storeNumber: '1', name: 'Gikomba' }], ...overrides };
}

/** Every string anywhere in `value`. */
export function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** The `notice` outbox rows to `msisdn` (E.164): an agent's initial PIN SMS. */
export async function pinSms(msisdn: string) {
  const rows = await db('sms_outbox').where({ msisdn, kind: 'notice' });
  // As the phone reads it: the PIN is stored only sealed, beside a placeholder.
  return rows.map((r) => ({ ...r, stored: r.message, message: textToSend(r.message, r.secret_sealed) }));
}

/** The float of each agent, cents. */
export async function floats(...agents: Agent[]): Promise<bigint[]> {
  return Promise.all(agents.map(async (a) => (await balancesOf(a, db)).float));
}

/** The audit rows of `agent:<agentNumber>`, newest first, read through the API with `key`. */
export async function auditOf(key: string, agentNumber: string) {
  return (await admin('GET', `/audit?target=agent:${agentNumber}`, { key })).body.data;
}
