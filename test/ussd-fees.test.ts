/** School Fees (home 5) end to end over POST /ussd: school and student picks, the statement, paying from the wallet and with M-PESA. */
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { invoiceTerm, type School, type Student } from '../src/fees/index.js';
import { displayBalance, getAccount } from '../src/ledger/index.js';
import type { Customer } from '../src/customers/index.js';
import { Dial } from './helpers/ussd.js';
import { assertLedgerSound, makeCustomer, randomMsisdn } from './helpers/customers.js';
import { balanceOf, bookTotal, kes, legsOf, makeSchool, makeStudent, makeTerm, smsTo } from './helpers/fees.js';

const FOOTER = '\n0 Back 00 Home';
const wallet = async (c: Customer) => displayBalance(await getAccount(db, c.walletAccountId));

/** A school with `names` students in Form 1, each invoiced KES 15,000 for "2026 Term 1", guardians as given. */
async function schoolWith(name: string, students: Array<{ name: string; guardians: string[] }>): Promise<{ school: School; students: Student[] }> {
  const school = await makeSchool({ name });
  const term = await makeTerm(school, { 'Form 1': 15_000 }, '2026 Term 1');
  const made: Student[] = [];
  for (const s of students) made.push(await makeStudent(school, s));
  await invoiceTerm(db, term.id);
  return { school, students: made };
}

const statement = (s: Student, lines: string) => `CON ${s.name} ${s.admissionNo}\n2026 Term 1 (KES)\n${lines}\n1 Pay from wallet\n2 Pay by M-PESA${FOOTER}`;

describe('USSD School Fees', () => {
  afterEach(assertLedgerSound);

  it('lists the schools the caller is a guardian at, then their students there; picks lead to the statement; back and admission entry (lower case) work', async () => {
    const parent = await makeCustomer(0);
    const { school: kaaga, students: [kevin, faith] } = await schoolWith('Kaaga Girls', [
      { name: 'Kevin Kiprop', guardians: [parent.msisdn] }, { name: 'Faith Njeri', guardians: [parent.msisdn, randomMsisdn()] },
    ]);
    await schoolWith('Nyeri Boys', [{ name: 'Otieno Brian', guardians: [parent.msisdn] }]);
    const phone = new Dial(parent.msisdn);
    await phone.open();

    expect(await phone.type('5')).to.equal(`CON School Fees\n1 Kaaga Girls\n2 Nyeri Boys\n3 Enter paybill number${FOOTER}`);
    expect(await phone.type('1')).to.equal(`CON Pick a student\n1 Faith Njeri\n2 Kevin Kiprop\n3 Enter admission number${FOOTER}`);
    expect(await phone.type('2')).to.equal(statement(kevin, 'Invoiced 15,000\nPaid 0\nBalance 15,000'));
    expect(await phone.type('0')).to.match(/^CON Pick a student\n/);
    expect(await phone.type('3')).to.equal(`CON Kaaga Girls\nEnter admission number${FOOTER}`);
    expect(await phone.type(faith.admissionNo.toLowerCase())).to.equal(statement(faith, 'Invoiced 15,000\nPaid 0\nBalance 15,000'));
    // Back twice: the list of students, then the list of schools; `3` there asks the paybill.
    await phone.type('0');
    expect(await phone.type('0')).to.match(/^CON School Fees\n1 Kaaga Girls\n/);
    expect(await phone.type('3')).to.equal(`CON School Fees\nEnter the school's paybill number${FOOTER}`);
    expect(await phone.type(kaaga.paybill)).to.match(/^CON Pick a student\n1 Faith Njeri\n2 Kevin Kiprop\n/);
  });

  it('a caller who is nobody\'s guardian enters the paybill (unknown or malformed re-asked), then the admission number (unknown re-asked naming it)', async () => {
    const payer = await makeCustomer(0);
    const { school, students: [faith] } = await schoolWith('Murang\'a Test Academy', [{ name: 'Faith Njeri', guardians: [randomMsisdn()] }]);
    const phone = new Dial(payer.msisdn);
    await phone.open();

    expect(await phone.type('5')).to.equal(`CON School Fees\nEnter the school's paybill number${FOOTER}`);
    expect(await phone.type('12')).to.equal(`CON A paybill number is 5 to 7 digits.\nSchool Fees\nEnter the school's paybill number${FOOTER}`);
    expect(await phone.type('99999')).to.equal(`CON No school on Simu has that paybill.\nSchool Fees\nEnter the school's paybill number${FOOTER}`);
    expect(await phone.type(school.paybill)).to.equal(`CON Murang'a Test Academy\nEnter admission number${FOOTER}`);
    expect(await phone.type('zz9')).to.equal(`CON No student ZZ9 at this school.\nMurang'a Test Academy\nEnter admission number${FOOTER}`);
    expect(await phone.type(` ${faith.admissionNo.toLowerCase()}`)).to.equal(statement(faith, 'Invoiced 15,000\nPaid 0\nBalance 15,000'));
    expect(await phone.type('0')).to.match(/^CON Murang'a Test Academy\nEnter admission number/);
  });

  it('pays from the wallet: confirmation with no charge, PIN, receipt; both books move in one entry; guardian and payer SMS; an overpayment shows as credit', async () => {
    const payer = await makeCustomer(20_000);
    const guardian = randomMsisdn();
    const { school, students: [faith] } = await schoolWith('Kaaga Girls', [{ name: 'Faith Njeri', guardians: [guardian] }]);
    const phone = new Dial(payer.msisdn);
    await phone.open();
    await phone.typeAll('5', school.paybill, faith.admissionNo);

    expect(await phone.type('1')).to.equal(`CON Pay fees for Faith Njeri ${faith.admissionNo} from your Simu wallet\nEnter amount (KES)${FOOTER}`);
    expect(await phone.type('5000')).to.equal(`CON Pay KES 5,000 school fees to Kaaga Girls for Faith Njeri ${faith.admissionNo}?\nNo charge\n1 Confirm${FOOTER}`);
    expect(await phone.type('1')).to.equal(`CON Enter PIN to pay KES 5,000 to Kaaga Girls${FOOTER}`);
    const done = await phone.type('1234');
    expect(done).to.match(/^END [A-Z][A-Z0-9]{9} Confirmed\. KES 5,000 paid to Kaaga Girls for Faith Njeri\. Fee balance KES 10,000\. Wallet balance KES 15,000\.$/);
    const code = done.slice(4, 14);

    const legs = await legsOf(code);
    expect(legs.map((l) => [l.book, l.amount])).to.have.deep.members([['platform', kes(5_000)], ['platform', -kes(5_000)], [school.book, kes(5_000)], [school.book, -kes(5_000)]]);
    expect(await wallet(payer)).to.equal(kes(15_000));
    expect(await balanceOf(school.settlementAccountId)).to.equal(-kes(5_000));
    expect(await balanceOf(faith.receivableAccountId)).to.equal(kes(10_000));
    expect(await bookTotal(school.book)).to.equal(0n);
    expect(await bookTotal('platform')).to.equal(0n);
    const [toGuardian] = await smsTo(guardian, 'receipt');
    expect(toGuardian.message).to.match(new RegExp(`^${code} Confirmed\\. KES 5,000 received by Kaaga Girls for FAITH NJERI \\(${faith.admissionNo}\\) on .+\\. Fee balance KES 10,000\\.$`));
    const [toPayer] = await smsTo(payer.msisdn, 'receipt');
    expect(toPayer.message).to.match(new RegExp(`^${code} Confirmed\\. .+ Fee balance KES 10,000\\. Simu balance KES 15,000\\.$`));
    // A telco retry of the last hop answers the same and moves nothing more.
    expect(await phone.hop()).to.equal(done);
    expect(await wallet(payer)).to.equal(kes(15_000));

    const again = new Dial(payer.msisdn);
    await again.open();
    expect(await again.typeAll('5', school.paybill, faith.admissionNo)).to.equal(statement(faith, 'Invoiced 15,000\nPaid 5,000\nBalance 10,000'));
    const over = await again.typeAll('1', '11000', '1', '1234');
    expect(over).to.match(/^END [A-Z][A-Z0-9]{9} Confirmed\. KES 11,000 paid to Kaaga Girls for Faith Njeri\. Fee credit KES 1,000\. Wallet balance KES 4,000\.$/);
    expect(await balanceOf(faith.receivableAccountId)).to.equal(-kes(1_000));
    expect(await new Dial(payer.msisdn).typeAll('5', school.paybill, faith.admissionNo)).to.equal(statement(faith, 'Invoiced 15,000\nPaid 16,000\nCredit 1,000'));
    expect(await bookTotal(school.book)).to.equal(0n);
  });

  it('not enough money ends the session and moves nothing; a wrong PIN is asked again with the tries left', async () => {
    const payer = await makeCustomer(100);
    const { school, students: [faith] } = await schoolWith('Kaaga Girls', [{ name: 'Faith Njeri', guardians: [randomMsisdn()] }]);
    const phone = new Dial(payer.msisdn);
    await phone.open();
    await phone.typeAll('5', school.paybill, faith.admissionNo, '1', '5000', '1');
    expect(await phone.type('9999')).to.equal(`CON Wrong PIN. 2 tries left.\nEnter PIN to pay KES 5,000 to Kaaga Girls${FOOTER}`);
    expect(await phone.type('1234')).to.equal('END Failed. You do not have enough money in your Simu wallet to pay KES 5,000. Nothing was paid.');
    expect(await wallet(payer)).to.equal(kes(100));
    expect(await balanceOf(faith.receivableAccountId)).to.equal(kes(15_000));
    expect(await db('school_payments').where({ student_id: faith.id })).to.have.length(0);

    const ok = await new Dial(payer.msisdn).typeAll('5', school.paybill, faith.admissionNo, '1', '60', '1', '1234');
    expect(ok).to.match(/^END [A-Z][A-Z0-9]{9} Confirmed\. KES 60 paid to Kaaga Girls for Faith Njeri\. Fee balance KES 14,940\. Wallet balance KES 40\.$/);
  });

  it('Pay with M-PESA: amount out of range re-asked, then END with the prompt notice and one request recorded for the worker (AccountReference the admission number)', async () => {
    const payer = await makeCustomer(0);
    const { school, students: [faith] } = await schoolWith('Kaaga Girls', [{ name: 'Faith Njeri', guardians: [payer.msisdn] }]);
    const phone = new Dial(payer.msisdn);
    await phone.open();
    await phone.typeAll('5', '1', '1');
    expect(await phone.type('2')).to.equal(`CON Pay fees for Faith Njeri ${faith.admissionNo} with M-PESA\nEnter amount (KES 10 - 150,000)${FOOTER}`);
    expect(await phone.type('5')).to.equal(`CON With M-PESA you can pay KES 10 to KES 150,000.\nPay fees for Faith Njeri ${faith.admissionNo} with M-PESA\nEnter amount (KES 10 - 150,000)${FOOTER}`);
    const done = await phone.type('1500');
    expect(done).to.equal(`END You will receive an M-PESA prompt on your phone. Enter your M-PESA PIN to pay KES 1,500 for Faith Njeri ${faith.admissionNo}.`);
    expect(await phone.hop()).to.equal(done);
    const rows = await db('stk_requests').where({ customer_id: payer.id });
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ student_id: faith.id, account_reference: faith.admissionNo, amount: kes(1_500), status: 'requested', msisdn: payer.msisdn });
    expect(await balanceOf(faith.receivableAccountId)).to.equal(kes(15_000));
    expect(school.id).to.equal(faith.schoolId);
  });

  it('speaks Kiswahili: the statement and the receipt', async () => {
    const payer = await makeCustomer(1_000);
    await db('customers').where({ id: payer.id }).update({ language: 'sw' });
    const { school, students: [faith] } = await schoolWith('Kaaga Girls', [{ name: 'Faith Njeri', guardians: [randomMsisdn()] }]);
    const phone = new Dial(payer.msisdn);
    await phone.open();
    expect(await phone.typeAll('5', school.paybill, faith.admissionNo)).to.equal(
      `CON Faith Njeri ${faith.admissionNo}\n2026 Term 1 (KES)\nAnkara 15,000\nLipwa 0\nDeni 15,000\n1 Lipa kwa Simu\n2 Lipa kwa M-PESA\n0 Rudi 00 Mwanzo`,
    );
    expect(await phone.typeAll('1', '500', '1', '1234')).to.match(/^END [A-Z][A-Z0-9]{9} Imethibitishwa\. KES 500 zimelipwa Kaaga Girls kwa Faith Njeri\. Salio la karo KES 14,500\. Salio la Simu KES 500\.$/);
  });
});
