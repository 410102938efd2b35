/** The agent menu's float movements end to end over POST /ussd: 4 Transfer float and 7 Sell float. */
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { Dial } from './helpers/ussd.js';
import { assertLedgerSound } from './helpers/customers.js';
import { makeAgent, agentBalancesOf } from './helpers/agents.js';

const KES = 100n;

/** A fresh super agent with two agents under it (floats in KES). */
async function family(floats: { sup?: number; a?: number; b?: number } = {}) {
  const sup = await makeAgent({ kind: 'super_agent', floatKes: floats.sup, name: 'Wanjiku Super Agent' });
  const a = await makeAgent({ superAgentNumber: sup.agentNumber, floatKes: floats.a, name: 'Akinyi Shop' });
  const b = await makeAgent({ superAgentNumber: sup.agentNumber, floatKes: floats.b, name: 'Baraka Shop' });
  return { sup, a, b };
}

describe('USSD agent float', () => {
  afterEach(assertLedgerSound);

  it('an agent transfers float to a sibling under the same super agent, naming it, with SMS to both', async () => {
    const { a, b } = await family({ a: 5_000 });
    const phone = new Dial(a.msisdn);
    await phone.open();
    expect(await phone.type('4')).to.equal('CON Transfer float\nEnter agent number\n0 Back 00 Home');
    expect(await phone.type(b.agentNumber)).to.equal(`CON Transfer float to agent ${b.agentNumber} Baraka Shop\nEnter amount (KES)\n0 Back 00 Home`);
    expect(await phone.type('1500')).to.equal(`CON Send KES 1,500 float to agent ${b.agentNumber} Baraka Shop?\n1 Confirm\n0 Back 00 Home`);
    expect(await phone.type('1')).to.match(/^CON Enter agent PIN to send KES 1,500 float to Baraka Shop/);
    const done = await phone.type('1234');
    expect(done).to.match(new RegExp(`^END [A-Z][A-Z0-9]{9} Confirmed\\. KES 1,500 float sent to agent ${b.agentNumber} Baraka Shop\\. Float balance KES 3,500\\.$`));
    expect((await agentBalancesOf(a)).float).to.equal(3_500n * KES);
    expect((await agentBalancesOf(b)).float).to.equal(1_500n * KES);
    const code = done.slice(4, 14);
    const sms = await db('sms_outbox').where({ kind: 'receipt' }).whereIn('msisdn', [a.msisdn, b.msisdn]);
    expect(sms.find((r) => r.msisdn === a.msisdn).message).to.match(new RegExp(`^${code} Confirmed\\. KES 1,500 float sent to agent ${b.agentNumber} Baraka Shop`));
    expect(sms.find((r) => r.msisdn === b.msisdn).message).to.match(new RegExp(`^${code} Confirmed\\. You have received KES 1,500 float from agent ${a.agentNumber} Akinyi Shop`));
  });

  it('an agent transfers float back to its super agent', async () => {
    const { sup, a } = await family({ a: 800 });
    const done = await new Dial(a.msisdn).typeAll('4', sup.agentNumber, '800', '1', '1234');
    expect(done).to.match(/ Confirmed\. KES 800 float sent to agent \d{6} Wanjiku Super Agent\. Float balance KES 0\.$/);
    expect((await agentBalancesOf(sup)).float).to.equal(800n * KES);
  });

  it('refuses an agent outside the family, an unknown number and a suspended agent, and re-asks', async () => {
    const { a, b } = await family({ a: 800 });
    const stranger = await makeAgent({ superAgentNumber: '900900' });
    const phone = new Dial(a.msisdn);
    await phone.type('4');
    expect(await phone.type(stranger.agentNumber)).to.equal(
      'CON You can send float only to your super agent or agents under it.\nTransfer float\nEnter agent number\n0 Back 00 Home',
    );
    expect(await phone.type('000001')).to.match(/^CON No agent with that number\.\nTransfer float/);
    expect(await phone.type('12345')).to.match(/^CON An agent number is 6 digits\.\nTransfer float/);
    await db('agents').where({ id: b.id }).update({ status: 'suspended' });
    expect(await new Dial(a.msisdn).typeAll('4', b.agentNumber)).to.match(/^CON That agent is suspended\.\nTransfer float/);
    expect((await agentBalancesOf(a)).float).to.equal(800n * KES);
  });

  it('ends showing the float when it is less than the transfer, and moves nothing', async () => {
    const { a, b } = await family({ a: 100 });
    const done = await new Dial(a.msisdn).typeAll('4', b.agentNumber, '500', '1', '1234');
    expect(done).to.equal('END Failed. Your float is KES 100, less than KES 500. Nothing was sent.');
    expect((await agentBalancesOf(b)).float).to.equal(0n);
  });

  it('a super agent sells float to its own agent, and only to its own', async () => {
    const { sup, a } = await family({ sup: 50_000 });
    const phone = new Dial(sup.msisdn);
    await phone.open();
    expect(await phone.type('7')).to.equal('CON Sell float\nEnter agent number\n0 Back 00 Home');
    expect(await phone.type('100200')).to.match(/^CON You can sell float only to your own agents\.\nSell float/);
    expect(await phone.type(a.agentNumber)).to.equal(`CON Sell float to agent ${a.agentNumber} Akinyi Shop\nEnter amount (KES)\n0 Back 00 Home`);
    expect(await phone.type('20000')).to.equal(`CON Sell KES 20,000 float to agent ${a.agentNumber} Akinyi Shop?\n1 Confirm\n0 Back 00 Home`);
    await phone.type('1');
    expect(await phone.type('1234')).to.match(new RegExp(`^END [A-Z][A-Z0-9]{9} Confirmed\\. KES 20,000 float sold to agent ${a.agentNumber} Akinyi Shop\\. Float balance KES 30,000\\.$`));
    expect(await agentBalancesOf(a)).to.deep.equal({ float: 20_000n * KES, commission: 0n });
    const entry = await db('journal_entries').where({ kind: 'float_sale' }).whereRaw(`metadata->>'toAgent' = ?`, [a.agentNumber]);
    expect(entry).to.have.length(1);
  });
});
