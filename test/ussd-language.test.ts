/** English and Kiswahili: chosen first by a new caller, switched in My Account, remembered. */
import { expect } from 'chai';
import { findCustomer } from '../src/customers/index.js';
import { Dial } from './helpers/ussd.js';
import { makeCustomer, randomMsisdn } from './helpers/customers.js';
import { db } from '../src/db/index.js';

describe('USSD languages', () => {
  it('a new caller who picks Kiswahili registers in Kiswahili, and the choice is remembered', async () => {
    const msisdn = randomMsisdn();
    const phone = new Dial(msisdn);
    expect(await phone.type('2')).to.equal('CON Karibu Simu.\nNambari hii haijasajiliwa.\n1 Jisajili\n2 Ondoka\n0 Rudi 00 Mwanzo');
    expect(await phone.type('1')).to.contain('Weka jina lako la kwanza');
    expect(await phone.typeAll('Neema', 'Mushi', '31234567', '5931')).to.contain('Weka PIN tena');
    expect(await phone.type('5931')).to.match(/^END Karibu Simu, Neema!/);
    expect((await findCustomer(msisdn))?.language).to.equal('sw');
    expect(await new Dial(msisdn).open()).to.match(/^CON Simu\n1 Tuma Pesa\n/);
    const welcome = await db('sms_outbox').where({ msisdn, kind: 'welcome' }).first();
    expect(welcome.message).to.match(/^Karibu Simu, Neema\./);
  });

  it('My Account → Language switches to Kiswahili for every later session, and back', async () => {
    const c = await makeCustomer(50);
    expect(await new Dial(c.msisdn).typeAll('8', '3', '2')).to.equal('END Lugha yako sasa ni Kiswahili.');
    expect(await new Dial(c.msisdn).typeAll('8', '1', '1234')).to.equal('END Salio lako la Simu ni KES 50.');
    expect(await new Dial(c.msisdn).typeAll('8', '3', '1')).to.equal('END Your language is now English.');
    expect(await new Dial(c.msisdn).open()).to.match(/^CON Simu\n1 Send Money\n/);
  });

  it('the third invalid input in a row ends the session politely; a valid one in between resets the count', async () => {
    const c = await makeCustomer(10);
    const phone = new Dial(c.msisdn);
    expect(await phone.type('x')).to.match(/^CON Invalid choice\./);
    expect(await phone.type('9')).to.match(/^CON Invalid choice\./);
    expect(await phone.type('x')).to.equal('END Too many invalid entries. Please dial again when you are ready.');

    const patient = new Dial(c.msisdn);
    await patient.typeAll('x', 'y', '1');
    expect(await patient.type('12')).to.match(/^CON Invalid phone number\./);
    expect(await patient.type('34')).to.match(/^CON Invalid phone number\./);
  });
});
