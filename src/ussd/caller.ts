/**
 * Who dialled: the customer and the agent (if any) holding the MSISDN of a session's first
 * hop, read in one round trip (the runner used to ask customers and agents apart). Only
 * what the menu's input needs is read; no PIN hash leaves the database.
 */
import type { Db } from '../db/index.js';

/** The customer holding the MSISDN, as the menu sees them. */
export interface DiallingCustomer {
  firstName: string;
  language: 'en' | 'sw';
  status: 'active' | 'suspended' | 'closed';
}

/** The agent holding the MSISDN, as the menu sees it. */
export interface DiallingAgent {
  agentNumber: string;
  name: string;
  kind: 'agent' | 'super_agent';
  language: 'en' | 'sw';
  status: 'active' | 'suspended';
}

const CALLER_SQL = `
SELECT c.first_name, c.language AS customer_language, c.status AS customer_status,
       a.agent_number, a.name AS agent_name, a.kind AS agent_kind, a.language AS agent_language, a.status AS agent_status
  FROM (SELECT ?::text AS msisdn) m
  LEFT JOIN customers c ON c.msisdn = m.msisdn
  LEFT JOIN agents a ON a.msisdn = m.msisdn`;

/** The customer and the agent holding `msisdn` (E.164), each null when there is none: one query. */
export async function findDialler(db: Db, msisdn: string): Promise<{ customer: DiallingCustomer | null; agent: DiallingAgent | null }> {
  const { rows } = await db.raw(CALLER_SQL, [msisdn]);
  const r = rows[0] as Record<string, string | null>;
  const lang = (v: string | null) => ((v ?? 'en').trim() as 'en' | 'sw');
  return {
    customer: r.customer_status === null ? null : { firstName: r.first_name!, language: lang(r.customer_language), status: r.customer_status as DiallingCustomer['status'] },
    agent: r.agent_status === null ? null : {
      agentNumber: r.agent_number!, name: r.agent_name!, kind: r.agent_kind as DiallingAgent['kind'], language: lang(r.agent_language), status: r.agent_status as DiallingAgent['status'],
    },
  };
}
