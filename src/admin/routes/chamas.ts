/**
 * Chamas (savings groups, issue 9) for operators: registering a chama with its rules
 * (contribution split into a merry-go-round part and a savings part, frequency, first due
 * day, fine, loan policy), listing them, one chama with the balances of its accounts and its
 * members (scope `read`), and changing its policy or suspending it (scope `operate`,
 * audited); its members in rotation order with each one's standing and savings, adding a
 * Simu customer by phone number, a member's role and the rotation (`operate`, audited).
 * Amounts are integer cents with the currency beside them. 404 for an unknown chama or
 * member, or a number that is not a Simu customer; 409 for a taken short code, a member
 * added twice, or an office (chairperson, treasurer, secretary) another member holds.
 */
import type { Db } from '../../db/index.js';
import { ValidationError } from '../../errors/index.js';
import { displayBalance, getAccount } from '../../ledger/index.js';
import { findProductByCode } from '../../loans/index.js';
import { toCents } from '../../money/index.js';
import {
  addMember, createChama, duesOf, getChama, getMember, listChamas, membersOf, setRole, setRotation, updateChamaPolicy, CHAMA_ROLES, NotAMemberError,
  type Chama, type ChamaPolicy, type Member, type NewChama,
} from '../../chama/index.js';
import { defineRoute, schemas, type AdminRoute } from '../route.js';
import { objectSchema } from '../validate.js';
import { CURRENCY, writeTransaction } from './tariffs.js';

const cents = { type: 'integer', description: 'Cents: 100000 is KES 1,000.00' };
const currency = { const: CURRENCY };
const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max, pattern: '\\S' });
const status = { enum: ['active', 'suspended'], description: 'A suspended chama takes no money and pays none out' };
const rowId = { ...schemas.id, maximum: 2_147_483_647 };
const chamaIdParam = objectSchema({ id: rowId }, ['id']);
const memberParams = objectSchema({ id: rowId, memberId: rowId }, ['id', 'memberId']);
const account = { type: 'object', properties: { accountId: { type: 'integer' }, balance: cents, currency } };
const role = { enum: [...CHAMA_ROLES], description: 'One chairperson, one treasurer and one secretary at most; any number of members' };

/** A member as the API shows it. */
const memberView = {
  type: 'object',
  properties: {
    id: { type: 'integer' }, chamaId: { type: 'integer' }, customerId: { type: 'integer' }, name: { type: 'string' }, msisdn: { type: 'string' },
    role, rotationPosition: { type: 'integer', description: 'The lowest is paid the merry-go-round next' }, status: { enum: ['active', 'left'] },
    joinedAt: { type: 'string', format: 'date-time' },
  },
};

const standingView = {
  type: 'object',
  properties: {
    ...memberView.properties,
    savings: { ...cents, description: 'What the member has saved in the group (their savings account in the chama\'s book)' },
    standing: {
      type: 'object',
      properties: {
        cycleNo: { type: 'integer', description: 'The cycle current today (Africa/Nairobi)' }, firstCycle: { type: 'integer' },
        arrears: { ...cents, description: 'Unpaid contributions of past cycles' }, currentDue: { ...cents, description: 'What the current cycle still needs' },
        paidThisCycle: cents, ahead: { ...cents, description: 'Paid toward cycles still to come' }, fines: { ...cents, description: 'Fines owed' },
        due: { ...cents, description: 'fines + arrears + currentDue' },
      },
    },
    currency,
  },
};

/** The API view of a member. */
function memberBody(m: Member) {
  return {
    id: m.id, chamaId: m.chamaId, customerId: m.customerId, name: m.name, msisdn: m.msisdn, role: m.role,
    rotationPosition: m.rotationPosition, status: m.status, joinedAt: m.joinedAt,
  };
}

async function standingBody(db: Db, chama: Chama, m: Member) {
  const d = await duesOf(db, chama, m);
  const savings = displayBalance(await getAccount(db, m.savingsAccountId));
  const standing = {
    cycleNo: d.cycleNo, firstCycle: d.firstCycle, arrears: d.arrears, currentDue: d.currentDue, paidThisCycle: d.paidThisCycle, ahead: d.ahead, fines: d.fines, due: d.due,
  };
  return { ...memberBody(m), savings, standing, currency: CURRENCY };
}

/** Member `memberId` of chama `chamaId`, active. @throws ChamaNotFoundError, NotAMemberError */
async function memberOf(db: Db, chamaId: number, memberId: number): Promise<Member> {
  await getChama(db, chamaId);
  const member = await getMember(db, memberId);
  if (member.chamaId !== chamaId || member.status !== 'active') throw new NotAMemberError(`member ${memberId}`);
  return member;
}


/** The policy fields, shared by creation and PATCH (amounts in cents). */
const policy = {
  name: text(60),
  contribution: { ...schemas.positiveCents, description: 'What each member owes each cycle, in cents' },
  merryGoRound: { ...schemas.cents, description: 'The part of the contribution paid out each cycle (cents, at most the contribution); the rest is saved' },
  fine: { ...schemas.cents, description: 'The fine for a cycle not fully paid fineGraceDays after its due day (cents)' },
  fineGraceDays: { type: 'integer', minimum: 0, maximum: 60 },
  loanProductCode: { type: ['string', 'null'], minLength: 1, maxLength: 40, description: 'The loan product of group loans (null: the group does not lend)' },
  loanMultiple: { type: 'integer', minimum: 0, maximum: 20, description: 'A member may borrow up to this multiple of their savings' },
  loanGuarantors: { type: 'integer', minimum: 0, maximum: 5, description: 'How many members must guarantee a loan' },
};

const chamaView = {
  type: 'object',
  properties: {
    id: { type: 'integer' }, code: { type: 'string', description: 'The short code members text (upper case)' }, name: { type: 'string' }, status,
    contribution: cents, merryGoRound: cents, savings: { ...cents, description: 'The part of the contribution kept as savings' },
    frequency: { enum: ['weekly', 'monthly'] }, firstDueOn: { type: 'string', format: 'date' }, fine: cents, fineGraceDays: { type: 'integer' },
    loanProductCode: { type: ['string', 'null'] }, loanMultiple: { type: 'integer' }, loanGuarantors: { type: 'integer' },
    book: { type: 'string', description: 'The chama\'s own book: chama:<id>' }, currency,
  },
};
const chamaDetail = {
  type: 'object',
  properties: {
    ...chamaView.properties,
    accounts: {
      type: 'object',
      description: 'Balances Simu holds for the group: pot (merry-go-round money awaiting payout), savings (the group\'s cash), loans (outstanding on loans to members)',
      properties: { pot: account, savings: account, loans: account },
    },
    members: { type: 'array', items: memberView },
  },
};

/** The API view of a chama (no account ids: GET /chamas/{id} shows the accounts). */
function chamaBody(c: Chama) {
  return {
    id: c.id, code: c.code, name: c.name, status: c.status, contribution: c.contribution, merryGoRound: c.merryGoRound, savings: c.savings,
    frequency: c.frequency, firstDueOn: c.firstDueOn, fine: c.fine, fineGraceDays: c.fineGraceDays,
    loanProductCode: c.loanProductCode, loanMultiple: c.loanMultiple, loanGuarantors: c.loanGuarantors, book: c.book, currency: CURRENCY,
  };
}

async function chamaDetailBody(db: Db, c: Chama) {
  const balance = async (accountId: number) => ({ accountId, balance: displayBalance(await getAccount(db, accountId)), currency: CURRENCY });
  const accounts = { pot: await balance(c.potAccountId), savings: await balance(c.savingsAccountId), loans: await balance(c.loansAccountId) };
  return { ...chamaBody(c), accounts, members: (await membersOf(db, c.id)).map(memberBody) };
}

/** A loan product code must name a loan product. @throws ValidationError */
async function checkLoanProduct(db: Db, code: string | null | undefined): Promise<void> {
  if (code && !(await findProductByCode(db, code))) throw new ValidationError(`loanProductCode: no loan product ${code}`, 'loanProductCode');
}

/** The cents fields of a body as bigint. */
function amounts(body: { contribution?: number; merryGoRound?: number; fine?: number }) {
  const out: { contribution?: bigint; merryGoRound?: bigint; fine?: bigint } = {};
  if (body.contribution !== undefined) out.contribution = toCents(body.contribution);
  if (body.merryGoRound !== undefined) out.merryGoRound = toCents(body.merryGoRound);
  if (body.fine !== undefined) out.fine = toCents(body.fine);
  return out;
}

export const chamaRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get', path: '/chamas', scope: 'read',
    summary: 'Every chama, by name, with its rules (amounts in cents)',
    query: objectSchema({ status }),
    response: { type: 'object', properties: { data: { type: 'array', items: chamaView } } },
    handler: async ({ query }, { db }) => ({ body: { data: (await listChamas(db)).filter((c) => !query.status || c.status === query.status).map(chamaBody) } }),
  }),
  defineRoute({
    method: 'get', path: '/chamas/{id}', scope: 'read',
    summary: 'One chama: its rules, the balances of its pot, savings and loans accounts (cents), and its active members in rotation order',
    params: chamaIdParam, query: objectSchema({}), response: chamaDetail,
    handler: async ({ params }, { db }) => ({ body: await chamaDetailBody(db, await getChama(db, params.id)) }),
  }),
  defineRoute({
    method: 'post', path: '/chamas', scope: 'operate',
    summary: 'Register a chama: short code (2-12 letters or digits, starting with a letter; stored upper case), contribution and its merry-go-round part (cents), weekly or monthly from firstDueOn (YYYY-MM-DD; a monthly due day is the 1st-28th), fine, loan policy; opens its accounts. It has no members yet. 409 when the code is taken',
    body: objectSchema({
      code: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]{1,11}$' }, ...policy,
      frequency: { enum: ['weekly', 'monthly'] }, firstDueOn: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' },
    }, ['code', 'name', 'contribution', 'merryGoRound', 'frequency', 'firstDueOn']),
    response: chamaDetail,
    handler: async ({ body }, { db }) => {
      const trx = writeTransaction(db);
      await checkLoanProduct(trx, body.loanProductCode);
      const spec = { ...body, ...amounts(body) } as NewChama;
      const chama = await createChama(trx, spec);
      return { status: 201, body: await chamaDetailBody(trx, chama), audit: { target: `chama:${chama.id}`, after: chamaBody(chama) } };
    },
  }),
  defineRoute({
    method: 'patch', path: '/chamas/{id}', scope: 'operate',
    summary: 'Change a chama\'s policy (fields left out keep their value) or suspend it (status). The merry-go-round part cannot exceed the contribution (400). Applies to cycles paid from now on',
    params: chamaIdParam,
    body: { ...objectSchema({ ...policy, status }), minProperties: 1 },
    response: chamaView,
    handler: async ({ params, body }, { db }) => {
      const trx = writeTransaction(db);
      const before = chamaBody(await getChama(trx, params.id));
      await checkLoanProduct(trx, body.loanProductCode);
      const after = chamaBody(await updateChamaPolicy(trx, params.id, { ...body, ...amounts(body) } as ChamaPolicy));
      return { body: after, audit: { target: `chama:${params.id}`, before, after } };
    },
  }),
  defineRoute({
    method: 'get', path: '/chamas/{id}/members', scope: 'read',
    summary: 'A chama\'s active members in rotation order (the next to be paid first), each with their savings and standing today: arrears, what the current cycle still needs, fines, total due (cents)',
    params: chamaIdParam, query: objectSchema({}),
    response: { type: 'object', properties: { data: { type: 'array', items: standingView } } },
    handler: async ({ params }, { db }) => {
      const chama = await getChama(db, params.id);
      const data = [];
      for (const m of await membersOf(db, chama.id)) data.push(await standingBody(db, chama, m));
      return { body: { data } };
    },
  }),
  defineRoute({
    method: 'post', path: '/chamas/{id}/members', scope: 'operate',
    summary: 'Add a Simu customer (by phone number, any Kenyan form) to a chama with a role (default member), at the back of the rotation; opens their savings and fines accounts in the chama\'s book. 404: no such chama or the number is not a Simu customer; 409: already a member, or the office is held by another member',
    params: chamaIdParam,
    body: objectSchema({ msisdn: schemas.msisdn, role }, ['msisdn']),
    response: memberView,
    handler: async ({ params, body }, { db }) => {
      const view = memberBody(await addMember(writeTransaction(db), params.id, body.msisdn, body.role ?? 'member'));
      return { status: 201, body: view, audit: { target: `chama_member:${view.id}`, after: view } };
    },
  }),
  defineRoute({
    method: 'patch', path: '/chamas/{id}/members/{memberId}', scope: 'operate',
    summary: 'Change a member\'s role. An office (chairperson, treasurer, secretary) held by another member must be freed first (409). 404: no such chama, or no such active member of it',
    params: memberParams,
    body: objectSchema({ role }, ['role']),
    response: memberView,
    handler: async ({ params, body }, { db }) => {
      const trx = writeTransaction(db);
      const before = await memberOf(trx, params.id, params.memberId);
      const after = memberBody(await setRole(trx, before.id, body.role));
      return { body: after, audit: { target: `chama_member:${before.id}`, before: { role: before.role }, after: { role: after.role } } };
    },
  }),
  defineRoute({
    method: 'put', path: '/chamas/{id}/rotation', scope: 'operate',
    summary: 'Set the merry-go-round order: memberIds lists every active member of the chama once, the next to be paid first (400 otherwise). Answers the members in the new order',
    params: chamaIdParam,
    body: objectSchema({ memberIds: { type: 'array', maxItems: 1000, items: rowId } }, ['memberIds']),
    response: { type: 'object', properties: { data: { type: 'array', items: memberView } } },
    handler: async ({ params, body }, { db }) => {
      const trx = writeTransaction(db);
      await getChama(trx, params.id);
      const before = (await membersOf(trx, params.id)).map((m) => m.id);
      const members = await setRotation(trx, params.id, body.memberIds).catch((err: unknown) => {
        if (err instanceof ValidationError) throw new ValidationError('memberIds: every active member id of the chama, once each', 'memberIds');
        throw err;
      });
      const data = members.map(memberBody);
      return { body: { data }, audit: { target: `chama:${params.id}`, before: { rotation: before }, after: { rotation: data.map((m) => m.id) } } };
    },
  }),
];
