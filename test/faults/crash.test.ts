/**
 * Fault: `kill -9` of the web process and then of the worker in the middle of 200
 * concurrent Send Money sessions, each restarted a second later. Counted: every
 * confirmation a user saw is in the ledger exactly once; entries no user saw confirmed
 * (committed, answer lost) are reported; every entry's two receipts reach AT at least once
 * and the copies beyond one are reported (DESIGN.md, SMS: only a crash between AT's
 * acceptance and our record of it sends a second copy); `npm run ledger:check` is clean.
 */
import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { onePort } from './harness/phone.js';
import { startSessions, waitUntil } from './harness/load.js';
import { auditMoney, auditReceipts, outboxDrained, outboxLeft } from './harness/verify.js';
import { startWorld, type World } from './harness/world.js';
import { FAST_RECLAIM, report } from './harness/report.js';

describe('Faults: kill -9 of web and worker under 200 concurrent Send Money sessions', () => {
  let world: World;
  before(async () => {
    world = await startWorld(FAST_RECLAIM);
  });
  after(async () => world?.close());

  it('loses no confirmed transfer, pays none twice, and sends every receipt', async () => {
    const payers = await world.makeCustomers(1, 200, 5_000);
    const recipients = await world.makeCustomers(2, 200, 0);
    let web = await world.startWeb();
    await world.startWorker();
    const webPort = web.port;

    // Faults are injected by progress, not by the clock: a slow machine still kills mid-flight.
    const run = startSessions({ gateway: onePort(() => webPort), payers, recipients, concurrency: 200, durationMs: 300_000, kes: 10, tag: 'crash' });
    await waitUntil(() => run.confirmed() >= 100, 120_000, '100 confirmed sessions');
    const killedWebAt = run.confirmed();
    await web.kill9();
    await sleep(1_000);
    web = await world.startWeb(webPort);
    await waitUntil(() => run.confirmed() >= killedWebAt + 100, 120_000, '100 more confirmed sessions after the web restart');
    const killedWorkerAt = run.confirmed();
    await world.workers[0].kill9();
    await sleep(1_000);
    await world.startWorker();
    await waitUntil(() => run.confirmed() >= killedWorkerAt + 100, 120_000, '100 more confirmed sessions after the worker restart');
    run.stop();
    const outcomes = (await run.done).map((t) => t.outcome);

    const drained = await outboxDrained(world.db, 150_000);
    const money = await auditMoney(world.db, outcomes);
    const receipts = await auditReceipts(world.db, world.at);
    const check = world.ledgerCheck();
    report(`kill -9 of the web after ${killedWebAt} confirmations and of the worker after ${killedWorkerAt}, each restarted 1 s later; 200 phones`, outcomes, money, receipts, { drained, left: await outboxLeft(world.db), ledgerCheck: check.status });

    expect(outcomes.filter((o) => o.kind === 'lost').length, 'sessions that lost an answer to the kill').to.be.greaterThan(0);
    expect(money.confirmed).to.be.greaterThan(0);
    expect(money.confirmedMissing).to.deep.equal([]);
    expect(money.confirmedTwice).to.deep.equal([]);
    expect(money.sessionsPaidTwice).to.deep.equal([]);
    expect(drained, 'outbox drained').to.equal(true);
    expect(receipts.entriesWithoutReceipts).to.equal(0);
    expect(receipts.neverReceived).to.equal(0);
    expect(receipts.byStatus.failed ?? 0).to.equal(0);
    expect(check.status, check.output).to.equal(0);
  });
});
