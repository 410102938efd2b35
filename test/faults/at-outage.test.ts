/**
 * Fault: Africa's Talking's SMS endpoint answers HTTP 500 for a minute (FAULTS_AT_OUTAGE_S
 * seconds; 60 by default) while Send Money sessions write receipts. Counted: every receipt
 * reaches AT once it recovers (bull's backoff and the relay bring them back), none twice,
 * none given up; the sessions themselves are untouched by the outage.
 */
import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { onePort } from './harness/phone.js';
import { runSessions } from './harness/load.js';
import { auditMoney, auditReceipts, outboxDrained, outboxLeft } from './harness/verify.js';
import { startWorld, type World } from './harness/world.js';
import { report } from './harness/report.js';

const OUTAGE_S = Number(process.env.FAULTS_AT_OUTAGE_S ?? 60);

describe(`Faults: AT's SMS endpoint failing for ${OUTAGE_S} s`, () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(async () => world?.close());

  it('delivers every receipt after it recovers, none twice', async () => {
    const payers = await world.makeCustomers(1, 20, 5_000);
    const recipients = await world.makeCustomers(2, 20, 0);
    const web = await world.startWeb();
    await world.startWorker();

    world.at.setMode('http500');
    const outageStarted = Date.now();
    const load = runSessions({ gateway: onePort(() => web.port), payers, recipients, concurrency: 20, durationMs: 8_000, kes: 10, tag: 'at' });
    const outcomes = (await load).map((t) => t.outcome);
    await sleep(Math.max(0, OUTAGE_S * 1000 - (Date.now() - outageStarted)));
    const refusedDuringOutage = world.at.attempts.filter((a) => a.mode === 'http500').length;
    const receivedDuringOutage = world.at.received.length;
    world.at.setMode('ok');

    const drained = await outboxDrained(world.db, 240_000);
    const money = await auditMoney(world.db, outcomes);
    const receipts = await auditReceipts(world.db, world.at);
    report(`AT answering 500 for ${OUTAGE_S} s, 20 phones for the first 8 s`, outcomes, money, receipts, {
      attemptsRefusedDuringOutage: refusedDuringOutage, drained, left: await outboxLeft(world.db), msToDrainAfterRecovery: Date.now() - outageStarted - OUTAGE_S * 1000,
    });

    expect(outcomes.filter((o) => o.kind !== 'confirmed'), 'sessions hurt by an SMS outage').to.deep.equal([]);
    expect(refusedDuringOutage, 'sends AT refused during the outage').to.be.greaterThan(0);
    expect(receivedDuringOutage).to.equal(0);
    expect(drained, 'outbox drained').to.equal(true);
    expect(receipts.rows).to.equal(2 * money.entries);
    expect(receipts.byStatus).to.deep.equal({ sent: receipts.rows });
    expect(receipts.neverReceived).to.equal(0);
    expect(receipts.extraCopies, 'copies AT received twice').to.equal(0);
  });
});
