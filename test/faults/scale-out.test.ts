/**
 * Two web and two worker processes against the same PostgreSQL and Redis, the hops of each
 * session alternating between the web processes (as a load balancer without stickiness
 * sends them). Counted: every session completes as it does on one process, each
 * confirmation is in the ledger once, each receipt reaches AT exactly once.
 */
import { expect } from 'chai';
import { alternating } from './harness/phone.js';
import { runSessions } from './harness/load.js';
import { auditMoney, auditReceipts, outboxDrained, outboxLeft } from './harness/verify.js';
import { startWorld, type World } from './harness/world.js';
import { report } from './harness/report.js';

describe('Faults: two web and two worker processes, hops alternating between the webs', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(async () => world?.close());

  it('completes every session as on one process, and sends each receipt once', async () => {
    const payers = await world.makeCustomers(1, 100, 5_000);
    const recipients = await world.makeCustomers(2, 100, 0);
    const [a, b] = await Promise.all([world.startWeb(), world.startWeb()]);
    await Promise.all([world.startWorker(), world.startWorker()]);

    const timed = await runSessions({ gateway: alternating(() => [a.port, b.port]), payers, recipients, concurrency: 100, durationMs: 10_000, kes: 10, tag: 'two' });
    const outcomes = timed.map((t) => t.outcome);
    const drained = await outboxDrained(world.db, 120_000);
    const money = await auditMoney(world.db, outcomes);
    const receipts = await auditReceipts(world.db, world.at);
    const check = world.ledgerCheck();
    report('2 web + 2 worker, 100 phones for 10 s, hops alternating between the webs', outcomes, money, receipts, { drained, left: await outboxLeft(world.db), ledgerCheck: check.status });

    expect(outcomes.length).to.be.greaterThan(100);
    expect(outcomes.filter((o) => o.kind !== 'confirmed'), 'sessions that did not complete').to.deep.equal([]);
    expect(money.entries).to.equal(outcomes.length);
    expect(money.confirmedMissing).to.deep.equal([]);
    expect(money.sessionsPaidTwice).to.deep.equal([]);
    expect(drained, 'outbox drained').to.equal(true);
    expect(receipts.rows).to.equal(2 * money.entries);
    expect(receipts.neverReceived).to.equal(0);
    expect(receipts.extraCopies, 'copies AT received twice').to.equal(0);
    expect(check.status, check.output).to.equal(0);
  });
});
