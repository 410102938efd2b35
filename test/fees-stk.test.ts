/**
 * School fees by STK push, against PostgreSQL and the real app with Daraja intercepted at
 * Safaricom's sandbox host: the push carries the admission number as AccountReference and
 * "School fees"; the sample success callback moves clearing:mpesa → the school's settlement
 * and takes the amount off the student in the school's book, once however it is replayed
 * (in parallel too), with receipts; failure codes send the school-fees failure SMS and move nothing.
 */
import { expect } from 'chai';
import nock from 'nock';
import { db } from '../src/db/index.js';
import { invoiceTerm, type School, type Student } from '../src/fees/index.js';
import { creditStkRequest, pushRequestedStk, requestFeesStk, settleFeeStkByReceipt, ACCOUNT_REFERENCE_MAX } from '../src/mpesa/index.js';
import { systemAccount } from '../src/ledger/index.js';
import { assertLedgerSound, makeCustomer, randomMsisdn } from './helpers/customers.js';
import { blockOutboundHttp } from './helpers/at.js';
import { c2bSample, newTransId, postC2b, receiptRow } from './helpers/mpesa.js';
import { balanceOf, bookTotal, kes, makeSchool, makeStudent, makeTerm, smsTo } from './helpers/fees.js';
import { freshClient, newCheckoutId, postStk, pushAnswer, stkFailure, stkRow, stkSuccess, tokenAnswer } from './helpers/stk.js';
import type { Customer } from '../src/customers/index.js';

/** A school with one Form 1 student invoiced KES 15,000, a guardian, and a payer. */
async function setting(admissionNo?: string): Promise<{ school: School; student: Student; guardian: string; payer: Customer }> {
  const school = await makeSchool({ name: 'Kaaga Girls' });
  const term = await makeTerm(school, { 'Form 1': 15_000 }, '2026 Term 1');
  const guardian = randomMsisdn();
  const student = await makeStudent(school, { name: 'Faith Njeri', guardians: [guardian], ...(admissionNo ? { admissionNo } : {}) });
  await invoiceTerm(db, term.id);
  return { school, student, guardian, payer: await makeCustomer(0) };
}

/** A fee push of `kes` shillings, pushed by the worker's pass: the request id, its CheckoutRequestID and the body Daraja saw. */
async function pushedFee(payer: Customer, student: Student, kesAmount: number) {
  const r = await requestFeesStk({ msisdn: payer.msisdn, studentId: student.id, amount: kes(kesAmount), idempotencyKey: `test:fees-stk:${newTransId()}` });
  const checkoutId = newCheckoutId();
  const seen: Array<{ auth: string; body: any }> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  tokenAnswer();
  pushAnswer(seen, checkoutId);
  await pushRequestedStk(db, freshClient());
  expect(await stkRow(r.id)).to.include({ status: 'accepted', checkout_request_id: checkoutId });
  return { id: r.id, checkoutId, body: seen[0].body, accountReference: r.accountReference };
}

describe('mpesa: school fees by STK push', () => {
  before(async () => {
    blockOutboundHttp();
    await db('stk_requests').where({ status: 'requested' }).update({ status: 'unknown', result_desc: 'left by another test file' });
  });
  afterEach(async () => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, 'Daraja calls expected but not made').to.deep.equal([]);
    await assertLedgerSound();
  });

  it('the push bills Simu\'s paybill with AccountReference = the admission number and TransactionDesc "School fees"', async () => {
    const { student, payer } = await setting();
    const { body } = await pushedFee(payer, student, 1_500);
    expect(body).to.include({
      BusinessShortCode: '600999', PartyB: '600999', TransactionType: 'CustomerPayBillOnline', Amount: 1500, AccountReference: student.admissionNo,
      TransactionDesc: 'School fees', PhoneNumber: payer.msisdn.slice(1), PartyA: payer.msisdn.slice(1),
    });
  });

  it('an admission number longer than 12 characters is cut to Daraja\'s 12, and what was sent is stored', async () => {
    const { student, payer } = await setting(`ADM/2026/F4/${Date.now() % 100000}`);
    const { id, body } = await pushedFee(payer, student, 100);
    expect(body.AccountReference).to.equal(student.admissionNo.slice(0, ACCOUNT_REFERENCE_MAX)).and.have.length(ACCOUNT_REFERENCE_MAX);
    expect((await stkRow(id)).account_reference).to.equal(body.AccountReference);
  });

  it('Safaricom\'s success callback, replayed 5 times in parallel, posts once: clearing:mpesa → settlement, the student\'s balance down, receipts to guardian and payer', async () => {
    const { school, student, guardian, payer } = await setting();
    const clearing = await systemAccount(db, 'mpesa');
    const clearingBefore = await balanceOf(clearing.id);
    const { id, checkoutId } = await pushedFee(payer, student, 4_000);
    const receipt = newTransId();
    const answers = await Promise.all(Array.from({ length: 5 }, () => postStk(stkSuccess(checkoutId, '4000.00', receipt))));
    for (const a of answers) expect(a).to.deep.equal({ status: 200, body: { ResultCode: 0, ResultDesc: 'Accepted' } });

    expect(await stkRow(id)).to.include({ status: 'paid', receipt_number: receipt });
    expect(await balanceOf(clearing.id) - clearingBefore).to.equal(kes(4_000));
    expect(await balanceOf(school.settlementAccountId)).to.equal(-kes(4_000));
    expect(await balanceOf(student.receivableAccountId)).to.equal(kes(11_000));
    expect(await balanceOf(school.collectionsAccountId)).to.equal(kes(4_000));
    expect(await bookTotal(school.book)).to.equal(0n);
    const payments = await db('school_payments').where({ student_id: student.id });
    expect(payments).to.have.length(1);
    expect(payments[0]).to.include({ channel: 'mpesa_stk', idempotency_key: `mpesa:${receipt}`, status: 'posted', amount: kes(4_000), payer_msisdn: payer.msisdn });
    expect(await db('postings').where({ journal_entry_id: payments[0].journal_entry_id })).to.have.length(4);
    expect(await receiptRow(receipt)).to.include({ kind: 'stk', status: 'posted', amount: kes(4_000), bill_ref: student.admissionNo });
    const [toGuardian] = await smsTo(guardian, 'receipt');
    expect(toGuardian.message).to.match(new RegExp(`KES 4,000 received by Kaaga Girls for FAITH NJERI \\(${student.admissionNo}\\) on .+\\. Fee balance KES 11,000\\.$`));
    expect(await smsTo(payer.msisdn, 'receipt')).to.have.length(1);

    // The same receipt settled again (as a C2B confirmation of it would) posts nothing more.
    const again = await db.transaction((trx) => stkRow(id).then((row) => settleFeeStkByReceipt(trx, row, { receipt, amount: kes(4_000), raw: {} })));
    expect(again).to.deep.equal({ claimed: false });
    expect(await balanceOf(student.receivableAccountId)).to.equal(kes(11_000));
  });

  it('a paid amount that differs from the request is recorded on the student as paid, to the cent', async () => {
    const { school, student, payer } = await setting();
    const { id, checkoutId } = await pushedFee(payer, student, 1_000);
    const receipt = newTransId();
    expect((await postStk(stkSuccess(checkoutId, 999.5, receipt))).status).to.equal(200);
    expect(await stkRow(id)).to.include({ status: 'paid', receipt_number: receipt });
    expect(await balanceOf(student.receivableAccountId)).to.equal(kes(15_000) - 99_950n);
    expect(await balanceOf(school.settlementAccountId)).to.equal(-99_950n);
  });

  it('an operator crediting a fee push left unknown puts the money on the student; the callback that comes later posts nothing more', async () => {
    const { school, student, payer } = await setting();
    const { id, checkoutId } = await pushedFee(payer, student, 2_500);
    await db('stk_requests').where({ id }).update({ status: 'unknown' });
    const receipt = newTransId();
    const credited = await creditStkRequest(db, id, { receipt, by: 'ops', reason: 'seen on the org portal' });
    expect(credited.receipt).to.include({ transId: receipt, status: 'posted', replayed: false });
    expect(await stkRow(id)).to.include({ status: 'paid', receipt_number: receipt });
    expect(await balanceOf(student.receivableAccountId)).to.equal(kes(15_000 - 2_500));
    expect(await balanceOf(school.settlementAccountId)).to.equal(-kes(2_500));
    expect((await postStk(stkSuccess(checkoutId, 2_500, receipt))).status).to.equal(200);
    expect(await balanceOf(student.receivableAccountId)).to.equal(kes(15_000 - 2_500));
    expect(await balanceOf(school.settlementAccountId)).to.equal(-kes(2_500));
  });

  it('the C2B confirmation of a fee push that comes before its callback settles the push on the student (validation accepts it); the callback then posts nothing', async () => {
    const { school, student, payer } = await setting();
    const { id, checkoutId } = await pushedFee(payer, student, 3_000);
    const receipt = newTransId();
    const c2b = c2bSample({ TransID: receipt, TransAmount: '3000.00', BillRefNumber: student.admissionNo.toLowerCase() });
    expect((await postC2b('validation', c2b)).body).to.deep.equal({ ResultCode: 0, ResultDesc: 'Accepted' });
    const answers = await Promise.all(Array.from({ length: 3 }, () => postC2b('confirmation', c2b)));
    expect(answers.map((a) => a.body)).to.deep.equal(Array(3).fill({ ResultCode: 0, ResultDesc: 'Success' }));
    expect(await stkRow(id)).to.include({ status: 'paid', receipt_number: receipt });
    expect(await balanceOf(student.receivableAccountId)).to.equal(kes(15_000 - 3_000));
    expect(await balanceOf(school.settlementAccountId)).to.equal(-kes(3_000));
    expect((await receiptRow(receipt)).status).to.equal('posted');
    expect((await postStk(stkSuccess(checkoutId, 3_000, receipt))).status).to.equal(200);
    expect(await balanceOf(student.receivableAccountId)).to.equal(kes(15_000 - 3_000));
    expect(await balanceOf(school.settlementAccountId)).to.equal(-kes(3_000));
  });

  const FEE_FAILURES: Array<[number, string, string]> = [
    [1032, 'cancelled', 'Your M-PESA school fees payment of KES 40 was cancelled. No money was moved.'],
    [1037, 'failed', 'We could not reach your phone for the M-PESA school fees payment of KES 40. Make sure it is on and try again. No money was moved.'],
    [2001, 'failed', 'The M-PESA PIN entered for your school fees payment of KES 40 was wrong. No money was moved. Please try again.'],
    [1, 'failed', 'Your M-PESA balance is not enough to pay KES 40 school fees. No money was moved.'],
  ];
  for (const [code, status, en] of FEE_FAILURES) {
    it(`ResultCode ${code}: ${status}, the school-fees failure SMS, nothing moves`, async () => {
      const { school, student, payer } = await setting();
      const { id, checkoutId } = await pushedFee(payer, student, 40);
      expect((await postStk(stkFailure(checkoutId, code))).status).to.equal(200);
      expect(await stkRow(id)).to.include({ status, result_code: String(code) });
      const sms = await db('sms_outbox').where({ msisdn: payer.msisdn, kind: 'notice' });
      expect(sms.map((r) => r.message)).to.deep.equal([en]);
      expect(await balanceOf(student.receivableAccountId)).to.equal(kes(15_000));
      expect(await balanceOf(school.settlementAccountId)).to.equal(0n);
    });
  }
});
