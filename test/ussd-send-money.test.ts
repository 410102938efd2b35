import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { redis } from '../src/redis/index.js';
import { displayBalance, getAccount, systemAccount } from '../src/ledger/index.js';
import { nationalFormat } from '../src/phone/index.js';
import { Dial } from './helpers/ussd.js';
import { makeCustomer, assertLedgerSound, randomMsisdn } from './helpers/customers.js';

const balance = async (walletAccountId: number) => displayBalance(await getAccount(db, walletAccountId));
const KES = 100n;

describe('USSD Send Money', () => {
  afterEach(assertLedgerSound);

  it('a registered customer sends money with a PIN: names the recipient, shows the charge, moves amount and charge, ends with a code', async () => {
    const amina = await makeCustomer(1000, { firstName: 'Amina' });
    const brian = await makeCustomer(0, { firstName: 'Brian' });
    const revenue = await systemAccount(db, 'charges');
    const revenueBefore = displayBalance(await getAccount(db, revenue.id));
    const phone = new Dial(amina.msisdn);

    expect(await phone.open()).to.match(/^CON Simu\n1 Send Money\n2 Withdraw Cash\n3 Buy Airtime\n4 Pay Bill \/ Buy Goods \(Lipa\)\n5 School Fees\n6 Chama\n7 Loans\n8 My Account$/);
    expect(await phone.type('1')).to.contain('Enter phone number');
    expect(await phone.type(nationalFormat(brian.msisdn))).to.contain('BRIAN CUSTOMER');
    const confirm = await phone.type('500');
    expect(confirm).to.match(/^CON Send KES 500 to BRIAN CUSTOMER 07\d{8}\?\nCharge KES 5\n1 Confirm/);
    expect(await phone.type('1')).to.contain('Enter PIN');
    const done = await phone.type('1234');

    expect(done).to.match(/^END [A-Z][A-Z0-9]{9} Confirmed\. KES 500 sent to BRIAN CUSTOMER 07\d{8}\. New balance KES 495\. Charge KES 5\.$/);
    expect(await balance(amina.walletAccountId)).to.equal(495n * KES);
    expect(await balance(brian.walletAccountId)).to.equal(500n * KES);
    expect(displayBalance(await getAccount(db, revenue.id)) - revenueBefore).to.equal(5n * KES);
  });

  it('writes an SMS receipt for both parties in the outbox with code, amount, counterparty, balance and charge', async () => {
    const amina = await makeCustomer(2015, { firstName: 'Amina' });
    const brian = await makeCustomer(100, { firstName: 'Brian' });
    const phone = new Dial(amina.msisdn);
    const done = await phone.typeAll('1', brian.msisdn, '2000', '1', '1234');
    const code = done.slice(4, 14);
    const rows = await db('sms_outbox').where({ kind: 'receipt' }).whereIn('msisdn', [amina.msisdn, brian.msisdn]).orderBy('id');
    expect(rows).to.have.length(2);
    const [payer, payee] = [rows.find((r) => r.msisdn === amina.msisdn), rows.find((r) => r.msisdn === brian.msisdn)];
    expect(payer.message).to.match(new RegExp(`^${code} Confirmed\\. KES 2,000 sent to BRIAN CUSTOMER ${nationalFormat(brian.msisdn)} on \\d\\d/\\d\\d/\\d\\d at .+\\. New balance KES 0\\. Charge KES 15\\.$`));
    expect(payee.message).to.match(new RegExp(`^${code} Confirmed\\. You have received KES 2,000 from AMINA CUSTOMER ${nationalFormat(amina.msisdn)} .+New balance KES 2,100\\.$`));
    expect(payer.status).to.equal('pending');
    expect(rows.map((r) => r.session_id)).to.deep.equal([phone.sessionId, phone.sessionId]);
  });

  it('accepts the recipient as 07…, 7…, 2547… and +2547…', async () => {
    const amina = await makeCustomer(100);
    const brian = await makeCustomer(0);
    const national = nationalFormat(brian.msisdn);
    for (const form of [national, national.slice(1), brian.msisdn.slice(1), brian.msisdn]) {
      const screen = await new Dial(amina.msisdn).typeAll('1', form);
      expect(screen, form).to.contain('Enter amount');
    }
  });

  it('re-asks with a reason for an invalid number, an unregistered number, the own number and a bad amount', async () => {
    const amina = await makeCustomer(100);
    const brian = await makeCustomer(0);
    const phone = new Dial(amina.msisdn);
    await phone.type('1');
    expect(await phone.type('12345')).to.match(/^CON Invalid phone number\.\nSend Money/);
    expect(await phone.type(randomMsisdn())).to.match(/^CON That number is not registered with Simu\./);
    expect(await phone.type(amina.msisdn)).to.match(/^CON You cannot send money to your own number\./);
    await phone.type(brian.msisdn);
    expect(await phone.type('abc')).to.match(/^CON Enter a whole amount in KES\./);
    expect(await phone.type('10.50')).to.match(/^CON Enter a whole amount in KES\./);
    expect(await phone.type('70001')).to.match(/^CON The most you can send at once is KES 70,000\./);
    expect(await phone.type('50')).to.match(/^CON Send KES 50 to/);
  });

  it('0 goes back and 00 goes home on every screen that is not final', async () => {
    const amina = await makeCustomer(100);
    const brian = await makeCustomer(0);
    const phone = new Dial(amina.msisdn);
    await phone.typeAll('1', brian.msisdn, '50');
    expect(await phone.type('0')).to.contain('Enter amount');
    expect(await phone.type('0')).to.contain('Enter phone number');
    expect(await phone.type('0')).to.match(/^CON Simu\n1 Send Money/);
    await phone.typeAll('1', brian.msisdn, '50', '1');
    expect(await phone.type('0')).to.match(/^CON Send KES 50/);
    expect(await phone.type('00')).to.match(/^CON Simu\n/);
    expect(await balance(amina.walletAccountId)).to.equal(100n * KES);
  });

  it('when the balance does not cover amount and charge, ends saying so and moves nothing', async () => {
    const amina = await makeCustomer(502);
    const brian = await makeCustomer(0);
    const done = await new Dial(amina.msisdn).typeAll('1', brian.msisdn, '500', '1', '1234');
    expect(done).to.match(/^END Failed\. You do not have enough money to send KES 500 plus charge KES 5\./);
    expect(await balance(amina.walletAccountId)).to.equal(502n * KES);
  });

  it('refuses a transfer that would take the recipient past the maximum wallet balance', async () => {
    const amina = await makeCustomer(60_000);
    const brian = await makeCustomer(450_000);
    const done = await new Dial(amina.msisdn).typeAll('1', brian.msisdn, '50001', '1', '1234');
    expect(done).to.match(/^END Failed\. The limit for the recipient's balance is KES 500,000\./);
    expect(await balance(brian.walletAccountId)).to.equal(450_000n * KES);
  });

  it('a telco retry of the same hop returns the same screen and moves nothing more', async () => {
    const amina = await makeCustomer(1000);
    const brian = await makeCustomer(0);
    const phone = new Dial(amina.msisdn);
    const first = await phone.typeAll('1', brian.msisdn, '100', '1', '1234');
    const again = await phone.hop();
    expect(again).to.equal(first);
    expect(await balance(brian.walletAccountId)).to.equal(100n * KES);
  });

  it('a telco retry that arrives while the first request is still running gets the same screen and pays once', async () => {
    const amina = await makeCustomer(1000);
    const brian = await makeCustomer(0);
    const phone = new Dial(amina.msisdn);
    await phone.typeAll('1', brian.msisdn, '100', '1');
    phone.inputs.push('1234');
    const [a, b, c] = await Promise.all([phone.hop(), phone.hop(), phone.hop()]);
    expect(a).to.match(/^END [A-Z0-9]{10} Confirmed/);
    expect([b, c]).to.deep.equal([a, a]);
    expect(await balance(brian.walletAccountId)).to.equal(100n * KES);
  });

  it('a first hop that carries every input (dialled inline) lands where they lead and pays once', async () => {
    const amina = await makeCustomer(1000);
    const brian = await makeCustomer(0);
    const inline = new Dial(amina.msisdn, `*384*1*${nationalFormat(brian.msisdn)}*500#`);
    expect(await inline.open()).to.match(/^CON Send KES 500 to .+\nCharge KES 5/);
    const phone = new Dial(amina.msisdn);
    phone.inputs.push('1', nationalFormat(brian.msisdn), '200', '1', '1234');
    expect(await phone.open()).to.match(/^END [A-Z0-9]{10} Confirmed\. KES 200 sent/);
    expect(await balance(brian.walletAccountId)).to.equal(200n * KES);
  });

  it('a session lost mid-way is replayed from the top and money already moved is not moved again', async () => {
    const amina = await makeCustomer(1000);
    const brian = await makeCustomer(0);
    const phone = new Dial(amina.msisdn);
    const done = await phone.typeAll('1', brian.msisdn, '300', '1', '1234');
    await redis.del(`ussd:session:${phone.sessionId}`);
    const replayed = await phone.hop();
    expect(replayed).to.equal(done);
    expect(await balance(brian.walletAccountId)).to.equal(300n * KES);
    expect(await balance(amina.walletAccountId)).to.equal(695n * KES);
  });

  it('three wrong PINs lock the PIN for 30 minutes, tell the customer, send an SMS, and the lock outlives the session', async () => {
    const amina = await makeCustomer(1000);
    const brian = await makeCustomer(0);
    const phone = new Dial(amina.msisdn);
    await phone.typeAll('1', brian.msisdn, '100', '1');
    expect(await phone.type('1111')).to.match(/^CON Wrong PIN\. 2 tries left\./);
    expect(await phone.type('2222')).to.match(/^CON Wrong PIN\. 1 try left\./);
    expect(await phone.type('3333')).to.match(/^END Your PIN is locked after 3 wrong tries\. Try again in 30 minutes, or reset it: My Account > 6 Forgot PIN\.$/);
    const sms = await db('sms_outbox').where({ msisdn: amina.msisdn, kind: 'pin_locked' });
    expect(sms).to.have.length(1);
    const later = await new Dial(amina.msisdn).typeAll('1', brian.msisdn, '100', '1', '1234');
    expect(later).to.match(/^END Your PIN is locked/);
    expect(await balance(brian.walletAccountId)).to.equal(0n);
  });

  it('home items 6 and 7 open Chama and Loans (a caller in no chama is told how to join); 9 is no item', async () => {
    const amina = await makeCustomer(0);
    expect(await new Dial(amina.msisdn).type('6')).to.match(/^END You are not in a chama\. Ask your chama's chairperson to add your number\./);
    expect(await new Dial(amina.msisdn).type('7')).to.match(/^CON Loans\n1 Apply for a loan\n/);
    expect(await new Dial(amina.msisdn).type('9')).to.match(/^CON Invalid choice\.\nSimu/);
  });
});
