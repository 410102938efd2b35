/**
 * Fault: Redis killed in the middle of Send Money sessions (nothing persisted, so every
 * session record, lock and bull job is gone) and started again 2 s later. Counted: every hop
 * is answered within the budget with a `CON` or a clear `END` (no 5xx, no silence); no
 * session pays twice and every confirmation is in the ledger; sessions started after
 * Redis is back complete; every receipt still reaches AT (the relay finds the rows whose
 * bull jobs were lost).
 */
import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { onePort } from './harness/phone.js';
import { runSessions } from './harness/load.js';
import { auditMoney, auditReceipts, outboxDrained, outboxLeft } from './harness/verify.js';
import { startWorld, type World } from './harness/world.js';
import { report } from './harness/report.js';

describe('Faults: Redis restarted mid-session', () => {
  let world: World;
  before(async () => {
    // Redis loses the bull jobs: their rows wait out the stuck window (here 40 s), then are relayed again.
    world = await startWorld({ SMS_CLAIM_EXPIRES_S: '35', SMS_STUCK_AFTER_S: '40' });
  });
  after(async () => world?.close());

  it('ends the sessions it cut with a clear END, moves no money twice, and works again once Redis is back', async () => {
    const payers = await world.makeCustomers(1, 50, 5_000);
    const recipients = await world.makeCustomers(2, 50, 0);
    const web = await world.startWeb();
    await world.startWorker();

    const load = runSessions({ gateway: onePort(() => web.port), payers, recipients, concurrency: 50, durationMs: 12_000, kes: 10, tag: 'redis' });
    await sleep(4_000);
    const downAt = Date.now();
    await world.redis.kill();
    await sleep(2_000);
    await world.redis.start();
    const backAt = Date.now();
    const timed = await load;
    const outcomes = timed.map((t) => t.outcome);
    // Sessions that began a second after Redis was back, with nothing left of the outage.
    const runStart = downAt - 4_000;
    const after = timed.filter((t) => t.startedAt > backAt - runStart + 1_000).map((t) => t.outcome);

    const drained = await outboxDrained(world.db, 150_000);
    const money = await auditMoney(world.db, outcomes);
    const receipts = await auditReceipts(world.db, world.at);
    const check = world.ledgerCheck();
    const ends = outcomes.filter((o) => o.kind === 'ended').map((o) => (o.kind === 'ended' ? o.text : ''));
    report('Redis killed at 4 s, started again at 6 s, 50 phones for 12 s', outcomes, money, receipts, {
      endScreens: [...new Set(ends)].slice(0, 4), sessionsAfterRecovery: after.length, drained, left: await outboxLeft(world.db), ledgerCheck: check.status,
      webAlive: web.alive(), workersAlive: world.workers.every((w) => w.alive()),
    });

    expect(outcomes.filter((o) => o.kind === 'http' || o.kind === 'lost'), 'hops with no answer or a non-200').to.deep.equal([]);
    expect(ends.length, 'sessions the outage ended').to.be.greaterThan(0);
    for (const text of ends) expect(text).to.match(/^END .*(try again|dial again)/i);
    expect(money.confirmedMissing).to.deep.equal([]);
    expect(money.confirmedTwice).to.deep.equal([]);
    expect(money.sessionsPaidTwice).to.deep.equal([]);
    expect(after.length).to.be.greaterThan(0);
    expect(after.filter((o) => o.kind !== 'confirmed'), 'sessions after recovery that did not complete').to.deep.equal([]);
    expect(web.alive() && world.workers.every((w) => w.alive()), 'no process died').to.equal(true);
    expect(drained, 'outbox drained').to.equal(true);
    expect(receipts.neverReceived).to.equal(0);
    expect(receipts.entriesWithoutReceipts).to.equal(0);
    expect(check.status, check.output).to.equal(0);
  });
});
