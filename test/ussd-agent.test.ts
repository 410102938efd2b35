/** The agent menu end to end over POST /ussd: home, Deposit, Float balance, Commission, Mini statement, Change PIN. */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { db } from '../src/db/index.js';
import { displayBalance, getAccount } from '../src/ledger/index.js';
import { nationalFormat } from '../src/phone/index.js';
import { verifyAgentPin, withdrawCash, type Agent } from '../src/agents/index.js';
import { Dial } from './helpers/ussd.js';
import { makeCustomer, assertLedgerSound, randomMsisdn } from './helpers/customers.js';
import { makeAgent, agentBalancesOf } from './helpers/agents.js';

const KES = 100n;
const balance = async (accountId: number) => displayBalance(await getAccount(db, accountId));

/** A customer withdraws `kes` at `agent` through the domain (the agent earns commission). */
async function withdrawAt(agent: Agent, kes: number): Promise<void> {
  const c = await makeCustomer(kes + 200);
  await withdrawCash({ customerMsisdn: c.msisdn, agentNumber: agent.agentNumber, storeNumber: '1', amount: BigInt(kes) * KES, pin: '1234', idempotencyKey: `test:${randomUUID()}` });
}

describe('USSD agent menu', () => {
  afterEach(assertLedgerSound);

  it('an agent starts at the agent menu; 7 only for a super agent, 9 only for an agent who is also a customer', async () => {
    const agent = await makeAgent();
    const phone = new Dial(agent.msisdn);
    expect(await phone.open()).to.equal(
      `CON Simu Agent ${agent.agentNumber}\n1 Deposit\n2 Float balance\n3 Commission\n4 Transfer float\n5 Mini statement\n6 Change PIN`,
    );
    expect(await phone.type('7')).to.match(/^CON Invalid choice\.\nSimu Agent/);
    expect(await phone.type('9')).to.match(/^CON Invalid choice\.\nSimu Agent/);
    const sup = await makeAgent({ kind: 'super_agent' });
    expect(await new Dial(sup.msisdn).open()).to.match(/\n6 Change PIN\n7 Sell float$/);
  });

  it('a suspended agent is told so and the session ends', async () => {
    const agent = await makeAgent();
    await db('agents').where({ id: agent.id }).update({ status: 'suspended' });
    expect(await new Dial(agent.msisdn).open()).to.equal('END Your agent account is suspended. Please call Simu care on 100.');
  });

  it('an agent who is also a customer switches to the customer menu with 9; 00 there is the customer home', async () => {
    const customer = await makeCustomer(500);
    await makeAgent({ msisdn: customer.msisdn });
    const phone = new Dial(customer.msisdn);
    expect(await phone.open()).to.match(/\n6 Change PIN\n9 Customer menu$/);
    expect(await phone.type('9')).to.match(/^CON Simu\n1 Send Money\n2 Withdraw Cash/);
    await phone.typeAll('8', '1');
    expect(await phone.type('00')).to.match(/^CON Simu\n1 Send Money/);
    expect(await phone.typeAll('8', '1', '1234')).to.equal('END Your Simu balance is KES 500.');
  });

  it('a Kiswahili agent sees Kiswahili', async () => {
    const agent = await makeAgent({ language: 'sw', floatKes: 700 });
    const phone = new Dial(agent.msisdn);
    expect(await phone.open()).to.equal(
      `CON Wakala wa Simu ${agent.agentNumber}\n1 Weka pesa\n2 Salio la float\n3 Kamisheni\n4 Hamisha float\n5 Taarifa fupi\n6 Badilisha PIN`,
    );
    expect(await phone.type('2')).to.equal('CON Salio la float\nWeka PIN ya wakala\n0 Rudi 00 Mwanzo');
    expect(await phone.type('1234')).to.equal(`END Wakala ${agent.agentNumber}\nSalio la float KES 700\nKamisheni KES 0`);
  });

  describe('Deposit', () => {
    it('names the customer, moves the amount from float to wallet, pays 0.3% commission, SMS to both', async () => {
      const agent = await makeAgent({ floatKes: 10_000 });
      const customer = await makeCustomer(0, { firstName: 'Chebet' });
      const phone = new Dial(agent.msisdn);
      await phone.open();
      expect(await phone.type('1')).to.equal('CON Deposit\nEnter customer phone number\n0 Back 00 Home');
      const national = nationalFormat(customer.msisdn);
      expect(await phone.type(national)).to.equal(`CON Deposit to CHEBET CUSTOMER ${national}\nEnter amount (KES)\n0 Back 00 Home`);
      expect(await phone.type('1234')).to.equal(`CON Deposit KES 1,234 to CHEBET CUSTOMER ${national}?\n1 Confirm\n0 Back 00 Home`);
      expect(await phone.type('1')).to.match(/^CON Enter agent PIN to deposit KES 1,234 to CHEBET CUSTOMER/);
      const done = await phone.type('1234');
      expect(done).to.match(/^END [A-Z][A-Z0-9]{9} Confirmed\. KES 1,234 deposited to CHEBET CUSTOMER\. Float balance KES 8,766\. Commission KES 3\.70\.$/);
      const code = done.slice(4, 14);
      expect(await balance(customer.walletAccountId)).to.equal(1_234n * KES);
      expect(await agentBalancesOf(agent)).to.deep.equal({ float: 8_766n * KES, commission: 370n });
      const sms = await db('sms_outbox').where({ kind: 'receipt' }).whereIn('msisdn', [customer.msisdn, agent.msisdn]);
      expect(sms.map((r) => r.message).sort()).to.have.length(2);
      expect(sms.find((r) => r.msisdn === customer.msisdn).message).to.match(new RegExp(`^${code} Confirmed\\. .+KES 1,234 was deposited to your account by agent ${agent.agentNumber} `));
      expect(sms.find((r) => r.msisdn === agent.msisdn).message).to.match(new RegExp(`^${code} Confirmed\\. KES 1,234 deposited to CHEBET CUSTOMER `));
    });

    it('ends showing the float when it is less than the deposit, and moves nothing', async () => {
      const agent = await makeAgent({ floatKes: 100 });
      const customer = await makeCustomer(0);
      const done = await new Dial(agent.msisdn).typeAll('1', customer.msisdn, '500', '1', '1234');
      expect(done).to.equal('END Failed. Your float is KES 100, less than KES 500. Nothing was deposited.');
      expect(await balance(customer.walletAccountId)).to.equal(0n);
      expect(await agentBalancesOf(agent)).to.deep.equal({ float: 100n * KES, commission: 0n });
    });

    it('re-asks an unregistered number, the own number, and amounts outside KES 50 - 70,000', async () => {
      const agent = await makeAgent({ floatKes: 100 });
      const customer = await makeCustomer(0);
      const phone = new Dial(agent.msisdn);
      await phone.type('1');
      expect(await phone.type(randomMsisdn())).to.equal('CON That number is not registered with Simu.\nDeposit\nEnter customer phone number\n0 Back 00 Home');
      expect(await phone.type(agent.msisdn)).to.match(/^CON You cannot deposit to your own number\.\nDeposit/);
      await phone.type(customer.msisdn);
      expect(await phone.type('49')).to.match(/^CON The least you can deposit is KES 50\.\nDeposit to/);
      expect(await phone.type('70001')).to.match(/^CON The most you can deposit at once is KES 70,000\.\nDeposit to/);
      expect(await phone.type('50')).to.match(/^CON Deposit KES 50 to/);
    });
  });

  describe('Float balance and PIN', () => {
    it('shows float and commission after the PIN', async () => {
      const agent = await makeAgent({ floatKes: 2_000 });
      await withdrawAt(agent, 101);
      expect(await new Dial(agent.msisdn).typeAll('2', '1234')).to.equal(`END Agent ${agent.agentNumber}\nFloat balance KES 2,101\nCommission KES 13.50`);
    });

    it('a wrong PIN re-asks with the tries left; the third locks it', async () => {
      const agent = await makeAgent({ floatKes: 2_000 });
      const phone = new Dial(agent.msisdn);
      await phone.type('2');
      expect(await phone.type('1111')).to.equal('CON Wrong PIN. 2 tries left.\nFloat balance\nEnter agent PIN\n0 Back 00 Home');
      expect(await phone.type('2222')).to.match(/^CON Wrong PIN\. 1 try left\./);
      expect(await phone.type('3333')).to.equal('END Your agent PIN is locked after 3 wrong tries. Try again in 30 minutes or call Simu care on 100.');
      expect(await new Dial(agent.msisdn).typeAll('2', '1234')).to.match(/^END Your agent PIN is locked/);
    });
  });

  describe('Commission', () => {
    it('shows the commission, the last commissions three a screen, and moves it all to the float once', async () => {
      const agent = await makeAgent({ floatKes: 1_000 });
      for (const kes of [101, 2_600, 6_000, 25_000]) await withdrawAt(agent, kes); // commissions 13.50, 25, 37.50, 50
      const view = new Dial(agent.msisdn);
      await view.type('3');
      expect(await view.type('1234')).to.equal('CON Commission KES 126\n1 Last 5 commissions\n2 Move to float\n0 Back 00 Home');
      const first = await view.type('1');
      expect(first).to.match(/^CON Commission \(KES\) 1\/2\n[A-Z0-9]{10} \d\d\/\d\d 07\d{8} \+50\n.+\+37\.50\n.+\+25\n98 More\n0 Back 00 Home$/);
      expect(await view.type('98')).to.match(/^END Commission \(KES\) 2\/2\n[A-Z0-9]{10} \d\d\/\d\d 07\d{8} \+13\.50$/);

      const move = new Dial(agent.msisdn);
      await move.typeAll('3', '1234');
      expect(await move.type('2')).to.equal('CON Move KES 126 commission to your float?\n1 Confirm\n0 Back 00 Home');
      const done = await move.type('1');
      expect(done).to.match(/^END [A-Z][A-Z0-9]{9} Confirmed\. KES 126 commission moved to your float\. Float balance KES 34,827\.$/);
      expect(await agentBalancesOf(agent)).to.deep.equal({ float: 34_827n * KES, commission: 0n });
      expect(await move.hop()).to.equal(done);

      expect(await new Dial(agent.msisdn).typeAll('3', '1234', '2')).to.equal('END You have no commission to move.');
      expect((await agentBalancesOf(agent)).float).to.equal(34_827n * KES);
    });
  });

  describe('Mini statement', () => {
    it('shows the float\'s last entries after the PIN', async () => {
      const agent = await makeAgent({ floatKes: 1_000 });
      const customer = await makeCustomer(0);
      await new Dial(agent.msisdn).typeAll('1', customer.msisdn, '300', '1', '1234');
      const screen = await new Dial(agent.msisdn).typeAll('5', '1234');
      expect(screen).to.match(new RegExp(`^END Float \\(KES\\)\\n[A-Z0-9]{10} \\d\\d/\\d\\d ${nationalFormat(customer.msisdn)} -300\\n[A-Z0-9]{10} \\d\\d/\\d\\d Opening float \\+1,000$`));
    });
  });

  describe('Change PIN', () => {
    it('checks the current PIN, asks the new one twice, and the new one works', async () => {
      const agent = await makeAgent();
      const phone = new Dial(agent.msisdn);
      expect(await phone.type('6')).to.equal('CON Change PIN\nEnter current agent PIN\n0 Back 00 Home');
      expect(await phone.type('9999')).to.match(/^CON Wrong PIN\. 2 tries left\./);
      expect(await phone.type('1234')).to.match(/^CON Enter new 4-digit PIN/);
      await phone.type('5678');
      expect(await phone.type('5679')).to.match(/^CON The PINs did not match\. Try again\.\nEnter new 4-digit PIN/);
      await phone.type('5678');
      expect(await phone.type('5678')).to.equal('END Your PIN has been changed. You will receive an SMS.');
      await verifyAgentPin(agent.msisdn, '5678');
      let refused = '';
      await verifyAgentPin(agent.msisdn, '1234').catch((err: { code: string }) => { refused = err.code; });
      expect(refused).to.equal('wrong_pin');
    });
  });
});
