/**
 * Agents and their stores: reading them and registering them. An agent's float and
 * commission accounts are opened with it (`float:<agent number>`, `commission:<agent
 * number>`, no-overdraft liabilities).
 */
import { db as defaultDb, type Db, type Knex } from '../db/index.js';
import { config } from '../config/index.js';
import { hashPin, isPinFormat, InvalidPinError } from '../customers/index.js';
import { openAccount } from '../ledger/index.js';
import { AgentExistsError, AgentInactiveError, AgentNotFoundError, StoreNotFoundError } from './errors.js';

/** What an agent is. A super agent supplies float to the agents under it. */
export type AgentKind = 'agent' | 'super_agent';

/** An agent as the domain uses it. */
export interface Agent {
  id: number;
  agentNumber: string;
  name: string;
  /** E.164. */
  msisdn: string;
  kind: AgentKind;
  superAgentId: number | null;
  floatAccountId: number;
  commissionAccountId: number;
  language: 'en' | 'sw';
  status: 'active' | 'suspended';
}

/** An agent's outlet: the float is the agent's, shared by its stores. */
export interface AgentStore {
  id: number;
  agentId: number;
  storeNumber: string;
  name: string;
  status: 'active' | 'closed';
}

/** Maps an `agents` row. */
export function toAgent(row: Record<string, unknown>): Agent {
  return {
    id: row.id as number,
    agentNumber: row.agent_number as string,
    name: row.name as string,
    msisdn: row.msisdn as string,
    kind: row.kind as AgentKind,
    superAgentId: (row.super_agent_id as number | null) ?? null,
    floatAccountId: row.float_account_id as number,
    commissionAccountId: row.commission_account_id as number,
    language: ((row.language as string) ?? 'en').trim() as 'en' | 'sw',
    status: row.status as Agent['status'],
  };
}

/** Maps an `agent_stores` row. */
export function toStore(row: Record<string, unknown>): AgentStore {
  return { id: row.id as number, agentId: row.agent_id as number, storeNumber: row.store_number as string, name: row.name as string, status: row.status as AgentStore['status'] };
}

/** The agent whose phone is `msisdn` (E.164), or null. */
export async function findAgentByMsisdn(msisdn: string, db: Db = defaultDb): Promise<Agent | null> {
  const row = await db('agents').where({ msisdn }).first();
  return row ? toAgent(row) : null;
}

/** The agent with `agentNumber`, or null. */
export async function findAgent(agentNumber: string, db: Db = defaultDb): Promise<Agent | null> {
  const row = await db('agents').where({ agent_number: agentNumber }).first();
  return row ? toAgent(row) : null;
}

/**
 * The active agent `agentNumber` with its open store `storeNumber`.
 *
 * @throws AgentNotFoundError, AgentInactiveError, StoreNotFoundError
 */
export async function activeAgentStore(agentNumber: string, storeNumber: string, db: Db = defaultDb): Promise<{ agent: Agent; store: AgentStore }> {
  const agent = await findAgent(agentNumber, db);
  if (!agent) throw new AgentNotFoundError();
  if (agent.status !== 'active') throw new AgentInactiveError();
  const row = await db('agent_stores').where({ agent_id: agent.id, store_number: storeNumber, status: 'active' }).first();
  if (!row) throw new StoreNotFoundError();
  return { agent, store: toStore(row) };
}

/** The stores of an agent, by store number. */
export async function storesOf(agentId: number, db: Db = defaultDb): Promise<AgentStore[]> {
  return (await db('agent_stores').where({ agent_id: agentId }).orderByRaw('length(store_number), store_number')).map(toStore);
}

/** What it takes to register an agent. */
export interface AgentRegistration {
  agentNumber: string;
  name: string;
  msisdn: string;
  kind: AgentKind;
  /** The super agent's number; only for kind `agent`. */
  superAgentNumber?: string | null;
  /** 4 digits. */
  pin: string;
  language?: 'en' | 'sw';
  /** Store numbers with names; an agent has at least one. */
  stores: Array<{ storeNumber: string; name: string }>;
}

/**
 * Registers an agent with its accounts and stores, in one transaction (pass one to join it).
 *
 * @throws AgentExistsError (agent number or MSISDN taken), AgentNotFoundError (no such
 *   super agent), AgentInactiveError (super agent suspended), InvalidPinError
 */
export async function registerAgent(reg: AgentRegistration, db: Db = defaultDb): Promise<Agent> {
  if (!isPinFormat(reg.pin)) throw new InvalidPinError('invalid_pin', 'PIN must be 4 digits');
  return db.transaction(async (trx) => {
    if (await trx('agents').where({ agent_number: reg.agentNumber }).orWhere({ msisdn: reg.msisdn }).first('id')) {
      throw new AgentExistsError('an agent with that agent number or MSISDN exists');
    }
    let superAgentId: number | null = null;
    if (reg.kind === 'agent' && reg.superAgentNumber) {
      const sup = await trx('agents').where({ agent_number: reg.superAgentNumber, kind: 'super_agent' }).first();
      if (!sup) throw new AgentNotFoundError();
      if (sup.status !== 'active') throw new AgentInactiveError();
      superAgentId = sup.id;
    }
    const float = await openAccount(trx, { code: `float:${reg.agentNumber}`, name: `Float ${reg.name}`, type: 'liability', noOverdraft: true });
    const commission = await openAccount(trx, { code: `commission:${reg.agentNumber}`, name: `Commission ${reg.name}`, type: 'liability', noOverdraft: true });
    const [row] = await trx('agents')
      .insert({
        agent_number: reg.agentNumber, name: reg.name, msisdn: reg.msisdn, kind: reg.kind, super_agent_id: superAgentId,
        float_account_id: float.id, commission_account_id: commission.id,
        pin_hash: hashPin(reg.pin, reg.msisdn, config.pinSecret), language: reg.language ?? 'en',
      })
      .returning('*');
    await addStores(trx, row.id, reg.stores);
    return toAgent(row);
  });
}

/** Adds stores to an agent in the caller's transaction. @throws AgentExistsError a store number is taken for this agent */
export async function addStores(trx: Knex.Transaction | Db, agentId: number, stores: AgentRegistration['stores']): Promise<AgentStore[]> {
  if (stores.length === 0) return [];
  const rows = await trx('agent_stores')
    .insert(stores.map((s) => ({ agent_id: agentId, store_number: s.storeNumber, name: s.name })))
    .onConflict(['agent_id', 'store_number'])
    .ignore()
    .returning('*');
  if (rows.length !== stores.length) throw new AgentExistsError('that store number is taken for this agent');
  return rows.map(toStore);
}

/**
 * Sets an agent's status with the operator's reason, in the caller's transaction. Returns
 * the agent before and after.
 *
 * @throws AgentNotFoundError
 */
export async function setAgentStatus(trx: Knex.Transaction, agentNumber: string, status: Agent['status'], reason: string): Promise<{ before: Agent; after: Agent }> {
  const row = await trx('agents').where({ agent_number: agentNumber }).forUpdate().first();
  if (!row) throw new AgentNotFoundError();
  const [after] = await trx('agents').where({ id: row.id }).update({ status, status_reason: reason, updated_at: trx.fn.now() }).returning('*');
  return { before: toAgent(row), after: toAgent(after) };
}
