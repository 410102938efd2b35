/**
 * The agents domain: withdrawal charges and commissions to the cent at every band
 * boundary, deposit commission, refusals (wrong store, suspended agent, short float), float
 * routes, commission to float, and 30 concurrent withdrawals and deposits on one float.
 */
import { expect } from 'chai';
import { randomInt } from 'node:crypto';
import { db } from '../src/db/index.js';
import {
  agentCommission, balancesOf, depositCash, moveCommissionToFloat, moveFloat, quoteWithdrawal, verifyAgentPin, withdrawCash,
  AgentInactiveError, FloatTransferNotAllowedError, InsufficientFloatError, StoreNotFoundError,
} from '../src/agents/index.js';
import { getAccount, displayBalance } from '../src/ledger/index.js';
import { LimitExceededError, miniStatement } from '../src/payments/index.js';
import { PinLockedError, WrongPinError } from '../src/customers/index.js';
import { makeCustomer, assertLedgerSound } from './helpers/customers.js';
import { makeAgent } from './helpers/agents.js';

const KES = 100n;
let keySeq = 0;
const key = (what: string) => `test:agents:${what}:${Date.now()}:${keySeq++}:${randomInt(1e9)}`;

async function refusal(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => expect.fail('expected a refusal'), (e: unknown) => e);
}

describe('agents: Withdraw Cash and Deposit', () => {
  afterEach(assertLedgerSound);

  // [amount KES, charge KES]: every band boundary of the withdrawal tariff.
  const BOUNDARIES: Array<[bigint, bigint]> = [
    [50n, 10n], [100n, 10n], [101n, 27n], [2_500n, 27n], [2_501n, 50n], [5_000n, 50n], [5_001n, 75n], [20_000n, 75n], [20_001n, 100n], [70_000n, 100n],
  ];

  it('charges by band and pays the agent half the charge, to the cent, at every band boundary', async () => {
    const agent = await makeAgent({ floatKes: 0 });
    for (const [amountKes, chargeKes] of BOUNDARIES) {
      const customer = await makeCustomer(Number(amountKes + chargeKes));
      const before = await balancesOf(agent);
      const r = await withdrawCash({ customerMsisdn: customer.msisdn, agentNumber: agent.agentNumber, storeNumber: '1', amount: amountKes * KES, pin: '1234', idempotencyKey: key('w') });
      expect(r.charge, `charge on KES ${amountKes}`).to.equal(chargeKes * KES);
      expect(r.commission, `commission on KES ${amountKes}`).to.equal((chargeKes * KES) / 2n);
      expect(r.balance).to.equal(0n);
      const after = await balancesOf(agent);
      expect(after.float - before.float).to.equal(amountKes * KES);
      expect(after.commission - before.commission).to.equal((chargeKes * KES) / 2n);
    }
  });

  it("names the agent in the customer's mini statement, for a withdrawal and a deposit", async () => {
    const agent = await makeAgent({ floatKes: 1_000 });
    const customer = await makeCustomer(1_000);
    await withdrawCash({ customerMsisdn: customer.msisdn, agentNumber: agent.agentNumber, storeNumber: '1', amount: 500n * KES, pin: '1234', idempotencyKey: key('w') });
    await depositCash({ agentMsisdn: agent.msisdn, customerMsisdn: customer.msisdn, amount: 200n * KES, pin: '1234', idempotencyKey: key('d') });
    const lines = await miniStatement(customer.msisdn, '1234');
    expect(lines.slice(0, 2).map((l) => [l.counterparty, l.amount])).to.deep.equal([[`Agent ${agent.agentNumber}`, 200n * KES], [`Agent ${agent.agentNumber}`, -527n * KES]]);
  });

  it('refuses withdrawals below KES 50 and above KES 70,000', async () => {
    const agent = await makeAgent({ floatKes: 0 });
    const customer = await makeCustomer(100_000);
    expect(await refusal(quoteWithdrawal(customer.msisdn, agent.agentNumber, '1', 49n * KES))).to.be.instanceOf(LimitExceededError).with.property('limitName', 'min_amount');
    expect(await refusal(quoteWithdrawal(customer.msisdn, agent.agentNumber, '1', 70_001n * KES))).to.be.instanceOf(LimitExceededError).with.property('limitName', 'per_transaction');
  });

  it('pays 0.3 % commission on a deposit, at least KES 1, rounded half-up', async () => {
    const cases: Array<[bigint, bigint]> = [[5_000n, 100n], [33_300n, 100n], [33_400n, 100n], [50_000n, 150n], [100_000n, 300n], [7_000_000n, 21_000n], [123_456n, 370n], [123_500n, 371n]];
    for (const [amount, commission] of cases) expect(await agentCommission(db, 'deposit', amount, 0n), `on ${amount} cents`).to.equal(commission);
  });

  it('a deposit moves float to the wallet and pays commission; SMS to both', async () => {
    const agent = await makeAgent({ floatKes: 1_000 });
    const customer = await makeCustomer(0);
    const r = await depositCash({ agentMsisdn: agent.msisdn, customerMsisdn: customer.msisdn, amount: 500n * KES, pin: '1234', idempotencyKey: key('d') });
    expect(r).to.include({ amount: 500n * KES, commission: 150n, float: 500n * KES, customerMsisdn: customer.msisdn });
    expect(displayBalance(await getAccount(db, customer.walletAccountId))).to.equal(500n * KES);
    expect((await balancesOf(agent)).commission).to.equal(150n);
    const sms = await db('sms_outbox').whereIn('msisdn', [agent.msisdn, customer.msisdn]).orderBy('msisdn').select('msisdn', 'message');
    expect(sms).to.have.length(2);
    expect(sms.find((s) => s.msisdn === customer.msisdn)!.message).to.contain(`${r.code} Confirmed.`).and.contain(`agent ${agent.agentNumber}`);
    expect(sms.find((s) => s.msisdn === agent.msisdn)!.message).to.contain('KES 500 deposited to TEST CUSTOMER');
  });

  it('refuses a deposit larger than the float, showing the float, and moves nothing', async () => {
    const agent = await makeAgent({ floatKes: 300 });
    const customer = await makeCustomer(0);
    const err = await refusal(depositCash({ agentMsisdn: agent.msisdn, customerMsisdn: customer.msisdn, amount: 301n * KES, pin: '1234', idempotencyKey: key('d') }));
    expect(err).to.be.instanceOf(InsufficientFloatError).with.property('float', 300n * KES);
    expect((await balancesOf(agent)).float).to.equal(300n * KES);
    expect(await db('sms_outbox').where({ msisdn: customer.msisdn })).to.have.length(0);
  });

  it('a suspended agent can be neither paid nor used for deposits; a wrong store is refused', async () => {
    const agent = await makeAgent({ floatKes: 1_000 });
    const customer = await makeCustomer(1_000);
    expect(await refusal(withdrawCash({ customerMsisdn: customer.msisdn, agentNumber: agent.agentNumber, storeNumber: '2', amount: 100n * KES, pin: '1234', idempotencyKey: key('w') }))).to.be.instanceOf(StoreNotFoundError);
    await db('agents').where({ id: agent.id }).update({ status: 'suspended' });
    expect(await refusal(withdrawCash({ customerMsisdn: customer.msisdn, agentNumber: agent.agentNumber, storeNumber: '1', amount: 100n * KES, pin: '1234', idempotencyKey: key('w') }))).to.be.instanceOf(AgentInactiveError);
    expect(await refusal(depositCash({ agentMsisdn: agent.msisdn, customerMsisdn: customer.msisdn, amount: 100n * KES, pin: '1234', idempotencyKey: key('d') }))).to.be.instanceOf(AgentInactiveError);
    expect(displayBalance(await getAccount(db, customer.walletAccountId))).to.equal(1_000n * KES);
  });

  it('locks an agent PIN after three wrong tries', async () => {
    const agent = await makeAgent({ floatKes: 0 });
    expect(await refusal(verifyAgentPin(agent.msisdn, '0000'))).to.be.instanceOf(WrongPinError).with.property('attemptsLeft', 2);
    await refusal(verifyAgentPin(agent.msisdn, '0000'));
    expect(await refusal(verifyAgentPin(agent.msisdn, '0000'))).to.be.instanceOf(PinLockedError);
    expect(await refusal(verifyAgentPin(agent.msisdn, '1234'))).to.be.instanceOf(PinLockedError);
  });

  it('keeps every balance right through 30 concurrent withdrawals and deposits on one float, with no deadlock', async function () {
    this.timeout(30_000);
    const agent = await makeAgent({ floatKes: 1_000 });
    const customers = await Promise.all(Array.from({ length: 30 }, () => makeCustomer(1_000)));
    const results = await Promise.allSettled(customers.map((c, i) => (i % 2 === 0
      ? withdrawCash({ customerMsisdn: c.msisdn, agentNumber: agent.agentNumber, storeNumber: '1', amount: 200n * KES, pin: '1234', idempotencyKey: key('rw') })
      : depositCash({ agentMsisdn: agent.msisdn, customerMsisdn: c.msisdn, amount: 150n * KES, pin: '1234', idempotencyKey: key('rd') }))));
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    for (const e of refused) expect(e, String(e)).to.be.instanceOf(InsufficientFloatError);
    const ok = (i: number) => results[i].status === 'fulfilled';
    let float = 1_000n * KES;
    let commission = 0n;
    customers.forEach((_, i) => {
      if (!ok(i)) return;
      float += i % 2 === 0 ? 200n * KES : -150n * KES;
      commission += i % 2 === 0 ? 1_350n : 100n; // half of KES 27; 0.3 % of KES 150 is 45 cents, floored to KES 1
    });
    expect(await balancesOf(agent)).to.deep.equal({ float, commission });
    for (const [i, c] of customers.entries()) {
      const expected = !ok(i) ? 1_000n * KES : i % 2 === 0 ? (1_000n - 227n) * KES : (1_000n + 150n) * KES;
      expect(displayBalance(await getAccount(db, c.walletAccountId)), c.msisdn).to.equal(expected);
    }
  });
});

describe('agents: float and commission', () => {
  afterEach(assertLedgerSound);

  it('an agent sends float to a sibling and to its super agent, not to an agent under another super agent', async () => {
    const sup = await makeAgent({ floatKes: 10_000, kind: 'super_agent' });
    const other = await makeAgent({ floatKes: 0, kind: 'super_agent' });
    const a = await makeAgent({ floatKes: 1_000, superAgentNumber: sup.agentNumber });
    const b = await makeAgent({ floatKes: 0, superAgentNumber: sup.agentNumber });
    const c = await makeAgent({ floatKes: 0, superAgentNumber: other.agentNumber });
    const sent = await moveFloat({ fromAgentNumber: a.agentNumber, toAgentNumber: b.agentNumber, amount: 300n * KES, pin: '1234', idempotencyKey: key('f') });
    expect(sent.float).to.equal(700n * KES);
    await moveFloat({ fromAgentNumber: a.agentNumber, toAgentNumber: sup.agentNumber, amount: 100n * KES, pin: '1234', idempotencyKey: key('f') });
    expect(await refusal(moveFloat({ fromAgentNumber: a.agentNumber, toAgentNumber: c.agentNumber, amount: 1n * KES, pin: '1234', idempotencyKey: key('f') }))).to.be.instanceOf(FloatTransferNotAllowedError);
    expect(await refusal(moveFloat({ fromAgentNumber: sup.agentNumber, toAgentNumber: c.agentNumber, amount: 1n * KES, idempotencyKey: key('f') }))).to.be.instanceOf(FloatTransferNotAllowedError);
    await moveFloat({ fromAgentNumber: sup.agentNumber, toAgentNumber: b.agentNumber, amount: 2_000n * KES, idempotencyKey: key('f') });
    expect((await balancesOf(a)).float).to.equal(600n * KES);
    expect((await balancesOf(b)).float).to.equal(2_300n * KES);
    expect((await balancesOf(sup)).float).to.equal(8_100n * KES);
    expect(await refusal(moveFloat({ fromAgentNumber: b.agentNumber, toAgentNumber: a.agentNumber, amount: 2_301n * KES, idempotencyKey: key('f') }))).to.be.instanceOf(InsufficientFloatError).with.property('float', 2_300n * KES);
  });

  it('moves the whole commission balance into float, once per key', async () => {
    const agent = await makeAgent({ floatKes: 0 });
    const customer = await makeCustomer(10_000);
    await withdrawCash({ customerMsisdn: customer.msisdn, agentNumber: agent.agentNumber, storeNumber: '1', amount: 6_000n * KES, pin: '1234', idempotencyKey: key('w') });
    const k = key('c');
    const moved = await moveCommissionToFloat(agent.msisdn, k);
    expect(moved.amount).to.equal(3_750n);
    expect(moved.float).to.equal(6_000n * KES + 3_750n);
    expect((await moveCommissionToFloat(agent.msisdn, k)).code).to.equal(moved.code);
    expect(await balancesOf(agent)).to.deep.equal({ float: 6_000n * KES + 3_750n, commission: 0n });
    expect((await moveCommissionToFloat(agent.msisdn, key('c'))).amount).to.equal(0n);
  });
});
