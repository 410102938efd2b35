/**
 * Redelivery end to end: AT's failure reports set the row back to pending, the relay and
 * the worker send it again through AT (nock at the SDK's real endpoint), up to the limit.
 */
import { expect } from 'chai';
import nock from 'nock';
import { db } from '../src/db/index.js';
import { closeQueues, type RunningWorker } from '../src/queue/index.js';
import { recordDeliveryReport, DR_RETRY_BACKOFF_MINUTES } from '../src/sms/index.js';
import { atAnswer, interceptAtSms, type AtCall } from './helpers/at.js';
import { outboxRow, rowOf, eventually, startTestWorker } from './helpers/outbox.js';

const QUEUE = 'test-sms-dr-worker';
/** No wait between redeliveries: the relay picks the row up on its next pass. */
const NO_BACKOFF = DR_RETRY_BACKOFF_MINUTES.map(() => 0);

describe('delivery report redelivery through the relay and the worker', () => {
  let worker: RunningWorker;

  before(async () => {
    worker = await startTestWorker({ queueName: QUEUE, attempts: 2, backoffMs: 20, relayIntervalMs: 50, concurrency: 2 }, 'test/sms-delivery-reports-worker.test.ts');
  });

  afterEach(() => nock.cleanAll());

  after(async () => {
    await worker.stop();
    await closeQueues();
    nock.enableNetConnect();
  });

  /** Waits until row `id` is `sent` with an AT message id other than `previous`; returns it. */
  async function sentAgain(id: bigint, previous: string | null): Promise<string> {
    let messageId = '';
    await eventually(async () => {
      const row = await rowOf(id);
      messageId = row.at_message_id;
      return row.status === 'sent' && row.at_message_id !== previous;
    }, `row ${id} sent after ${previous}`);
    return messageId;
  }

  it('sends the SMS again after each retriable failure, and stops at the limit with the row failed', async () => {
    const { id, msisdn, message } = await outboxRow();
    const calls: AtCall[] = [];
    for (let n = 0; n <= NO_BACKOFF.length; n += 1) interceptAtSms(msisdn, 201, atAnswer(msisdn, 101, 'Success', `ATXid_dr_${id}_${n}`), calls);
    interceptAtSms(msisdn, 201, atAnswer(msisdn, 101, 'Success', `ATXid_dr_${id}_extra`), calls); // must stay unused

    let messageId = await sentAgain(id, null);
    const outcomes: string[] = [];
    for (let n = 1; n <= NO_BACKOFF.length; n += 1) {
      outcomes.push((await recordDeliveryReport({ id: messageId, status: 'Failed', failureReason: 'DeliveryFailure' }, db, { backoffMinutes: NO_BACKOFF })).outcome);
      messageId = await sentAgain(id, messageId);
    }
    outcomes.push((await recordDeliveryReport({ id: messageId, status: 'Failed', failureReason: 'DeliveryFailure' }, db, { backoffMinutes: NO_BACKOFF })).outcome);
    // Give the relay a few passes: a final row must not be sent again.
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(outcomes).to.deep.equal(['retry', 'retry', 'retry', 'failed']);
    expect(calls).to.have.length(4);
    expect(calls.every((c) => c.body.get('message') === message)).to.equal(true);
    expect(await rowOf(id)).to.include({ status: 'failed', dr_retries: 3, attempts: 4, at_message_id: `ATXid_dr_${id}_3`, failure_reason: 'DeliveryFailure' });
    expect((await db('sms_delivery_retries').where({ outbox_id: String(id) }).orderBy('retry')).map((r) => r.at_message_id))
      .to.deep.equal([0, 1, 2].map((n) => `ATXid_dr_${id}_${n}`));
  });

  it('a row re-queued with a backoff is not sent before its not_before', async () => {
    const { id, msisdn } = await outboxRow();
    const calls = interceptAtSms(msisdn, 201, atAnswer(msisdn, 101, 'Success', `ATXid_dr_${id}_a`), [], 1);
    interceptAtSms(msisdn, 201, atAnswer(msisdn, 101, 'Success', `ATXid_dr_${id}_b`), calls, 1);
    const messageId = await sentAgain(id, null);

    await recordDeliveryReport({ id: messageId, status: 'Failed', failureReason: 'AbsentSubscriber' });
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(calls).to.have.length(1);
    expect(await rowOf(id)).to.include({ status: 'pending', dr_retries: 1 });
    await db('sms_outbox').where({ id: String(id) }).update({ not_before: db.raw(`now() - interval '1 second'`) });
    expect(await sentAgain(id, messageId)).to.equal(`ATXid_dr_${id}_b`);
    expect(calls).to.have.length(2);
  });
});
