/** An agent's mini statements: the float's last entries, and the commission's. */
import { db as defaultDb, type Db } from '../db/index.js';
import { postingsQuery } from '../ledger/index.js';
import { nationalFormat } from '../phone/index.js';
import { verifyAgentPin } from './pin.js';
import type { Agent } from './repository.js';

/** One line: amounts in cents as the agent reads them (money out of the account negative). */
export interface AgentStatementLine {
  code: string;
  at: Date;
  counterparty: string;
  amount: bigint;
}

/**
 * The last `count` entries of the agent's float (`account: 'float'`) or commission
 * account, newest first, after its PIN.
 *
 * @throws as verifyAgentPin
 */
export async function agentStatement(msisdn: string, pin: string, account: 'float' | 'commission', count = 5, db: Db = defaultDb): Promise<AgentStatementLine[]> {
  const agent = await verifyAgentPin(msisdn, pin, db);
  return statementOf(agent, account, count, db);
}

/** As agentStatement, for an agent already identified. */
export async function statementOf(agent: Agent, account: 'float' | 'commission', count = 5, db: Db = defaultDb): Promise<AgentStatementLine[]> {
  const accountId = account === 'float' ? agent.floatAccountId : agent.commissionAccountId;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const rows: Array<Record<string, any>> = await postingsQuery(db, accountId).select('e.metadata').orderBy('p.id', 'desc').limit(count);
  return rows.map((r) => ({ code: r.code, at: r.created_at, counterparty: counterparty(r.kind, r.metadata ?? {}, agent), amount: -(r.amount as bigint) }));
}

function counterparty(kind: string, m: Record<string, unknown>, self: Agent): string {
  if ((kind === 'withdrawal' || kind === 'deposit') && typeof m.customer === 'string') return nationalFormat(m.customer);
  if (kind === 'float_transfer' || kind === 'float_sale') return `Agent ${m.fromAgent === self.agentNumber ? m.toAgent : m.fromAgent}`;
  if (kind === 'commission_payout') return 'Commission';
  return kind === 'seed' ? 'Opening float' : kind;
}
