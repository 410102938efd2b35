/** Chama (home 6) end to end over POST /ussd, the officials' side: payouts, members, leaving, group loans. */
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import type { Customer } from '../src/customers/index.js';
import { displayBalance, getAccount } from '../src/ledger/index.js';
import { nairobiDay, showDay } from '../src/loans/index.js';
import { contribute, getMember, membersOf, setRotation, updateChamaPolicy, type Chama } from '../src/chama/index.js';
import { Dial } from './helpers/ussd.js';
import { assertLedgerSound, makeCustomer } from './helpers/customers.js';
import { chamaKey, kes, makeGroup, makeMember } from './helpers/chama.js';
import { BIASHARA, makeProduct } from './helpers/loans.js';

const FOOTER = '\n0 Back 00 Home';
/** The number as a caller types it: 07XXXXXXXX. */
const local = (c: Customer) => `0${c.msisdn.slice(4)}`;
const balance = async (accountId: number) => displayBalance(await getAccount(db, accountId));
const pay = (c: Customer, chama: Chama, shillings: number) =>
  contribute(db, { customerId: c.id, pinVerified: true, chamaId: chama.id, amount: kes(shillings), idempotencyKey: chamaKey() });

/** Dials *384#, Chama, the first chama, then `inputs`; returns the phone and the last screen. */
async function dial(customer: Customer, ...inputs: string[]): Promise<{ phone: Dial; screen: string }> {
  const phone = new Dial(customer.msisdn);
  await phone.open();
  await phone.typeAll('6', '1');
  return { phone, screen: await phone.typeAll(...inputs) };
}

/** A group due today (cycle 1 payable) whose plain member is first in the rotation, every member having paid cycle 1. */
async function dueGroup() {
  const g = await makeGroup({ firstDueOn: nairobiDay() });
  const member = await makeMember(g.chama, 'member', 10_000, 'Wanjiru');
  await setRotation(db, g.chama.id, [member.member.id, g.chair.member.id, g.treasurer.member.id, g.secretary.member.id]);
  for (const m of [member, g.chair, g.treasurer, g.secretary]) await pay(m.customer, g.chama, 1_000);
  return { ...g, member };
}

describe('USSD Chama: officials', () => {
  afterEach(assertLedgerSound);

  it('the chairperson then the treasurer approve the payout: the second approval pays the recipient', async () => {
    const { chama, chair, treasurer, member } = await dueGroup();
    const review = `Payout cycle 1, due ${showDay(nairobiDay())}\nTo Wanjiru Customer: KES 3,200\n1 Approve${FOOTER}`;
    let { phone, screen } = await dial(chair.customer, '8');
    expect(screen).to.equal(`CON ${review}`);
    expect(await phone.type('1')).to.equal(`CON Enter PIN to approve KES 3,200 to Wanjiru Customer${FOOTER}`);
    expect(await phone.type('1234')).to.equal('END Approved. Waiting for the Treasurer.');
    expect(await balance(member.customer.walletAccountId)).to.equal(kes(9_000));

    ({ phone } = await dial(treasurer.customer, '8', '1'));
    expect(await phone.type('1234')).to.equal('END Paid KES 3,200 to Wanjiru Customer. Every member gets an SMS.');
    expect(await balance(member.customer.walletAccountId)).to.equal(kes(12_200));
    expect(await balance(chama.potAccountId)).to.equal(0n);
    // The chairperson again: the payout is paid, the next (cycle 2) is not due.
    ({ phone } = await dial(chair.customer, '8', '1'));
    expect(await phone.type('1234')).to.match(/^END This payout is not due yet\. Officials can approve it from \d\d\/\d\d\/\d{4}\.$/);
  });

  it('a wrong PIN on approval is asked again and approves nothing; approving twice, or the wrong official, is refused', async () => {
    const { chama, chair, secretary, member } = await dueGroup();
    let { phone } = await dial(chair.customer, '8', '1');
    expect(await phone.type('9999')).to.equal(`CON Wrong PIN. 2 tries left.\nEnter PIN to approve KES 3,200 to Wanjiru Customer${FOOTER}`);
    expect(await db('chama_approvals').where({ chama_id: chama.id })).to.have.length(0);
    expect(await phone.type('1234')).to.equal('END Approved. Waiting for the Treasurer.');
    ({ phone } = await dial(chair.customer, '8', '1'));
    expect(await phone.type('1234')).to.equal('END You have approved this already. It is waiting for the other official.');
    // The secretary signs only in place of an official who is the recipient.
    ({ phone } = await dial(secretary.customer, '8', '1'));
    expect(await phone.type('1234')).to.match(/^END Sorry, this needs a different official/);
    expect(await balance(member.customer.walletAccountId)).to.equal(kes(9_000));
  });

  it('shows who was skipped for arrears and pays them instead on 2', async () => {
    const { chama, chair, treasurer, secretary } = await makeGroup({ firstDueOn: nairobiDay() });
    const late = await makeMember(chama, 'member', 10_000, 'Wanjiru');
    await setRotation(db, chama.id, [late.member.id, chair.member.id, treasurer.member.id, secretary.member.id]);
    for (const m of [chair, treasurer, secretary]) await pay(m.customer, chama, 1_000);
    const { phone, screen } = await dial(treasurer.customer, '8');
    expect(screen).to.equal(
      `CON Payout cycle 1, due ${showDay(nairobiDay())}\nTo Chair Customer: KES 2,400\n1 Approve\nSkipped for arrears: Wanjiru Customer\n2 Pay Wanjiru Customer instead${FOOTER}`,
    );
    expect(await phone.type('2')).to.equal(`CON Enter PIN to approve KES 2,400 to Wanjiru Customer${FOOTER}`);
    expect(await phone.type('1234')).to.equal('END Approved. Waiting for the Chairperson.');
    expect(await db('chama_payouts').where({ chama_id: chama.id, status: 'pending' }).first()).to.include({ recipient_member_id: late.member.id, override: true });
  });

  it('approval before the due day ends "not due"; a plain member is not offered approvals', async () => {
    const { chama, chair } = await makeGroup();
    const plain = await makeMember(chama);
    await pay(plain.customer, chama, 1_000);
    const { phone } = await dial(chair.customer, '8', '1');
    expect(await phone.type('1234')).to.equal('END This payout is not due yet. Officials can approve it from 05/01/2027.');
    const { screen } = await dial(plain.customer, '8');
    expect(screen).to.match(/^CON Invalid choice\.\n/);
    expect(await db('chama_approvals').where({ chama_id: chama.id })).to.have.length(0);
  });

  it('adds a member by phone number, refuses one already in; changes a role', async () => {
    const { chama, chair, treasurer } = await makeGroup();
    const newcomer = await makeCustomer(0, { firstName: 'Otieno' });
    const { phone, screen } = await dial(chair.customer, '7');
    expect(screen).to.equal(`CON Members\n1 Chair Customer\n2 Treasurer Customer\n3 Secretary Customer\n9 Add member${FOOTER}`);
    expect(await phone.type('9')).to.match(/^CON Add a member to .*\nEnter their phone number\n/);
    expect(await phone.type(local(newcomer))).to.equal(`CON Add Otieno Customer ${local(newcomer)} to ${chama.name.slice(0, 20).trim()}?\n1 Confirm${FOOTER}`);
    expect(await phone.type('1')).to.equal(`END Otieno Customer is now a member of ${chama.name}. They join the end of the payout rotation.`);
    expect((await membersOf(db, chama.id)).map((m) => m.name)).to.include('Otieno Customer');

    const again = await dial(chair.customer, '7', '9');
    expect(await again.phone.type(treasurer.customer.msisdn)).to.equal('END That number is already a member of this chama.');

    // Otieno (4th) as secretary: the office is taken, refused.
    const role = await dial(chair.customer, '7', '4');
    expect(role.screen).to.equal(`CON Otieno Customer is Member\nNew role:\n1 Chairperson\n2 Treasurer\n3 Secretary\n4 Member${FOOTER}`);
    await role.phone.type('3');
    expect(await role.phone.type('1234')).to.equal('END Another member holds that office. Change their role to Member first.');
    // Free the office, then give it to Otieno.
    const free = await dial(chair.customer, '7', '3', '4');
    expect(await free.phone.type('1234')).to.equal(`END Secretary Customer is now Member of ${chama.name}.`);
    const give = await dial(chair.customer, '7', '4', '3');
    expect(give.screen).to.equal(`CON Enter PIN to make Otieno Customer Secretary${FOOTER}`);
    expect(await give.phone.type('1234')).to.equal(`END Otieno Customer is now Secretary of ${chama.name}.`);
    expect((await membersOf(db, chama.id)).find((m) => m.name === 'Otieno Customer')?.role).to.equal('secretary');
  });

  it('a member asks to leave; two officials approve and the savings reach the wallet', async () => {
    const { chama, chair, treasurer, member } = await dueGroup();
    let { phone, screen } = await dial(member.customer, '6');
    expect(screen).to.equal(`CON Leave ${chama.name.slice(0, 20).trim()}?\nSavings KES 200\nLess fines KES 0\nYou get KES 200\n1 Confirm${FOOTER}`);
    await phone.type('1');
    expect(await phone.type('1234')).to.equal('END Your request to leave is with the officials. When two of them approve, KES 200 goes to your Simu wallet.');

    ({ phone, screen } = await dial(chair.customer, '9'));
    expect(screen).to.equal(`CON Requests (KES)\n1 Leave Wanjiru Cu 200${FOOTER}`);
    expect(await phone.type('1')).to.equal(`CON Wanjiru Customer asks to leave. Savings less fines: KES 200\n1 Approve${FOOTER}`);
    await phone.type('1');
    expect(await phone.type('1234')).to.equal('END Approved. Waiting for the other official.');
    // The chairperson has signed: the request no longer waits for them.
    expect((await dial(chair.customer, '9')).screen).to.equal('END No requests are waiting for your approval.');

    ({ phone } = await dial(treasurer.customer, '9', '1', '1'));
    expect(await phone.type('1234')).to.equal('END Approved. Wanjiru Customer has left and KES 200 was paid to their wallet.');
    expect(await balance(member.customer.walletAccountId)).to.equal(kes(9_200));
    expect((await getMember(db, member.member.id)).status).to.equal('left');
  });

  it('a group loan: applied for with two guarantors, accepted by both, approved by the treasurer, then repaid', async () => {
    const { chama, chair, treasurer, secretary } = await makeGroup();
    const borrower = await makeMember(chama, 'member', 10_000, 'Akinyi');
    const product = await makeProduct(BIASHARA, { interestMethod: 'flat', rateBp: 1000, feeBp: 0, installments: 3, periodUnit: 'month', periodLength: 1 });
    await updateChamaPolicy(db, chama.id, { loanProductCode: product.code });
    // KES 5,000 each: cycle 1 and four ahead, KES 1,000 of savings each.
    for (const m of [borrower, chair, treasurer, secretary]) await pay(m.customer, chama, 5_000);

    let { phone, screen } = await dial(borrower.customer, '5');
    expect(screen).to.equal(`CON Group loans\n1 Apply\n2 Guarantee requests\n3 Repay${FOOTER}`);
    expect(await phone.type('1')).to.equal(`CON Borrow from ${chama.name.slice(0, 20).trim()}\nYour limit KES 3,000\nEnter amount (KES 1,000 - 3,000)${FOOTER}`);
    expect(await phone.type('2000')).to.equal(`CON Guarantor 1 of 2\nEnter a member's phone number${FOOTER}`);
    expect(await phone.type(local(borrower.customer))).to.equal(`CON You cannot guarantee yourself.\nGuarantor 1 of 2\nEnter a member's phone number${FOOTER}`);
    expect(await phone.type(local(chair.customer))).to.equal(`CON Guarantor 2 of 2\nEnter a member's phone number${FOOTER}`);
    expect(await phone.type(local(secretary.customer))).to.match(/^CON Borrow KES 2,000 from .*\nGuarantors 07\d{8}, 07\d{8}\n1 Confirm\n/);
    await phone.type('1');
    expect(await phone.type('1234')).to.equal('END Request for KES 2,000 sent to your guarantors. When they accept, the treasurer approves it and you get an SMS.');

    for (const g of [chair, secretary]) {
      ({ phone, screen } = await dial(g.customer, '5', '2'));
      expect(screen).to.equal(`CON Guarantee requests (KES)\n1 Akinyi Custome 2,000${FOOTER}`);
      expect(await phone.type('1')).to.equal(`CON Akinyi Customer asks you to guarantee a loan of KES 2,000\n1 Accept\n2 Decline${FOOTER}`);
      await phone.type('1');
      expect(await phone.type('1234')).to.equal('END You have accepted. The loan goes to the treasurer when every guarantor accepts.');
    }

    const savingsBefore = await balance(chama.savingsAccountId);
    ({ phone, screen } = await dial(treasurer.customer, '9'));
    expect(screen).to.equal(`CON Requests (KES)\n1 Loan Akinyi Cus 2,000${FOOTER}`);
    expect(await phone.type('1')).to.equal(`CON Akinyi Customer asks for a group loan of KES 2,000\n1 Approve\n2 Decline${FOOTER}`);
    await phone.type('1');
    expect(await phone.type('1234')).to.equal('END Approved. KES 2,000 lent to Akinyi Customer, who gets an SMS.');
    expect(await balance(borrower.customer.walletAccountId)).to.equal(kes(7_000));
    expect(await balance(chama.savingsAccountId)).to.equal(savingsBefore - kes(2_000));

    // Repay it all: principal 2,000 + flat 10 % a month × 3 = 2,600.
    ({ phone, screen } = await dial(borrower.customer, '5', '3'));
    expect(screen).to.match(/^CON Repay group loan\nYou owe KES [\d,]+\nEnter amount, or 1 for all\n/);
    await phone.type('1');
    expect(await phone.type('1234')).to.match(/^END [A-Z0-9]{10} Confirmed\. KES [\d,]+ paid to your .*Your loan is fully repaid\./);
    expect(await balance(chama.savingsAccountId) >= savingsBefore, 'the group\'s savings are back, with any interest').to.equal(true);
  });
});
