import { expect } from 'chai';
import nock from 'nock';
import { closeQueues, type RunningWorker } from '../src/queue/index.js';
import { smsJobId } from '../src/sms/index.js';
import { atAnswer, interceptAtSms, type AtCall } from './helpers/at.js';
import { outboxRow, rowOf, eventually, startTestWorker } from './helpers/outbox.js';

const QUEUE = 'test-sms-worker';
const ATTEMPTS = 3;

async function statusOf(id: bigint): Promise<string> {
  return (await rowOf(id)).status;
}

describe('startWorker(), end to end through bull and AT', () => {
  let worker: RunningWorker;

  before(async () => {
    worker = await startTestWorker({ queueName: QUEUE, attempts: ATTEMPTS, backoffMs: 20, relayIntervalMs: 50, concurrency: 5 }, 'test/sms-worker.test.ts');
  });

  afterEach(() => nock.cleanAll());

  // Stopped as soon as this file is done (closeAtEnd is the backstop): open Redis clients
  // keep mocha from exiting.
  after(async () => {
    await worker.stop();
    await closeQueues();
    nock.enableNetConnect();
  });

  it('relays a pending row and sends it through AT', async () => {
    const { id, msisdn, message } = await outboxRow();
    const calls = interceptAtSms(msisdn, 201, atAnswer(msisdn, 101, 'Success', 'ATXid_worker1'));

    await eventually(async () => (await statusOf(id)) === 'sent', 'row sent');

    expect(calls).to.have.length(1);
    expect(calls[0].body.get('message')).to.equal(message);
    expect(await rowOf(id)).to.include({ at_message_id: 'ATXid_worker1', attempts: 1 });
  });

  it('when AT answers 500 and then a transient status, bull retries with backoff until AT accepts', async () => {
    const { id, msisdn } = await outboxRow();
    const calls: AtCall[] = [];
    interceptAtSms(msisdn, 500, 'Internal Server Error', calls);
    interceptAtSms(msisdn, 201, atAnswer(msisdn, 501, 'GatewayError'), calls);
    interceptAtSms(msisdn, 201, atAnswer(msisdn, 101, 'Success', 'ATXid_worker3'), calls);

    await eventually(async () => (await statusOf(id)) === 'sent', 'row sent after retries');

    expect(calls).to.have.length(3);
    expect(await rowOf(id)).to.include({ at_message_id: 'ATXid_worker3', attempts: 3, last_error: null });
  });

  it('when AT keeps failing, ends the row failed after bull\'s last attempt', async () => {
    const { id, msisdn } = await outboxRow();
    const calls = interceptAtSms(msisdn, 502, 'Bad Gateway', [], ATTEMPTS + 1);

    await eventually(async () => (await statusOf(id)) === 'failed', 'row failed');
    const job = await worker.queue.getJob(smsJobId(id));

    expect(calls).to.have.length(ATTEMPTS);
    expect(await rowOf(id)).to.include({ attempts: ATTEMPTS, last_error: 'HTTP 502: Bad Gateway' });
    expect(await job?.getState()).to.equal('failed');
  });

  it('when AT refuses a row for good, does not retry it', async () => {
    const { id, msisdn } = await outboxRow();
    const calls = interceptAtSms(msisdn, 201, atAnswer(msisdn, 404, 'UnsupportedNumberType'), [], 2);

    await eventually(async () => (await statusOf(id)) === 'failed', 'row failed');
    await eventually(async () => (await worker.queue.getJob(smsJobId(id))) === null, 'job completed');

    expect(calls).to.have.length(1);
    expect((await rowOf(id)).attempts).to.equal(1);
  });

  it('when a second job for the same row runs alongside the relay\'s, sends once', async () => {
    const { id, msisdn } = await outboxRow();
    const calls = interceptAtSms(msisdn, 201, atAnswer(msisdn), [], 3);
    const duplicates = ['dup-a', 'dup-b'].map((tag) => `${tag}:${id}`);

    await Promise.all(duplicates.map((jobId) => worker.queue.add({ outboxId: String(id) }, { jobId })));
    await eventually(async () => (await statusOf(id)) === 'sent', 'row sent');
    for (const jobId of [...duplicates, smsJobId(id)]) {
      await eventually(async () => (await worker.queue.getJob(jobId)) === null, `job ${jobId} done`);
    }

    expect(calls).to.have.length(1);
    expect((await rowOf(id)).attempts).to.equal(1);
  });
});
