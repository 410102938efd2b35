/**
 * AT's delivery reports with redelivery: each status, the retriable and final failure
 * reasons, the limit, repeated and unknown reports, and the `/sms/delivery-reports` path
 * behind AT_CALLBACK_TOKEN.
 */
import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { db } from '../src/db/index.js';
import { redis } from '../src/redis/index.js';
import { createApp } from '../src/http/app.js';
import { recordDeliveryReport, DR_RETRY_BACKOFF_MINUTES } from '../src/sms/index.js';
import { closeAtEnd } from './helpers/resources.js';
import { outboxRow, rowOf } from './helpers/outbox.js';
import { captureLogs } from './helpers/logs.js';

/** An outbox row as it stands once AT has accepted it, with a fresh AT message id. */
async function sentRow(kind: 'receipt' | 'bulk' = 'receipt') {
  const row = await outboxRow({ kind });
  const atMessageId = `ATXid_${randomUUID()}`;
  await db('sms_outbox').where({ id: String(row.id) })
    .update({ status: 'sent', at_message_id: atMessageId, at_status: 'Success', sent_at: db.fn.now(), not_before: null });
  return { ...row, atMessageId };
}

/** What the sender does when it sends a row again: a new AT message id, status sent. */
async function resend(id: bigint) {
  const atMessageId = `ATXid_${randomUUID()}`;
  await db('sms_outbox').where({ id: String(id) }).update({ status: 'sent', at_message_id: atMessageId, sent_at: db.fn.now() });
  return atMessageId;
}

function report(id: string, status: string, extra: Record<string, string> = {}) {
  return { id, status, phoneNumber: '+254711000111', networkCode: '63902', ...extra };
}

describe('AT delivery reports with redelivery', () => {
  const capture = captureLogs();

  const lines = (message: string, outboxId: bigint) => capture.lines.filter((l) => l.message === message && l.outboxId === String(outboxId));

  it('Success marks the row delivered', async () => {
    const { id, atMessageId } = await sentRow();

    const result = await recordDeliveryReport(report(atMessageId, 'Success'));

    expect(result).to.deep.equal({ outcome: 'delivered', outboxId: String(id) });
    expect(await rowOf(id)).to.include({ status: 'delivered', at_status: 'Success', dr_retries: 0 });
  });

  it('Failed with DeliveryFailure sets the row pending again with a not_before 5 minutes on and counts the redelivery', async () => {
    const { id, atMessageId } = await sentRow();
    const before = Date.now();

    const result = await recordDeliveryReport(report(atMessageId, 'Failed', { failureReason: 'DeliveryFailure' }));

    expect(result.outcome).to.equal('retry');
    const row = await rowOf(id);
    expect(row).to.include({ status: 'pending', dr_retries: 1, at_status: 'Failed', failure_reason: 'DeliveryFailure', last_error: 'Failed: DeliveryFailure' });
    const wait = (row.not_before as Date).getTime() - before;
    expect(wait).to.be.within(DR_RETRY_BACKOFF_MINUTES[0] * 60_000 - 1000, DR_RETRY_BACKOFF_MINUTES[0] * 60_000 + 5000);
    expect(await db('sms_delivery_retries').where({ at_message_id: atMessageId }).first()).to.include({ retry: 1, failure_reason: 'DeliveryFailure' });
    expect(lines('sms not delivered; will send again', id)).to.have.length(1);
  });

  it('Expired and a Failed without a reason are retried too', async () => {
    const expired = await sentRow();
    const bare = await sentRow();

    expect((await recordDeliveryReport(report(expired.atMessageId, 'Expired'))).outcome).to.equal('retry');
    expect((await recordDeliveryReport(report(bare.atMessageId, 'Failed'))).outcome).to.equal('retry');

    expect(await rowOf(expired.id)).to.include({ status: 'pending', failure_reason: 'Expired' });
    expect(await rowOf(bare.id)).to.include({ status: 'pending', failure_reason: 'DeliveryFailure' });
  });

  it('after 3 redeliveries, the next failure is final: failed with the reason, and an alert', async () => {
    const { id, atMessageId } = await sentRow();
    let messageId = atMessageId;
    const waits: number[] = [];
    for (let n = 1; n <= 3; n += 1) {
      const now = new Date();
      expect((await recordDeliveryReport(report(messageId, 'Failed', { failureReason: 'AbsentSubscriber' }), db, { now })).outcome).to.equal('retry');
      waits.push(((await rowOf(id)).not_before as Date).getTime() - now.getTime());
      messageId = await resend(id);
    }

    const last = await recordDeliveryReport(report(messageId, 'Failed', { failureReason: 'AbsentSubscriber' }));

    expect(waits).to.deep.equal([5, 30, 120].map((m) => m * 60_000));
    expect(last.outcome).to.equal('failed');
    expect(await rowOf(id)).to.include({ status: 'failed', dr_retries: 3, failure_reason: 'AbsentSubscriber', last_error: 'Failed: AbsentSubscriber' });
    const alerts = lines('sms undeliverable', id);
    expect(alerts).to.have.length(1);
    expect(alerts[0]).to.include({ level: 'error', why: 'redelivery limit reached' });
  });

  it('Failed with UserInBlackList is final at once and logs an alert with the MSISDN masked', async () => {
    const { id, msisdn, atMessageId } = await sentRow();

    const result = await recordDeliveryReport(report(atMessageId, 'Failed', { failureReason: 'UserInBlackList' }));

    expect(result.outcome).to.equal('failed');
    expect(await rowOf(id)).to.include({ status: 'failed', dr_retries: 0, failure_reason: 'UserInBlackList', not_before: null });
    const alerts = lines('sms undeliverable', id);
    expect(alerts).to.have.length(1);
    expect(alerts[0]).to.include({ level: 'error', alert: true, failureReason: 'UserInBlackList', why: 'not retriable', msisdn: `+*********${msisdn.slice(-3)}` });
    expect(JSON.stringify(capture.lines)).to.not.include(msisdn);
  });

  it('Failed with InsufficientCredit is final and tells the person on call to check Simu\'s AT account', async () => {
    const { id, atMessageId } = await sentRow();

    await recordDeliveryReport(report(atMessageId, 'Failed', { failureReason: 'InsufficientCredit' }));

    expect((await rowOf(id)).status).to.equal('failed');
    expect(String(lines('sms undeliverable', id)[0]?.action)).to.match(/Africa's Talking account/);
  });

  it('Rejected without a reason is final', async () => {
    const { id, atMessageId } = await sentRow();

    const result = await recordDeliveryReport(report(atMessageId, 'Rejected'));

    expect(result.outcome).to.equal('failed');
    expect(await rowOf(id)).to.include({ status: 'failed', at_status: 'Rejected', failure_reason: 'Rejected', last_error: 'Rejected' });
  });

  for (const status of ['Buffered', 'Sent', 'Submitted']) {
    it(`${status} is recorded in at_status only`, async () => {
      const { id, atMessageId } = await sentRow();

      const result = await recordDeliveryReport(report(atMessageId, status));

      expect(result.outcome).to.equal('recorded');
      expect(await rowOf(id)).to.include({ status: 'sent', at_status: status, dr_retries: 0, failure_reason: null });
    });
  }

  it('the same retriable report twice re-queues once', async () => {
    const { id, atMessageId } = await sentRow();
    await recordDeliveryReport(report(atMessageId, 'Failed', { failureReason: 'DeliveryFailure' }));
    const first = await rowOf(id);

    const again = await recordDeliveryReport(report(atMessageId, 'Failed', { failureReason: 'DeliveryFailure' }));

    expect(again.outcome).to.equal('retry');
    expect(await rowOf(id)).to.deep.equal(first);
    expect(await db('sms_delivery_retries').where({ outbox_id: String(id) })).to.have.length(1);
    expect(lines('sms not delivered; will send again', id)).to.have.length(1);
  });

  it('the same final report twice alerts once', async () => {
    const { id, atMessageId } = await sentRow();
    await recordDeliveryReport(report(atMessageId, 'Failed', { failureReason: 'UserDoesNotExist' }));

    const again = await recordDeliveryReport(report(atMessageId, 'Failed', { failureReason: 'UserDoesNotExist' }));

    expect(again.outcome).to.equal('failed');
    expect(lines('sms undeliverable', id)).to.have.length(1);
  });

  it('a late failure report of a superseded send changes nothing; a late Success of it marks the row delivered', async () => {
    const { id, atMessageId } = await sentRow();
    await recordDeliveryReport(report(atMessageId, 'Failed', { failureReason: 'DeliveryFailure' }));
    await resend(id);

    const late = await recordDeliveryReport(report(atMessageId, 'Rejected', { failureReason: 'UserInBlackList' }));
    expect(late).to.deep.equal({ outcome: 'recorded', outboxId: String(id) });
    expect(await rowOf(id)).to.include({ status: 'sent', dr_retries: 1 });

    expect((await recordDeliveryReport(report(atMessageId, 'Success'))).outcome).to.equal('delivered');
    expect((await rowOf(id)).status).to.equal('delivered');
  });

  it('an SMS whose one-time secret was emptied on send is not sent again: final at once', async () => {
    const { id, atMessageId } = await sentRow();
    await db('sms_outbox').where({ id: String(id) }).update({ kind: 'pin_reset_code', message: 'Your code is {secret}', secret_sealed: null });

    const result = await recordDeliveryReport(report(atMessageId, 'Failed', { failureReason: 'DeliveryFailure' }));

    expect(result.outcome).to.equal('failed');
    expect(await rowOf(id)).to.include({ status: 'failed', dr_retries: 0 });
    expect(lines('sms undeliverable', id)[0]).to.include({ why: 'its one-time secret is gone' });
  });

  it('a retried bulk SMS waits out quiet hours', async () => {
    const { id, atMessageId } = await sentRow('bulk');
    const now = new Date('2026-12-06T19:00:00Z'); // 22:00 in Nairobi

    await recordDeliveryReport(report(atMessageId, 'Failed', { failureReason: 'DeliveryFailure' }), db, { now });

    expect(((await rowOf(id)).not_before as Date).toISOString()).to.equal('2026-12-07T04:00:00.000Z');
  });

  it('a report for an unknown id answers unknown_id and logs a warning', async () => {
    const id = `ATXid_${randomUUID()}`;

    expect((await recordDeliveryReport(report(id, 'Failed', { failureReason: 'DeliveryFailure' }))).outcome).to.equal('unknown_id');

    expect(capture.lines.filter((l) => l.message === 'sms delivery report for an unknown message' && l.atMessageId === id && l.level === 'warn')).to.have.length(1);
  });
});

describe('POST /sms/delivery-reports', () => {
  const token = 't'.repeat(24);
  let server: Server;
  let base: string;

  before(async () => {
    server = createApp({ db, redis, atCallbackToken: token }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const stop = () => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); });
    closeAtEnd(stop);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); }));

  const post = (path: string, form: Record<string, string>) => fetch(`${base}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString(),
  });

  it('with the token, applies the report; without it, answers 404 and changes nothing', async () => {
    const { id, atMessageId } = await sentRow();

    const without = await post('/sms/delivery-reports', report(atMessageId, 'Failed', { failureReason: 'DeliveryFailure' }));
    const statusAfterRefusal = (await rowOf(id)).status;
    const withToken = await post(`/sms/delivery-reports?token=${token}`, report(atMessageId, 'Failed', { failureReason: 'DeliveryFailure' }));

    expect(without.status).to.equal(404);
    expect(statusAfterRefusal).to.equal('sent');
    expect(withToken.status).to.equal(200);
    expect(await withToken.json()).to.deep.equal({ ok: true, outcome: 'retry' });
    expect((await rowOf(id)).status).to.equal('pending');
  });

  it('a report whose id carries a NUL answers 400 and changes nothing', async () => {
    const { id, atMessageId } = await sentRow();
    const nul = await post(`/sms/delivery-reports?token=${token}`, report(`${atMessageId}\u0000`, 'Failed', { failureReason: 'DeliveryFailure' }));
    expect(nul.status).to.equal(400);
    expect((await rowOf(id)).status).to.equal('sent');
  });

  it('for an unknown id answers 200, and /sms/delivery still works', async () => {
    const unknown = await post(`/sms/delivery-reports?token=${token}`, report(`ATXid_${randomUUID()}`, 'Success'));
    const { id, atMessageId } = await sentRow();
    const old = await post(`/sms/delivery?token=${token}`, report(atMessageId, 'Success'));

    expect([unknown.status, old.status]).to.deep.equal([200, 200]);
    expect(await unknown.json()).to.deep.equal({ ok: true, outcome: 'unknown_id' });
    expect((await rowOf(id)).status).to.equal('delivered');
  });
});
