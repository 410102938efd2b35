/** Loans (home 7) end to end over POST /ussd: apply (limit, terms, PIN, disbursement), zero-limit reasons, repay, status, Kiswahili. */
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import type { Customer } from '../src/customers/index.js';
import { displayBalance, getAccount } from '../src/ledger/index.js';
import { addDays, addMonths, disburseLoan, loadLoan, loansOf, nairobiDay, showDay } from '../src/loans/index.js';
import { Dial } from './helpers/ussd.js';
import { assertLedgerSound, makeCustomer } from './helpers/customers.js';
import { assertReceivableMatches, loanKey, pastFlow } from './helpers/loans.js';
import { kes, smsTo } from './helpers/fees.js';

const FOOTER = '\n0 Back 00 Home';
const CODE = '([A-Z][A-Z0-9]{9})';
const wallet = async (c: Customer) => displayBalance(await getAccount(db, c.walletAccountId));
/** A Simu Advance taken today falls due in 30 days; a Biashara Loan's first installment in a month. */
const advanceDue = () => showDay(addDays(nairobiDay(), 30));
const biasharaDue = () => showDay(addMonths(nairobiDay(), 1));

/**
 * A customer whose last 90 days hold `inflowKes` of M-Pesa inflow (back-dated 10 days through
 * the ledger): limit = inflow / 3 × 20 %, down to KES 100. KES 30,000 earns KES 2,000.
 */
async function borrower(inflowKes = 30_000, lang: 'en' | 'sw' = 'en'): Promise<Customer> {
  const c = await makeCustomer(0);
  if (inflowKes > 0) await pastFlow(c.walletAccountId, 10, inflowKes);
  if (lang === 'sw') await db('customers').where({ id: c.id }).update({ language: 'sw' });
  return c;
}

/** A loan disbursed straight through the engine (not the menu), `daysAgo` days back. */
async function loanFor(c: Customer, productCode: 'advance' | 'biashara', principalKes: number, daysAgo = 0) {
  return disburseLoan(db, { customerId: c.id, productCode, principal: kes(principalKes), idempotencyKey: loanKey('menu'), on: addDays(nairobiDay(), -daysAgo) });
}

describe('USSD Loans', () => {
  afterEach(assertLedgerSound);

  it('applies for a Simu Advance: limit, amount out of range re-asked, terms to the cent, PIN, receipt; SMS with the schedule; a retry lends once', async () => {
    const c = await borrower();
    const phone = new Dial(c.msisdn);
    await phone.open();
    expect(await phone.type('7')).to.equal(`CON Loans\n1 Apply for a loan\n2 Repay loan\n3 Loan status${FOOTER}`);
    expect(await phone.type('1')).to.match(/^CON Apply for a loan\n1 Simu Advance\n2 Biashara Loan\n/);
    const amount = `Simu Advance\nYour limit KES 2,000\nEnter amount (KES 100 - 2,000)${FOOTER}`;
    expect(await phone.type('1')).to.equal(`CON ${amount}`);
    expect(await phone.type('2500')).to.equal(`CON Enter an amount within your limit.\n${amount}`);
    expect(await phone.type('50')).to.equal(`CON Enter an amount within your limit.\n${amount}`);
    // KES 1,000 at 7.5 %: fee KES 75, no interest, KES 1,075 in one installment 30 days on.
    expect(await phone.type('1000')).to.equal(`CON Simu Advance KES 1,000\nFee KES 75\nTotal to repay KES 1,075\nDue ${advanceDue()}\n1 Accept${FOOTER}`);
    expect(await phone.type('1')).to.equal(`CON Enter PIN to borrow KES 1,000 (Simu Advance)${FOOTER}`);
    const done = await phone.type('1234');
    expect(done).to.match(new RegExp(`^END ${CODE} Confirmed\\. Simu Advance of KES 1,000 sent to your Simu wallet\\. Repay KES 1,075 by ${advanceDue()}\\. New balance KES 31,000\\.$`));
    expect(await phone.hop()).to.equal(done);

    const [loan, ...more] = await loansOf(db, c.id);
    expect(more).to.have.length(0);
    expect(loan).to.include({ principal: kes(1_000), fee: kes(75), status: 'active' });
    expect(await assertReceivableMatches(loan.id, new Date())).to.equal(kes(1_075));
    expect(await wallet(c)).to.equal(kes(31_000));
    const sms = await smsTo(c.msisdn, 'receipt');
    expect(sms.map((s) => s.message)).to.deep.equal([
      `${done.slice(4, 14)} Confirmed. Simu Advance of KES 1,000 sent to your Simu wallet. Fee KES 75. Total to repay KES 1,075: KES 1,075 by ${advanceDue()}. New balance KES 31,000.`,
    ]);

    // The limit is shared with what is owed on the product.
    expect(await new Dial(c.msisdn).typeAll('7', '1', '1')).to.equal(`CON Simu Advance\nYour limit KES 2,000\nYou owe KES 1,075\nEnter amount (KES 100 - 925)${FOOTER}`);
    expect(await new Dial(c.msisdn).typeAll('7', '3')).to.equal(
      `END Simu Advance\nOutstanding KES 1,075\nNext due ${advanceDue()} KES 1,075\nOverdue KES 0\nPay off today KES 1,075`,
    );
  });

  it('a Biashara Loan\'s terms show the first of 3 installments (declining balance 4 %, 2 % fee), worked by hand', async () => {
    // Installment 1,000 × 0.04 / (1 − 1.04^−3) = KES 360.3485 → 360.35; interest 40.00, 27.19, 13.86;
    // fee KES 20 with the first: first KES 380.35, total 1,000 + 81.05 + 20 = KES 1,101.05.
    const c = await borrower(30_000);
    const phone = new Dial(c.msisdn);
    await phone.open();
    expect(await phone.typeAll('7', '1', '2')).to.equal(`CON Biashara Loan\nYour limit KES 2,000\nEnter amount (KES 1,000 - 2,000)${FOOTER}`);
    expect(await phone.type('1000')).to.equal(
      `CON Biashara Loan KES 1,000\nFee KES 20\nTotal to repay KES 1,101.05\n3 installments, first KES 380.35 on ${biasharaDue()}\n1 Accept${FOOTER}`,
    );
    const done = await phone.typeAll('1', '1234');
    expect(done).to.match(new RegExp(`^END ${CODE} Confirmed\\. Biashara Loan of KES 1,000 sent to your Simu wallet\\. Repay KES 1,101\\.05: 3 installments, first KES 380\\.35 on ${biasharaDue()}\\.$`));
    const [sms] = await smsTo(c.msisdn, 'receipt');
    expect(sms.message).to.match(/Total to repay KES 1,101\.05: KES 380\.35 by .+, KES 360\.35 by .+, KES 360\.35 by .+\. New balance KES 31,000\.$/);
  });

  it('a zero limit ends the session saying why: no history, below the minimum, an overdue loan, the limit used up', async () => {
    const none = await borrower(0);
    expect(await new Dial(none.msisdn).typeAll('7', '1', '1')).to.equal(
      'END Your Simu Advance limit is KES 0: your Simu wallet does not have enough history yet. Keep receiving money into it and try again later.',
    );
    const little = await borrower(1_000); // 1,000 / 15 = KES 66: under the KES 100 minimum
    expect(await new Dial(little.msisdn).typeAll('7', '1', '1')).to.equal(
      'END Your Simu Advance limit is below the minimum loan of KES 100. Receive more money into your Simu wallet to raise it.',
    );
    const late = await borrower();
    await loanFor(late, 'advance', 500, 40);
    expect(await new Dial(late.msisdn).typeAll('7', '1', '2')).to.equal(
      'END Your Biashara Loan limit is KES 0 because you have an overdue loan. Repay it (Loans > 2 Repay) to borrow again.',
    );
    const full = await borrower();
    await loanFor(full, 'advance', 1_900);
    expect(await new Dial(full.msisdn).typeAll('7', '1', '1')).to.equal(
      'END You owe KES 2,042.50 on your Simu Advance, which uses up your limit of KES 2,000. Repay it to borrow again.',
    );
    const nothing = await borrower(0);
    expect(await new Dial(nothing.msisdn).typeAll('7', '2')).to.equal('END You have no open loan with Simu. To borrow, choose Loans > 1 Apply for a loan.');
    expect(await new Dial(nothing.msisdn).typeAll('7', '3')).to.equal('END You have no open loan with Simu. To borrow, choose Loans > 1 Apply for a loan.');
  });

  it('repays part (over the payoff re-asked, wrong PIN re-asked), then the rest with 1; SMS receipts; then no loan', async () => {
    const c = await borrower();
    const { loan } = await loanFor(c, 'advance', 1_000);
    const phone = new Dial(c.msisdn);
    await phone.open();
    const ask = `Repay Simu Advance\nNext due ${advanceDue()} KES 1,075\nPay off KES 1,075\nEnter amount, or 1 for amount due${FOOTER}`;
    expect(await phone.typeAll('7', '2')).to.equal(`CON ${ask}`);
    expect(await phone.type('2000')).to.equal(`CON That is more than the pay off.\n${ask}`);
    expect(await phone.type('500')).to.equal(`CON Enter PIN to repay KES 500 of your Simu Advance${FOOTER}`);
    expect(await phone.type('9999')).to.equal(`CON Wrong PIN. 2 tries left.\nEnter PIN to repay KES 500 of your Simu Advance${FOOTER}`);
    const part = await phone.type('1234');
    expect(part).to.match(new RegExp(`^END ${CODE} Confirmed\\. KES 500 paid to your Simu Advance\\. Loan balance KES 575\\. New balance KES 30,500\\.$`));
    expect(await phone.hop()).to.equal(part);
    expect(await wallet(c)).to.equal(kes(30_500));
    expect(await assertReceivableMatches(loan.id, new Date())).to.equal(kes(575));

    const rest = await new Dial(c.msisdn).typeAll('7', '2', '1', '1234');
    expect(rest).to.match(new RegExp(`^END ${CODE} Confirmed\\. KES 575 paid to your Simu Advance\\. Your loan is fully repaid\\. New balance KES 29,925\\.$`));
    expect((await loadLoan(db, loan.id)).status).to.equal('repaid');
    expect((await smsTo(c.msisdn, 'receipt')).map((s) => s.message)).to.deep.equal([
      `${part.slice(4, 14)} Confirmed. KES 500 paid to your Simu Advance. Loan balance KES 575. New balance KES 30,500.`,
      `${rest.slice(4, 14)} Confirmed. KES 575 paid to your Simu Advance. Your loan is fully repaid. New balance KES 29,925.`,
    ]);
    expect(await new Dial(c.msisdn).typeAll('7', '3')).to.match(/^END You have no open loan with Simu\./);
  });

  it('with two loans, Repay and Loan status list them; an overdue loan shows what is due now; not enough money ends the session and moves nothing', async () => {
    const c = await borrower(30_000);
    await pastFlow(c.walletAccountId, 9, -30_000);
    await loanFor(c, 'advance', 1_000, 32); // overdue since 2 days (within the grace: no penalty yet)
    await loanFor(c, 'biashara', 1_000);
    await pastFlow(c.walletAccountId, 0, -1_500); // spent: KES 500 left
    const list = `Pick a loan\n1 Simu Advance KES 1,075\n2 Biashara Loan KES 1,101.05${FOOTER}`;
    expect(await new Dial(c.msisdn).typeAll('7', '3')).to.equal(`CON ${list}`);
    expect(await new Dial(c.msisdn).typeAll('7', '3', '1')).to.equal('END Simu Advance\nOutstanding KES 1,075\nNext due none\nOverdue KES 1,075\nPay off today KES 1,075');
    // Paid off on its first day, the Biashara Loan owes principal, fee and the running month's interest: 1,000 + 20 + 40.
    expect(await new Dial(c.msisdn).typeAll('7', '3', '2')).to.equal(
      `END Biashara Loan\nOutstanding KES 1,101.05\nNext due ${biasharaDue()} KES 380.35\nOverdue KES 0\nPay off today KES 1,060`,
    );
    const phone = new Dial(c.msisdn);
    expect(await phone.typeAll('7', '2')).to.equal(`CON ${list}`);
    expect(await phone.type('1')).to.equal(`CON Repay Simu Advance\nDue now KES 1,075\nPay off KES 1,075\nEnter amount, or 1 for amount due${FOOTER}`);
    expect(await phone.type('0')).to.equal(`CON ${list}`);
    expect(await phone.typeAll('1', '1', '1234')).to.equal('END Failed. You do not have enough money in your Simu wallet to repay KES 1,075. Nothing was paid.');
    expect(await wallet(c)).to.equal(kes(500));
  });

  it('speaks Kiswahili: the limit, the terms, the receipt, Repay and Loan status', async () => {
    const c = await borrower(30_000, 'sw');
    const phone = new Dial(c.msisdn);
    await phone.open();
    expect(await phone.type('7')).to.equal('CON Mikopo\n1 Omba mkopo\n2 Lipa mkopo\n3 Hali ya mkopo\n0 Rudi 00 Mwanzo');
    expect(await phone.typeAll('1', '1')).to.equal('CON Simu Advance\nKikomo chako KES 2,000\nWeka kiasi (KES 100 - 2,000)\n0 Rudi 00 Mwanzo');
    expect(await phone.type('1000')).to.equal(`CON Simu Advance KES 1,000\nAda KES 75\nUtalipa KES 1,075\nTarehe ya kulipa ${advanceDue()}\n1 Kubali\n0 Rudi 00 Mwanzo`);
    expect(await phone.type('1')).to.equal('CON Weka PIN kukopa KES 1,000 (Simu Advance)\n0 Rudi 00 Mwanzo');
    expect(await phone.type('1234')).to.match(new RegExp(`^END ${CODE} Imethibitishwa\\. Simu Advance ya KES 1,000 imetumwa kwenye Simu yako\\. Lipa KES 1,075 kufikia ${advanceDue()}\\. Salio jipya KES 31,000\\.$`));
    const [sms] = await smsTo(c.msisdn, 'receipt');
    expect(sms.message).to.match(/ Imethibitishwa\. Simu Advance ya KES 1,000 imetumwa kwenye Simu yako\. Ada KES 75\. Jumla ya kulipa KES 1,075: KES 1,075 kufikia /);
    expect(await new Dial(c.msisdn).typeAll('7', '2')).to.equal(
      `CON Lipa Simu Advance\nInayofuata ${advanceDue()} KES 1,075\nKulipa yote KES 1,075\nWeka kiasi, au 1 kwa kinachodaiwa\n0 Rudi 00 Mwanzo`,
    );
    expect(await new Dial(c.msisdn).typeAll('7', '2', '75', '1234')).to.match(/^END [A-Z0-9]{10} Imethibitishwa\. KES 75 zimelipwa kwa Simu Advance\. Deni lililobaki KES 1,000\. Salio jipya KES 30,925\.$/);
    expect(await new Dial(c.msisdn).typeAll('7', '3')).to.equal(
      `END Simu Advance\nDeni KES 1,000\nInayofuata ${advanceDue()} KES 1,000\nIliyopitwa KES 0\nKulipa yote leo KES 1,000`,
    );
    expect(await new Dial((await borrower(0, 'sw')).msisdn).typeAll('7', '1', '1')).to.equal(
      'END Kikomo chako cha Simu Advance ni KES 0: bado huna historia ya kutosha kwenye Simu. Endelea kupokea pesa kwenye Simu na ujaribu tena baadaye.',
    );
  });
});
