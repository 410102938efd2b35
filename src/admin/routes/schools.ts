/**
 * School Fees, for operators and bursars: schools (with their bank accounts), students
 * (one at a time or a CSV import that imports nothing when any row is bad), terms and fee
 * structures, invoicing a term (idempotent), the payments no student matched and their
 * allocation, and the fees report per class. Reads need `read`; schools, students and
 * terms need `operate`; what moves amounts in the books (fee structures, invoicing,
 * allocation) needs `finance`. Amounts are integers of cents with the currency beside them.
 */
import type { Db } from '../../db/index.js';
import { ValidationError } from '../../errors/index.js';
import { displayBalance, getAccount } from '../../ledger/index.js';
import { toCents } from '../../money/index.js';
import {
  allocatePayment, bankAccountsOf, createSchool, createStudent, createTerm, feeStructuresOf, feesReport, getSchool, getTerm, guardiansOf, importStudentsCsv,
  invoiceTerm, schoolPaymentsQuery, schoolsQuery, setFeeStructure, studentsQuery, studentStatement, toSchool, toSchoolPayment, toStudent, toTerm,
  CsvImportError, PAYMENT_CHANNELS, PAYMENT_STATUSES, SCHOOL_BANKS, type SchoolPayment, type Student, type Term,
} from '../../fees/index.js';
import { defineRoute, schemas, type AdminRoute } from '../route.js';
import { objectSchema } from '../validate.js';
import { pageBy } from '../paging.js';
import { CURRENCY, writeTransaction } from './tariffs.js';

const rowId = { ...schemas.id, maximum: 2_147_483_647 };
const idParam = objectSchema({ id: rowId }, ['id']);
const cents = { type: 'integer', description: 'Cents: 1500000 is KES 15,000.00' };
const signedCents = { type: 'integer', description: 'Cents the student owes; negative when in credit' };
const currency = { const: CURRENCY };
const dateTime = { type: 'string', format: 'date-time' };
const nullable = (schema: Record<string, unknown>) => ({ ...schema, type: [schema.type, 'null'] });
const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max, pattern: '\\S' });
const bankAccount = objectSchema({ bank: { enum: [...SCHOOL_BANKS] }, reference: { ...text(30), description: 'Equity merchant code or KCB account number' } }, ['bank', 'reference']);
const admissionNo = { ...text(20), description: 'Unique in the school, any case (stored upper case)' };
const className = { ...text(30), description: 'As the fee structures name it: `Form 1`' };

const schoolView = {
  type: 'object',
  properties: {
    id: { type: 'integer' }, name: { type: 'string' }, paybill: { type: 'string' }, smsSender: { type: 'string' }, status: { enum: ['active', 'suspended'] },
    book: { type: 'string', description: 'The school\'s receivables book: school:<id>' }, createdAt: dateTime,
    bankAccounts: { type: 'array', items: bankAccount },
    settlement: { type: 'object', properties: { accountId: { type: 'integer' }, balance: { ...cents, description: 'Cents Simu owes the school' }, currency } },
  },
};
const studentView = {
  type: 'object',
  properties: {
    id: { type: 'integer' }, schoolId: { type: 'integer' }, admissionNo: { type: 'string' }, name: { type: 'string' }, class: { type: 'string' },
    status: { enum: ['active', 'left'] }, balance: signedCents, currency, createdAt: dateTime,
  },
};
const termView = {
  type: 'object',
  properties: {
    id: { type: 'integer' }, schoolId: { type: 'integer' }, name: { type: 'string' }, dueDate: { type: 'string', format: 'date' },
    invoicedAt: nullable(dateTime), currency, fees: { type: 'array', items: { type: 'object', properties: { class: { type: 'string' }, amount: cents } } },
  },
};
const paymentView = {
  type: 'object',
  properties: {
    id: { type: 'integer' }, schoolId: { type: 'integer' }, studentId: { type: ['integer', 'null'] }, admissionNo: { type: ['string', 'null'] },
    channel: { enum: [...PAYMENT_CHANNELS] }, status: { enum: [...PAYMENT_STATUSES] }, amount: cents, currency,
    reference: { type: 'string', description: 'What the payer gave as the account, as received' }, payerMsisdn: { type: ['string', 'null'] },
    entryCode: { type: ['string', 'null'], description: 'The entry that received it (none for an unmatched payment into the school\'s own account)' },
    allocationCode: { type: ['string', 'null'] }, allocatedBy: { type: ['string', 'null'] }, allocatedAt: nullable(dateTime), receivedAt: dateTime,
    raw: { type: 'object', description: 'The rail\'s payload as sent' },
  },
};
const figures = { students: { type: 'integer' }, invoiced: cents, paid: cents, outstanding: cents, credit: { ...cents, description: 'Overpaid by students in credit' } };

async function schoolBody(db: Db, id: number) {
  const school = await getSchool(db, id);
  const bankAccounts = await bankAccountsOf(db, id);
  const settlement = displayBalance(await getAccount(db, school.settlementAccountId));
  const { settlementAccountId, collectionsAccountId: _c, feesAccountId: _f, updatedAt: _u, ...rest } = school;
  return { ...rest, bankAccounts, settlement: { accountId: settlementAccountId, balance: settlement, currency: CURRENCY } };
}

function studentBody(s: Student, balance: bigint) {
  return { id: s.id, schoolId: s.schoolId, admissionNo: s.admissionNo, name: s.name, class: s.class, status: s.status, balance, currency: CURRENCY, createdAt: s.createdAt };
}

async function termBody(db: Db, term: Term) {
  const fees = (await feeStructuresOf(db, term.id)).map((f) => ({ class: f.class, amount: f.amount }));
  return { ...term, currency: CURRENCY, fees };
}

function paymentBody(p: SchoolPayment) {
  return {
    id: p.id, schoolId: p.schoolId, studentId: p.studentId, admissionNo: p.admissionNo, channel: p.channel, status: p.status, amount: p.amount, currency: CURRENCY,
    reference: p.reference, payerMsisdn: p.payerMsisdn, entryCode: p.entryCode, allocationCode: p.allocationCode, allocatedBy: p.allocatedBy,
    allocatedAt: p.allocatedAt, receivedAt: p.createdAt, raw: p.raw,
  };
}

export const schoolsRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get', path: '/schools', scope: 'read',
    summary: 'Schools, newest first; q is a paybill or a piece of a name',
    query: objectSchema({ ...schemas.paging, q: text(60), status: { enum: ['active', 'suspended'] } }),
    response: schemas.page(schoolView),
    handler: async ({ query }, { db }) => ({ body: await pageBy(schoolsQuery(db, { q: query.q, status: query.status }), query, (r) => {
      const { settlementAccountId: _s, collectionsAccountId: _c, feesAccountId: _f, updatedAt: _u, ...rest } = toSchool(r);
      return rest;
    }) }),
  }),
  defineRoute({
    method: 'get', path: '/schools/{id}', scope: 'read',
    summary: 'One school with its bank accounts and the balance of its settlement account (what Simu owes it)',
    params: idParam, query: objectSchema({}), response: schoolView,
    handler: async ({ params }, { db }) => ({ body: await schoolBody(db, params.id) }),
  }),
  defineRoute({
    method: 'post', path: '/schools', scope: 'operate',
    summary: 'Register a school: its paybill, SMS sender name and bank accounts (Equity merchant codes, KCB account numbers); opens its settlement account and its receivables book. 409 when the paybill or a bank account belongs to a school',
    body: objectSchema({
      name: text(80), paybill: { type: 'string', pattern: '^[0-9]{5,7}$' }, smsSender: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9 ]{0,10}$' },
      bankAccounts: { type: 'array', maxItems: 10, items: bankAccount },
    }, ['name', 'paybill', 'smsSender']),
    response: schoolView,
    handler: async ({ body }, { db }) => {
      const school = await createSchool(writeTransaction(db), body);
      const view = await schoolBody(db, school.id);
      return { status: 201, body: view, audit: { target: `school:${school.id}`, after: view } };
    },
  }),
  defineRoute({
    method: 'get', path: '/schools/{id}/students', scope: 'read',
    summary: 'A school\'s students, newest first, each with their fee balance in cents (negative: in credit); class and status narrow the list',
    params: idParam, query: objectSchema({ ...schemas.paging, class: className, status: { enum: ['active', 'left'] } }),
    response: schemas.page(studentView),
    handler: async ({ params, query }, { db }) => {
      await getSchool(db, params.id);
      const q = studentsQuery(db, params.id, { class: query.class, status: query.status });
      return { body: await pageBy(q, { ...query, idColumn: 'st.id' }, (r) => studentBody(toStudent(r), r.balance as bigint)) };
    },
  }),
  defineRoute({
    method: 'post', path: '/schools/{id}/students', scope: 'operate',
    summary: 'Add a student with their guardians\' numbers (any Kenyan form); opens their receivable in the school\'s book. 409 when the admission number is taken in the school',
    params: idParam,
    body: objectSchema({ admissionNo, name: text(80), class: className, guardians: { type: 'array', minItems: 1, maxItems: 5, items: schemas.msisdn } }, ['admissionNo', 'name', 'class', 'guardians']),
    response: studentView,
    handler: async ({ params, body }, { db }) => {
      const student = await createStudent(writeTransaction(db), params.id, body);
      const view = { ...studentBody(student, 0n), guardians: await guardiansOf(db, student.id) };
      return { status: 201, body: view, audit: { target: `student:${student.id}`, after: view } };
    },
  }),
  defineRoute({
    method: 'post', path: '/schools/{id}/students/import', scope: 'operate',
    summary: 'Import students from CSV (header admission_no,name,class,guardians; guardians separated by ;), sent as a text/csv body (up to 2 MB) or as JSON {"csv": "..."} (up to 64 KB). Every row is checked first: with any bad row nothing is imported and the 400 answer lists each bad row\'s line (the header is line 1) and reason',
    params: idParam,
    body: objectSchema({ csv: { type: 'string', minLength: 1, maxLength: 2_000_000 } }, ['csv']),
    response: { type: 'object', properties: { imported: { type: 'integer' }, students: { type: 'array', items: studentView } } },
    handler: async ({ params, body }, { db }) => {
      const result = await importStudentsCsv(writeTransaction(db), params.id, body.csv);
      if (result.errors.length) throw new CsvImportError(result.errors);
      const students = result.students.map((s) => studentBody(s, 0n));
      return { status: 201, body: { imported: result.imported, students }, audit: { target: `school:${params.id}`, after: { imported: result.imported, admissionNos: students.map((s) => s.admissionNo) } } };
    },
  }),
  defineRoute({
    method: 'get', path: '/students/{id}', scope: 'read',
    summary: 'One student with their guardians and their statement from the school\'s book: latest invoiced term, invoiced, paid and balance (cents; negative balance: in credit)',
    params: idParam, query: objectSchema({}),
    response: { type: 'object', properties: { ...studentView.properties, guardians: { type: 'array', items: { type: 'string' } }, statement: { type: 'object' } } },
    handler: async ({ params }, { db }) => {
      const s = await studentStatement(db, params.id);
      const statement = { term: s.term, invoiced: s.invoiced, paid: s.paid, balance: s.balance, currency: CURRENCY };
      return { body: { ...studentBody(s.student, s.balance), schoolName: s.school.name, guardians: await guardiansOf(db, params.id), statement } };
    },
  }),
  defineRoute({
    method: 'get', path: '/schools/{id}/terms', scope: 'read',
    summary: 'A school\'s terms, newest first, each with its fee per class in cents',
    params: idParam, query: objectSchema({ ...schemas.paging }), response: schemas.page(termView),
    handler: async ({ params, query }, { db }) => {
      await getSchool(db, params.id);
      const page = await pageBy(db('terms').where({ school_id: params.id }), query, toTerm);
      const data = [];
      for (const term of page.data) data.push(await termBody(db, term));
      return { body: { data, nextCursor: page.nextCursor } };
    },
  }),
  defineRoute({
    method: 'post', path: '/schools/{id}/terms', scope: 'operate',
    summary: 'Add a term with its due date (YYYY-MM-DD, Africa/Nairobi). 409 when the school has a term of that name',
    params: idParam, body: objectSchema({ name: text(60), dueDate: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' } }, ['name', 'dueDate']),
    response: termView,
    handler: async ({ params, body }, { db }) => {
      const view = await termBody(db, await createTerm(writeTransaction(db), params.id, body));
      return { status: 201, body: view, audit: { target: `term:${view.id}`, after: view } };
    },
  }),
  defineRoute({
    method: 'post', path: '/terms/{id}/fee-structures', scope: 'finance',
    summary: 'Set what a class owes for a term (cents). Classes may be added after the term is invoiced (run the invoice again); an invoiced class\'s fee cannot change (409)',
    params: idParam, body: objectSchema({ class: className, amount: schemas.positiveCents, currency }, ['class', 'amount']),
    response: termView,
    handler: async ({ params, body }, { db }) => {
      const { before, after } = await setFeeStructure(writeTransaction(db), params.id, body.class, toCents(body.amount));
      const fee = (f: typeof before) => (f ? { class: f.class, amount: f.amount, currency: CURRENCY } : null);
      return { body: await termBody(db, await getTerm(db, params.id)), audit: { target: `term:${params.id}`, before: fee(before), after: fee(after) } };
    },
  }),
  defineRoute({
    method: 'post', path: '/terms/{id}/invoice', scope: 'finance',
    summary: 'Invoice the term: each active student not yet invoiced for it owes their class\'s fee (one entry each in the school\'s book, invoice SMS to the guardians). Safe to repeat: nobody is invoiced twice; students added since are invoiced',
    params: idParam, body: objectSchema({}),
    response: { type: 'object', properties: { termId: { type: 'integer' }, invoiced: { type: 'integer' }, amount: cents, currency, alreadyInvoiced: { type: 'integer' }, withoutFee: { type: 'integer' } } },
    handler: async ({ params }, { db }) => {
      const run = await invoiceTerm(writeTransaction(db), params.id);
      const body = { ...run, currency: CURRENCY };
      return { body, audit: { target: `term:${params.id}`, after: body } };
    },
  }),
  defineRoute({
    method: 'get', path: '/schools/{id}/payments', scope: 'read',
    summary: 'A school\'s fee payments, newest first; status=unmatched lists those waiting for the bursar to allocate them',
    params: idParam, query: objectSchema({ ...schemas.paging, status: { enum: [...PAYMENT_STATUSES] }, channel: { enum: [...PAYMENT_CHANNELS] } }),
    response: schemas.page(paymentView),
    handler: async ({ params, query }, { db }) => {
      await getSchool(db, params.id);
      const q = schoolPaymentsQuery(db).where('p.school_id', params.id);
      if (query.status) q.where('p.status', query.status);
      if (query.channel) q.where('p.channel', query.channel);
      return { body: await pageBy(q, { ...query, idColumn: 'p.id' }, (r) => paymentBody(toSchoolPayment(r))) };
    },
  }),
  defineRoute({
    method: 'post', path: '/school-payments/{id}/allocate', scope: 'finance', idempotent: true,
    summary: 'Allocate an unmatched payment to a student of its school (by studentId or admissionNo): one entry in the school\'s book, receipt SMS to the guardians. 404: no such payment or student; 409: the payment is not unmatched',
    params: objectSchema({ id: { ...schemas.id, maximum: Number.MAX_SAFE_INTEGER } }, ['id']),
    body: { ...objectSchema({ studentId: rowId, admissionNo }), minProperties: 1, maxProperties: 1 },
    response: paymentView,
    handler: async ({ params, body }, ctx) => {
      if (!ctx.idempotencyKey) throw new ValidationError('this route needs an Idempotency-Key header', 'Idempotency-Key');
      const { before, after } = await allocatePayment(writeTransaction(ctx.db), params.id, {
        studentId: body.studentId, admissionNo: body.admissionNo, by: ctx.key.name, idempotencyKey: `admin:${ctx.idempotencyKey}`,
      });
      const audited = (p: SchoolPayment) => ({ status: p.status, amount: p.amount, reference: p.reference, studentId: p.studentId, admissionNo: p.admissionNo, allocationCode: p.allocationCode });
      return { body: paymentBody(after), audit: { target: `school_payment:${params.id}`, before: audited(before), after: audited(after) } };
    },
  }),
  defineRoute({
    method: 'get', path: '/schools/{id}/fees-report', scope: 'read',
    summary: 'Fees per class from the school\'s book (students\' current class): invoiced, paid, outstanding (owed by students in debt) and credit (overpaid), with totals, unmatched payments and the settlement balance; cents',
    params: idParam, query: objectSchema({}),
    response: {
      type: 'object',
      properties: {
        schoolId: { type: 'integer' }, currency, classes: { type: 'array', items: { type: 'object', properties: { class: { type: 'string' }, ...figures } } },
        totals: { type: 'object', properties: figures }, unmatched: { type: 'object', properties: { count: { type: 'integer' }, amount: cents } }, settlement: cents,
      },
    },
    handler: async ({ params }, { db }) => {
      const r = await feesReport(db, params.id);
      return { body: { schoolId: r.school.id, schoolName: r.school.name, currency: CURRENCY, classes: r.classes, totals: r.totals, unmatched: r.unmatched, settlement: r.settlement } };
    },
  }),
];
