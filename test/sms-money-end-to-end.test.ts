/**
 * Money by SMS end to end, as a customer does it: text `SEND <phone> <amount>` (or TUMA) to
 * POST /sms/inbound, read the reply with the dial code, dial `*384*<code>#` and enter the
 * PIN. The money moves once, only after the PIN; the SMS alone moves nothing. And STOP by
 * SMS keeps a reminder job from reminding that number until START.
 */
import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { db } from '../src/db/index.js';
import { createRedis } from '../src/redis/index.js';
import { createApp } from '../src/http/app.js';
import { setLanguage } from '../src/customers/index.js';
import { displayBalance, getAccount } from '../src/ledger/index.js';
import { closeAtEnd } from './helpers/resources.js';
import { Dial } from './helpers/ussd.js';
import { assertLedgerSound, makeCustomer } from './helpers/customers.js';
import { makeGroup } from './helpers/chama.js';
import { sendDueReminders } from '../src/chama/index.js';
import { nairobi } from './helpers/loans.js';

describe('SMS end to end: a money command confirmed by dial code; STOP against a reminder job', () => {
  let base: string;
  let server: Server;
  const redis = createRedis();
  before(async () => {
    server = createApp({ db, redis }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    closeAtEnd(async () => { server.close(); server.closeAllConnections(); await redis.quit(); });
  });
  afterEach(assertLedgerSound);

  async function reply(from: string, message: string): Promise<string> {
    const res = await fetch(`${base}/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ from, to: '22384', text: message, date: '2026-12-06 10:00:00', id: `ATXid_${randomUUID()}`, linkId: '', networkCode: '63902' }).toString(),
    });
    expect(res.status).to.equal(200);
    const row = await db('sms_outbox').where({ msisdn: from, kind: 'reply' }).orderBy('id', 'desc').first();
    return row.message as string;
  }
  const wallet = async (c: { walletAccountId: number }) => displayBalance(await getAccount(db, c.walletAccountId));

  it('SEND answers with a dial code; dialling it and the PIN send the money once', async () => {
    const amina = await makeCustomer(1000);
    const brian = await makeCustomer(0, { firstName: 'Brian' });
    const text = await reply(amina.msisdn, `SEND ${brian.msisdn.replace('+254', '0')} 500`);
    const m = /To confirm KES 500 to BRIAN CUSTOMER, dial \*384\*([0-9]{4})#/.exec(text);
    expect(m, text).to.not.equal(null);
    expect(await wallet(amina)).to.equal(100_000n);
    const phone = new Dial(amina.msisdn);
    phone.inputs.push(m![1]);
    expect(await phone.open()).to.match(/^CON Send KES 500 to BRIAN CUSTOMER\? Charge KES 5\./);
    expect(await phone.type('1234')).to.match(/^END [A-Z][A-Z0-9]{9} Confirmed\. KES 500 sent to BRIAN CUSTOMER/);
    expect(await wallet(brian)).to.equal(50_000n);
    const again = new Dial(amina.msisdn);
    again.inputs.push(m![1]);
    expect(await again.open()).to.equal('END That code has expired or was used. Send your request again by SMS.');
    expect(await wallet(brian)).to.equal(50_000n);
  });

  it('TUMA is answered in Kiswahili with the dial code, and a refused send stores nothing', async () => {
    const amina = await makeCustomer(100);
    await setLanguage(amina.msisdn, 'sw', db);
    const brian = await makeCustomer(0);
    expect(await reply(amina.msisdn, `tuma ${brian.msisdn} 50`)).to.match(/\*384\*[0-9]{4}#/);
    expect(await reply(amina.msisdn, `TUMA ${brian.msisdn} 5000`)).to.match(/^Imeshindikana: huna pesa za kutosha/);
    expect(await db('sms_confirmations').where({ msisdn: amina.msisdn })).to.have.length(1);
  });

  it('STOP by SMS keeps the chama reminder job from reminding that member; START brings reminders back', async () => {
    const { chama, chair, treasurer } = await makeGroup();
    expect(await reply(chair.customer.msisdn, 'STOP')).to.match(/reminders/i);
    await sendDueReminders(db, chama, nairobi('2027-01-03'));
    const reminders = async (msisdn: string) => db('sms_outbox').where({ msisdn, kind: 'reminder' });
    expect(await reminders(chair.customer.msisdn)).to.have.length(0);
    expect(await reminders(treasurer.customer.msisdn)).to.have.length(1);
    await reply(chair.customer.msisdn, 'ANZA');
    const other = await makeGroup();
    await reply(other.chair.customer.msisdn, 'STOP');
    await reply(other.chair.customer.msisdn, 'START');
    await sendDueReminders(db, other.chama, nairobi('2027-01-03'));
    expect(await reminders(other.chair.customer.msisdn)).to.have.length(1);
  });
});
