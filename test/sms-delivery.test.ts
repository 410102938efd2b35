import { expect } from 'chai';
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { db } from '../src/db/index.js';
import { recordDeliveryReport, smsDeliveryRouter } from '../src/sms/index.js';
import { ValidationError } from '../src/errors/index.js';
import { closeAtEnd } from './helpers/resources.js';
import { outboxRow, rowOf } from './helpers/outbox.js';

/** An outbox row as it stands once AT has accepted it, with a fresh AT message id. */
async function sentRow() {
  const row = await outboxRow();
  const atMessageId = `ATXid_${randomUUID()}`;
  await db('sms_outbox').where({ id: String(row.id) })
    .update({ status: 'sent', at_message_id: atMessageId, at_status: 'Success', sent_at: db.fn.now() });
  return { ...row, atMessageId };
}

/** AT's delivery report form for `id`. */
function report(id: string, status: string, extra: Record<string, string> = {}) {
  return { id, status, phoneNumber: '+254711000111', networkCode: '63902', ...extra };
}

describe('POST /sms/delivery (AT delivery reports)', () => {
  let base: string;
  let server: Server;

  /** Stops the server, also dropping the connection fetch keeps alive. Safe to call twice. */
  const stopServer = () => new Promise((resolve) => {
    server.close(resolve);
    server.closeAllConnections();
  });

  before(async () => {
    server = express().use(smsDeliveryRouter).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    closeAtEnd(stopServer);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  // Stopped as soon as this file is done (closeAtEnd is the backstop): a listening server
  // keeps mocha from exiting.
  after(stopServer);

  /** Posts `form` form-encoded, as AT does. */
  async function post(form: Record<string, string>) {
    const res = await fetch(`${base}/sms/delivery`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.status, body: (await res.json()) as { error?: string; reason?: string; ok?: boolean; outcome?: string } };
  }

  it('when AT reports Success, marks the row delivered and answers 200', async () => {
    const { id, atMessageId } = await sentRow();

    const res = await post(report(atMessageId, 'Success'));

    expect(res).to.deep.equal({ status: 200, body: { ok: true, outcome: 'delivered' } });
    const row = await rowOf(id);
    expect(row).to.include({ status: 'delivered', at_status: 'Success' });
    expect(row.delivered_at).to.be.instanceOf(Date);
  });

  it('with a payload without an id, answers 400 with a reason and changes nothing', async () => {
    const { id } = await sentRow();

    const res = await post({ status: 'Success', phoneNumber: '+254711000111' });

    expect(res.status).to.equal(400);
    expect(res.body.error).to.equal('validation_failed');
    expect(res.body.reason).to.match(/id/);
    expect((await rowOf(id)).status).to.equal('sent');
  });

  it('with a status that is not a word, answers 400', async () => {
    const { atMessageId } = await sentRow();

    const res = await post(report(atMessageId, "Success'; drop table sms_outbox;--"));

    expect(res.status).to.equal(400);
    expect(res.body.reason).to.match(/status/);
  });

  it('for an id Simu never sent, answers 200 so that AT stops retrying', async () => {
    const res = await post(report(`ATXid_${randomUUID()}`, 'Success'));

    expect(res).to.deep.equal({ status: 200, body: { ok: true, outcome: 'unknown_id' } });
  });
});

describe('recordDeliveryReport()', () => {
  it('when AT reports Failed with a reason, marks the row failed with it', async () => {
    const { id, atMessageId } = await sentRow();

    const result = await recordDeliveryReport(report(atMessageId, 'Failed', { failureReason: 'UserDoesNotExist' }));

    expect(result).to.deep.equal({ outcome: 'failed', outboxId: String(id) });
    expect(await rowOf(id)).to.include({ status: 'failed', at_status: 'Failed', last_error: 'Failed: UserDoesNotExist' });
  });

  it('when AT reports Buffered, records the status and keeps the row sent', async () => {
    const { id, atMessageId } = await sentRow();

    const result = await recordDeliveryReport(report(atMessageId, 'Buffered'));

    expect(result.outcome).to.equal('recorded');
    expect(await rowOf(id)).to.include({ status: 'sent', at_status: 'Buffered' });
  });

  it('when a Rejected report comes after Success, keeps the row delivered', async () => {
    const { id, atMessageId } = await sentRow();
    await recordDeliveryReport(report(atMessageId, 'Success'));

    await recordDeliveryReport(report(atMessageId, 'Rejected', { failureReason: 'DeliveryFailure' }));

    expect(await rowOf(id)).to.include({ status: 'delivered', at_status: 'Success' });
  });

  it('when AT posts the same Success twice, keeps the first delivered_at', async () => {
    const { id, atMessageId } = await sentRow();
    await recordDeliveryReport(report(atMessageId, 'Success'));
    const first = (await rowOf(id)).delivered_at;

    const again = await recordDeliveryReport(report(atMessageId, 'Success'));

    expect(again.outcome).to.equal('delivered');
    expect((await rowOf(id)).delivered_at).to.deep.equal(first);
  });

  it('with a retryCount that is not a number, throws ValidationError', async () => {
    const { atMessageId } = await sentRow();

    let error: unknown;
    try { await recordDeliveryReport(report(atMessageId, 'Success', { retryCount: 'many' })); } catch (e) { error = e; }

    expect(error).to.be.instanceOf(ValidationError);
  });
});
