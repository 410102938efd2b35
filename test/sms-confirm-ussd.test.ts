/**
 * Money by SMS, confirmed over USSD: dialling `*384*<code>#` (a first hop whose text is the
 * code) from the phone the request came from opens its confirmation, and the right PIN
 * moves the money once, through the same effect as the menu, ending with the menu's
 * receipt. Second dials, expired codes and other phones move nothing; no PIN is kept.
 */
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { redis } from '../src/redis/index.js';
import type { Customer } from '../src/customers/index.js';
import { stageMoneyCommand, type MoneyCommand } from '../src/sms/confirm/index.js';
import { Dial } from './helpers/ussd.js';
import { assertLedgerSound, makeCustomer } from './helpers/customers.js';
import { carriesPin } from './helpers/pin.js';
import { makeGroup } from './helpers/chama.js';
import { giveLoan, makeMerchant, requestsOf, walletOf } from './helpers/sms-confirm.js';

const KES = 100n;
const FOOTER = '\n0 Back 00 Home';
const STALE = 'END That code has expired or was used. Send your request again by SMS.';
const CODE = '[A-Z][A-Z0-9]{9}';

/** Stages `command` for `c` and returns the request's code. */
async function stage(c: Customer, command: MoneyCommand): Promise<string> {
  return (await stageMoneyCommand(db, c.msisdn, command)).code;
}

/** Opens `*384*<code>#` from `msisdn` (AT sends the inline code as the first hop's only input). */
async function dial(msisdn: string, code: string): Promise<{ phone: Dial; screen: string }> {
  const phone = new Dial(msisdn);
  phone.inputs.push(code);
  return { phone, screen: await phone.open() };
}

/** Entries posted under the request's key. */
const movedUnder = async (requestId: string) => db('idempotency_keys').where({ key: `sms:${requestId}` });

describe('SMS money commands: confirmation by USSD', () => {
  afterEach(assertLedgerSound);

  it('the code opens the confirmation; the right PIN sends once, ends with the menu receipt and writes the SMS receipts', async () => {
    const amina = await makeCustomer(1000);
    const brian = await makeCustomer(0, { firstName: 'Brian' });
    const code = await stage(amina, { kind: 'send', recipient: brian.msisdn, amount: 500n * KES });
    const { phone, screen } = await dial(amina.msisdn, code);
    expect(screen).to.equal(`CON Send KES 500 to BRIAN CUSTOMER? Charge KES 5.\nEnter PIN${FOOTER}`);
    const done = await phone.type('1234');
    expect(done).to.match(new RegExp(`^END ${CODE} Confirmed\\. KES 500 sent to BRIAN CUSTOMER 07\\d{8}\\. New balance KES 495\\. Charge KES 5\\.$`));
    expect(await walletOf(amina)).to.equal(495n * KES);
    expect(await walletOf(brian)).to.equal(500n * KES);
    const [row] = await requestsOf(amina.msisdn);
    expect(row.used_at).to.be.instanceOf(Date);
    expect(await movedUnder(row.id)).to.have.length(1);
    const receipts = await db('sms_outbox').where({ kind: 'receipt' }).whereIn('msisdn', [amina.msisdn, brian.msisdn]);
    expect(receipts).to.have.length(2);
    expect(receipts.find((r) => r.msisdn === amina.msisdn).message).to.contain(`${done.slice(4, 14)} Confirmed. KES 500 sent to BRIAN CUSTOMER`);
    // A telco retry of the last hop answers the same and moves nothing more.
    expect(await phone.hop()).to.equal(done);
    expect(await walletOf(amina)).to.equal(495n * KES);
  });

  it('a second dial of a used code, or an expired code, ends saying so and moves nothing', async () => {
    const amina = await makeCustomer(1000);
    const brian = await makeCustomer(0);
    const used = await stage(amina, { kind: 'send', recipient: brian.msisdn, amount: 100n * KES });
    const { phone } = await dial(amina.msisdn, used);
    expect(await phone.type('1234')).to.match(/^END .* Confirmed\./);
    const after = await walletOf(amina);
    expect((await dial(amina.msisdn, used)).screen).to.equal(STALE);

    const expired = await stage(amina, { kind: 'send', recipient: brian.msisdn, amount: 100n * KES });
    await db('sms_confirmations').where({ msisdn: amina.msisdn, code: expired, used_at: null }).update({ expires_at: db.raw(`now() - interval '1 second'`) });
    expect((await dial(amina.msisdn, expired)).screen).to.equal(STALE);
    expect(await walletOf(amina)).to.equal(after);
    expect(await walletOf(brian)).to.equal(100n * KES);
  });

  it('two sessions that opened the same code before it was used still move the money once', async () => {
    const amina = await makeCustomer(1000);
    const brian = await makeCustomer(0);
    const code = await stage(amina, { kind: 'send', recipient: brian.msisdn, amount: 200n * KES });
    const [a, b] = [await dial(amina.msisdn, code), await dial(amina.msisdn, code)];
    expect(a.screen).to.match(/^CON Send KES 200/);
    expect(b.screen).to.match(/^CON Send KES 200/);
    const [doneA, doneB] = await Promise.all([a.phone.type('1234'), b.phone.type('1234')]);
    expect(doneA).to.match(/^END .* Confirmed\. KES 200 sent/);
    expect(doneB.slice(0, 14)).to.equal(doneA.slice(0, 14)); // the replay answers with the same transaction code
    expect(await walletOf(brian)).to.equal(200n * KES);
  });

  it('a wrong PIN moves nothing and asks again with the tries left; no PIN is kept in the session or the request', async () => {
    const amina = await makeCustomer(1000);
    const brian = await makeCustomer(0);
    await stage(amina, { kind: 'send', recipient: brian.msisdn, amount: 100n * KES });
    await db('sms_confirmations').where({ msisdn: amina.msisdn }).update({ code: '4821' }); // a code unlike either PIN below
    const { phone } = await dial(amina.msisdn, '4821');
    expect(await phone.type('9999')).to.equal(`CON Wrong PIN. 2 tries left.\nSend KES 100 to TEST CUSTOMER? Charge KES 0.\nEnter PIN${FOOTER}`);
    expect(await walletOf(amina)).to.equal(1000n * KES);
    const raw = await redis.get(`ussd:session:${phone.sessionId}`);
    expect(raw).to.be.a('string');
    expect(raw).to.contain('smsConfirm');
    expect(carriesPin(JSON.parse(raw!), '9999', ['sessionId']), raw!).to.equal(false);
    expect(await phone.type('1234')).to.match(/^END .* Confirmed\. KES 100 sent/);
    const rows = await requestsOf(amina.msisdn);
    for (const pin of ['9999', '1234']) expect(carriesPin(rows, pin), pin).to.equal(false);
    expect(await walletOf(amina)).to.equal(900n * KES);
  });

  it('three wrong PINs lock the PIN as in the menus, and the request is not used', async () => {
    const amina = await makeCustomer(1000);
    const brian = await makeCustomer(0);
    const code = await stage(amina, { kind: 'send', recipient: brian.msisdn, amount: 100n * KES });
    const { phone } = await dial(amina.msisdn, code);
    const wrong = code === '1111' ? '2222' : '1111';
    await phone.typeAll(wrong, wrong);
    expect(await phone.type(wrong)).to.match(/^END Your PIN is locked after 3 wrong tries\./);
    expect((await requestsOf(amina.msisdn))[0].used_at).to.equal(null);
    expect(await walletOf(amina)).to.equal(1000n * KES);
  });

  it('the code dialled from another phone is no confirmation: it is ordinary input at home', async () => {
    const amina = await makeCustomer(1000);
    const brian = await makeCustomer(500);
    const code = await stage(amina, { kind: 'send', recipient: brian.msisdn, amount: 100n * KES });
    const { screen } = await dial(brian.msisdn, code);
    expect(screen).to.match(/^CON Invalid choice\.\nSimu\n1 Send Money/);
    expect((await requestsOf(amina.msisdn))[0].used_at).to.equal(null);
    // It still works from the phone it was sent from.
    const mine = await dial(amina.msisdn, code);
    expect(mine.screen).to.match(/^CON Send KES 100/);
  });

  it('0 leaves the confirmation for the home menu without paying', async () => {
    const amina = await makeCustomer(1000);
    const brian = await makeCustomer(0);
    const code = await stage(amina, { kind: 'send', recipient: brian.msisdn, amount: 100n * KES });
    const { phone } = await dial(amina.msisdn, code);
    expect(await phone.type('0')).to.match(/^CON Simu\n1 Send Money/);
    expect(await walletOf(amina)).to.equal(1000n * KES);
  });

  it('confirms a paybill and a till with the Lipa receipt', async () => {
    const c = await makeCustomer(1000);
    const bill = await makeMerchant({ name: 'Kenya Power' });
    const till = await makeMerchant({ kind: 'till', name: 'Mama Mboga Store' });
    const billCode = await stage(c, { kind: 'paybill', paybill: bill.shortCode, account: 'acc-12', amount: 300n * KES });
    const tillCode = await stage(c, { kind: 'till', till: till.shortCode, amount: 200n * KES });
    const one = await dial(c.msisdn, billCode);
    expect(one.screen).to.equal(`CON Pay KES 300 to Kenya Power account ACC-12? Charge KES 0.\nEnter PIN${FOOTER}`);
    expect(await one.phone.type('1234')).to.match(new RegExp(`^END ${CODE} Confirmed\\. KES 300 paid to Kenya Power for account ACC-12\\. New balance KES 700\\. Charge KES 0\\.$`));
    const two = await dial(c.msisdn, tillCode);
    expect(two.screen).to.equal(`CON Pay KES 200 to Mama Mboga Store till ${till.shortCode}? Charge KES 0.\nEnter PIN${FOOTER}`);
    expect(await two.phone.type('1234')).to.match(new RegExp(`^END ${CODE} Confirmed\\. KES 200 paid to Mama Mboga Store\\. New balance KES 500\\.`));
    expect(await walletOf(c)).to.equal(500n * KES);
    expect((await db('sms_outbox').where({ msisdn: c.msisdn, kind: 'receipt' })).length).to.equal(2);
  });

  it('confirms a chama contribution with the Chama receipt', async () => {
    const { chama, chair } = await makeGroup();
    const code = await stage(chair.customer, { kind: 'contribute', chamaCode: chama.code, amount: 500n * KES });
    const { phone, screen } = await dial(chair.customer.msisdn, code);
    expect(screen).to.equal(`CON Pay KES 500 to ${chama.name}? Charge KES 0.\nEnter PIN${FOOTER}`);
    expect(await phone.type('1234')).to.match(new RegExp(`^END ${CODE} Confirmed\\. KES 500 paid to ${chama.name}\\..* Balance KES 9,500\\.$`));
    expect(await walletOf(chair.customer)).to.equal(9500n * KES);
  });

  it('confirms a loan repayment in Kiswahili with the Loans receipt', async () => {
    const c = await makeCustomer(100);
    await giveLoan(c, 1000);
    await db('customers').where({ id: c.id }).update({ language: 'sw' });
    const code = await stage(c, { kind: 'repay', amount: 300n * KES });
    const { phone, screen } = await dial(c.msisdn, code);
    expect(screen).to.match(/^CON Lipa KES 300 kwa mkopo wa Simu Advance\? Ada KES 0\.\nWeka PIN\n/);
    const done = await phone.type('1234');
    expect(done).to.match(new RegExp(`^END ${CODE} `));
    expect(await walletOf(c)).to.equal(800n * KES);
    expect((await db('sms_outbox').where({ msisdn: c.msisdn, kind: 'receipt' })).length).to.be.at.least(1);
  });
});
