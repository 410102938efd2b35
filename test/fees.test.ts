/** School Fees: schools, students, CSV import, invoicing a term, statements and the seeds. */
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { setLanguage } from '../src/customers/index.js';
import {
  createTerm, feesReport, findSchoolByBankReference, findSchoolByPaybill, findStudent, findTerm, guardiansOf, importStudentsCsv, invoiceTerm, schoolsForGuardian,
  setFeeStructure, studentStatement, FeeStructureLockedError, StudentExistsError,
} from '../src/fees/index.js';
import { seed as seedSchools } from '../seeds/06_schools.js';
import { assertLedgerSound, makeCustomer, randomMsisdn } from './helpers/customers.js';
import { balanceOf, bookTotal, kes, makeSchool, makeStudent, makeTerm, smsTo } from './helpers/fees.js';

describe('fees: schools and students', () => {
  it('a school is found by its paybill and its Equity merchant code; a student by admission number in any case, with their guardians in E.164', async () => {
    const school = await makeSchool({ equity: true });
    const student = await makeStudent(school, { admissionNo: 'ab/12-x', guardians: ['0712345678', '+254712345678', '254733000111'] });

    expect((await findSchoolByPaybill(db, school.paybill))?.id).to.equal(school.id);
    expect((await findSchoolByBankReference(db, 'equity', `EQ${school.paybill}`))?.id).to.equal(school.id);
    expect(await findSchoolByBankReference(db, 'kcb', `EQ${school.paybill}`)).to.equal(null);
    expect(student.admissionNo).to.equal('AB/12-X');
    expect((await findStudent(db, school.id, ' Ab/12-x '))?.id).to.equal(student.id);
    expect(await guardiansOf(db, student.id)).to.deep.equal(['+254712345678', '+254733000111']);
    const err = await makeStudent(school, { admissionNo: 'AB/12-X' }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(StudentExistsError);
  });

  it('schoolsForGuardian lists the active schools where the number is a guardian of an active student, and no other', async () => {
    const guardian = randomMsisdn();
    const [a, b, suspended, left] = [await makeSchool({ name: 'Alpha' }), await makeSchool({ name: 'Beta' }), await makeSchool(), await makeSchool()];
    for (const s of [a, b, suspended, left]) await makeStudent(s, { guardians: [guardian] });
    await db('schools').where({ id: suspended.id }).update({ status: 'suspended' });
    await db('students').where({ school_id: left.id }).update({ status: 'left' });

    const found = await schoolsForGuardian(db, guardian);

    expect(found.map((s) => s.id)).to.deep.equal([a.id, b.id]);
    expect(await schoolsForGuardian(db, randomMsisdn())).to.deep.equal([]);
  });
});

describe('fees: importing students from CSV', () => {
  it('a file with bad rows imports none of its rows and reports each bad row\'s line and reason', async () => {
    const school = await makeSchool();
    await makeStudent(school, { admissionNo: 'TAKEN1' });
    const csv = [
      'admission_no,name,class,guardians',
      'C001,Good Row,Form 1,0712345678',
      'C002,,Form 1,0712345678',
      'C003,Bad Phone,Form 1,0202222222',
      'C001,Again,Form 2,0712345678',
      'taken1,Taken,Form 1,0712345678',
      'C006,Too,Many,Columns,0712345678',
      'C007,No Guardian,Form 1,',
    ].join('\n');

    const result = await importStudentsCsv(db, school.id, csv);

    expect(result.imported).to.equal(0);
    expect(result.errors.map((e) => e.line)).to.deep.equal([3, 4, 5, 6, 7, 8]);
    expect(result.errors[0].reason).to.match(/name/);
    expect(result.errors[1].reason).to.match(/0202222222/);
    expect(result.errors[2].reason).to.match(/repeats line 2/);
    expect(result.errors[3].reason).to.match(/TAKEN1 exists/);
    expect(result.errors[4].reason).to.match(/expected 4 columns, found 5/);
    expect(result.errors[5].reason).to.match(/guardians/);
    expect(await findStudent(db, school.id, 'C001')).to.equal(null);
  });

  it('a good file (CRLF, a quoted name with a comma, two guardians) imports every row; a bad header imports nothing', async () => {
    const school = await makeSchool();
    const csv = 'Admission_No, Name ,class,guardians\r\nd001,"Njeri, Faith",Form 1,0712345678;+254733000111\r\nD002,Kevin Kiprop,Form 2,0722000333\r\n';

    const result = await importStudentsCsv(db, school.id, csv);
    const badHeader = await importStudentsCsv(db, school.id, 'adm,name,class,guardians\nD009,X,Form 1,0712345678');

    expect(result.errors).to.deep.equal([]);
    expect(result.imported).to.equal(2);
    const faith = await findStudent(db, school.id, 'D001');
    expect(faith).to.include({ name: 'Njeri, Faith', class: 'Form 1' });
    expect(await guardiansOf(db, faith!.id)).to.deep.equal(['+254712345678', '+254733000111']);
    expect(badHeader.errors).to.deep.equal([{ line: 1, reason: 'the header must be admission_no,name,class,guardians' }]);
    expect(await findStudent(db, school.id, 'D009')).to.equal(null);
  });
});

describe('fees: invoicing a term', () => {
  it('posts each active student\'s class fee once (receivable debit, fees credit, school book only); a rerun invoices nobody twice and picks up students added since', async () => {
    const school = await makeSchool();
    const term = await makeTerm(school, { 'Form 1': 15_000, 'Form 2': 20_000 });
    const a = await makeStudent(school, { class: 'Form 1' });
    const b = await makeStudent(school, { class: 'Form 2' });
    const noFee = await makeStudent(school, { class: 'Form 3' });
    const gone = await makeStudent(school, { class: 'Form 1' });
    await db('students').where({ id: gone.id }).update({ status: 'left' });
    const platformBefore = await bookTotal('platform');

    const first = await invoiceTerm(db, term.id);
    const second = await invoiceTerm(db, term.id);
    const late = await makeStudent(school, { class: 'Form 2' });
    const third = await invoiceTerm(db, term.id);

    expect(first).to.deep.equal({ termId: term.id, invoiced: 2, amount: kes(35_000), alreadyInvoiced: 0, withoutFee: 1 });
    expect(second).to.include({ invoiced: 0, alreadyInvoiced: 2, withoutFee: 1 });
    expect(third).to.include({ invoiced: 1, amount: kes(20_000), alreadyInvoiced: 2 });
    expect([await balanceOf(a.receivableAccountId), await balanceOf(b.receivableAccountId), await balanceOf(late.receivableAccountId)]).to.deep.equal([kes(15_000), kes(20_000), kes(20_000)]);
    expect([await balanceOf(noFee.receivableAccountId), await balanceOf(gone.receivableAccountId)]).to.deep.equal([0n, 0n]);
    expect(await balanceOf(school.feesAccountId)).to.equal(-kes(55_000));
    expect(await db('invoices').where({ term_id: term.id }).count({ n: '*' }).first()).to.deep.equal({ n: 3n });
    expect(await bookTotal(school.book)).to.equal(0n);
    expect(await bookTotal('platform')).to.equal(platformBefore);
    await assertLedgerSound();
  });

  it('writes one invoice SMS per guardian, in Kiswahili to a guardian who is a customer speaking it, in English to anyone else', async () => {
    const school = await makeSchool({ name: 'Kiambu High' });
    const term = await makeTerm(school, { 'Form 1': 15_000 }, '2027 Term 1');
    const customer = await makeCustomer();
    await setLanguage(customer.msisdn, 'sw', db);
    const other = randomMsisdn();
    await makeStudent(school, { name: 'Faith Njeri', admissionNo: 'KH1', guardians: [customer.msisdn, other] });

    await invoiceTerm(db, term.id);
    await invoiceTerm(db, term.id);

    const [sw] = await smsTo(customer.msisdn);
    const en = await smsTo(other);
    expect(en).to.have.length(1);
    expect(en[0]).to.include({ kind: 'invoice' });
    expect(en[0].message).to.equal(`Kiambu High: 2027 Term 1 fees for FAITH NJERI (KH1) are KES 15,000, due 31/01/2027. Fee balance KES 15,000. Pay on Simu *384# or paybill ${school.paybill} account KH1.`);
    expect(sw.message).to.contain('karo ya 2027 Term 1 ya FAITH NJERI (KH1) ni KES 15,000').and.to.contain('Salio la karo KES 15,000');
  });

  it('a class\'s fee cannot change once the term is invoiced; a class without a fee can still be added and is invoiced by the next run', async () => {
    const school = await makeSchool();
    const term = await makeTerm(school, { 'Form 1': 15_000 });
    await makeStudent(school, { class: 'Form 1' });
    const f3 = await makeStudent(school, { class: 'Form 3' });
    await invoiceTerm(db, term.id);

    const changed = await setFeeStructure(db, term.id, 'Form 1', kes(16_000)).catch((e: unknown) => e);
    const same = await setFeeStructure(db, term.id, 'Form 1', kes(15_000));
    await setFeeStructure(db, term.id, 'Form 3', kes(18_000));
    const run = await invoiceTerm(db, term.id);

    expect(changed).to.be.instanceOf(FeeStructureLockedError);
    expect(same.after.amount).to.equal(kes(15_000));
    expect(run).to.include({ invoiced: 1, amount: kes(18_000) });
    expect(await balanceOf(f3.receivableAccountId)).to.equal(kes(18_000));
  });

  it('studentStatement reads the latest invoiced term, invoiced, paid and balance from the school\'s book', async () => {
    const school = await makeSchool();
    const t1 = await makeTerm(school, { 'Form 1': 10_000 });
    const student = await makeStudent(school);
    await invoiceTerm(db, t1.id);
    const t2 = await createTerm(db, school.id, { name: 'Term 2', dueDate: '2027-05-31' });
    await setFeeStructure(db, t2.id, 'Form 1', kes(12_000));
    await invoiceTerm(db, t2.id);

    const s = await studentStatement(db, student.id);

    expect(s.term).to.deep.equal({ id: t2.id, name: t2.name, dueDate: '2027-05-31', amount: kes(12_000) });
    expect([s.invoiced, s.paid, s.balance]).to.deep.equal([kes(22_000), 0n, kes(22_000)]);
    expect(s.school.id).to.equal(school.id);
    expect((await feesReport(db, school.id)).totals).to.include({ students: 1, invoiced: kes(22_000), outstanding: kes(22_000) });
  });
});

describe('fees: the demo seeds', () => {
  it('seed Murang\'a Academy (paybill and Equity code 600100) with ADM001 and ADM002 invoiced KES 15,000 each; a second run changes nothing', async () => {
    const entriesBefore = await db('journal_entries').count({ n: '*' }).first();
    const outboxBefore = await db('sms_outbox').count({ n: '*' }).first();
    await seedSchools(db);

    const school = (await findSchoolByPaybill(db, '600100'))!;
    expect(school).to.include({ name: "Murang'a Academy", smsSender: 'MURANGA' });
    expect((await findSchoolByBankReference(db, 'equity', '600100'))?.id).to.equal(school.id);
    const term = (await findTerm(db, school.id, '2026 Term 1'))!;
    expect(term.invoicedAt).to.not.equal(null);
    for (const [no, name, guardian] of [['ADM001', 'Faith Njeri', '+254700000001'], ['ADM002', 'Kevin Kiprop', '+254700000002']]) {
      const student = (await findStudent(db, school.id, no))!;
      expect(student.name).to.equal(name);
      expect(await guardiansOf(db, student.id)).to.deep.equal([guardian]);
      expect((await db('invoices').where({ term_id: term.id, student_id: student.id }).first()).amount).to.equal(kes(15_000));
    }
    expect(await db('journal_entries').count({ n: '*' }).first()).to.deep.equal(entriesBefore);
    expect(await db('sms_outbox').count({ n: '*' }).first()).to.deep.equal(outboxBefore);
    expect(await balanceOf(school.feesAccountId) <= -kes(30_000)).to.equal(true);
  });
});
