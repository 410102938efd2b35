/** Withdraw Cash (customer side) end to end over POST /ussd. */
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { redis } from '../src/redis/index.js';
import { displayBalance, getAccount, systemAccount } from '../src/ledger/index.js';
import { Dial } from './helpers/ussd.js';
import { makeCustomer, assertLedgerSound } from './helpers/customers.js';
import { makeAgent, agentBalancesOf } from './helpers/agents.js';
import nock from 'nock';
import { sendOutboxSms } from '../src/sms/index.js';
import { atAnswer, interceptAtSms, type AtCall } from './helpers/at.js';

const KES = 100n;
const balance = async (accountId: number) => displayBalance(await getAccount(db, accountId));

describe('USSD Withdraw Cash', () => {
  afterEach(assertLedgerSound);

  it('names agent and store, quotes the charge, pays amount + charge from the wallet, float and commission to the cent, SMS to both', async () => {
    const amina = await makeCustomer(10_000, { firstName: 'Amina' });
    const agent = await makeAgent({ floatKes: 1_000 });
    const revenue = await systemAccount(db, 'charges');
    const revenueBefore = await balance(revenue.id);
    const phone = new Dial(amina.msisdn);

    await phone.open();
    expect(await phone.type('2')).to.equal('CON Withdraw Cash\n1 At an agent\n2 To M-PESA\n0 Back 00 Home');
    expect(await phone.type('1')).to.equal('CON Withdraw Cash\nEnter agent number\n0 Back 00 Home');
    expect(await phone.type(agent.agentNumber)).to.equal(`CON Agent ${agent.agentNumber}\nEnter store number\n0 Back 00 Home`);
    expect(await phone.type('1')).to.equal(`CON Withdraw from ${agent.name} store 1\nEnter amount (KES)\n0 Back 00 Home`);
    expect(await phone.type('2345')).to.equal(`CON Withdraw KES 2,345 from agent ${agent.agentNumber} ${agent.name} store 1?\nCharge KES 27\n1 Confirm\n0 Back 00 Home`);
    expect(await phone.type('1')).to.match(/^CON Enter PIN to withdraw KES 2,345 from /);
    const done = await phone.type('1234');

    expect(done).to.match(new RegExp(`^END [A-Z][A-Z0-9]{9} Confirmed\\. Withdraw KES 2,345 from ${agent.name} store 1\\. Charge KES 27\\. New balance KES 7,628\\.$`));
    const code = done.slice(4, 14);
    expect(await balance(amina.walletAccountId)).to.equal(7_628n * KES);
    // The float grows by the amount (the agent hands over its cash); commission is 50% of KES 27.
    expect(await agentBalancesOf(agent)).to.deep.equal({ float: 3_345n * KES, commission: 1_350n });
    expect((await balance(revenue.id)) - revenueBefore).to.equal(27n * KES);

    const sms = await db('sms_outbox').where({ kind: 'receipt' }).whereIn('msisdn', [amina.msisdn, agent.msisdn]);
    expect(sms).to.have.length(2);
    const toCustomer = sms.find((r) => r.msisdn === amina.msisdn);
    const toAgent = sms.find((r) => r.msisdn === agent.msisdn);
    expect(toCustomer.message).to.match(new RegExp(`^${code} Confirmed\\. .+withdrew KES 2,345 from agent ${agent.agentNumber} .+store 1\\. New balance KES 7,628\\. Charge KES 27\\.$`));
    expect(toAgent.message).to.match(new RegExp(`^${code} Confirmed\\. Give KES 2,345 cash to AMINA CUSTOMER 07\\d\\d\\*\\*\\*\\d{3}, .+Float balance KES 3,345\\. Commission KES 13\\.50\\.$`));
  });

  it('a session lost after the PIN is replayed from the top and withdraws once', async () => {
    const amina = await makeCustomer(1_000);
    const agent = await makeAgent();
    const phone = new Dial(amina.msisdn);
    const done = await phone.typeAll('2', '1', agent.agentNumber, '1', '500', '1', '1234');
    await redis.del(`ussd:session:${phone.sessionId}`);
    expect(await phone.hop()).to.equal(done);
    expect(await balance(amina.walletAccountId)).to.equal(473n * KES);
  });

  it('re-asks a store the agent does not have, naming it, then goes on with a store it has', async () => {
    const amina = await makeCustomer(1_000);
    const agent = await makeAgent();
    const phone = new Dial(amina.msisdn);
    await phone.typeAll('2', '1', agent.agentNumber);
    expect(await phone.type('3')).to.equal(`CON That agent has no store 3.\nAgent ${agent.agentNumber}\nEnter store number\n0 Back 00 Home`);
    expect(await phone.type('1234567')).to.match(/^CON A store number is 1 to 6 digits\./);
    expect(await phone.type('1')).to.contain(`Withdraw from ${agent.name} store 1`);
  });

  it('re-asks an agent number no agent has, and one that is not 6 digits', async () => {
    const amina = await makeCustomer(1_000);
    const phone = new Dial(amina.msisdn);
    await phone.typeAll('2', '1');
    expect(await phone.type('12345')).to.match(/^CON An agent number is 6 digits\.\nWithdraw Cash/);
    await phone.type('000001');
    expect(await phone.type('1')).to.equal('CON No agent with that number.\nWithdraw Cash\nEnter agent number\n0 Back 00 Home');
  });

  it('ends for a suspended agent and moves nothing', async () => {
    const amina = await makeCustomer(1_000);
    const agent = await makeAgent({ floatKes: 100 });
    await db('agents').where({ id: agent.id }).update({ status: 'suspended' });
    const screen = await new Dial(amina.msisdn).typeAll('2', '1', agent.agentNumber, '1');
    expect(screen).to.equal('END This agent is suspended and cannot pay out cash. Please use another agent.');
    // Suspended between the quote and the PIN: the withdrawal is refused too.
    await db('agents').where({ id: agent.id }).update({ status: 'active' });
    const phone = new Dial(amina.msisdn);
    await phone.typeAll('2', '1', agent.agentNumber, '1', '500', '1');
    await db('agents').where({ id: agent.id }).update({ status: 'suspended' });
    expect(await phone.type('1234')).to.match(/^END This agent is suspended/);
    expect(await balance(amina.walletAccountId)).to.equal(1_000n * KES);
    expect(await agentBalancesOf(agent)).to.deep.equal({ float: 100n * KES, commission: 0n });
  });

  it('when the wallet does not cover amount and charge, ends naming both and moves nothing', async () => {
    const amina = await makeCustomer(105);
    const agent = await makeAgent();
    const done = await new Dial(amina.msisdn).typeAll('2', '1', agent.agentNumber, '1', '100', '1', '1234');
    expect(done).to.equal('END Failed. You do not have enough money to withdraw KES 100 plus charge KES 10. Nothing was withdrawn.');
    expect(await balance(amina.walletAccountId)).to.equal(105n * KES);
    expect(await agentBalancesOf(agent)).to.deep.equal({ float: 0n, commission: 0n });
  });

  it('re-asks amounts outside KES 50 - 70,000 with the limit, and a wrong PIN with the tries left', async () => {
    const amina = await makeCustomer(1_000);
    const agent = await makeAgent();
    const phone = new Dial(amina.msisdn);
    await phone.typeAll('2', '1', agent.agentNumber, '1');
    expect(await phone.type('49')).to.match(/^CON The least you can withdraw is KES 50\.\nWithdraw from/);
    expect(await phone.type('70001')).to.match(/^CON The most you can withdraw at once is KES 70,000\./);
    expect(await phone.type('50')).to.match(/^CON Withdraw KES 50 from .+\nCharge KES 10\n/);
    await phone.type('1');
    expect(await phone.type('9999')).to.match(/^CON Wrong PIN\. 2 tries left\.\nEnter PIN to withdraw/);
    expect(await balance(amina.walletAccountId)).to.equal(1_000n * KES);
  });

  it('refuses an agent withdrawing from its own agent number', async () => {
    const amina = await makeCustomer(1_000);
    const agent = await makeAgent({ msisdn: amina.msisdn });
    const phone = new Dial(amina.msisdn);
    expect(await phone.open()).to.contain('9 Customer menu');
    await phone.typeAll('9', '2', '1', agent.agentNumber);
    expect(await phone.type('1')).to.match(/^CON You cannot withdraw from your own agent number\.\nWithdraw Cash/);
  });
  it("sends the agent's SMS through AT naming customer, amount and code, so the cash can be handed over", async () => {
    const amina = await makeCustomer(1_000, { firstName: 'Amina' });
    const agent = await makeAgent({ floatKes: 0 });
    const done = await new Dial(amina.msisdn).typeAll('2', '1', agent.agentNumber, '1', '500', '1', '1234');
    const code = done.slice(4, 14);
    const row = await db('sms_outbox').where({ msisdn: agent.msisdn, kind: 'receipt' }).first('id');
    const calls: AtCall[] = [];
    interceptAtSms(agent.msisdn, 201, atAnswer(agent.msisdn), calls);
    try {
      expect(await sendOutboxSms(row.id)).to.equal('sent');
    } finally {
      nock.cleanAll();
    }
    expect(calls).to.have.length(1);
    expect(calls[0].body.get('message')).to.match(new RegExp(`^${code} Confirmed\\. Give KES 500 cash to AMINA CUSTOMER 07`));
  });
});
