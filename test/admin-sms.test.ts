/** The admin API's SMS outbox routes and the queue board at /admin/queues. */
import { expect } from 'chai';
import nock from 'nock';
import { db } from '../src/db/index.js';
import { closeQueues, startWorker, QUEUE_PREFIX, type RunningWorker } from '../src/queue/index.js';
import { redis } from '../src/redis/index.js';
import { recordDeliveryReport, sendOutboxSms, smsJobId, smsQueueHandle, SMS_QUEUE } from '../src/sms/index.js';
import { nationalFormat } from '../src/phone/index.js';
import { admin, adminKey, clientAddress } from './helpers/admin.js';
import { atAnswer, blockOutboundHttp, interceptAtSms, type AtCall } from './helpers/at.js';
import { randomMsisdn } from './helpers/customers.js';
import { eventually, outboxRow, rowOf, setAsideUnsentSms } from './helpers/outbox.js';
import { closeAtEnd } from './helpers/resources.js';
import { appUrl } from './helpers/ussd.js';

/** An outbox row that AT refused for good (403 InvalidPhoneNumber): status `failed`. */
async function failedRow(msisdn = randomMsisdn()) {
  const row = await outboxRow({ msisdn });
  interceptAtSms(row.msisdn, 201, atAnswer(row.msisdn, 403, 'InvalidPhoneNumber'));
  expect(await sendOutboxSms(row.id)).to.equal('failed');
  return row;
}

/** An outbox row that AT accepted (status `sent`) with AT message id `atMessageId`. */
async function sentRow(atMessageId = `ATXid_${Math.random().toString(36).slice(2)}`) {
  const row = await outboxRow();
  interceptAtSms(row.msisdn, 201, atAnswer(row.msisdn, 101, 'Success', atMessageId));
  expect(await sendOutboxSms(row.id)).to.equal('sent');
  return { ...row, atMessageId };
}

const ids = (body: { data: Array<{ id: number }> }) => body.data.map((r) => String(r.id));

describe('admin API: SMS outbox', () => {
  before(() => {
    blockOutboundHttp();
    closeAtEnd(closeQueues);
  });
  afterEach(() => nock.cleanAll());
  // The retry route opens the `sms` queue handle: closed as soon as this file is done.
  after(async () => {
    await closeQueues();
    nock.enableNetConnect();
  });

  it('GET /admin/sms?status=, lists only rows of that status', async () => {
    const msisdn = randomMsisdn();
    const pending = await outboxRow({ msisdn });
    const failed = await failedRow(msisdn);
    const key = await adminKey('read');

    const failedOnes = await admin('GET', `/sms?status=failed&to=${encodeURIComponent(msisdn)}`, { key });
    const pendingOnes = await admin('GET', `/sms?status=pending&to=${encodeURIComponent(msisdn)}`, { key });

    expect(failedOnes.status).to.equal(200);
    expect(ids(failedOnes.body)).to.deep.equal([String(failed.id)]);
    expect(ids(pendingOnes.body)).to.deep.equal([String(pending.id)]);
    expect(failedOnes.body.data[0]).to.include({ status: 'failed', msisdn, message: failed.message, kind: 'receipt' });
  });

  it('GET /admin/sms?to=, takes the recipient as 07…, 7…, 2547… or +2547… and lists only their rows, newest first', async () => {
    const msisdn = randomMsisdn();
    const first = await outboxRow({ msisdn });
    const second = await outboxRow({ msisdn });
    await outboxRow(); // someone else's
    const key = await adminKey('read');
    const national = nationalFormat(msisdn);

    for (const form of [national, national.slice(1), msisdn.slice(1), msisdn]) {
      const res = await admin('GET', `/sms?to=${encodeURIComponent(form)}`, { key });

      expect(res.status, form).to.equal(200);
      expect(ids(res.body), form).to.deep.equal([String(second.id), String(first.id)]);
    }
  });

  it('GET /admin/sms?to=, given something that is not a mobile number, answers 400 naming `to`', async () => {
    const res = await admin('GET', '/sms?to=12ab', { key: await adminKey('read') });

    expect(res.status).to.equal(400);
    expect(res.body).to.include({ error: 'validation_failed', field: 'to' });
  });

  it('GET /admin/sms/{id}, for a delivered row, shows its delivery state', async () => {
    const row = await sentRow();
    await recordDeliveryReport({ id: row.atMessageId, status: 'Success' });

    const res = await admin('GET', `/sms/${row.id}`, { key: await adminKey('read') });

    expect(res.status).to.equal(200);
    expect(res.body).to.include({
      id: Number(row.id), msisdn: row.msisdn, message: row.message, status: 'delivered', attempts: 1,
      atStatus: 'Success', atMessageId: row.atMessageId, lastError: null,
    });
    expect(res.body.sentAt).to.be.a('string');
    expect(res.body.deliveredAt).to.be.a('string');
    expect(res.body.createdAt).to.be.a('string');
  });

  it('GET /admin/sms/{id}, for a failed row, shows AT\'s status and the last error', async () => {
    const row = await failedRow();

    const res = await admin('GET', `/sms/${row.id}`, { key: await adminKey('read') });

    expect(res.body).to.include({ status: 'failed', attempts: 1, atStatus: 'InvalidPhoneNumber', lastError: '403 InvalidPhoneNumber', sentAt: null });
  });

  it('GET /admin/sms/{id}, for an id no row has, answers 404', async () => {
    const res = await admin('GET', '/sms/999999999999', { key: await adminKey('read') });

    expect(res.status).to.equal(404);
  });

  it('POST /admin/sms/{id}/retry, for a failed row, sets it pending and writes an audit row with the status before and after', async () => {
    const row = await failedRow();
    const key = await adminKey('operate', 'read');

    const res = await admin('POST', `/sms/${row.id}/retry`, { key });

    expect(res.status).to.equal(200);
    expect(res.body).to.include({ id: Number(row.id), status: 'pending', attempts: 1 });
    expect((await rowOf(row.id)).status).to.equal('pending');
    const audit = await admin('GET', `/audit?target=sms:${row.id}`, { key });
    expect(audit.body.data).to.have.length(1);
    expect(audit.body.data[0]).to.include({ method: 'POST', route: '/sms/{id}/retry', keyName: 'test-operate-read' });
    expect(audit.body.data[0].before).to.include({ status: 'failed', lastError: '403 InvalidPhoneNumber' });
    expect(audit.body.data[0].after).to.include({ status: 'pending' });
  });

  it('POST /admin/sms/{id}/retry, for a sent row, answers 409 and changes nothing', async () => {
    const row = await sentRow();
    const stored = await rowOf(row.id);

    const res = await admin('POST', `/sms/${row.id}/retry`, { key: await adminKey('operate') });

    expect(res.status).to.equal(409);
    expect(res.body.error).to.equal('sms_not_retryable');
    expect(await rowOf(row.id)).to.deep.equal(stored);
    expect(await db('audit_log').where({ target: `sms:${row.id}` }).first()).to.equal(undefined);
  });

  it('POST /admin/sms/{id}/retry, for a row queued just now, answers 409; for one stuck queued over 5 minutes, sets it pending', async () => {
    const fresh = await outboxRow();
    const stuck = await outboxRow();
    await db('sms_outbox').where({ id: String(fresh.id) }).update({ status: 'queued', queued_at: db.fn.now() });
    await db('sms_outbox').where({ id: String(stuck.id) }).update({ status: 'queued', queued_at: db.raw(`now() - interval '6 minutes'`) });
    const key = await adminKey('operate');

    const inFlight = await admin('POST', `/sms/${fresh.id}/retry`, { key });
    const unstuck = await admin('POST', `/sms/${stuck.id}/retry`, { key });

    expect(inFlight.status).to.equal(409);
    expect((await rowOf(fresh.id)).status).to.equal('queued');
    expect(unstuck.status).to.equal(200);
    expect((await rowOf(stuck.id)).status).to.equal('pending');
  });

  it('POST /admin/sms/{id}/retry, for an id no row has, answers 404', async () => {
    const res = await admin('POST', '/sms/999999999999/retry', { key: await adminKey('operate') });

    expect(res.status).to.equal(404);
  });

  describe('with the worker running on the sms queue', () => {
    let worker: RunningWorker;
    const ATTEMPTS = 2;

    before(async () => {
      await smsQueueHandle().obliterate({ force: true });
      // obliterate() leaves the limiter's keys and stray job hashes of an earlier run on the
      // same Redis database; with them the first job waits out a stale limit and the test
      // gives up. Start from an empty queue namespace.
      const stale: string[] = [];
      for await (const keys of redis.scanStream({ match: `${QUEUE_PREFIX}:${SMS_QUEUE}:*`, count: 500 })) stale.push(...(keys as string[]));
      if (stale.length) await redis.del(...stale);
      await setAsideUnsentSms('test/admin-sms.test.ts');
      worker = startWorker({ queueName: SMS_QUEUE, attempts: ATTEMPTS, backoffMs: 20, relayIntervalMs: 50 });
      await worker.queue.isReady();
    });

    after(async () => {
      await worker.stop();
      await closeQueues();
    });

    it('POST /admin/sms/{id}/retry, for a row whose bull job failed for good, gets it sent', async () => {
      const row = await outboxRow();
      const calls: AtCall[] = [];
      interceptAtSms(row.msisdn, 502, 'Bad Gateway', calls, ATTEMPTS);
      await eventually(async () => (await rowOf(row.id)).status === 'failed', 'row failed');
      await eventually(async () => (await (await worker.queue.getJob(smsJobId(row.id)))?.getState()) === 'failed', 'job failed');
      interceptAtSms(row.msisdn, 201, atAnswer(row.msisdn, 101, 'Success', 'ATXid_retried'), calls);

      const res = await admin('POST', `/sms/${row.id}/retry`, { key: await adminKey('operate') });

      expect(res.status).to.equal(200);
      await eventually(async () => (await rowOf(row.id)).status === 'sent', 'row sent after the retry');
      expect(calls).to.have.length(ATTEMPTS + 1);
      expect(await rowOf(row.id)).to.include({ at_message_id: 'ATXid_retried', attempts: ATTEMPTS + 1, last_error: null });
    });
  });
});

describe('GET /admin/queues (bull-board)', () => {
  after(closeQueues);

  /** Fetches a page of the board with `authorization` set as given. */
  async function board(path: string, authorization?: string) {
    const headers: Record<string, string> = { 'x-forwarded-for': clientAddress() };
    if (authorization) headers.authorization = authorization;
    const res = await fetch(`${await appUrl()}/admin/queues${path}`, { headers });
    return { status: res.status, type: res.headers.get('content-type') ?? '', challenge: res.headers.get('www-authenticate'), text: await res.text() };
  }

  it('without a key, answers 401 and asks a browser for credentials', async () => {
    const res = await board('');

    expect(res.status).to.equal(401);
    expect(res.challenge).to.match(/^Basic /);
  });

  it('with a key lacking the read scope, answers 403', async () => {
    const res = await board('', `Bearer ${await adminKey('operate', 'finance', 'admin')}`);

    expect(res.status).to.equal(403);
    expect(JSON.parse(res.text).error).to.equal('forbidden');
  });

  it('with a read key, answers 200 with the board; as Basic credentials too', async () => {
    const key = await adminKey('read');

    const bearer = await board('', `Bearer ${key}`);
    const basic = await board('', `Basic ${Buffer.from(`ops:${key}`).toString('base64')}`);

    expect(bearer.status).to.equal(200);
    expect(bearer.type).to.match(/^text\/html/);
    expect(bearer.challenge).to.equal(null);
    expect(basic.status).to.equal(200);
  });

  it('with a read key, shows the sms queue, read-only', async () => {
    const key = await adminKey('read');

    const queues = await board('/api/queues', `Bearer ${key}`);
    const pause = await fetch(`${await appUrl()}/admin/queues/api/queues/sms/pause`, { method: 'PUT', headers: { authorization: `Bearer ${key}` } });

    expect(queues.status).to.equal(200);
    const sms = JSON.parse(queues.text).queues.find((q: { name: string }) => q.name === 'sms');
    expect(sms).to.include({ readOnlyMode: true });
    expect(pause.status).to.equal(405);
    expect(await smsQueueHandle().isPaused()).to.equal(false);
  });
});
