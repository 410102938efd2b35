import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { findCustomer } from '../src/customers/index.js';
import { redis } from '../src/redis/index.js';
import { Dial } from './helpers/ussd.js';
import { carriesPin } from './helpers/pin.js';
import { makeCustomer, randomMsisdn, assertLedgerSound } from './helpers/customers.js';

describe('USSD registration', () => {
  afterEach(assertLedgerSound);

  it('an unregistered number is offered registration and ends with an account and a welcome SMS', async () => {
    const msisdn = randomMsisdn();
    const phone = new Dial(msisdn);
    expect(await phone.open()).to.equal('CON Choose language / Chagua lugha\n1 English\n2 Kiswahili');
    expect(await phone.type('1')).to.equal('CON Welcome to Simu.\nThis number is not registered.\n1 Register\n2 Exit\n0 Back 00 Home');
    expect(await phone.type('1')).to.contain('Enter your first name');
    expect(await phone.type('wanjiku')).to.contain('Enter your last name');
    expect(await phone.type('Kamau')).to.contain('national ID');
    expect(await phone.type('29876543')).to.contain('Choose a 4-digit PIN');
    expect(await phone.type('4826')).to.contain('Enter the PIN again');
    expect(await phone.type('4827')).to.match(/^CON The PINs did not match\. Try again\.\nChoose a 4-digit PIN/);
    await phone.type('4826');
    expect(await phone.type('4826')).to.match(/^END Welcome to Simu, Wanjiku! Your account is ready\./);

    const customer = await findCustomer(msisdn);
    expect(customer).to.include({ firstName: 'Wanjiku', lastName: 'Kamau', status: 'active' });
    const row = await db('customers').where({ msisdn }).first();
    expect(row.national_id).to.equal('29876543');
    expect(row.pin_hash).to.match(/^v1\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(row.pin_hash).not.to.contain('4826');
    expect(await db('sms_outbox').where({ msisdn, kind: 'welcome' })).to.have.length(1);
    expect(await new Dial(msisdn).open()).to.match(/^CON Simu\n1 Send Money/);
  });

  it('re-asks for names with digits and for a national ID that is not 6-10 digits; 2 exits', async () => {
    const phone = new Dial(randomMsisdn());
    await phone.typeAll('1', '1');
    expect(await phone.type('J4ne')).to.match(/^CON Use letters only\./);
    await phone.typeAll('Jane', 'Doe');
    expect(await phone.type('12ab')).to.match(/^CON Enter 6 to 10 digits\./);
    expect(await new Dial(randomMsisdn()).typeAll('1', '2')).to.match(/^END Thank you\./);
  });

  it('keeps no PIN in clear in the Redis session while the PIN awaits confirmation', async () => {
    const phone = new Dial(randomMsisdn());
    await phone.typeAll('1', '1', 'Jane', 'Doe', '12345678', '7391');
    const raw = await redis.get(`ussd:session:${phone.sessionId}`);
    expect(raw).to.be.a('string');
    expect(carriesPin(JSON.parse(raw!), '7391', ['sessionId']), raw!).to.equal(false);
  });
});

describe('USSD My Account', () => {
  afterEach(assertLedgerSound);

  it('Balance shows the wallet balance after the PIN', async () => {
    const c = await makeCustomer(1234);
    const phone = new Dial(c.msisdn);
    expect(await phone.type('8')).to.equal('CON My Account\n1 Balance\n2 Change PIN\n3 Language / Lugha\n4 Mini statement\n5 My limits\n6 Forgot PIN\n7 Top up from M-PESA\n0 Back 00 Home');
    expect(await phone.type('1')).to.contain('Enter PIN');
    expect(await phone.type('1234')).to.equal('END Your Simu balance is KES 1,234.');
  });

  it('Change PIN checks the current PIN, asks the new one twice, and only the new one works after', async () => {
    const c = await makeCustomer(10);
    const phone = new Dial(c.msisdn);
    await phone.typeAll('8', '2');
    expect(await phone.type('9999')).to.match(/^CON Wrong PIN\. 2 tries left\.\nEnter current PIN/);
    expect(await phone.type('1234')).to.contain('Enter new 4-digit PIN');
    expect(await phone.type('5678')).to.contain('Enter new PIN again');
    expect(await phone.type('5679')).to.match(/^CON The PINs did not match/);
    await phone.type('1234');
    expect(await phone.type('1234')).to.match(/^CON The new PIN must differ/);
    await phone.type('5678');
    expect(await phone.type('5678')).to.match(/^END Your PIN has been changed\./);
    expect(await new Dial(c.msisdn).typeAll('8', '1', '1234')).to.match(/^CON Wrong PIN/);
    expect(await new Dial(c.msisdn).typeAll('8', '1', '5678')).to.equal('END Your Simu balance is KES 10.');
    expect(await db('sms_outbox').where({ msisdn: c.msisdn, kind: 'pin_changed' })).to.have.length(1);
  });
});

describe('USSD for a suspended customer', () => {
  it('a suspended customer who dials is told so, not offered registration', async () => {
    const c = await makeCustomer(100);
    await db('customers').where({ id: c.id }).update({ status: 'suspended' });
    expect(await new Dial(c.msisdn).open()).to.equal('END Your Simu account is suspended. Please call Simu care on 100 for help.');
  });

  it('a customer suspended mid-session is told so at the PIN, and no money moves', async () => {
    const c = await makeCustomer(100);
    const payee = await makeCustomer(0);
    const phone = new Dial(c.msisdn);
    await phone.typeAll('1', payee.msisdn, '10', '1');
    await db('customers').where({ id: c.id }).update({ status: 'suspended' });
    expect(await phone.type('1234')).to.match(/^END Your Simu account is suspended\./);
    expect(await db('journal_entries').whereRaw(`metadata->>'payer' = ?`, [c.msisdn])).to.have.length(0);
  });

  it('a suspended recipient is, to the payer, not registered', async () => {
    const c = await makeCustomer(100);
    const payee = await makeCustomer(0);
    await db('customers').where({ id: payee.id }).update({ status: 'suspended' });
    expect(await new Dial(c.msisdn).typeAll('1', payee.msisdn)).to.match(/^CON That number is not registered with Simu\./);
  });
});
