import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { createQueue, closeQueue, closeQueues, type Queue } from '../src/queue/index.js';
import { relayOutbox, relayPendingOutbox, relayStuckOutbox, smsJobId, type SmsJob } from '../src/sms/index.js';
import { closeAtEnd } from './helpers/resources.js';
import { outboxRow, rowOf, eventually } from './helpers/outbox.js';

// No processor runs on this queue: the tests look at what the relay put into it.
const QUEUE = 'test-sms-relay';

/** Pretends that row `id` went to bull long ago and its job was lost. */
async function ageQueuedRow(id: bigint): Promise<void> {
  await db('sms_outbox').where({ id: String(id) }).update({ status: 'queued', queued_at: db.raw(`now() - interval '10 minutes'`) });
}

describe('relayOutbox()', () => {
  let queue: Queue<SmsJob>;

  before(async () => {
    closeAtEnd(closeQueues);
    queue = createQueue<SmsJob>(QUEUE);
    await queue.obliterate({ force: true });
  });

  // Closed as soon as this file is done (closeAtEnd is the backstop): open Redis clients
  // keep mocha from exiting.
  after(closeQueues);

  it('moves pending rows to queued with one bull job each, and a second pass adds none', async () => {
    const rows = [await outboxRow(), await outboxRow()];

    // A batch large enough for rows other test files left pending.
    const first = await relayOutbox(db, queue, 10_000);
    const jobsAfterFirst = await queue.count();
    const queuedAt = (await rowOf(rows[0].id)).queued_at;
    const second = await relayPendingOutbox(db, queue, 10_000);

    expect(first.relayed).to.be.at.least(2);
    for (const { id } of rows) {
      const row = await rowOf(id);
      expect(row.status).to.equal('queued');
      const job = await queue.getJob(smsJobId(id));
      expect(job?.data).to.deep.equal({ outboxId: String(id) });
    }
    expect(second).to.equal(0);
    expect(await queue.count()).to.equal(jobsAfterFirst);
    expect((await rowOf(rows[0].id)).queued_at).to.deep.equal(queuedAt);
  });

  it('gives every job attempts, exponential backoff and removeOnComplete', async () => {
    const { id } = await outboxRow();

    await relayPendingOutbox(db, queue, 10_000);

    const job = await queue.getJob(smsJobId(id));
    expect(job?.opts).to.deep.include({ attempts: 8, removeOnComplete: true, backoff: { type: 'exponential', delay: 2000 } });
  });

  it('when a queued row has lost its bull job, adds the job again', async () => {
    const { id } = await outboxRow();
    await ageQueuedRow(id);

    const added = await relayStuckOutbox(db, queue, 10_000);

    expect(added).to.be.at.least(1);
    expect(await queue.getJob(smsJobId(id))).to.not.equal(null);
    const row = await rowOf(id);
    expect(row.status).to.equal('queued');
    const { rows: [fresh] } = await db.raw(`SELECT queued_at > now() - interval '1 minute' AS fresh FROM sms_outbox WHERE id = ?`, [String(id)]);
    expect(fresh.fresh).to.equal(true);
  });

  it('when a stuck row\'s job still waits in bull, leaves that job alone', async () => {
    const { id } = await outboxRow();
    await relayPendingOutbox(db, queue, 10_000);
    const before = await queue.getJob(smsJobId(id));
    await ageQueuedRow(id);

    await relayStuckOutbox(db, queue, 10_000);

    const after = await queue.getJob(smsJobId(id));
    expect(after?.timestamp).to.equal(before?.timestamp);
    expect(await after?.getState()).to.equal('waiting');
  });

  it('when a row\'s job failed for good in bull but the row stayed queued, replaces the job', async () => {
    const { id } = await outboxRow();
    const jobId = smsJobId(id);
    // A queue of its own whose processor always throws: the job ends failed after one try.
    const name = `${QUEUE}-failed`;
    const failing = createQueue<SmsJob>(name, { attempts: 1 });
    await failing.obliterate({ force: true });
    failing.process(async () => { throw new Error('test: failed for good'); }).catch(() => undefined);
    await failing.add({ outboxId: String(id) }, { jobId });
    await eventually(async () => (await (await failing.getJob(jobId))?.getState()) === 'failed', 'job failed');
    await closeQueue(failing);
    const relayQueue = createQueue<SmsJob>(name);
    await ageQueuedRow(id);

    await relayStuckOutbox(db, relayQueue, 10_000);

    const job = await relayQueue.getJob(jobId);
    expect(await job?.getState()).to.equal('waiting');
    expect(job?.failedReason).to.equal(undefined);
  });

  it('when several relays run at once, hands each row to bull once', async () => {
    const rows = await Promise.all([1, 2, 3, 4, 5].map(() => outboxRow()));
    // Open enough pooled connections first, so that the three relays really overlap.
    await Promise.all([1, 2, 3, 4].map(() => db.raw('select pg_sleep(0.05)')));

    const results = await Promise.all([1, 2, 3].map(() => relayPendingOutbox(db, queue, 10_000)));

    // Earlier tests relayed every pending row, so these five are all there is.
    expect(results.reduce((a, b) => a + b, 0)).to.equal(5);
    for (const { id } of rows) expect((await rowOf(id)).status).to.equal('queued');
  });
});
