/**
 * Customers as an operator sees them: search, the full record (KYC, status, limits in
 * force, balance, PIN lock), suspend or reactivate, PIN unlock (`operate`), and a
 * customer's own limits (`finance`). `{msisdn}` may be written in any form a person
 * writes it (`0712…`, `712…`, `254712…`, `+254712…`).
 */
import type { Db } from '../../db/index.js';
import { ValidationError } from '../../errors/index.js';
import { displayBalance, getAccount } from '../../ledger/index.js';
import { toCents } from '../../money/index.js';
import { normalizeMsisdn } from '../../phone/index.js';
import {
  loadCustomerRecord, searchCustomers, setCustomerStatus, toCustomerSummary, unlockPin, SETTABLE_STATUSES, type PinState,
} from '../../customers/index.js';
import { loadLimitOverrides, loadLimits, setLimitOverrides, DEFAULT_TIER, type LimitOverrides, type Limits } from '../../payments/index.js';
import { defineRoute, schemas, type AdminRoute } from '../route.js';
import { objectSchema } from '../validate.js';
import { pageBy } from '../paging.js';
import { CURRENCY, limitsSchema, writeTransaction } from './tariffs.js';

const dateTime = { type: 'string', format: 'date-time' };
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' };
const statusEnum = { enum: ['active', 'suspended', 'closed'] };
const overrideIn = { type: ['integer', 'null'], minimum: 0, maximum: schemas.cents.maximum, description: 'Cents; null keeps the tier\'s value' };
const overrideOut = { type: ['integer', 'null'], description: 'Cents; null when the tier\'s value is in force' };

const summaryView = {
  type: 'object',
  properties: { id: { type: 'integer' }, msisdn: { type: 'string' }, firstName: { type: 'string' }, lastName: { type: 'string' }, status: statusEnum, createdAt: dateTime },
};

const limitsView = {
  type: 'object',
  properties: {
    tier: { type: 'string' },
    currency: { const: CURRENCY },
    inForce: limitsSchema,
    overrides: { type: 'object', properties: { perTransaction: overrideOut, perDay: overrideOut, perMonth: overrideOut, maxBalance: overrideOut } },
  },
};

const pinView = { type: 'object', properties: { failedAttempts: { type: 'integer' }, lockedUntil: nullableDateTime, locked: { type: 'boolean' } } };

const customerView = {
  type: 'object',
  properties: {
    ...summaryView.properties,
    nationalId: { type: 'string' },
    language: { enum: ['en', 'sw'] },
    statusReason: { type: ['string', 'null'] },
    updatedAt: dateTime,
    wallet: { type: 'object', properties: { accountId: { type: 'integer' }, balance: { type: 'integer', description: 'Cents' }, currency: { const: CURRENCY } } },
    limits: limitsView,
    pin: pinView,
  },
};

const msisdnParam = objectSchema({ msisdn: { ...schemas.msisdn, description: 'The customer\'s number: 0712…, 712…, 254712… or +254712…' } }, ['msisdn']);

/** The E.164 form of the `{msisdn}` path parameter; ValidationError when it is not a mobile number. */
function e164(params: { msisdn: string }): string {
  const msisdn = normalizeMsisdn(String(params.msisdn));
  if (!msisdn) throw new ValidationError('msisdn: not a valid mobile number', 'msisdn');
  return msisdn;
}

function limitsBody(inForce: Limits, overrides: LimitOverrides) {
  return { tier: DEFAULT_TIER, currency: CURRENCY, inForce, overrides };
}

/** The full record of the customer holding `msisdn` (E.164). */
async function customerBody(db: Db, msisdn: string) {
  const { walletAccountId, pin, ...record } = await loadCustomerRecord(db, msisdn);
  const wallet = await getAccount(db, walletAccountId);
  const limits = limitsBody(await loadLimits(db, record.id), await loadLimitOverrides(db, record.id));
  return { ...record, wallet: { accountId: walletAccountId, balance: displayBalance(wallet), currency: CURRENCY }, limits, pin: pinBody(pin) };
}

function pinBody(pin: PinState) {
  return { failedAttempts: pin.failedAttempts, lockedUntil: pin.lockedUntil, locked: pin.locked };
}

export const customersRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/customers',
    scope: 'read',
    summary: 'Find customers, newest first: q is an MSISDN in any form (0712…, 712…, 254712…, +254712…), a national ID, or a piece of a name (any case); without q, every customer',
    query: objectSchema({ ...schemas.paging, q: { type: 'string', minLength: 1, maxLength: 100 } }),
    response: schemas.page(summaryView),
    handler: async ({ query }, { db }) => ({ body: await pageBy(searchCustomers(db, query.q), query, toCustomerSummary) }),
  }),
  defineRoute({
    method: 'get',
    path: '/customers/{msisdn}',
    scope: 'read',
    summary: 'One customer: status and its reason, KYC fields (names, national ID), the limits in force (tier values with this customer\'s overrides), wallet balance in cents, and PIN lock state',
    params: msisdnParam,
    query: objectSchema({}),
    response: customerView,
    handler: async ({ params }, { db }) => ({ body: await customerBody(db, e164(params)) }),
  }),
  defineRoute({
    method: 'post',
    path: '/customers/{msisdn}/status',
    scope: 'operate',
    summary: 'Suspend a customer (they can then neither send nor receive) or make them active again, with the reason; a closed account is refused with 409',
    params: msisdnParam,
    body: objectSchema({ status: { enum: [...SETTABLE_STATUSES] }, reason: { type: 'string', minLength: 1, maxLength: 500 } }, ['status', 'reason']),
    response: customerView,
    handler: async ({ params, body }, { db }) => {
      const msisdn = e164(params);
      const { before, after } = await setCustomerStatus(writeTransaction(db), msisdn, body.status, body.reason);
      return { body: await customerBody(db, msisdn), audit: { target: `customer:${msisdn}`, before, after } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/customers/{msisdn}/unlock',
    scope: 'operate',
    summary: 'Clear the customer\'s wrong-PIN count and PIN lock, so they can enter their PIN again at once; the optional reason goes to the audit log',
    params: msisdnParam,
    body: objectSchema({ reason: { type: 'string', minLength: 1, maxLength: 500 } }),
    response: customerView,
    handler: async ({ params, body }, { db }) => {
      const msisdn = e164(params);
      const { before, after } = await unlockPin(writeTransaction(db), msisdn);
      return {
        body: await customerBody(db, msisdn),
        audit: { target: `customer:${msisdn}`, before: { pin: pinBody(before) }, after: { pin: pinBody(after), ...(body.reason ? { reason: body.reason } : {}) } },
      };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/customers/{msisdn}/limits',
    scope: 'finance',
    summary: 'Set this customer\'s own limits in cents, on top of the tier\'s: all four fields, each a value or null to keep the tier\'s. The limits then in force must keep perTransaction ≤ perDay ≤ perMonth. Applies to the next transaction',
    params: msisdnParam,
    body: objectSchema(
      { currency: { const: CURRENCY }, perTransaction: overrideIn, perDay: overrideIn, perMonth: overrideIn, maxBalance: overrideIn },
      ['perTransaction', 'perDay', 'perMonth', 'maxBalance'],
    ),
    response: limitsView,
    handler: async ({ params, body }, { db }) => {
      const msisdn = e164(params);
      const { id } = await loadCustomerRecord(db, msisdn);
      const cents = (v: number | null) => (v === null ? null : toCents(v));
      const overrides: LimitOverrides = { perTransaction: cents(body.perTransaction), perDay: cents(body.perDay), perMonth: cents(body.perMonth), maxBalance: cents(body.maxBalance) };
      const { before, after, inForce } = await setLimitOverrides(writeTransaction(db), id, overrides);
      return {
        body: limitsBody(inForce, after),
        audit: { target: `customer:${msisdn}`, before: { limitOverrides: { currency: CURRENCY, ...before } }, after: { limitOverrides: { currency: CURRENCY, ...after } } },
      };
    },
  }),
];
