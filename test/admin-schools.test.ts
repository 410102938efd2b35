/** The admin API's School Fees routes: schools, students (CSV import too), terms and fees, invoicing, unmatched payments, the fees report. */
import { expect } from 'chai';
import { randomInt, randomUUID } from 'node:crypto';
import { db } from '../src/db/index.js';
import { findStudent, recordSchoolPayment } from '../src/fees/index.js';
import { admin, adminKey, clientAddress } from './helpers/admin.js';
import { appUrl } from './helpers/ussd.js';
import { kes, makeSchool, makeStudent } from './helpers/fees.js';

const paybill = () => String(randomInt(1_000_000, 10_000_000));

/** A school made through the API; returns its id. */
async function school(key: string, body: Record<string, unknown> = {}) {
  const res = await admin('POST', '/schools', { key, body: { name: 'Othaya Boys', paybill: paybill(), smsSender: 'OTHAYA', ...body } });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body;
}

describe('admin API: schools', () => {
  it('POST /admin/schools registers a school with its bank accounts (audited); GET shows them and the settlement balance; q finds it by paybill', async () => {
    const key = await adminKey('read', 'operate', 'admin');
    const equity = `EQ${randomInt(1e8)}`;
    const created = await school(key, { bankAccounts: [{ bank: 'equity', reference: equity }] });

    const one = await admin('GET', `/schools/${created.id}`, { key });
    const list = await admin('GET', `/schools?q=${created.paybill}`, { key });
    const audit = await admin('GET', `/audit?target=school:${created.id}`, { key });

    expect(one.body).to.include({ name: 'Othaya Boys', smsSender: 'OTHAYA', status: 'active', book: `school:${created.id}` });
    expect(one.body.bankAccounts).to.deep.equal([{ bank: 'equity', reference: equity }]);
    expect(one.body.settlement).to.include({ balance: 0, currency: 'KES' });
    expect(list.body.data.map((s: { id: number }) => s.id)).to.deep.equal([created.id]);
    expect(audit.body.data[0]).to.include({ method: 'POST', route: '/schools' });
  });

  it('POST /admin/schools answers 409 for a taken paybill or bank account, 400 naming a bad field, and registers nothing then', async () => {
    const key = await adminKey('operate', 'read');
    const kcb = `KCB-${randomInt(1e9)}`;
    const first = await school(key, { bankAccounts: [{ bank: 'kcb', reference: kcb }] });
    const taken = await admin('POST', '/schools', { key, body: { name: 'Copy', paybill: first.paybill, smsSender: 'COPY' } });
    const takenBank = await admin('POST', '/schools', { key, body: { name: 'Copy', paybill: paybill(), smsSender: 'COPY', bankAccounts: [{ bank: 'kcb', reference: kcb }] } });
    const bad = await admin('POST', '/schools', { key, body: { name: 'Bad', paybill: '12', smsSender: 'BAD' } });

    expect([taken.status, takenBank.status, bad.status]).to.deep.equal([409, 409, 400]);
    expect(bad.body.field).to.equal('paybill');
    expect(await db('schools').where({ name: 'Copy' })).to.have.length(0);
  });
});

describe('admin API: students', () => {
  it('POST /admin/schools/{id}/students adds a student (guardians in E.164); the list shows balances after invoicing and pages; GET /students/{id} has guardians and statement', async () => {
    const key = await adminKey('read', 'operate', 'finance');
    const s = await school(key);
    const add = await admin('POST', `/schools/${s.id}/students`, { key, body: { admissionNo: 'oth1', name: 'Faith Njeri', class: 'Form 1', guardians: ['0712345678'] } });
    await admin('POST', `/schools/${s.id}/students`, { key, body: { admissionNo: 'OTH2', name: 'Kevin Kiprop', class: 'Form 2', guardians: ['0712345678'] } });
    const term = await admin('POST', `/schools/${s.id}/terms`, { key, body: { name: '2027 Term 1', dueDate: '2027-01-31' } });
    await admin('POST', `/terms/${term.body.id}/fee-structures`, { key, body: { class: 'Form 1', amount: 1_500_000, currency: 'KES' } });
    await admin('POST', `/terms/${term.body.id}/invoice`, { key, body: {} });

    const page1 = await admin('GET', `/schools/${s.id}/students?limit=1`, { key });
    const page2 = await admin('GET', `/schools/${s.id}/students?limit=1&cursor=${page1.body.nextCursor}`, { key });
    const one = await admin('GET', `/students/${add.body.id}`, { key });

    expect(add.status).to.equal(201);
    expect(add.body).to.include({ admissionNo: 'OTH1', balance: 0, currency: 'KES' });
    expect(add.body.guardians).to.deep.equal(['+254712345678']);
    expect(page1.body.data.map((x: { admissionNo: string }) => x.admissionNo)).to.deep.equal(['OTH2']);
    expect(page2.body.data[0]).to.include({ admissionNo: 'OTH1', balance: 1_500_000, currency: 'KES' });
    expect(one.body.guardians).to.deep.equal(['+254712345678']);
    expect(one.body.statement).to.deep.equal({
      term: { id: term.body.id, name: '2027 Term 1', dueDate: '2027-01-31', amount: 1_500_000 }, invoiced: 1_500_000, paid: 0, balance: 1_500_000, currency: 'KES',
    });
    expect((await admin('GET', '/students/2147483000', { key })).status).to.equal(404);
  });

  it('POST /admin/schools/{id}/students/import with a bad row answers 400 listing every bad row and imports none; a good text/csv body imports all', async () => {
    const key = await adminKey('operate');
    const s = await makeSchool();
    const bad = await admin('POST', `/schools/${s.id}/students/import`, {
      key, body: { csv: 'admission_no,name,class,guardians\nE1,Good,Form 1,0712345678\nE2,Bad,Form 1,12\nE3,,Form 1,0712345678\n' },
    });
    const res = await fetch(`${await appUrl()}/admin/schools/${s.id}/students/import`, {
      method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv', 'x-forwarded-for': clientAddress() },
      body: 'admission_no,name,class,guardians\nE1,Good One,Form 1,0712345678\nE2,Good Two,Form 2,0722000333;0712345678\n',
    });
    const good = (await res.json()) as { imported: number };

    expect(bad.status).to.equal(400);
    expect(bad.body.error).to.equal('csv_invalid');
    expect(bad.body.errors.map((e: { line: number }) => e.line)).to.deep.equal([3, 4]);
    expect(bad.body.errors[0].reason).to.contain('12');
    expect(res.status).to.equal(201);
    expect(good.imported).to.equal(2);
    expect((await findStudent(db, s.id, 'E2'))?.name).to.equal('Good Two');
  });
});

describe('admin API: terms, invoicing, payments and the report', () => {
  it('POST /admin/terms/{id}/invoice invoices once (a repeat invoices nobody) and needs finance; a fee cannot change after (409)', async () => {
    const ops = await adminKey('read', 'operate');
    const fin = await adminKey('finance');
    const s = await makeSchool();
    await makeStudent(s);
    await makeStudent(s);
    const term = await admin('POST', `/schools/${s.id}/terms`, { key: ops, body: { name: 'T1', dueDate: '2027-02-28' } });
    const fees = await admin('POST', `/terms/${term.body.id}/fee-structures`, { key: fin, body: { class: 'Form 1', amount: 1_000_000 } });

    const forbidden = await admin('POST', `/terms/${term.body.id}/invoice`, { key: ops, body: {} });
    const first = await admin('POST', `/terms/${term.body.id}/invoice`, { key: fin, body: {} });
    const second = await admin('POST', `/terms/${term.body.id}/invoice`, { key: fin, body: {} });
    const change = await admin('POST', `/terms/${term.body.id}/fee-structures`, { key: fin, body: { class: 'Form 1', amount: 1_100_000 } });
    const terms = await admin('GET', `/schools/${s.id}/terms`, { key: ops });

    expect(fees.body.fees).to.deep.equal([{ class: 'Form 1', amount: 1_000_000 }]);
    expect(forbidden.status).to.equal(403);
    expect(first.body).to.deep.equal({ termId: term.body.id, invoiced: 2, amount: 2_000_000, alreadyInvoiced: 0, withoutFee: 0, currency: 'KES' });
    expect(second.body).to.include({ invoiced: 0, alreadyInvoiced: 2 });
    expect(change.status).to.equal(409);
    expect(terms.body.data[0]).to.include({ id: term.body.id, dueDate: '2027-02-28' });
    expect(terms.body.data[0].invoicedAt).to.be.a('string');
  });

  it('GET /admin/schools/{id}/payments?status=unmatched lists the bursar\'s queue; allocate needs an Idempotency-Key, replays its answer, and refuses a second allocation', async () => {
    const key = await adminKey('read', 'finance');
    const s = await makeSchool();
    const student = await makeStudent(s);
    await recordSchoolPayment(db, { schoolId: s.id, reference: student.admissionNo, amount: kes(100), idempotencyKey: `bank:equity:${randomUUID()}`, channel: 'bank' });
    const unmatched = await recordSchoolPayment(db, { schoolId: s.id, reference: 'WHO', amount: kes(2_500), idempotencyKey: `bank:equity:${randomUUID()}`, channel: 'bank', raw: { bank: 'x' } });

    const queue = await admin('GET', `/schools/${s.id}/payments?status=unmatched`, { key });
    const path = `/school-payments/${unmatched.paymentId}/allocate`;
    const noKey = await admin('POST', path, { key, body: { admissionNo: student.admissionNo } });
    const headers = { 'idempotency-key': randomUUID() };
    const done = await admin('POST', path, { key, body: { admissionNo: student.admissionNo }, headers });
    const replay = await admin('POST', path, { key, body: { admissionNo: student.admissionNo }, headers });
    const again = await admin('POST', path, { key, body: { studentId: student.id }, headers: { 'idempotency-key': randomUUID() } });
    const report = await admin('GET', `/schools/${s.id}/fees-report`, { key });

    expect(queue.body.data).to.have.length(1);
    expect(queue.body.data[0]).to.include({ status: 'unmatched', reference: 'WHO', amount: 250_000, currency: 'KES', studentId: null });
    expect(noKey.status).to.equal(400);
    expect(done.status).to.equal(200);
    expect(done.body).to.include({ status: 'allocated', studentId: student.id, admissionNo: student.admissionNo });
    expect(done.body.allocationCode).to.match(/^[A-Z][A-Z0-9]{9}$/);
    expect(replay.headers.get('idempotent-replayed')).to.equal('true');
    expect(replay.body.allocationCode).to.equal(done.body.allocationCode);
    expect(again.status).to.equal(409);
    expect(report.body.totals).to.include({ students: 1, invoiced: 0, paid: 260_000, credit: 260_000 });
    expect(report.body.unmatched).to.deep.equal({ count: 0, amount: 0 });
  });
});
