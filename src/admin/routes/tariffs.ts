/**
 * Tariffs and the default tier's limits. Reads need `read`; changes need `finance` and
 * apply to the next transaction (send money reads both inside its own transaction).
 */
import type { Knex } from '../../db/index.js';
import { toCents } from '../../money/index.js';
import {
  loadTariff, loadTierLimits, replaceTariff, saveTierLimits, DEFAULT_TIER, TARIFF_TYPES, type Limits, type TariffBand, type TariffType,
} from '../../payments/index.js';
import { defineRoute, schemas, type AdminRoute, type JsonSchema } from '../route.js';
import { objectSchema } from '../validate.js';

/** What amounts are counted in (the JSON carries it beside every amount). */
export const CURRENCY = 'KES';
const currency = { const: CURRENCY, description: 'The currency of every amount here, in its minor unit (cents)' };
const centsOut = { type: 'integer', description: 'Cents: 50000 is KES 500.00' };

/** The four limits, in cents. */
export const limitsSchema: JsonSchema = {
  type: 'object',
  properties: { perTransaction: centsOut, perDay: centsOut, perMonth: centsOut, maxBalance: centsOut },
  required: ['perTransaction', 'perDay', 'perMonth', 'maxBalance'],
};

const bandSchema = objectSchema(
  { minAmount: schemas.positiveCents, maxAmount: schemas.positiveCents, charge: schemas.cents },
  ['minAmount', 'maxAmount', 'charge'],
);

const tariffView = {
  type: 'object',
  properties: {
    type: { enum: [...TARIFF_TYPES] },
    currency,
    bands: { type: 'array', items: { type: 'object', properties: { minAmount: centsOut, maxAmount: centsOut, charge: centsOut } } },
  },
};

const tierLimitsView = {
  type: 'object',
  properties: { tier: { type: 'string' }, currency, ...(limitsSchema.properties as object), updatedAt: { type: 'string', format: 'date-time' } },
};

const typeParam = objectSchema({ type: { enum: [...TARIFF_TYPES], description: 'The tariff type' } }, ['type']);

/**
 * The transaction a write runs in. The router gives every non-GET handler one (committed
 * with the audit row); this narrows the type, and fails loudly should that ever change.
 */
export function writeTransaction(db: Knex | Knex.Transaction): Knex.Transaction {
  if (!db.isTransaction) throw new Error('admin writes must run in the router\'s transaction');
  return db as Knex.Transaction;
}

function tariffBody(type: TariffType, bands: TariffBand[]) {
  return { type, currency: CURRENCY, bands };
}

export const tariffsRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/tariffs/{type}',
    scope: 'read',
    summary: 'The charge bands of a tariff type, lowest first: amounts from minAmount to maxAmount cents (inclusive) cost charge cents',
    params: typeParam,
    query: objectSchema({}),
    response: tariffView,
    handler: async ({ params }, { db }) => ({ body: tariffBody(params.type, await loadTariff(db, params.type)) }),
  }),
  defineRoute({
    method: 'put',
    path: '/tariffs/{type}',
    scope: 'finance',
    summary: 'Replace every band of a tariff type at once; bands must be sorted, contiguous (each minAmount one cent above the previous maxAmount), minAmount at least 1 cent, charge 0 or more. Applies to the next transaction',
    params: typeParam,
    body: objectSchema({ currency, bands: { type: 'array', minItems: 1, maxItems: 100, items: bandSchema } }, ['bands']),
    response: tariffView,
    handler: async ({ params, body }, { db }) => {
      const bands: TariffBand[] = body.bands.map((b: Record<string, number>) => ({ minAmount: toCents(b.minAmount), maxAmount: toCents(b.maxAmount), charge: toCents(b.charge) }));
      const { before, after } = await replaceTariff(writeTransaction(db), params.type, bands);
      return {
        body: tariffBody(params.type, after),
        audit: { target: `tariff:${params.type}`, before: tariffBody(params.type, before), after: tariffBody(params.type, after) },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/limits',
    scope: 'read',
    summary: 'The default tier\'s limits in cents: per transaction, per day and per month (money sent), and the most a wallet may hold',
    query: objectSchema({}),
    response: tierLimitsView,
    handler: async (_input, { db }) => {
      const { updatedAt, ...limits } = await loadTierLimits(db);
      return { body: { tier: DEFAULT_TIER, currency: CURRENCY, ...limits, updatedAt } };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/limits',
    scope: 'finance',
    summary: 'Replace the default tier\'s limits (cents; perTransaction ≤ perDay ≤ perMonth). Customers\' own overrides stay on top. Applies to the next transaction',
    body: objectSchema({ currency, perTransaction: schemas.cents, perDay: schemas.cents, perMonth: schemas.cents, maxBalance: schemas.cents }, ['perTransaction', 'perDay', 'perMonth', 'maxBalance']),
    response: tierLimitsView,
    handler: async ({ body }, { db }) => {
      const limits: Limits = { perTransaction: toCents(body.perTransaction), perDay: toCents(body.perDay), perMonth: toCents(body.perMonth), maxBalance: toCents(body.maxBalance) };
      const { before, after, updatedAt } = await saveTierLimits(writeTransaction(db), limits);
      return {
        body: { tier: DEFAULT_TIER, currency: CURRENCY, ...after, updatedAt },
        audit: { target: `limits:${DEFAULT_TIER}`, before: { currency: CURRENCY, ...before }, after: { currency: CURRENCY, ...after } },
      };
    },
  }),
];
