/**
 * Fault: PostgreSQL stopped (as a crash: `pg_ctl -m immediate`) under Send Money load and
 * started again 5 s later, with Simu's processes left alone. Counted: while it is down every
 * hop is answered within the hop budget, with a `CON` or a clear `END`; no process dies;
 * service recovers by itself (sessions started after it is back complete, receipts go
 * out); every confirmation is in the ledger once and `ledger:check` is clean.
 */
import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { onePort } from './harness/phone.js';
import { runSessions } from './harness/load.js';
import { auditMoney, auditReceipts, outboxDrained, outboxLeft } from './harness/verify.js';
import { startWorld, type World } from './harness/world.js';
import { FAST_RECLAIM, report } from './harness/report.js';

describe('Faults: PostgreSQL restarted under load', () => {
  let world: World;
  before(async () => {
    world = await startWorld(FAST_RECLAIM);
  });
  after(async () => world?.close());

  it('answers every hop within the budget while it is down, and recovers by itself', async () => {
    const payers = await world.makeCustomers(1, 50, 5_000);
    const recipients = await world.makeCustomers(2, 50, 0);
    const web = await world.startWeb();
    await world.startWorker();

    const started = Date.now();
    const load = runSessions({ gateway: onePort(() => web.port), payers, recipients, concurrency: 50, durationMs: 32_000, kes: 10, tag: 'pg' });
    await sleep(4_000);
    const downAt = Date.now() - started;
    world.pg.stop('immediate');
    await sleep(5_000);
    await world.pg.start();
    const backAt = Date.now() - started;
    const timed = await load;
    const outcomes = timed.map((t) => t.outcome);
    const after = timed.filter((t) => t.startedAt > backAt + 3_000).map((t) => t.outcome);
    const slowest = Math.max(...outcomes.flatMap((o) => o.hops.map((h) => h.ms)));

    const drained = await outboxDrained(world.db, 150_000);
    const money = await auditMoney(world.db, outcomes);
    const receipts = await auditReceipts(world.db, world.at);
    const check = world.ledgerCheck();
    const ends = outcomes.filter((o) => o.kind === 'ended').map((o) => (o.kind === 'ended' ? o.text : ''));
    report(`PostgreSQL stopped (immediate) at ${(downAt / 1000).toFixed(1)} s, started at ${(backAt / 1000).toFixed(1)} s, 50 phones for 32 s`, outcomes, money, receipts, {
      slowestHopMs: Math.round(slowest), endScreens: [...new Set(ends)].slice(0, 4), sessionsAfterRecovery: after.length, drained,
      left: await outboxLeft(world.db), ledgerCheck: check.status, webAlive: web.alive(), workersAlive: world.workers.every((w) => w.alive()),
    });

    expect(outcomes.filter((o) => o.kind === 'http' || o.kind === 'lost'), 'hops with no answer in the budget, or a non-200').to.deep.equal([]);
    expect(ends.length, 'sessions the outage ended').to.be.greaterThan(0);
    for (const text of ends) expect(text).to.match(/^END .*(try again|dial again|SMS)/i);
    expect(web.alive() && world.workers.every((w) => w.alive()), 'no process died').to.equal(true);
    expect(after.length).to.be.greaterThan(0);
    expect(after.filter((o) => o.kind !== 'confirmed'), 'sessions after recovery that did not complete').to.deep.equal([]);
    expect(money.confirmedMissing).to.deep.equal([]);
    expect(money.confirmedTwice).to.deep.equal([]);
    expect(money.sessionsPaidTwice).to.deep.equal([]);
    expect(drained, 'outbox drained').to.equal(true);
    expect(receipts.neverReceived).to.equal(0);
    expect(receipts.entriesWithoutReceipts).to.equal(0);
    expect(check.status, check.output).to.equal(0);
  });
});
