/**
 * The ledger, for operators: accounts and their postings, journal entries, the trial
 * balance (scope `read`); adjustments and reversals (scope `finance`, Idempotency-Key
 * required; the ledger key is `admin:<Idempotency-Key>`). Amounts are integers of cents
 * with `currency: 'KES'` beside them.
 */
import type { Db } from '../../db/index.js';
import { NotFoundError, ValidationError } from '../../errors/index.js';
import { findCustomer } from '../../customers/index.js';
import {
  accountsQuery, displayBalance, findEntryView, postAdjustment, postingsQuery, statementLine, toAccountView, trialBalance,
  type AccountFilter, type EntryView,
} from '../../ledger/index.js';
import { reverseTransfer } from '../../payments/index.js';
import { normalizeMsisdn } from '../../phone/index.js';
import { defineRoute, schemas, type AdminContext, type AdminRoute, type JsonSchema } from '../route.js';
import { objectSchema } from '../validate.js';
import { pageBy } from '../paging.js';

const int = { type: 'integer' };
const str = { type: 'string' };
const currency = { const: 'KES' };
const side = { enum: ['debit', 'credit'] };
const ref = { type: ['object', 'null'], properties: { id: int, code: str } };

const accountView: JsonSchema = {
  type: 'object',
  properties: {
    id: int, code: str, name: str, book: str, type: { enum: ['asset', 'liability', 'equity', 'revenue', 'expense'] }, normalSide: side,
    noOverdraft: { type: 'boolean' }, currency,
    balance: { ...int, description: "Cents as the owner reads it: a wallet's credit balance is positive" },
    rawBalance: { ...int, description: 'Signed sum of postings: debit positive, credit negative' },
  },
};

const statementLineView: JsonSchema = {
  type: 'object',
  properties: {
    id: int, entryId: int, entryCode: str, kind: str, memo: { type: ['string', 'null'] }, currency,
    amount: { ...int, description: "From the owner's side: money into a wallet is positive" },
    balanceAfter: { ...int, description: "The account's balance right after, from the owner's side" },
    rawAmount: { ...int, description: 'Signed posting: debit positive, credit negative' },
    rawBalanceAfter: int, createdAt: { type: 'string', format: 'date-time' },
  },
};

const entryView: JsonSchema = {
  type: 'object',
  properties: {
    id: int, code: { ...str, description: 'The 10-character transaction code users see' }, kind: str,
    amount: { ...int, description: 'The principal in cents, without charges' }, currency, memo: { type: ['string', 'null'] },
    metadata: { type: 'object' }, reverses: ref, reversedBy: ref, createdAt: { type: 'string', format: 'date-time' },
    postings: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: int, accountId: int, accountCode: str, normalSide: side,
          amount: { ...int, description: 'Signed: debit positive, credit negative; an entry sums to 0' },
          balanceAfter: { ...int, description: "The account's signed balance right after" },
        },
      },
    },
  },
};

const trialBalanceView: JsonSchema = {
  type: 'object',
  properties: {
    currency, balanced: { type: 'boolean', description: 'True when every book totals 0' },
    books: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          book: str, total: { ...int, description: 'Sum of signed balances: must be 0' }, debits: int, credits: int, accounts: int,
          byType: { type: 'array', items: { type: 'object', properties: { type: str, balance: int, accounts: int } } },
        },
      },
    },
  },
};

// Account ids are int4 and entry ids int8: bounded here so that a huge id is a 400 or a
// 404, never a database range error.
const accountId = { ...schemas.id, maximum: 2_147_483_647 };
const entryId = { ...schemas.id, maximum: Number.MAX_SAFE_INTEGER };
const reason = { type: 'string', minLength: 3, maxLength: 500, description: 'Why: kept as the entry memo and in the audit log' };
const accountIdParams = objectSchema({ id: accountId }, ['id']);

export const ledgerRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/ledger/accounts',
    scope: 'read',
    summary: "List ledger accounts (newest first): a customer's wallet by MSISDN in any common form, or accounts by code prefix (`revenue:`)",
    query: objectSchema({ ...schemas.paging, owner: { type: 'string', minLength: 1, maxLength: 100, description: 'An MSISDN (0712345678, +254712345678) or an account code prefix' } }),
    response: schemas.page(accountView),
    handler: async ({ query }, { db }) => ({ body: await pageBy(accountsQuery(db, await ownerFilter(db, query.owner)), query, toAccountView) }),
  }),
  defineRoute({
    method: 'get',
    path: '/ledger/accounts/{id}',
    scope: 'read',
    summary: 'One ledger account with its balance in cents (owner-side and signed) and normal side',
    params: accountIdParams,
    response: accountView,
    handler: async ({ params }, { db }) => ({ body: toAccountView(await accountRow(db, params.id)) }),
  }),
  defineRoute({
    method: 'get',
    path: '/ledger/accounts/{id}/postings',
    scope: 'read',
    summary: "Page an account's postings (newest first), each with its entry code, kind, amount and the balance after",
    params: accountIdParams,
    query: objectSchema({ ...schemas.paging }),
    response: schemas.page(statementLineView),
    handler: async ({ params, query }, { db }) => {
      const account = toAccountView(await accountRow(db, params.id));
      const line = statementLine(account.normalSide);
      return { body: await pageBy(postingsQuery(db, account.id), { ...query, idColumn: 'p.id' }, (r) => ({ ...line(r), currency: 'KES' })) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/ledger/entries/{id}',
    scope: 'read',
    summary: 'One journal entry with its postings, by id or by its 10-character transaction code',
    params: objectSchema({ id: { type: 'string', pattern: '^([1-9][0-9]{0,17}|[A-Za-z][A-Za-z0-9]{9})$', description: 'Entry id or transaction code' } }, ['id']),
    response: entryView,
    handler: async ({ params }, { db }) => {
      const entry = await findEntryView(db, params.id);
      if (!entry) throw new NotFoundError(`no journal entry ${params.id}`);
      return { body: entry };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/ledger/trial-balance',
    scope: 'read',
    summary: "The trial balance per book: each book's total must be 0",
    query: objectSchema({}),
    response: trialBalanceView,
    handler: async (_input, { db }) => ({ body: { currency: 'KES', ...(await trialBalance(db)) } }),
  }),
  defineRoute({
    method: 'post',
    path: '/ledger/adjustments',
    scope: 'finance',
    summary: 'Post an adjustment: debit one account and credit another by `amount` cents, once per Idempotency-Key',
    idempotent: true,
    body: objectSchema({ debitAccountId: accountId, creditAccountId: accountId, amount: schemas.positiveCents, reason }, ['debitAccountId', 'creditAccountId', 'amount', 'reason']),
    response: entryView,
    handler: async ({ body }, ctx) => {
      await accountRow(ctx.db, body.debitAccountId, 'debitAccountId');
      await accountRow(ctx.db, body.creditAccountId, 'creditAccountId');
      const result = await postAdjustment({
        debitAccountId: body.debitAccountId, creditAccountId: body.creditAccountId, amount: BigInt(body.amount), reason: body.reason,
        idempotencyKey: ledgerKey(ctx),
      }, ctx.db);
      const entry = (await findEntryView(ctx.db, result.entryId))!;
      const { before, after } = balancesAround(entry);
      return { status: 201, body: entry, audit: { target: `journal_entry:${entry.id}`, before: { balances: before }, after: { code: entry.code, amount: entry.amount, balances: after } } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/ledger/reversals',
    scope: 'finance',
    summary: 'Reverse a journal entry with a compensating entry (409 when already reversed or the recipient has spent the funds); Send Money parties get an SMS',
    idempotent: true,
    body: objectSchema({ entryId, reason }, ['entryId', 'reason']),
    response: { ...entryView, properties: { ...(entryView.properties as object), smsQueued: { ...int, description: 'SMS written to the outbox' } } },
    handler: async ({ body }, ctx) => {
      const outcome = await reverseTransfer({ entryId: BigInt(body.entryId), reason: body.reason, idempotencyKey: ledgerKey(ctx) }, ctx.db);
      const reversal = (await findEntryView(ctx.db, outcome.reversal.entryId))!;
      const { before, after } = balancesAround(reversal);
      return {
        status: 201,
        body: { ...reversal, smsQueued: outcome.smsQueued },
        audit: {
          target: `journal_entry:${outcome.original.entryId}`,
          before: { code: outcome.original.code, reversedBy: null, balances: before },
          after: { code: outcome.original.code, reversedBy: { id: reversal.id, code: reversal.code }, balances: after },
        },
      };
    },
  }),
];

/** The ledger's idempotency key of an admin write: `admin:<Idempotency-Key header>`. */
function ledgerKey(ctx: AdminContext): string {
  if (!ctx.idempotencyKey) throw new ValidationError('this route needs an Idempotency-Key header', 'Idempotency-Key');
  return `admin:${ctx.idempotencyKey}`;
}

/** `owner` as a filter: digits are an MSISDN (the customer's wallet), anything else a code prefix. */
async function ownerFilter(db: Db, owner: string | undefined): Promise<AccountFilter> {
  if (owner === undefined) return {};
  // `+` in a query string arrives as a space: `owner=+2547...` reads ` 2547...`.
  if (!/^[+0-9\s-]+$/.test(owner)) return { codePrefix: owner };
  const msisdn = normalizeMsisdn(owner);
  if (!msisdn) throw new ValidationError('owner: not a valid MSISDN', 'owner');
  const customer = await findCustomer(msisdn, db);
  return { ids: customer ? [customer.walletAccountId] : [] };
}

/** The `accounts` row `id`: 404 for a path parameter, 400 naming `field` for a body field. */
async function accountRow(db: Db, id: number, field?: string): Promise<Record<string, unknown>> {
  const row = await db('accounts').where({ id }).first();
  if (row) return row;
  if (field) throw new ValidationError(`${field}: no account ${id}`, field);
  throw new NotFoundError(`no account ${id}`);
}

/** Each touched account's owner-side balance before and after `entry`, by account code. */
function balancesAround(entry: EntryView): { before: Record<string, bigint>; after: Record<string, bigint> } {
  const before: Record<string, bigint> = {};
  const after: Record<string, bigint> = {};
  for (const p of entry.postings) {
    before[p.accountCode] = displayBalance({ balance: p.balanceAfter - p.amount, normalSide: p.normalSide });
    after[p.accountCode] = displayBalance({ balance: p.balanceAfter, normalSide: p.normalSide });
  }
  return { before, after };
}
