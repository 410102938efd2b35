/**
 * Agents' money, for operators: float moved between an agent and its super agent (scope
 * `finance`, as ledger adjustments; Idempotency-Key required, the ledger key is
 * `admin:<Idempotency-Key>`), and the commission rates agents earn (read with `read`,
 * changed with `finance`, as tariffs). Amounts are integers of cents with `currency: 'KES'`.
 */
import type { Db } from '../../db/index.js';
import { AppError, ValidationError } from '../../errors/index.js';
import { displayBalance, findEntryView, type EntryView } from '../../ledger/index.js';
import { formatKes } from '../../money/index.js';
import { moveFloat, AgentInactiveError, InsufficientFloatError, type CommissionKind } from '../../agents/index.js';
import { defineRoute, schemas, type AdminContext, type AdminRoute } from '../route.js';
import { objectSchema } from '../validate.js';
import { agentRow } from './agents.js';
import { CURRENCY, writeTransaction } from './tariffs.js';

const KINDS: readonly CommissionKind[] = ['withdrawal', 'deposit'];
const centsOut = { type: 'integer', description: 'Cents' };
const agentNumber = { type: 'string', pattern: '^[0-9]{6}$', description: 'The 6-digit agent number' };
const side = { type: 'object', properties: { agentNumber: { type: 'string' }, float: { ...centsOut, description: 'Float right after this movement, cents' } } };

const floatView = {
  type: 'object',
  properties: {
    direction: { enum: ['from_super', 'to_super'] }, amount: centsOut, currency: { const: CURRENCY }, memo: { type: 'string' },
    code: { type: 'string', description: 'The transaction code both agents\' SMS carry' }, entryId: { type: 'integer' }, kind: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' }, agent: side, superAgent: side,
  },
};

const rateView = {
  type: 'object',
  properties: {
    kind: { enum: [...KINDS] },
    base: { enum: ['charge', 'amount'], description: 'charge: of the withdrawal charge (the commission never exceeds it); amount: of the amount moved' },
    rateBp: { type: 'integer', description: 'Basis points of the base: 5000 is 50 %' },
    minCommission: { ...centsOut, description: 'The least an agent earns on one movement, cents' },
    currency: { const: CURRENCY },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};

/** Not enough float: 409 with the float (cents) of the agent that was to send it. */
class ShortFloatError extends AppError {
  constructor(agentNumber: string, float: bigint) {
    super('insufficient_float', `not enough float: agent ${agentNumber} has ${formatKes(float)}`, 409, true);
    this.details = { agentNumber, float, currency: CURRENCY };
  }
}

/** A suspended party: the request is well formed, the agent's state refuses it (409). */
class SuspendedAgentError extends AppError {
  constructor() {
    super('agent_inactive', 'the agent or its super agent is suspended', 409, true);
  }
}

/** The owner-side float of `accountId` right after `entry`. */
function floatAfter(entry: EntryView, accountId: number): bigint {
  const leg = entry.postings.find((p) => p.accountId === accountId)!;
  return displayBalance({ balance: leg.balanceAfter, normalSide: leg.normalSide });
}

function ledgerKey(ctx: AdminContext): string {
  if (!ctx.idempotencyKey) throw new ValidationError('this route needs an Idempotency-Key header', 'Idempotency-Key');
  return `admin:${ctx.idempotencyKey}`;
}

function toRate(r: Record<string, unknown>) {
  return { kind: r.kind as CommissionKind, base: r.base as string, rateBp: r.rate_bp as number, minCommission: r.min_commission as bigint, currency: CURRENCY, updatedAt: r.updated_at };
}

async function rateRow(db: Db, kind: CommissionKind) {
  return db('commission_rates').where({ kind }).first();
}

export const agentMoneyRoutes: AdminRoute[] = [
  defineRoute({
    method: 'post',
    path: '/agents/{agentNumber}/float',
    scope: 'finance',
    summary: 'Move float between an agent and its super agent, without a PIN: from_super sells the agent float, to_super sends it back. One journal entry, SMS to both, once per Idempotency-Key. 400 when the agent has no super agent; 409 with the float (cents) when the sender\'s float is short, or when either is suspended',
    idempotent: true,
    params: objectSchema({ agentNumber }, ['agentNumber']),
    body: objectSchema(
      { direction: { enum: ['from_super', 'to_super'] }, amount: schemas.positiveCents, memo: { type: 'string', minLength: 3, maxLength: 200, pattern: '\\S', description: 'Why: kept as the entry memo' } },
      ['direction', 'amount', 'memo'],
    ),
    response: floatView,
    handler: async ({ params, body }, ctx) => {
      const db = writeTransaction(ctx.db);
      const agent = await agentRow(db, params.agentNumber);
      const superNumber = agent.super_agent_number as string | null;
      if (!superNumber) throw new ValidationError(`agentNumber: ${params.agentNumber} has no super agent to move float with`, 'agentNumber');
      const sup = await agentRow(db, superNumber);
      const [from, to] = body.direction === 'from_super' ? [sup, agent] : [agent, sup];
      const amount = BigInt(body.amount);
      let receipt: Awaited<ReturnType<typeof moveFloat>>;
      try {
        receipt = await moveFloat({ fromAgentNumber: from.agent_number as string, toAgentNumber: to.agent_number as string, amount, idempotencyKey: ledgerKey(ctx), memo: body.memo.trim() }, db);
      } catch (err) {
        if (err instanceof InsufficientFloatError) throw new ShortFloatError(from.agent_number as string, err.float);
        if (err instanceof AgentInactiveError) throw new SuspendedAgentError();
        throw err;
      }
      const entry = (await findEntryView(db, receipt.code))!;
      const floats = (r: Record<string, unknown>) => ({ agentNumber: r.agent_number as string, float: floatAfter(entry, r.float_account_id as number) });
      const after = { agent: floats(agent), superAgent: floats(sup) };
      const before = {
        agent: { ...after.agent, float: after.agent.float + (body.direction === 'from_super' ? -amount : amount) },
        superAgent: { ...after.superAgent, float: after.superAgent.float + (body.direction === 'from_super' ? amount : -amount) },
      };
      const result = {
        direction: body.direction, amount: entry.amount, currency: CURRENCY, memo: entry.memo, code: entry.code, entryId: entry.id, kind: entry.kind,
        createdAt: entry.createdAt, ...after,
      };
      return {
        status: 201,
        body: result,
        audit: { target: `agent:${params.agentNumber}`, before: { floats: before }, after: { code: entry.code, direction: body.direction, amount, floats: after, ...(receipt.replayed ? { replayed: true } : {}) } },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/commission-rates',
    scope: 'read',
    summary: 'What agents earn: per kind (withdrawal, deposit), rateBp basis points of the base (the charge or the amount), at least minCommission cents; rounded half-up to the cent',
    query: objectSchema({}),
    response: { type: 'object', properties: { currency: { const: CURRENCY }, rates: { type: 'array', items: rateView } } },
    handler: async (_input, { db }) => ({ body: { currency: CURRENCY, rates: (await db('commission_rates').orderBy('kind')).map(toRate) } }),
  }),
  defineRoute({
    method: 'put',
    path: '/commission-rates/{kind}',
    scope: 'finance',
    summary: 'Replace the commission rate of a kind: base (charge or amount), rateBp 0-10000, minCommission cents. Applies to the next withdrawal or deposit',
    params: objectSchema({ kind: { enum: [...KINDS] } }, ['kind']),
    body: objectSchema(
      { currency: { const: CURRENCY }, base: rateView.properties.base, rateBp: { type: 'integer', minimum: 0, maximum: 10_000 }, minCommission: schemas.cents },
      ['base', 'rateBp', 'minCommission'],
    ),
    response: rateView,
    handler: async ({ params, body }, { db }) => {
      const trx = writeTransaction(db);
      const kind = params.kind as CommissionKind;
      const before = await trx('commission_rates').where({ kind }).forUpdate().first();
      await trx('commission_rates')
        .insert({ kind, base: body.base, rate_bp: body.rateBp, min_commission: BigInt(body.minCommission), updated_at: trx.fn.now() })
        .onConflict('kind')
        .merge();
      const after = toRate(await rateRow(trx, kind));
      const audited = (r: ReturnType<typeof toRate>) => ({ base: r.base, rateBp: r.rateBp, minCommission: r.minCommission, currency: CURRENCY });
      return { body: after, audit: { target: `commission_rate:${kind}`, before: before ? audited(toRate(before)) : null, after: audited(after) } };
    },
  }),
];
