/**
 * Agents and super agents, for operators: list and look at them (scope `read`); register
 * one, add a store, suspend or reactivate, unlock the PIN (scope `operate`). The initial
 * PIN is never chosen by an operator nor shown to one: it is drawn at random and sent to
 * the agent by SMS, in the same transaction as the registration. Float movements and
 * commission rates are in ./agent-money.ts.
 */
import { randomInt } from 'node:crypto';
import type { Db, Knex } from '../../db/index.js';
import { AppError, NotFoundError, ValidationError } from '../../errors/index.js';
import { displayBalance, getAccount } from '../../ledger/index.js';
import { normalizeMsisdn } from '../../phone/index.js';
import { enqueueSms, SECRET_PLACEHOLDER } from '../../sms/index.js';
import { toPinState } from '../../customers/index.js';
import { addStores, registerAgent, setAgentStatus, AgentInactiveError, AgentNotFoundError } from '../../agents/index.js';
import { defineRoute, schemas, type AdminRoute } from '../route.js';
import { objectSchema } from '../validate.js';
import { pageBy } from '../paging.js';
import { CURRENCY, writeTransaction } from './tariffs.js';

/** The prefix of the outbox `dedupe_key` of an initial-PIN SMS; the admin SMS view masks those messages. */
export const AGENT_PIN_SMS_KEY = 'agent-pin:';

const agentNumber = { type: 'string', pattern: '^[0-9]{6}$', description: 'The 6-digit agent number' };
const kind = { enum: ['agent', 'super_agent'], description: 'agent (takes cash in and out) or super_agent (supplies float to its agents)' };
const status = { enum: ['active', 'suspended'] };
const language = { enum: ['en', 'sw'], description: 'What the agent\'s SMS speak: en (the default) or sw' };
const name = { type: 'string', minLength: 1, maxLength: 60, pattern: '\\S' };
const store = objectSchema({ storeNumber: { type: 'string', pattern: '^[0-9]{1,6}$', description: '1 to 6 digits, unique for the agent' }, name }, ['storeNumber', 'name']);
const dateTime = { type: 'string', format: 'date-time' };
const balanceView = { type: 'object', properties: { accountId: { type: 'integer' }, balance: { type: 'integer', description: 'Cents Simu owes the agent' }, currency: { const: CURRENCY } } };

const summaryView = {
  type: 'object',
  properties: {
    id: { type: 'integer' }, agentNumber: { type: 'string' }, name: { type: 'string' }, msisdn: { type: 'string', description: 'E.164' }, kind,
    superAgentNumber: { type: ['string', 'null'] }, language, status, createdAt: dateTime,
  },
};

const agentView = {
  type: 'object',
  properties: {
    ...summaryView.properties,
    statusReason: { type: ['string', 'null'] },
    updatedAt: dateTime,
    stores: { type: 'array', items: { type: 'object', properties: { storeNumber: { type: 'string' }, name: { type: 'string' }, status: { enum: ['active', 'closed'] } } } },
    float: balanceView,
    commission: balanceView,
    pin: { type: 'object', properties: { failedAttempts: { type: 'integer' }, lockedUntil: { type: ['string', 'null'], format: 'date-time' }, locked: { type: 'boolean' } } },
  },
};

/** Agents joined with their super agent's number; never the PIN hash. */
function agentsQuery(db: Db): Knex.QueryBuilder {
  return db('agents as a')
    .leftJoin('agents as s', 's.id', 'a.super_agent_id')
    .select(
      'a.id', 'a.agent_number', 'a.name', 'a.msisdn', 'a.kind', 'a.language', 'a.status', 'a.status_reason', 'a.created_at', 'a.updated_at',
      'a.float_account_id', 'a.commission_account_id', 'a.pin_failed_attempts', 'a.pin_locked_until', 's.agent_number as super_agent_number',
    );
}

/** The `agentsQuery` row of `number`. @throws NotFoundError */
export async function agentRow(db: Db, number: string): Promise<Record<string, unknown>> {
  const row = await agentsQuery(db).where('a.agent_number', number).first();
  if (!row) throw new NotFoundError(`no agent ${number}`);
  return row;
}

function toSummary(r: Record<string, unknown>) {
  return {
    id: r.id, agentNumber: r.agent_number, name: r.name, msisdn: r.msisdn, kind: r.kind, superAgentNumber: (r.super_agent_number as string | null) ?? null,
    language: String(r.language).trim(), status: r.status, createdAt: r.created_at,
  };
}

async function balance(db: Db, accountId: number) {
  return { accountId, balance: displayBalance(await getAccount(db, accountId)), currency: CURRENCY };
}

async function storeList(db: Db, agentId: number) {
  const rows = await db('agent_stores').where({ agent_id: agentId }).orderByRaw('length(store_number), store_number');
  return rows.map((s) => ({ storeNumber: s.store_number as string, name: s.name as string, status: s.status as string }));
}

/** The full record of agent `number`: stores, float and commission balances (cents), PIN lock state. */
export async function agentBody(db: Db, number: string) {
  const r = await agentRow(db, number);
  // One query at a time: `db` may be a transaction, whose one connection runs queries in turn.
  const stores = await storeList(db, r.id as number);
  const float = await balance(db, r.float_account_id as number);
  const commission = await balance(db, r.commission_account_id as number);
  return { ...toSummary(r), statusReason: r.status_reason ?? null, updatedAt: r.updated_at, stores, float, commission, pin: toPinState(r) };
}

function e164(value: string, field: string): string {
  const msisdn = normalizeMsisdn(value);
  if (!msisdn) throw new ValidationError(`${field}: not a valid mobile number`, field);
  return msisdn;
}

/** A refusal because an agent the request leans on is suspended (409: the request is fine, the state is not). */
class SuspendedAgentError extends AppError {
  constructor(what: string) {
    super('agent_inactive', `${what} is suspended`, 409, true);
  }
}

/** A random 4-digit PIN, drawn again while it is one a thief tries first (1111, 1234, 4321). */
export function initialPin(): string {
  for (;;) {
    const pin = String(randomInt(0, 10_000)).padStart(4, '0');
    const steps = new Set([...pin].slice(1).map((d, i) => (Number(d) - Number(pin[i]) + 10) % 10));
    if (steps.size > 1 || ![0, 1, 9].includes([...steps][0])) return pin;
  }
}

/** The SMS that carries an agent's initial PIN, in its language. */
export function initialPinSms(lang: 'en' | 'sw', number: string, pin: string): string {
  return lang === 'sw'
    ? `Karibu Simu, wakala ${number}. PIN yako ya wakala ni ${pin}. Ibadilishe sasa: menyu ya wakala, 6 Badilisha PIN. Usimpe mtu yeyote PIN yako.`
    : `Welcome to Simu, agent ${number}. Your agent PIN is ${pin}. Change it now: agent menu, 6 Change PIN. Never share your PIN with anyone.`;
}

const numberParam = objectSchema({ agentNumber }, ['agentNumber']);
const reason = { type: 'string', minLength: 1, maxLength: 500 };

export const agentsRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/agents',
    scope: 'read',
    summary: 'Agents and super agents, newest first; kind, status and superAgent (a super agent\'s number: the agents under it) narrow the list',
    query: objectSchema({ ...schemas.paging, kind, status, superAgent: agentNumber }),
    response: schemas.page(summaryView),
    handler: async ({ query }, { db }) => {
      const q = agentsQuery(db);
      if (query.kind) q.where('a.kind', query.kind);
      if (query.status) q.where('a.status', query.status);
      if (query.superAgent) q.where('s.agent_number', query.superAgent);
      return { body: await pageBy(q, { ...query, idColumn: 'a.id' }, toSummary) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/agents/{agentNumber}',
    scope: 'read',
    summary: 'One agent: its stores, float and commission balances in cents, its super agent\'s number, status and its reason, and PIN lock state',
    params: numberParam,
    query: objectSchema({}),
    response: agentView,
    handler: async ({ params }, { db }) => ({ body: await agentBody(db, params.agentNumber) }),
  }),
  defineRoute({
    method: 'post',
    path: '/agents',
    scope: 'operate',
    summary: 'Register an agent or super agent with its stores (at least one), float and commission accounts. A random initial PIN goes to the agent by SMS (never to the operator); the agent changes it from the agent menu. superAgentNumber is for kind agent only. 409 when the agent number or MSISDN is taken or the super agent is suspended; 404 for an unknown super agent',
    body: objectSchema(
      { agentNumber, name, msisdn: { ...schemas.msisdn, description: '0712…, 712…, 254712… or +254712…' }, kind, superAgentNumber: agentNumber, language, stores: { type: 'array', minItems: 1, maxItems: 50, items: store } },
      ['agentNumber', 'name', 'msisdn', 'kind', 'stores'],
    ),
    response: { ...agentView, properties: { ...agentView.properties, pinSentBySms: { const: true } } },
    handler: async ({ body }, { db }) => {
      const msisdn = e164(body.msisdn, 'msisdn');
      if (body.kind === 'super_agent' && body.superAgentNumber) throw new ValidationError('superAgentNumber: a super agent has no super agent', 'superAgentNumber');
      const stores = (body.stores as Array<{ storeNumber: string; name: string }>).map((s) => ({ storeNumber: s.storeNumber, name: s.name.trim() }));
      if (new Set(stores.map((s) => s.storeNumber)).size !== stores.length) throw new ValidationError('stores: a store number appears twice', 'stores');
      const trx = writeTransaction(db);
      const language: 'en' | 'sw' = body.language ?? 'en';
      const pin = initialPin();
      try {
        await registerAgent({ agentNumber: body.agentNumber, name: body.name.trim(), msisdn, kind: body.kind, superAgentNumber: body.superAgentNumber ?? null, pin, language, stores }, trx);
      } catch (err) {
        if (err instanceof AgentNotFoundError) throw new NotFoundError(`no super agent ${body.superAgentNumber}`);
        if (err instanceof AgentInactiveError) throw new SuspendedAgentError(`super agent ${body.superAgentNumber}`);
        throw err;
      }
      await enqueueSms(trx, [{ msisdn, kind: 'notice', dedupeKey: `${AGENT_PIN_SMS_KEY}${body.agentNumber}:initial`, message: initialPinSms(language, body.agentNumber, SECRET_PLACEHOLDER), secret: pin }]);
      const agent = await agentBody(trx, body.agentNumber);
      const { pin: _lock, float: _f, commission: _c, updatedAt: _u, ...kept } = agent;
      return { status: 201, body: { ...agent, pinSentBySms: true }, audit: { target: `agent:${agent.agentNumber}`, after: { ...kept, pinSentBySms: true } } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/agents/{agentNumber}/stores',
    scope: 'operate',
    summary: 'Add a store to an agent (its stores share its float); 409 when the agent has a store with that number',
    params: numberParam,
    body: store,
    response: agentView,
    handler: async ({ params, body }, { db }) => {
      const trx = writeTransaction(db);
      const row = await trx('agents').where({ agent_number: params.agentNumber }).forUpdate().first('id');
      if (!row) throw new NotFoundError(`no agent ${params.agentNumber}`);
      const before = await storeList(trx, row.id);
      await addStores(trx, row.id, [{ storeNumber: body.storeNumber, name: body.name.trim() }]);
      const agent = await agentBody(trx, params.agentNumber);
      return { status: 201, body: agent, audit: { target: `agent:${params.agentNumber}`, before: { stores: before }, after: { stores: agent.stores } } };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/agents/{agentNumber}',
    scope: 'operate',
    summary: 'Suspend an agent (it can then neither take deposits, pay out withdrawals nor move float) or make it active again, with the reason',
    params: numberParam,
    body: objectSchema({ status, reason }, ['status', 'reason']),
    response: agentView,
    handler: async ({ params, body }, { db }) => {
      const trx = writeTransaction(db);
      const row = await trx('agents').where({ agent_number: params.agentNumber }).forUpdate().first('status', 'status_reason');
      if (!row) throw new NotFoundError(`no agent ${params.agentNumber}`);
      const { after } = await setAgentStatus(trx, params.agentNumber, body.status, body.reason.trim());
      return {
        body: await agentBody(trx, params.agentNumber),
        audit: { target: `agent:${params.agentNumber}`, before: { status: row.status, reason: row.status_reason ?? null }, after: { status: after.status, reason: body.reason.trim() } },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/agents/{agentNumber}/unlock',
    scope: 'operate',
    summary: 'Clear the agent\'s wrong-PIN count and PIN lock, so it can enter its PIN again at once; the optional reason goes to the audit log',
    params: numberParam,
    body: objectSchema({ reason }),
    response: agentView,
    handler: async ({ params, body }, { db }) => {
      const trx = writeTransaction(db);
      const row = await trx('agents').where({ agent_number: params.agentNumber }).forUpdate().first('id', 'pin_failed_attempts', 'pin_locked_until');
      if (!row) throw new NotFoundError(`no agent ${params.agentNumber}`);
      const [after] = await trx('agents').where({ id: row.id })
        .update({ pin_failed_attempts: 0, pin_locked_until: null, updated_at: trx.fn.now() })
        .returning(['pin_failed_attempts', 'pin_locked_until']);
      return {
        body: await agentBody(trx, params.agentNumber),
        audit: { target: `agent:${params.agentNumber}`, before: { pin: toPinState(row) }, after: { pin: toPinState(after), ...(body.reason ? { reason: body.reason } : {}) } },
      };
    },
  }),
];
