/** The PIN typed at an SMS confirmation is redacted from every hop's log line, as in the menus. */
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { stageMoneyCommand } from '../src/sms/confirm/index.js';
import { Dial } from './helpers/ussd.js';
import { assertLedgerSound, makeCustomer } from './helpers/customers.js';
import { carriesPin } from './helpers/pin.js';
import { captureLogs } from './helpers/logs.js';

/** Random identifiers in every line: a UUID's 4-digit groups may match a PIN by chance. */
const RANDOM_IDS = ['requestId', 'sessionId', 'jobId'];

describe('SMS money commands: logging of the confirmation', () => {
  const capture = captureLogs();
  afterEach(assertLedgerSound);

  it('logs the code in clear and every PIN after it as [pin], on every later hop too', async () => {
    const payer = await makeCustomer(100, { pin: '7391' });
    const payee = await makeCustomer(0);
    await stageMoneyCommand(db, payer.msisdn, { kind: 'send', recipient: payee.msisdn, amount: 1000n });
    await db('sms_confirmations').where({ msisdn: payer.msisdn }).update({ code: '4821' });
    const phone = new Dial(payer.msisdn);
    phone.inputs.push('4821');
    expect(await phone.open()).to.match(/^CON Send KES 10/);
    expect(await phone.type('5555')).to.match(/^CON Wrong PIN/);
    expect(await phone.type('7391')).to.match(/^END .* Confirmed\./);
    const hops = capture.lines.filter((l) => l.message === 'ussd hop' && l.sessionId === phone.sessionId);
    expect(hops.map((h) => h.text)).to.deep.equal(['4821', '4821*[pin]', '4821*[pin]*[pin]']);
    for (const line of capture.lines) {
      expect(carriesPin(line, '7391', RANDOM_IDS), JSON.stringify(line)).to.equal(false);
      expect(carriesPin(line, '5555', RANDOM_IDS), JSON.stringify(line)).to.equal(false);
    }
  });
});
