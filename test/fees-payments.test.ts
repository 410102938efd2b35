/** School Fees payments: from a wallet, from outside (school's own paybill or bank), into Simu's paybill, unmatched and allocated, replays. */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { db } from '../src/db/index.js';
import {
  allocatePayment, feesReport, getSchoolPayment, invoiceTerm, payFeesFromWallet, recordSchoolPayment, studentStatement, PaymentNotUnmatchedError,
  type School, type Student,
} from '../src/fees/index.js';
import { IdempotencyConflictError, InsufficientFundsError, systemAccount } from '../src/ledger/index.js';
import { WrongPinError } from '../src/customers/index.js';
import { assertLedgerSound, makeCustomer, randomMsisdn } from './helpers/customers.js';
import { balanceOf, bookTotal, kes, legsOf, makeSchool, makeStudent, makeTerm, smsTo } from './helpers/fees.js';

/** A school with one student invoiced KES 15,000 (Form 1) and their guardian. */
async function invoiced(): Promise<{ school: School; student: Student; guardian: string }> {
  const school = await makeSchool({ name: 'Nyeri Girls' });
  const term = await makeTerm(school, { 'Form 1': 15_000 });
  const guardian = randomMsisdn();
  const student = await makeStudent(school, { name: 'Faith Njeri', guardians: [guardian] });
  await invoiceTerm(db, term.id);
  return { school, student, guardian };
}

const key = (source = 'test') => `${source}:${randomUUID()}`;

describe('fees: paying from a wallet', () => {
  it('moves both books in one entry (wallet → settlement, collections / receivable), records the payment and sends the receipts', async () => {
    const { school, student, guardian } = await invoiced();
    const payer = await makeCustomer(20_000);

    const r = await payFeesFromWallet(db, { payerMsisdn: payer.msisdn, pin: '1234', studentId: student.id, amount: kes(5_000), idempotencyKey: key('ussd') });

    expect(r).to.include({ amount: kes(5_000), feeBalance: kes(10_000), walletBalance: kes(15_000), replayed: false, admissionNo: student.admissionNo });
    const legs = await legsOf(r.code);
    expect(legs.map((l) => [l.book, l.amount])).to.have.deep.members([['platform', kes(5_000)], ['platform', -kes(5_000)], [school.book, kes(5_000)], [school.book, -kes(5_000)]]);
    expect(await balanceOf(school.settlementAccountId)).to.equal(-kes(5_000));
    expect(await balanceOf(school.collectionsAccountId)).to.equal(kes(5_000));
    expect(await balanceOf(student.receivableAccountId)).to.equal(kes(10_000));
    expect(await getSchoolPayment(db, r.paymentId)).to.include({ channel: 'wallet', status: 'posted', studentId: student.id, payerMsisdn: payer.msisdn, entryCode: r.code });
    const [toGuardian] = await smsTo(guardian, 'receipt');
    const [toPayer] = await smsTo(payer.msisdn);
    expect(toGuardian.message).to.match(new RegExp(`^${r.code} Confirmed\\. KES 5,000 received by Nyeri Girls for FAITH NJERI \\(${student.admissionNo}\\) on .*\\. Fee balance KES 10,000\\.$`));
    expect(toPayer.message).to.contain('Fee balance KES 10,000.').and.to.contain('Simu balance KES 15,000.');
    expect([await bookTotal(school.book), await bookTotal('platform')]).to.deep.equal([0n, 0n]);
    await assertLedgerSound();
  });

  it('refuses with InsufficientFundsError when the wallet is short, and a wrong PIN with WrongPinError; nothing moves or is recorded', async () => {
    const { school, student } = await invoiced();
    const payer = await makeCustomer(100);
    const k = key('ussd');

    const short = await payFeesFromWallet(db, { payerMsisdn: payer.msisdn, pin: '1234', studentId: student.id, amount: kes(5_000), idempotencyKey: k }).catch((e: unknown) => e);
    const wrongPin = await payFeesFromWallet(db, { payerMsisdn: payer.msisdn, pin: '9999', studentId: student.id, amount: kes(50), idempotencyKey: key() }).catch((e: unknown) => e);

    expect(short).to.be.instanceOf(InsufficientFundsError);
    expect(wrongPin).to.be.instanceOf(WrongPinError);
    expect(await balanceOf(payer.walletAccountId)).to.equal(-kes(100));
    expect(await balanceOf(student.receivableAccountId)).to.equal(kes(15_000));
    expect(await balanceOf(school.settlementAccountId)).to.equal(0n);
    expect(await db('school_payments').where({ school_id: school.id })).to.have.length(0);
  });

  it('takes an overpayment (pin checked by the caller): the student is in credit, shown as a negative balance and in the receipt', async () => {
    const { student, guardian } = await invoiced();
    const payer = await makeCustomer(20_000);

    const r = await payFeesFromWallet(db, { customerId: payer.id, pinVerified: true, studentId: student.id, amount: kes(16_000), idempotencyKey: key('ussd') });

    expect(r.feeBalance).to.equal(-kes(1_000));
    const s = await studentStatement(db, student.id);
    expect([s.invoiced, s.paid, s.balance]).to.deep.equal([kes(15_000), kes(16_000), -kes(1_000)]);
    expect((await smsTo(guardian, 'receipt'))[0].message).to.contain('Fee credit KES 1,000.');
  });

  it('five parallel calls with one key pay once; the same key for another amount is refused', async () => {
    const { school, student } = await invoiced();
    const payer = await makeCustomer(20_000);
    const k = key('ussd');
    const req = { payerMsisdn: payer.msisdn, pin: '1234', studentId: student.id, amount: kes(1_000), idempotencyKey: k };

    const results = await Promise.all(Array.from({ length: 5 }, () => payFeesFromWallet(db, req)));
    const other = await payFeesFromWallet(db, { ...req, amount: kes(2_000) }).catch((e: unknown) => e);

    expect(new Set(results.map((r) => r.code)).size).to.equal(1);
    expect(results.filter((r) => !r.replayed)).to.have.length(1);
    expect(await balanceOf(payer.walletAccountId)).to.equal(-kes(19_000));
    expect(await db('school_payments').where({ school_id: school.id })).to.have.length(1);
    expect(other).to.be.instanceOf(IdempotencyConflictError);
  });
});

describe('fees: payments from outside', () => {
  it('a payment to the school\'s own paybill moves only the school\'s book, on the student its reference names (any case)', async () => {
    const { school, student, guardian } = await invoiced();
    const clearing = await systemAccount(db, 'mpesa');
    const clearingBefore = await balanceOf(clearing.id);

    const r = await recordSchoolPayment(db, {
      schoolId: school.id, reference: student.admissionNo.toLowerCase(), amount: kes(4_000), idempotencyKey: key('mpesa'), channel: 'mpesa_c2b',
      payerMsisdn: '2547 ***** 126', raw: { TransID: 'X' },
    });

    expect(r).to.include({ status: 'posted', studentId: student.id, replayed: false });
    expect((await legsOf(r.entryCode!)).map((l) => l.book)).to.deep.equal([school.book, school.book]);
    expect(await balanceOf(student.receivableAccountId)).to.equal(kes(11_000));
    expect([await balanceOf(school.settlementAccountId), await balanceOf(clearing.id)]).to.deep.equal([0n, clearingBefore]);
    expect(await getSchoolPayment(db, r.paymentId)).to.include({ payerMsisdn: null, reference: student.admissionNo.toLowerCase() });
    expect((await smsTo(guardian)).map((s) => s.kind)).to.deep.equal(['invoice', 'receipt']);
  });

  it('a payment into Simu\'s own paybill (platformLeg) also moves clearing:mpesa → the school\'s settlement, in the same entry; the payer gets a receipt', async () => {
    const { school, student } = await invoiced();
    const clearing = await systemAccount(db, 'mpesa');
    const clearingBefore = await balanceOf(clearing.id);
    const payer = randomMsisdn();

    const r = await recordSchoolPayment(db, {
      schoolId: school.id, reference: student.admissionNo, amount: kes(15_000), idempotencyKey: key('mpesa'), channel: 'mpesa_stk',
      payerMsisdn: payer, platformLeg: { fromAccount: 'clearing:mpesa' },
    });

    expect((await legsOf(r.entryCode!)).map((l) => [l.accountCode, l.amount])).to.have.deep.members([
      ['clearing:mpesa', kes(15_000)], [`school:${school.id}:settlement`, -kes(15_000)],
      [`school:${school.id}:collections`, kes(15_000)], [`school:${school.id}:student:${student.id}`, -kes(15_000)],
    ]);
    expect(await balanceOf(clearing.id)).to.equal(clearingBefore + kes(15_000));
    expect(await balanceOf(student.receivableAccountId)).to.equal(0n);
    expect((await smsTo(payer))[0].message).to.contain('Fee balance KES 0.');
    await assertLedgerSound();
  });

  it('an unknown reference is kept unmatched (nothing in the school\'s book) until allocated; a second allocation is refused', async () => {
    const { school, student, guardian } = await invoiced();
    const r = await recordSchoolPayment(db, { schoolId: school.id, reference: 'NOSUCH', amount: kes(3_000), idempotencyKey: key('bank:equity'), channel: 'bank' });

    expect(r).to.deep.equal({ status: 'unmatched', paymentId: r.paymentId, replayed: false });
    expect(await balanceOf(school.collectionsAccountId)).to.equal(0n);

    const { after } = await allocatePayment(db, r.paymentId, { admissionNo: student.admissionNo.toLowerCase(), by: 'bursar' });
    const again = await allocatePayment(db, r.paymentId, { studentId: student.id, by: 'bursar' }).catch((e: unknown) => e);

    expect(after).to.include({ status: 'allocated', studentId: student.id, allocatedBy: 'bursar', entryCode: null });
    expect((await legsOf(after.allocationCode!)).map((l) => l.book)).to.deep.equal([school.book, school.book]);
    expect(await balanceOf(student.receivableAccountId)).to.equal(kes(12_000));
    expect(again).to.be.instanceOf(PaymentNotUnmatchedError);
    expect((await smsTo(guardian)).at(-1)!.message).to.contain(`${after.allocationCode} Confirmed. KES 3,000`);
  });

  it('an unmatched payment into Simu\'s paybill still reaches the school\'s settlement account; allocation then moves only the school\'s book', async () => {
    const { school, student } = await invoiced();
    const r = await recordSchoolPayment(db, {
      schoolId: school.id, reference: 'WRONG1', amount: kes(2_000), idempotencyKey: key('mpesa'), channel: 'mpesa_c2b', platformLeg: { fromAccount: 'clearing:mpesa' },
    });

    expect(r.status).to.equal('unmatched');
    expect((await legsOf(r.entryCode!)).map((l) => l.book)).to.deep.equal(['platform', 'platform']);
    expect(await balanceOf(school.settlementAccountId)).to.equal(-kes(2_000));
    expect(await balanceOf(student.receivableAccountId)).to.equal(kes(15_000));

    await allocatePayment(db, r.paymentId, { studentId: student.id, by: 'bursar' });

    expect(await balanceOf(student.receivableAccountId)).to.equal(kes(13_000));
    expect(await balanceOf(school.settlementAccountId)).to.equal(-kes(2_000));
    expect([await bookTotal(school.book), await bookTotal('platform')]).to.deep.equal([0n, 0n]);
  });

  it('five parallel replays of one payment post once and answer the first outcome (so does the STK callback of the receipt); the key for another amount is refused', async () => {
    const { school, student } = await invoiced();
    const req = { schoolId: school.id, reference: student.admissionNo, amount: kes(1_500), idempotencyKey: key('mpesa'), channel: 'mpesa_c2b' as const };

    const results = await Promise.all(Array.from({ length: 5 }, () => recordSchoolPayment(db, req)));
    const other = await recordSchoolPayment(db, { ...req, amount: kes(1_600) }).catch((e: unknown) => e);
    // The STK callback of the same M-Pesa receipt: one payment, one key.
    const stk = await recordSchoolPayment(db, { ...req, channel: 'mpesa_stk' });

    expect(new Set([...results, stk].map((r) => `${r.paymentId}:${r.entryCode}`)).size).to.equal(1);
    expect(stk.replayed).to.equal(true);
    expect(results.filter((r) => r.replayed)).to.have.length(4);
    expect(await balanceOf(student.receivableAccountId)).to.equal(kes(13_500));
    expect(other).to.be.instanceOf(IdempotencyConflictError);
  });
});

describe('fees: the fees report', () => {
  it('gives per class invoiced, paid, outstanding and credit from the books, with totals and unmatched payments', async () => {
    const school = await makeSchool();
    const term = await makeTerm(school, { 'Form 1': 10_000, 'Form 2': 20_000 });
    const [a, b, c] = [await makeStudent(school, { class: 'Form 1' }), await makeStudent(school, { class: 'Form 1' }), await makeStudent(school, { class: 'Form 2' })];
    await invoiceTerm(db, term.id);
    const pay = (s: Student, shillings: number) => recordSchoolPayment(db, { schoolId: school.id, reference: s.admissionNo, amount: kes(shillings), idempotencyKey: key(), channel: 'bank' });
    await pay(a, 4_000);
    await pay(b, 12_000);
    await pay(c, 20_000);
    await recordSchoolPayment(db, { schoolId: school.id, reference: 'NOBODY', amount: kes(700), idempotencyKey: key(), channel: 'bank' });

    const report = await feesReport(db, school.id);

    expect(report.classes).to.deep.equal([
      { class: 'Form 1', students: 2, invoiced: kes(20_000), paid: kes(16_000), outstanding: kes(6_000), credit: kes(2_000) },
      { class: 'Form 2', students: 1, invoiced: kes(20_000), paid: kes(20_000), outstanding: 0n, credit: 0n },
    ]);
    expect(report.totals).to.deep.equal({ students: 3, invoiced: kes(40_000), paid: kes(36_000), outstanding: kes(6_000), credit: kes(2_000) });
    expect(report.unmatched).to.deep.equal({ count: 1, amount: kes(700) });
    expect(report.settlement).to.equal(0n);
  });
});
