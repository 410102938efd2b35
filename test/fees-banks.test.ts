/**
 * School fees by bank webhook (real app, PostgreSQL, Redis) with the banks' payloads
 * (/work/shared/reference/000_9f163036b5a0d679.txt): Equity `merchantCode` and KCB
 * `<schoolAccount>#<admissionNo>` / `-<admissionNo>` map to the school; the student reference
 * is an admission number; only the school's book moves; unmatched payments wait for the
 * bursar; replays post once; forged signatures change nothing; other payments keep going to
 * wallets or suspense:bank.
 */
import { expect } from 'chai';
import { randomInt, randomUUID } from 'node:crypto';
import { db } from '../src/db/index.js';
import { addSchoolBankAccount, findSchoolPaymentByKey, invoiceTerm, splitKcbAccount, type School, type Student } from '../src/fees/index.js';
import { systemAccount } from '../src/ledger/index.js';
import { nationalFormat } from '../src/phone/index.js';
import { admin, adminKey } from './helpers/admin.js';
import { blockOutboundHttp } from './helpers/at.js';
import { bankTxId, entriesForKey, equityBody, equityBodyTo, kcbBody, paymentRow, postBank } from './helpers/banks.js';
import { assertLedgerSound, makeCustomer, randomMsisdn } from './helpers/customers.js';
import { balanceOf, bookTotal, kes, makeSchool, makeStudent, makeTerm, smsTo } from './helpers/fees.js';

/** A school with an Equity merchant code and a KCB account, one student invoiced KES 15,000, and their guardian. */
async function invoiced(): Promise<{ school: School; student: Student; guardian: string; equity: string; kcb: string }> {
  const school = await makeSchool({ name: 'Nakuru Boys', equity: true });
  const kcb = `11${randomInt(10_000_000, 100_000_000)}`;
  await addSchoolBankAccount(db, school.id, { bank: 'kcb', reference: kcb });
  const term = await makeTerm(school, { 'Form 1': 15_000 });
  const guardian = randomMsisdn();
  const student = await makeStudent(school, { name: 'Kevin Kiprop', guardians: [guardian] });
  await invoiceTerm(db, term.id);
  return { school, student, guardian, equity: `EQ${school.paybill}`, kcb };
}

async function platformBalance(name: 'bank' | 'suspenseBank'): Promise<bigint> {
  return balanceOf((await systemAccount(db, name)).id);
}

describe('fees: bank webhooks into a school\'s account', () => {
  before(blockOutboundHttp);
  afterEach(assertLedgerSound);

  it('Equity: merchantCode maps the school, studentId the student; posts in the school\'s book only, with the guardian\'s receipt', async () => {
    const { school, student, guardian, equity } = await invoiced();
    const [clearingBefore, suspenseBefore] = [await platformBalance('bank'), await platformBalance('suspenseBank')];
    const id = bankTxId('EQ');

    const res = await postBank('equity', equityBodyTo(equity, { transactionId: id, studentId: student.admissionNo.toLowerCase(), amount: '5000.25' }));

    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const payment = (await findSchoolPaymentByKey(db, `bank:equity:${id}`))!;
    expect(res.body).to.deep.equal({ status: 'accepted', transactionId: id, reference: payment.entryCode });
    expect(payment).to.include({ channel: 'bank', status: 'posted', studentId: student.id, amount: 500_025n, payerMsisdn: null });
    expect(payment.raw).to.include({ transactionId: id, merchantCode: equity });
    expect(await balanceOf(student.receivableAccountId)).to.equal(kes(15_000) - 500_025n);
    expect(await balanceOf(school.collectionsAccountId)).to.equal(500_025n);
    expect(await balanceOf(school.settlementAccountId)).to.equal(0n);
    expect([await platformBalance('bank'), await platformBalance('suspenseBank')]).to.deep.equal([clearingBefore, suspenseBefore]);
    expect(await paymentRow('equity', id)).to.equal(undefined);
    const [sms] = await smsTo(guardian, 'receipt');
    expect(sms.message).to.match(new RegExp(`^${payment.entryCode} Confirmed\\. KES 5,000\\.25 received by Nakuru Boys for KEVIN KIPROP \\(${student.admissionNo}\\) on .*\\. Fee balance KES 9,999\\.75\\.$`));
    expect(await bookTotal(school.book)).to.equal(0n);
  });

  it('KCB: accountNumber <schoolAccount>#<admissionNo> and <schoolAccount>-<admissionNo> post on the student', async () => {
    const { school, student, kcb } = await invoiced();
    const a = bankTxId('KCB');
    const b = bankTxId('KCB');

    const hash = await postBank('kcb', kcbBody({ transactionRef: a, accountNumber: `${kcb}#${student.admissionNo}`, amount: '1000' }));
    const dash = await postBank('kcb', kcbBody({ transactionRef: b, accountNumber: `${kcb}-${student.admissionNo.toLowerCase()}`, amount: '2000.00' }));

    expect([hash.status, dash.status]).to.deep.equal([200, 200]);
    expect(await findSchoolPaymentByKey(db, `bank:kcb:${a}`)).to.include({ status: 'posted', studentId: student.id, reference: student.admissionNo, amount: kes(1_000) });
    expect(await findSchoolPaymentByKey(db, `bank:kcb:${b}`)).to.include({ status: 'posted', studentId: student.id, amount: kes(2_000) });
    expect(await balanceOf(student.receivableAccountId)).to.equal(kes(12_000));
    expect(await balanceOf(school.collectionsAccountId)).to.equal(kes(3_000));
    expect([await paymentRow('kcb', a), await paymentRow('kcb', b)]).to.deep.equal([undefined, undefined]);
  });

  it('splitKcbAccount takes the part after # or -, and nothing of another account', () => {
    expect(splitKcbAccount('1234567#ADM 001', '1234567')).to.equal('ADM 001');
    expect(splitKcbAccount('1234567-ADM-9', '1234567')).to.equal('ADM-9');
    expect(splitKcbAccount('1234567', '1234567')).to.equal('');
    expect(splitKcbAccount('12345678#ADM1', '1234567')).to.equal(null);
  });

  it('replayed 5 times at once, a payment posts once and every answer is the same', async () => {
    const { school, student, guardian, equity } = await invoiced();
    const id = bankTxId('EQ');
    const body = equityBodyTo(equity, { transactionId: id, studentId: student.admissionNo, amount: '3000.00' });

    const answers = await Promise.all(Array.from({ length: 5 }, () => postBank('equity', body)));

    for (const a of answers) expect(a.status).to.equal(200);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).to.equal(1);
    expect(await db('school_payments').where({ idempotency_key: `bank:equity:${id}` })).to.have.length(1);
    expect(await entriesForKey(`bank:equity:${id}`)).to.equal(1);
    expect(await balanceOf(student.receivableAccountId)).to.equal(kes(12_000));
    expect(await balanceOf(school.collectionsAccountId)).to.equal(kes(3_000));
    expect(await smsTo(guardian, 'receipt')).to.have.length(1);
  });

  it('the same transaction id with another amount or student answers 409 and changes nothing', async () => {
    const { student, equity } = await invoiced();
    const other = await invoiced();
    const id = bankTxId('EQ');
    expect((await postBank('equity', equityBodyTo(equity, { transactionId: id, studentId: student.admissionNo, amount: '100.00' }))).status).to.equal(200);

    const amount = await postBank('equity', equityBodyTo(equity, { transactionId: id, studentId: student.admissionNo, amount: '200.00' }));
    const account = await postBank('equity', equityBodyTo(equity, { transactionId: id, studentId: 'ADM404', amount: '100.00' }));
    const noSchool = await postBank('equity', equityBody({ transactionId: id, studentId: student.admissionNo, amount: '100.00' }));
    const otherSchool = await postBank('equity', equityBodyTo(other.equity, { transactionId: id, studentId: student.admissionNo, amount: '100.00' }));

    for (const r of [amount, account, noSchool, otherSchool]) expect(r.status, JSON.stringify(r.body)).to.equal(409);
    expect(await balanceOf(student.receivableAccountId)).to.equal(kes(15_000) - kes(100));
    expect(await paymentRow('equity', id)).to.equal(undefined);
    expect(await db('school_payments').where({ idempotency_key: `bank:equity:${id}` })).to.have.length(1);
    expect(await balanceOf(other.student.receivableAccountId)).to.equal(kes(15_000));

    // The other way round: held on suspense:bank first, then "again" into the school's account.
    const held = bankTxId('EQ');
    expect((await postBank('equity', equityBody({ transactionId: held, studentId: student.admissionNo, amount: '100.00' }))).status).to.equal(200);
    const late = await postBank('equity', equityBodyTo(equity, { transactionId: held, studentId: student.admissionNo, amount: '100.00' }));
    expect(late.status).to.equal(409);
    expect(await findSchoolPaymentByKey(db, `bank:equity:${held}`)).to.equal(null);
    expect(await balanceOf(student.receivableAccountId)).to.equal(kes(15_000) - kes(100));
  });

  it('a student reference that matches nobody is kept unmatched (nothing moves), then allocated by the bursar through the admin API', async () => {
    const { school, student, guardian, kcb } = await invoiced();
    const id = bankTxId('KCB');
    const body = kcbBody({ transactionRef: id, accountNumber: `${kcb}#NOBODY1`, amount: '2500.00' });

    const res = await postBank('kcb', body);
    const replay = await postBank('kcb', body);

    const unmatched = (await findSchoolPaymentByKey(db, `bank:kcb:${id}`))!;
    expect(res.body).to.deep.equal({ status: 'accepted', transactionId: id, reference: `school-payment:${unmatched.id}` });
    expect(replay.body).to.deep.equal(res.body);
    expect(unmatched).to.include({ status: 'unmatched', studentId: null, reference: 'NOBODY1', journalEntryId: null, amount: kes(2_500) });
    expect(await balanceOf(student.receivableAccountId)).to.equal(kes(15_000));
    expect(await smsTo(guardian, 'receipt')).to.have.length(0);

    const key = await adminKey('read', 'finance');
    const done = await admin('POST', `/school-payments/${unmatched.id}/allocate`, { key, body: { admissionNo: student.admissionNo }, headers: { 'idempotency-key': randomUUID() } });

    expect(done.status, JSON.stringify(done.body)).to.equal(200);
    expect(done.body).to.include({ status: 'allocated', studentId: student.id });
    expect(await balanceOf(student.receivableAccountId)).to.equal(kes(12_500));
    expect(await balanceOf(school.collectionsAccountId)).to.equal(kes(2_500));
    expect(await bookTotal(school.book)).to.equal(0n);
    // The bank's late replay gets the first answer and moves nothing.
    expect((await postBank('kcb', body)).body).to.deep.equal(res.body);
    expect(await balanceOf(student.receivableAccountId)).to.equal(kes(12_500));
  });

  it('a KCB accountNumber that is exactly the school\'s account is kept unmatched under it', async () => {
    const { school, kcb } = await invoiced();
    const id = bankTxId('KCB');
    expect((await postBank('kcb', kcbBody({ transactionRef: id, accountNumber: kcb, amount: '700' }))).status).to.equal(200);
    expect(await findSchoolPaymentByKey(db, `bank:kcb:${id}`)).to.include({ status: 'unmatched', schoolId: school.id, reference: kcb });
  });

  it('a forged or missing signature answers 401 and changes nothing', async () => {
    const { student, equity, kcb } = await invoiced();
    const a = bankTxId('EQ');
    const b = bankTxId('KCB');
    const forged = await postBank('equity', equityBodyTo(equity, { transactionId: a, studentId: student.admissionNo }), { signature: 'ab'.repeat(32) });
    const missing = await postBank('kcb', kcbBody({ transactionRef: b, accountNumber: `${kcb}#${student.admissionNo}` }), { signature: null });

    expect([forged.status, missing.status]).to.deep.equal([401, 401]);
    expect(await findSchoolPaymentByKey(db, `bank:equity:${a}`)).to.equal(null);
    expect(await findSchoolPaymentByKey(db, `bank:kcb:${b}`)).to.equal(null);
    expect(await balanceOf(student.receivableAccountId)).to.equal(kes(15_000));
  });

  it('payments not into a school\'s account keep today\'s route: a customer\'s phone to the wallet, else suspense:bank', async () => {
    const { student } = await invoiced();
    const customer = await makeCustomer();
    const toWallet = bankTxId('EQ');
    const toSuspense = bankTxId('KCB');
    const suspenseBefore = await platformBalance('suspenseBank');

    await postBank('equity', equityBody({ transactionId: toWallet, studentId: nationalFormat(customer.msisdn), amount: '100.00' }));
    await postBank('kcb', kcbBody({ transactionRef: toSuspense, accountNumber: `999${student.admissionNo}`, amount: '50.00' }));

    expect(await paymentRow('equity', toWallet)).to.include({ status: 'posted', customer_id: customer.id });
    expect(await paymentRow('kcb', toSuspense)).to.include({ status: 'suspense', suspense_reason: 'unknown_account' });
    expect(await platformBalance('suspenseBank')).to.equal(suspenseBefore - kes(50));
    expect(await findSchoolPaymentByKey(db, `bank:equity:${toWallet}`)).to.equal(null);
    expect(await balanceOf(student.receivableAccountId)).to.equal(kes(15_000));
  });
});
