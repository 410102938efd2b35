/** One JSON log line per USSD hop, with the sessionId and a masked MSISDN, never a PIN. */
import { expect } from 'chai';
import { Dial } from './helpers/ussd.js';
import { makeCustomer, randomMsisdn } from './helpers/customers.js';
import { carriesPin } from './helpers/pin.js';
import { captureLogs } from './helpers/logs.js';

/** Random identifiers in every line: a UUID's 4-digit groups may match a PIN by chance. */
const RANDOM_IDS = ['requestId', 'sessionId', 'jobId'];

describe('logging', () => {
  const capture = captureLogs();

  it('a send-money session logs one line per hop with its sessionId, a masked MSISDN and every PIN redacted', async () => {
    const payer = await makeCustomer(100, { pin: '7391' });
    const payee = await makeCustomer(0);
    const phone = new Dial(payer.msisdn);
    await phone.typeAll('1', payee.msisdn, '10', '1', '7391');
    const hops = capture.lines.filter((l) => l.message === 'ussd hop' && l.sessionId === phone.sessionId);
    expect(hops).to.have.length(5);
    expect(hops[4].text).to.equal(`1*${payee.msisdn}*10*1*[pin]`);
    expect(hops[4].msisdn).to.equal(`+*********${payer.msisdn.slice(-3)}`);
    for (const line of capture.lines) expect(carriesPin(line, '7391', RANDOM_IDS), JSON.stringify(line)).to.equal(false);
  });

  it('a PIN typed during registration never reaches a log line, even on later hops', async () => {
    const phone = new Dial(randomMsisdn());
    await phone.typeAll('1', '1', 'Jane', 'Doe', '12345678', '8264', '8264');
    const hops = capture.lines.filter((l) => l.sessionId === phone.sessionId);
    expect(hops.length).to.be.greaterThan(5);
    for (const line of capture.lines) expect(carriesPin(line, '8264', RANDOM_IDS), JSON.stringify(line)).to.equal(false);
  });
});
