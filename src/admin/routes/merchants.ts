/**
 * Merchants (Lipa): list and look at them (scope `read`), register one and change one
 * (scope `operate`), commission rate and SMS language included. A new merchant gets its
 * settlement account in the ledger (`merchant:<kind>:<number>`); the kind and number
 * never change, since they name it. Its confirmations: ./merchant-confirmations.ts.
 */
import { ValidationError } from '../../errors/index.js';
import { displayBalance, getAccount } from '../../ledger/index.js';
import {
  createMerchant, getMerchant, merchantsQuery, toMerchant, updateMerchant, MAX_COMMISSION_BP, MERCHANT_KINDS, MERCHANT_LANGUAGES, type Merchant,
} from '../../merchants/index.js';
import { normalizeMsisdn } from '../../phone/index.js';
import type { Db } from '../../db/index.js';
import { defineRoute, schemas, type AdminRoute } from '../route.js';
import { objectSchema } from '../validate.js';
import { pageBy } from '../paging.js';
import { CURRENCY, writeTransaction } from './tariffs.js';

const kind = { enum: [...MERCHANT_KINDS], description: 'paybill (customers add an account number) or till (Buy Goods)' };
const shortCode = { type: 'string', pattern: '^[0-9]{5,7}$', description: 'The paybill or till number' };
const name = { type: 'string', minLength: 1, maxLength: 60, pattern: '\\S' };
const url = (what: string) => ({
  type: ['string', 'null'], maxLength: 500, pattern: '^https://\\S+$',
  description: `${what}: an https URL that takes Daraja C2B-style JSON posts; null for none`,
});
const validationDefault = { enum: ['accept', 'reject'], description: 'What a payment does when the validation URL does not answer in time' };
const validationTimeoutMs = { type: 'integer', minimum: 100, maximum: 5000, description: 'How long to wait for the validation URL (ms); the USSD hop waits too' };
const commissionBp = {
  type: 'integer', minimum: 0, maximum: MAX_COMMISSION_BP,
  description: `Commission on each payment in basis points of the amount, 0-${MAX_COMMISSION_BP}: 50 is 0.5 % (the default), 100 is 1 %; rounded half-up to the cent`,
};
const language = { enum: [...MERCHANT_LANGUAGES], description: 'What the merchant\'s payment SMS speak: en (the default) or sw' };
const smsMsisdn = { ...schemas.msisdn, description: 'Where each payment\'s SMS goes: 0712…, 712…, 254712… or +254712…' };
const dateTime = { type: 'string', format: 'date-time' };

const merchantView = {
  type: 'object',
  properties: {
    id: { type: 'integer' }, kind, shortCode: { type: 'string' }, name: { type: 'string' }, smsMsisdn: { type: 'string' },
    validationUrl: { type: ['string', 'null'] }, confirmationUrl: { type: ['string', 'null'] }, validationDefault, validationTimeoutMs: { type: 'integer' },
    commissionBp: { type: 'integer', description: 'Basis points: 50 is 0.5 %' }, language,
    status: { enum: ['active', 'suspended'] }, createdAt: dateTime, updatedAt: dateTime,
    settlementAccountId: { type: 'integer', description: 'In listings' },
    settlement: { type: 'object', properties: { accountId: { type: 'integer' }, balance: { type: 'integer', description: 'Cents Simu owes the merchant' }, currency: { const: CURRENCY } } },
  },
};

/** A merchant with its settlement balance. */
async function merchantBody(db: Db, m: Merchant) {
  const { settlementAccountId, ...rest } = m;
  const account = await getAccount(db, settlementAccountId);
  return { ...rest, settlement: { accountId: settlementAccountId, balance: displayBalance(account), currency: CURRENCY } };
}

/** What the audit keeps of a merchant. */
function auditState(m: Merchant) {
  const { createdAt, updatedAt, ...rest } = m;
  return rest;
}

function e164(value: string): string {
  const msisdn = normalizeMsisdn(value);
  if (!msisdn) throw new ValidationError('smsMsisdn: not a valid mobile number', 'smsMsisdn');
  return msisdn;
}

const idParam = objectSchema({ id: { ...schemas.id, maximum: 2_147_483_647 } }, ['id']);

export const merchantsRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/merchants',
    scope: 'read',
    summary: 'Merchants, newest first; kind narrows to paybills or tills, q is a number or a piece of a name',
    query: objectSchema({ ...schemas.paging, kind, q: { type: 'string', minLength: 1, maxLength: 60 } }),
    response: schemas.page(merchantView),
    handler: async ({ query }, { db }) => ({ body: await pageBy(merchantsQuery(db, { kind: query.kind, q: query.q }), query, toMerchant) }),
  }),
  defineRoute({
    method: 'get',
    path: '/merchants/{id}',
    scope: 'read',
    summary: 'One merchant, with its settlement account\'s balance in cents',
    params: idParam,
    query: objectSchema({}),
    response: merchantView,
    handler: async ({ params }, { db }) => ({ body: await merchantBody(db, await getMerchant(db, params.id)) }),
  }),
  defineRoute({
    method: 'post',
    path: '/merchants',
    scope: 'operate',
    summary: 'Register a paybill or till: opens its settlement account. Commission defaults to 50 bp (0.5 %), SMS language to en. 409 when the kind and number are taken',
    body: objectSchema(
      {
        kind, shortCode, name, smsMsisdn, validationUrl: url('Validation URL'), confirmationUrl: url('Confirmation URL'), validationDefault, validationTimeoutMs,
        commissionBp, language,
      },
      ['kind', 'shortCode', 'name', 'smsMsisdn'],
    ),
    response: merchantView,
    handler: async ({ body }, { db }) => {
      const merchant = await createMerchant(writeTransaction(db), { ...body, name: body.name.trim(), smsMsisdn: e164(body.smsMsisdn) });
      return { status: 201, body: await merchantBody(db, merchant), audit: { target: `merchant:${merchant.id}`, after: auditState(merchant) } };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/merchants/{id}',
    scope: 'operate',
    summary: 'Change a merchant: any of name, SMS number, URLs, validation default and deadline, commission, SMS language, status (suspended merchants take no payments). A new commission applies to the next payment',
    params: idParam,
    body: {
      ...objectSchema({
        name, smsMsisdn, validationUrl: url('Validation URL'), confirmationUrl: url('Confirmation URL'), validationDefault, validationTimeoutMs,
        commissionBp, language, status: { enum: ['active', 'suspended'] },
      }),
      minProperties: 1,
    },
    response: merchantView,
    handler: async ({ params, body }, { db }) => {
      const changes = { ...body, ...(body.name ? { name: body.name.trim() } : {}), ...(body.smsMsisdn ? { smsMsisdn: e164(body.smsMsisdn) } : {}) };
      const { before, after } = await updateMerchant(writeTransaction(db), params.id, changes);
      return { body: await merchantBody(db, after), audit: { target: `merchant:${after.id}`, before: auditState(before), after: auditState(after) } };
    },
  }),
];
