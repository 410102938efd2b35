/** My Account: mini statement (after PIN, paged with 98) and my limits with what is left today. */
import { expect } from 'chai';
import { Dial } from './helpers/ussd.js';
import { makeCustomer } from './helpers/customers.js';
import { nationalFormat } from '../src/phone/index.js';

describe('USSD My Account: statement and limits', () => {
  it('the mini statement shows the last 5 entries (code, date, counterparty, amount), newest first, three a screen, ending on the last', async () => {
    const me = await makeCustomer(5000);
    const friend = await makeCustomer(0);
    const codes: string[] = [];
    for (const kes of ['100', '200', '300', '400']) {
      const done = await new Dial(me.msisdn).typeAll('1', friend.msisdn, kes, '1', '1234');
      codes.push(done.slice(4, 14));
    }
    const phone = new Dial(me.msisdn);
    expect(await phone.typeAll('8', '4')).to.contain('Enter PIN for your mini statement');
    const first = await phone.type('1234');
    const party = nationalFormat(friend.msisdn);
    expect(first).to.match(/^CON Mini statement \(KES\) 1\/2\n/);
    expect(first).to.contain(`${codes[3]} `);
    expect(first).to.match(new RegExp(`${codes[3]} \\d\\d/\\d\\d ${party} -405\\n${codes[2]} \\d\\d/\\d\\d ${party} -305\\n${codes[1]} `));
    expect(first).to.contain('98 More');
    const second = await phone.type('98');
    expect(second).to.match(/^END Mini statement \(KES\) 2\/2\n/);
    expect(second).to.contain(`${codes[0]} `);
    expect(second).to.match(/Deposit \+5,000$/);
  });

  it('a short statement fits one END screen', async () => {
    const me = await makeCustomer(700);
    expect(await new Dial(me.msisdn).typeAll('8', '4', '1234')).to.match(/^END Mini statement \(KES\)\n[A-Z0-9]{10} \d\d\/\d\d Deposit \+700$/);
  });

  it('My limits shows the limits in force and what is left today after a send', async () => {
    const me = await makeCustomer(5000);
    const friend = await makeCustomer(0);
    await new Dial(me.msisdn).typeAll('1', friend.msisdn, '1000', '1', '1234');
    expect(await new Dial(me.msisdn).typeAll('8', '5')).to.equal(
      'END Your limits: KES 70,000 a transaction, KES 150,000 a day (KES 149,000 left today), KES 500,000 a month (KES 499,000 left).',
    );
  });

  it('a wrong PIN at the statement re-asks, in Kiswahili too', async () => {
    const me = await makeCustomer(10);
    await new Dial(me.msisdn).typeAll('8', '3', '2');
    expect(await new Dial(me.msisdn).typeAll('8', '4', '9999')).to.match(/^CON PIN si sahihi\. Majaribio 2 yamebaki\.\nWeka PIN kuona taarifa fupi/);
  });
});
