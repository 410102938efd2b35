import { expect } from 'chai';
import nock from 'nock';
import { db } from '../src/db/index.js';
import { sendOutboxSms, SmsSendRetryError } from '../src/sms/index.js';
import { atAnswer, interceptAtSms, blockOutboundHttp, type AtCall } from './helpers/at.js';
import { outboxRow, rowOf } from './helpers/outbox.js';

/** Runs `fn` and returns what it threw (fails the test when it does not throw). */
async function thrownBy(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('sendOutboxSms()', () => {
  before(blockOutboundHttp);
  afterEach(() => nock.cleanAll());
  after(() => nock.enableNetConnect());

  it('when AT accepts, posts the form AT expects and records the row sent with AT\'s message id', async () => {
    const { id, msisdn, message } = await outboxRow();
    const calls = interceptAtSms(msisdn, 201, atAnswer(msisdn, 101, 'Success', 'ATXid_accepted1'));

    const outcome = await sendOutboxSms(id);

    expect(outcome).to.equal('sent');
    expect(calls).to.have.length(1);
    const { body, headers } = calls[0];
    expect(body.get('username')).to.equal('simu-test');
    expect(body.get('to')).to.equal(msisdn);
    expect(body.get('message')).to.equal(message);
    expect(body.get('from')).to.equal('SIMU');
    expect(body.get('bulkSMSMode')).to.equal('1');
    expect(headers.apikey).to.equal('test-at-key');
    const row = await rowOf(id);
    expect(row).to.include({ status: 'sent', at_message_id: 'ATXid_accepted1', at_status: 'Success', attempts: 1, last_error: null });
    expect(row.sent_at).to.be.instanceOf(Date);
  });

  it('when AT answers 500, leaves the row queued with the error and throws so bull retries', async () => {
    const { id, msisdn } = await outboxRow();
    interceptAtSms(msisdn, 500, 'Internal Server Error');

    const err = await thrownBy(() => sendOutboxSms(id));

    expect(err).to.be.instanceOf(SmsSendRetryError);
    expect((err as SmsSendRetryError).final).to.equal(false);
    const row = await rowOf(id);
    expect(row.status).to.equal('queued');
    expect(row.last_error).to.match(/^HTTP 500/);
  });

  it('when AT answers 500 and then accepts, sends on the retry', async () => {
    const { id, msisdn } = await outboxRow();
    const calls: AtCall[] = [];
    interceptAtSms(msisdn, 500, 'Internal Server Error', calls);
    interceptAtSms(msisdn, 201, atAnswer(msisdn, 101, 'Success', 'ATXid_retry500'), calls);

    await thrownBy(() => sendOutboxSms(id));
    const outcome = await sendOutboxSms(id);

    expect(outcome).to.equal('sent');
    expect(calls).to.have.length(2);
    expect(await rowOf(id)).to.include({ status: 'sent', at_message_id: 'ATXid_retry500', attempts: 2, last_error: null });
  });

  it('when AT answers a transient recipient status (405 InsufficientBalance), throws and the retry sends', async () => {
    const { id, msisdn } = await outboxRow();
    const calls: AtCall[] = [];
    interceptAtSms(msisdn, 201, atAnswer(msisdn, 405, 'InsufficientBalance'), calls);
    interceptAtSms(msisdn, 201, atAnswer(msisdn, 101, 'Success', 'ATXid_retry405'), calls);

    const err = await thrownBy(() => sendOutboxSms(id));
    const afterFirst = await rowOf(id);
    const outcome = await sendOutboxSms(id);

    expect(err).to.be.instanceOf(SmsSendRetryError);
    expect(afterFirst).to.include({ status: 'queued', at_status: 'InsufficientBalance', last_error: '405 InsufficientBalance' });
    expect(outcome).to.equal('sent');
    expect(calls).to.have.length(2);
    expect((await rowOf(id)).status).to.equal('sent');
  });

  it('when AT refuses the number for good (403 InvalidPhoneNumber), ends the row failed without retry', async () => {
    const { id, msisdn } = await outboxRow();
    const calls = interceptAtSms(msisdn, 201, atAnswer(msisdn, 403, 'InvalidPhoneNumber'), [], 2);

    const first = await sendOutboxSms(id);
    const second = await sendOutboxSms(id);

    expect(first).to.equal('failed');
    expect(second).to.equal('skipped');
    expect(calls).to.have.length(1);
    expect(await rowOf(id)).to.include({ status: 'failed', at_status: 'InvalidPhoneNumber', last_error: '403 InvalidPhoneNumber' });
  });

  it('when the user has opted out (406 UserInBlacklist), ends the row failed without retry', async () => {
    const { id, msisdn } = await outboxRow();
    interceptAtSms(msisdn, 201, atAnswer(msisdn, 406, 'UserInBlacklist'));

    const outcome = await sendOutboxSms(id);

    expect(outcome).to.equal('failed');
    expect((await rowOf(id)).status).to.equal('failed');
  });

  it('when the SDK itself refuses the number, ends the row failed without calling AT', async () => {
    const { id } = await outboxRow({ kind: 'notice', msisdn: '+2541234' });

    const outcome = await sendOutboxSms(id);

    expect(outcome).to.equal('failed');
    const row = await rowOf(id);
    expect(row.status).to.equal('failed');
    expect(row.last_error).to.match(/refused by the SDK/);
  });

  it('on bull\'s last attempt, when AT still fails, ends the row failed and throws', async () => {
    const { id, msisdn } = await outboxRow();
    interceptAtSms(msisdn, 503, 'Service Unavailable');

    const err = await thrownBy(() => sendOutboxSms(id, { finalAttempt: true }));

    expect((err as SmsSendRetryError).final).to.equal(true);
    expect(await rowOf(id)).to.include({ status: 'failed', last_error: 'HTTP 503: Service Unavailable' });
  });

  it('when the same row is processed twice in a row, sends once', async () => {
    const { id, msisdn } = await outboxRow();
    const calls = interceptAtSms(msisdn, 201, atAnswer(msisdn), [], 2);

    const outcomes = [await sendOutboxSms(id), await sendOutboxSms(id)];

    expect(outcomes).to.deep.equal(['sent', 'skipped']);
    expect(calls).to.have.length(1);
  });

  it('when the same row is processed by two jobs at once, sends once', async () => {
    const { id, msisdn } = await outboxRow();
    const calls = interceptAtSms(msisdn, 201, atAnswer(msisdn), [], 2);

    const outcomes = await Promise.all([sendOutboxSms(id), sendOutboxSms(String(id)), sendOutboxSms(id)]);

    expect(outcomes.sort()).to.deep.equal(['sent', 'skipped', 'skipped']);
    expect(calls).to.have.length(1);
    expect((await rowOf(id)).attempts).to.equal(1);
  });

  it('when the row is already sent, does not send it again', async () => {
    const { id, msisdn } = await outboxRow();
    await db('sms_outbox').where({ id: String(id) }).update({ status: 'sent', at_message_id: 'ATXid_old' });
    const calls = interceptAtSms(msisdn, 201, atAnswer(msisdn));

    const outcome = await sendOutboxSms(id);

    expect(outcome).to.equal('skipped');
    expect(calls).to.have.length(0);
    expect((await rowOf(id)).at_message_id).to.equal('ATXid_old');
  });
});
