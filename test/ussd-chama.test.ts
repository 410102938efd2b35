/** Chama (home 6) end to end over POST /ussd, a member's side: the list, the menu, Contribute, My standing, Group balance, Next payout, Kiswahili. */
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import type { Customer } from '../src/customers/index.js';
import { displayBalance, getAccount } from '../src/ledger/index.js';
import { addMember, contribute, type Chama } from '../src/chama/index.js';
import { Dial } from './helpers/ussd.js';
import { assertLedgerSound, makeCustomer } from './helpers/customers.js';
import { chamaKey, kes, makeGroup, makeMember } from './helpers/chama.js';
import { smsTo } from './helpers/fees.js';

const FOOTER = '\n0 Back 00 Home';
const CODE = '([A-Z][A-Z0-9]{9})';
const MEMBER_ITEMS = '1 Contribute\n2 My standing\n3 Group balance\n4 Next payout\n5 Loans\n6 Leave chama';
const OFFICIAL_ITEMS = '\n7 Members\n8 Approve payouts\n9 Approve requests';
const balance = async (accountId: number) => displayBalance(await getAccount(db, accountId));
/** The chama's name as the menu heads it (cut to 18) and lists it (cut to 20). */
const heading = (c: Chama) => c.name.slice(0, 18).trim();
const listed = (c: Chama) => c.name.slice(0, 20).trim();

/** Dials *384#, Chama, and the first chama of the list. */
async function chamaMenu(customer: Customer): Promise<{ phone: Dial; screen: string }> {
  const phone = new Dial(customer.msisdn);
  await phone.open();
  await phone.type('6');
  return { phone, screen: await phone.type('1') };
}

describe('USSD Chama: a member', () => {
  afterEach(assertLedgerSound);

  it('a caller in no chama is told how to join', async () => {
    const c = await makeCustomer(100);
    const phone = new Dial(c.msisdn);
    await phone.open();
    expect(await phone.type('6')).to.equal('END You are not in a chama. Ask your chama\'s chairperson to add your number.');
  });

  it('lists the caller\'s chamas; an official sees 7-9, a plain member does not and cannot pick them', async () => {
    const { chama, chair } = await makeGroup();
    const member = await makeMember(chama);
    const phone = new Dial(chair.customer.msisdn);
    await phone.open();
    expect(await phone.type('6')).to.equal(`CON My chamas\n1 ${listed(chama)}${FOOTER}`);
    expect(await phone.type('1')).to.equal(`CON ${heading(chama)}\n${MEMBER_ITEMS}${OFFICIAL_ITEMS}${FOOTER}`);

    const { phone: plain, screen } = await chamaMenu(member.customer);
    expect(screen).to.equal(`CON ${heading(chama)}\n${MEMBER_ITEMS}${FOOTER}`);
    expect(await plain.type('8')).to.equal(`CON Invalid choice.\n${heading(chama)}\n${MEMBER_ITEMS}${FOOTER}`);
    expect(await plain.type('0')).to.equal(`CON My chamas\n1 ${listed(chama)}${FOOTER}`);
  });

  it('pages a long list of chamas with 98 More, numbering each page from 1', async () => {
    const customer = await makeCustomer(100, { firstName: 'Busy' });
    const chamas: Chama[] = [];
    for (let i = 0; i < 5; i++) {
      const { chama } = await makeGroup();
      await addMember(db, chama.id, customer.msisdn);
      chamas.push(chama);
    }
    chamas.sort((a, b) => a.name.localeCompare(b.name));
    const phone = new Dial(customer.msisdn);
    await phone.open();
    const first = chamas.slice(0, 4).map((c, i) => `${i + 1} ${listed(c)}`).join('\n');
    expect(await phone.type('6')).to.equal(`CON My chamas\n${first}\n98 More${FOOTER}`);
    expect(await phone.type('98')).to.equal(`CON My chamas\n1 ${listed(chamas[4])}${FOOTER}`);
    expect(await phone.type('98')).to.equal(`CON Invalid choice.\nMy chamas\n1 ${listed(chamas[4])}${FOOTER}`);
    expect(await phone.type('1')).to.equal(`CON ${heading(chamas[4])}\n${MEMBER_ITEMS}${FOOTER}`);
  });

  it('contributes the amount due: wallet, pot and savings move, receipt screen and SMS; a retry pays once', async () => {
    const { chama } = await makeGroup();
    const { customer } = await makeMember(chama);
    const { phone } = await chamaMenu(customer);
    expect(await phone.type('1')).to.equal(`CON Due KES 1,000\nFines 0 Arrears 0\nThis cycle 1,000\n1 Pay all due\nOr enter amount (KES)${FOOTER}`);
    expect(await phone.type('1')).to.equal(`CON Pay KES 1,000 to ${chama.name}?\n1 Confirm${FOOTER}`);
    expect(await phone.type('1')).to.equal(`CON Enter PIN to pay KES 1,000 to ${chama.name}${FOOTER}`);
    const potBefore = await balance(chama.potAccountId);
    const done = await phone.type('1234');
    expect(done).to.match(new RegExp(`^END ${CODE} Confirmed\\. KES 1,000 paid to ${chama.name}\\. Still due KES 0\\. Savings KES 200\\. Balance KES 9,000\\.$`));
    expect(await phone.hop()).to.equal(done);
    expect(await balance(customer.walletAccountId)).to.equal(kes(9_000));
    expect(await balance(chama.potAccountId)).to.equal(potBefore + kes(800));
    expect(await balance(chama.savingsAccountId)).to.equal(kes(200));
    const sms = await smsTo(customer.msisdn, 'receipt');
    expect(sms).to.have.length(1);
    expect(sms[0].message).to.contain(done.match(new RegExp(CODE))![1]);
  });

  it('contributes a custom amount, and an amount above the most allowed is asked again', async () => {
    const { chama } = await makeGroup();
    const { customer } = await makeMember(chama);
    const { phone } = await chamaMenu(customer);
    const amount = `Due KES 1,000\nFines 0 Arrears 0\nThis cycle 1,000\n1 Pay all due\nOr enter amount (KES)${FOOTER}`;
    expect(await phone.type('1')).to.equal(`CON ${amount}`);
    // At most what is due and 12 cycles ahead: KES 13,000.
    expect(await phone.type('13001')).to.equal(`CON That is more than you can pay now.\n${amount}`);
    expect(await phone.type('300')).to.equal(`CON Pay KES 300 to ${chama.name}?\n1 Confirm${FOOTER}`);
    await phone.type('1');
    expect(await phone.type('1234')).to.match(/ KES 300 paid to .* Still due KES 700\. Savings KES 0\. Balance KES 9,700\.$/);
    expect(await balance(customer.walletAccountId)).to.equal(kes(9_700));
  });

  it('a wallet short of the amount is refused and nothing moves', async () => {
    const { chama } = await makeGroup();
    const { customer } = await makeMember(chama, 'member', 500);
    const { phone } = await chamaMenu(customer);
    await phone.typeAll('1', '1', '1');
    expect(await phone.type('1234')).to.equal('END Failed. You do not have enough money in your Simu wallet for KES 1,000. Nothing was paid.');
    expect(await balance(customer.walletAccountId)).to.equal(kes(500));
    expect(await balance(chama.potAccountId)).to.equal(0n);
  });

  it('my standing after a payment; group balance with this cycle\'s collection; next payout', async () => {
    const { chama, chair } = await makeGroup();
    const { customer } = await makeMember(chama);
    await contribute(db, { customerId: chair.customer.id, pinVerified: true, chamaId: chama.id, amount: kes(1_000), idempotencyKey: chamaKey() });
    await contribute(db, { customerId: customer.id, pinVerified: true, chamaId: chama.id, amount: kes(1_300), idempotencyKey: chamaKey() });

    let { phone } = await chamaMenu(customer);
    expect(await phone.type('2')).to.equal(
      `END ${listed(chama)} (KES)\nPaid this cycle 1,000\nArrears 0\nFines 0\nSaved 200\nLoans 0\nGuaranteeing 0: 0`,
    );
    ({ phone } = await chamaMenu(customer));
    // Savings 200 + 200; pot 800 + 1,100 (300 paid ahead, all to the pot); this cycle 2,000 of 4 × 1,000.
    expect(await phone.type('3')).to.equal(
      `END ${chama.name}\nSavings KES 400\nPayout pot KES 1,900\nLoans out KES 0\nThis cycle KES 2,000 of KES 4,000`,
    );
    ({ phone } = await chamaMenu(customer));
    expect(await phone.type('4')).to.equal('END Next payout (cycle 1): Chair Customer on 05/01/2027. KES 1,600 collected for it so far.');
  });

  it('speaks Kiswahili: the list, the menu and My standing', async () => {
    const { chama } = await makeGroup();
    const { customer } = await makeMember(chama);
    await db('customers').where({ id: customer.id }).update({ language: 'sw' });
    const phone = new Dial(customer.msisdn);
    await phone.open();
    expect(await phone.type('6')).to.equal(`CON Vikundi vyangu\n1 ${listed(chama)}\n0 Rudi 00 Mwanzo`);
    expect(await phone.type('1')).to.equal(`CON ${heading(chama)}\n1 Changia\n2 Hali yangu\n3 Salio la kikundi\n4 Mgao ujao\n5 Mikopo\n6 Ondoka\n0 Rudi 00 Mwanzo`);
    expect(await phone.type('1')).to.equal('CON Unadaiwa KES 1,000\nFaini 0 Madeni 0\nMzunguko huu 1,000\n1 Lipa yote\nAu weka kiasi (KES)\n0 Rudi 00 Mwanzo');
    await phone.typeAll('1', '1');
    expect(await phone.type('1234')).to.match(new RegExp(`^END ${CODE} Imethibitishwa\\. KES 1,000 kwa `));
    const again = new Dial(customer.msisdn);
    await again.open();
    await again.typeAll('6', '1');
    expect(await again.type('2')).to.equal(`END ${listed(chama)} (KES)\nMzunguko huu 1,000\nMadeni 0\nFaini 0\nAkiba 200\nMikopo 0\nUdhamini 0: 0`);
  });
});
