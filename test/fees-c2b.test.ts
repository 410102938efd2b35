/**
 * School fees by M-Pesa C2B into the school's own paybill, over Daraja's callbacks (real
 * app, PostgreSQL, Redis) with Safaricom's sample body: validation by admission number
 * (C2B00012) and shortcode (C2B00015); confirmation on the student in the school's book only,
 * receipts to the guardians, once however often it is replayed; unmatched payments kept for
 * the bursar and allocated through the admin API; wrong tokens change nothing.
 */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { db } from '../src/db/index.js';
import { findSchoolPaymentByKey, invoiceTerm, type School, type Student } from '../src/fees/index.js';
import { systemAccount } from '../src/ledger/index.js';
import { adminKey, admin } from './helpers/admin.js';
import { blockOutboundHttp } from './helpers/at.js';
import { assertLedgerSound, randomMsisdn } from './helpers/customers.js';
import { balanceOf, bookTotal, kes, makeSchool, makeStudent, makeTerm, smsTo } from './helpers/fees.js';
import { c2bSample, postC2b, receiptRow } from './helpers/mpesa.js';
import { entriesForKey } from './helpers/banks.js';

/** A school with one student invoiced KES 15,000 and two guardians. */
async function invoiced(): Promise<{ school: School; student: Student; guardians: string[] }> {
  const school = await makeSchool({ name: 'Kiambu High' });
  const term = await makeTerm(school, { 'Form 1': 15_000 });
  const guardians = [randomMsisdn(), randomMsisdn()];
  const student = await makeStudent(school, { name: 'Faith Njeri', guardians });
  await invoiceTerm(db, term.id);
  return { school, student, guardians };
}

async function clearingMpesa(): Promise<bigint> {
  return balanceOf((await systemAccount(db, 'mpesa')).id);
}

describe('fees: C2B into a school\'s own paybill', () => {
  before(blockOutboundHttp);
  afterEach(assertLedgerSound);

  describe('validation', () => {
    it('accepts an admission number of the school in any case and spacing, as the top-up accepts', async () => {
      const { school, student } = await invoiced();
      const spaced = `${student.admissionNo.slice(0, 2).toLowerCase()} ${student.admissionNo.slice(2).toLowerCase()}`;
      for (const ref of [student.admissionNo, spaced]) {
        const res = await postC2b('validation', c2bSample({ BusinessShortCode: school.paybill, BillRefNumber: ref, TransAmount: '5000.00' }));
        expect(res, ref).to.deep.include({ status: 200, body: { ResultCode: 0, ResultDesc: 'Accepted' } });
      }
    });

    it('rejects with C2B00012 "Invalid Account Number" what is no admission number of that school (another school\'s too), and records nothing', async () => {
      const { school } = await invoiced();
      const other = await invoiced();
      for (const ref of ['invoice008', other.student.admissionNo, '']) {
        const body = c2bSample({ BusinessShortCode: school.paybill, BillRefNumber: ref });
        const res = await postC2b('validation', body);
        expect(res, ref).to.deep.include({ status: 200, body: { ResultCode: 'C2B00012', ResultDesc: 'Invalid Account Number' } });
        expect(await findSchoolPaymentByKey(db, `mpesa:${body.TransID}`)).to.equal(null);
      }
    });

    it('rejects with C2B00015 "Invalid Shortcode" a paybill that is neither Simu\'s nor an active school\'s', async () => {
      const { school, student } = await invoiced();
      await db('schools').where({ id: school.id }).update({ status: 'suspended' });
      for (const shortCode of ['600000', school.paybill]) {
        const res = await postC2b('validation', c2bSample({ BusinessShortCode: shortCode, BillRefNumber: student.admissionNo }));
        expect(res, shortCode).to.deep.include({ status: 200, body: { ResultCode: 'C2B00015', ResultDesc: 'Invalid Shortcode' } });
      }
    });
  });

  describe('confirmation', () => {
    it('posts on the student in the school\'s book only (clearing:mpesa unchanged), sends receipts to the guardians and answers Success', async () => {
      const { school, student, guardians } = await invoiced();
      const clearingBefore = await clearingMpesa();
      const body = c2bSample({ BusinessShortCode: school.paybill, BillRefNumber: student.admissionNo.toLowerCase(), TransAmount: '5000.50' });

      const res = await postC2b('confirmation', body);

      expect(res).to.deep.include({ status: 200, body: { ResultCode: 0, ResultDesc: 'Success' } });
      expect(await balanceOf(student.receivableAccountId)).to.equal(kes(15_000) - 500_050n);
      expect(await balanceOf(school.collectionsAccountId)).to.equal(500_050n);
      expect(await balanceOf(school.settlementAccountId)).to.equal(0n);
      expect(await clearingMpesa()).to.equal(clearingBefore);
      const payment = (await findSchoolPaymentByKey(db, `mpesa:${body.TransID}`))!;
      expect(payment).to.include({ channel: 'mpesa_c2b', status: 'posted', studentId: student.id, amount: 500_050n, payerMsisdn: null, schoolId: school.id });
      expect(payment.raw).to.deep.equal(body);
      // Simu's own paybill's record is not written for a school's paybill.
      expect(await receiptRow(String(body.TransID))).to.equal(undefined);
      for (const g of guardians) {
        const sms = await smsTo(g, 'receipt');
        expect(sms, g).to.have.length(1);
        expect(sms[0].message).to.match(new RegExp(`^${payment.entryCode} Confirmed\\. KES 5,000\\.50 received by Kiambu High for FAITH NJERI \\(${student.admissionNo}\\) on .*\\. Fee balance KES 9,999\\.50\\.$`));
      }
      expect(await bookTotal(school.book)).to.equal(0n);
    });

    it('posts once when the confirmation is replayed 5 times at once', async () => {
      const { school, student, guardians } = await invoiced();
      const body = c2bSample({ BusinessShortCode: school.paybill, BillRefNumber: student.admissionNo, TransAmount: '3000.00' });

      const answers = await Promise.all(Array.from({ length: 5 }, () => postC2b('confirmation', body)));

      for (const a of answers) expect(a).to.deep.include({ status: 200, body: { ResultCode: 0, ResultDesc: 'Success' } });
      expect(await balanceOf(student.receivableAccountId)).to.equal(kes(12_000));
      expect(await balanceOf(school.collectionsAccountId)).to.equal(kes(3_000));
      const rows = await db('school_payments').where({ idempotency_key: `mpesa:${body.TransID}` });
      expect(rows).to.have.length(1);
      expect(await entriesForKey(`mpesa:${body.TransID}`)).to.equal(1);
      for (const g of guardians) expect(await smsTo(g, 'receipt'), g).to.have.length(1);
    });

    it('keeps an admission number that matches nobody unmatched (Success, nothing moves); the bursar allocates it through the admin API', async () => {
      const { school, student, guardians } = await invoiced();
      const clearingBefore = await clearingMpesa();
      const body = c2bSample({ BusinessShortCode: school.paybill, BillRefNumber: 'ADM9 99', TransAmount: '2500' });

      const res = await postC2b('confirmation', body);
      const replay = await postC2b('confirmation', body);

      expect(res).to.deep.include({ status: 200, body: { ResultCode: 0, ResultDesc: 'Success' } });
      expect(replay.body).to.deep.equal({ ResultCode: 0, ResultDesc: 'Success' });
      const unmatched = (await findSchoolPaymentByKey(db, `mpesa:${body.TransID}`))!;
      expect(unmatched).to.include({ status: 'unmatched', studentId: null, reference: 'ADM9 99', amount: kes(2_500), journalEntryId: null });
      expect(await balanceOf(student.receivableAccountId)).to.equal(kes(15_000));
      expect(await balanceOf(school.collectionsAccountId)).to.equal(0n);
      for (const g of guardians) expect(await smsTo(g, 'receipt')).to.have.length(0);

      const key = await adminKey('read', 'finance');
      const queue = await admin('GET', `/schools/${school.id}/payments?status=unmatched`, { key });
      expect(queue.body.data.map((p: { id: unknown }) => String(p.id))).to.deep.equal([String(unmatched.id)]);
      const done = await admin('POST', `/school-payments/${unmatched.id}/allocate`, { key, body: { admissionNo: student.admissionNo }, headers: { 'idempotency-key': randomUUID() } });

      expect(done.status, JSON.stringify(done.body)).to.equal(200);
      expect(done.body).to.include({ status: 'allocated', studentId: student.id, admissionNo: student.admissionNo });
      expect(await balanceOf(student.receivableAccountId)).to.equal(kes(12_500));
      expect(await balanceOf(school.collectionsAccountId)).to.equal(kes(2_500));
      expect(await clearingMpesa()).to.equal(clearingBefore);
      expect(await bookTotal(school.book)).to.equal(0n);
      // A late replay of the confirmation still answers Success and moves nothing more.
      expect((await postC2b('confirmation', body)).body).to.deep.equal({ ResultCode: 0, ResultDesc: 'Success' });
      expect(await balanceOf(student.receivableAccountId)).to.equal(kes(12_500));
    });

    it('keeps an empty BillRefNumber unmatched as "(blank)", and records a suspended school\'s payment (the money has arrived)', async () => {
      const { school, student } = await invoiced();
      const blank = c2bSample({ BusinessShortCode: school.paybill, BillRefNumber: '' });
      expect((await postC2b('confirmation', blank)).body).to.deep.equal({ ResultCode: 0, ResultDesc: 'Success' });
      expect(await findSchoolPaymentByKey(db, `mpesa:${blank.TransID}`)).to.include({ status: 'unmatched', reference: '(blank)', amount: 1_000n });

      await db('schools').where({ id: school.id }).update({ status: 'suspended' });
      const late = c2bSample({ BusinessShortCode: school.paybill, BillRefNumber: student.admissionNo });
      expect((await postC2b('confirmation', late)).body).to.deep.equal({ ResultCode: 0, ResultDesc: 'Success' });
      expect(await balanceOf(student.receivableAccountId)).to.equal(kes(15_000) - 1_000n);
    });

    it('answers 400 to a confirmation for an unknown shortcode and records nothing', async () => {
      const clearingBefore = await clearingMpesa();
      const body = c2bSample({ BusinessShortCode: '600001', BillRefNumber: 'ADM001' });
      const res = await postC2b('confirmation', body);
      expect(res.status).to.equal(400);
      expect(res.body.reason).to.match(/^BusinessShortCode/);
      expect(await findSchoolPaymentByKey(db, `mpesa:${body.TransID}`)).to.equal(null);
      expect(await receiptRow(String(body.TransID))).to.equal(undefined);
      expect(await clearingMpesa()).to.equal(clearingBefore);
    });

    it('answers 404 to a wrong token and changes nothing', async () => {
      const { school, student } = await invoiced();
      const body = c2bSample({ BusinessShortCode: school.paybill, BillRefNumber: student.admissionNo });
      for (const what of ['validation', 'confirmation'] as const) {
        const res = await postC2b(what, body, 'not-the-token');
        expect(res.status, what).to.equal(404);
      }
      expect(await findSchoolPaymentByKey(db, `mpesa:${body.TransID}`)).to.equal(null);
      expect(await balanceOf(student.receivableAccountId)).to.equal(kes(15_000));
    });
  });
});
