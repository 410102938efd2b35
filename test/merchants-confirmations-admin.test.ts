/**
 * The admin view and retry of merchant confirmations: a merchant's confirmations newest
 * first with their delivery state, and a retry that makes one due now, through the admin
 * API (real app, PostgreSQL, Redis) with the merchant's URL intercepted by nock.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import nock from 'nock';
import { db } from '../src/db/index.js';
import { closeQueue, closeQueues, createQueue } from '../src/queue/index.js';
import {
  createMerchant, deliverConfirmation, payMerchant, retryConfirmation, startConfirmationWorker, type Merchant, type RunningConfirmationWorker,
} from '../src/merchants/index.js';
import { admin, adminKey } from './helpers/admin.js';
import { assertLedgerSound, makeCustomer, randomMsisdn } from './helpers/customers.js';
import { blockOutboundHttp } from './helpers/at.js';
import { eventually } from './helpers/outbox.js';
import { closeAtEnd } from './helpers/resources.js';
import { MERCHANT_HOST, merchantAnswers } from './helpers/merchants.js';

const QUEUE = 'test-merchant-confirmations-retry';
const merchants: number[] = [];

async function merchantWithConfirmationUrl(): Promise<{ merchant: Merchant; path: string }> {
  const path = `/confirm/${randomUUID()}`;
  const merchant = await db.transaction((trx) => createMerchant(trx, {
    kind: 'till', shortCode: String(randomInt(1_000_000, 10_000_000)), name: 'Duka La Mama', smsMsisdn: randomMsisdn(), confirmationUrl: `${MERCHANT_HOST}${path}`,
  }));
  merchants.push(merchant.id);
  return { merchant, path };
}

/** Pays `merchant` KES `kes`; returns the receipt's code and its confirmation row's id. */
async function pay(merchant: Merchant, kes: number): Promise<{ code: string; id: string }> {
  const payer = await makeCustomer(kes + 100);
  const receipt = await payMerchant({
    payerMsisdn: payer.msisdn, kind: merchant.kind, shortCode: merchant.shortCode, amount: BigInt(kes) * 100n, pin: '1234', idempotencyKey: `ussd:${randomUUID()}:5`,
  });
  const row = await db('merchant_confirmations as c').join('journal_entries as e', 'e.id', 'c.journal_entry_id').where('e.code', receipt.code).first('c.id');
  return { code: receipt.code, id: String(row.id) };
}

/** A confirmation whose one POST failed for good (status failed, due again in an hour). */
async function failedConfirmation(merchant: Merchant, path: string, kes = 100) {
  merchantAnswers(path, [502]);
  const paid = await pay(merchant, kes);
  await deliverConfirmation(db, paid.id, { finalAttempt: true }).catch(() => undefined);
  return paid;
}

/** Sets every undelivered row aside (failed, due in a day), so that a relay sees only the test's own. */
async function setAside(where: { merchantIds?: number[] } = {}): Promise<void> {
  const q = db('merchant_confirmations').whereIn('status', ['pending', 'queued', 'delivering', 'failed']);
  if (where.merchantIds) q.whereIn('merchant_id', where.merchantIds);
  await q.update({ status: 'failed', claimed_at: db.fn.now(), next_attempt_at: db.raw(`now() + interval '1 day'`), last_error: 'set aside by a test' });
}

describe('admin API: merchant confirmations', () => {
  before(() => {
    closeAtEnd(closeQueues);
    blockOutboundHttp();
  });
  afterEach(async () => {
    nock.cleanAll();
    await assertLedgerSound();
  });
  after(async () => {
    nock.enableNetConnect();
    if (merchants.length) await setAside({ merchantIds: merchants });
  });

  it('GET /admin/merchants/{id}/confirmations lists them newest first with code, url, attempts, last answer and times; status and limit narrow it', async () => {
    const key = await adminKey('read');
    const { merchant, path } = await merchantWithConfirmationUrl();
    const failed = await failedConfirmation(merchant, path);
    merchantAnswers(path, [200]);
    const delivered = await pay(merchant, 200);
    await deliverConfirmation(db, delivered.id);
    const pending = await pay(merchant, 300);

    const all = await admin('GET', `/merchants/${merchant.id}/confirmations`, { key });
    const onlyFailed = await admin('GET', `/merchants/${merchant.id}/confirmations?status=failed`, { key });
    const onlyPending = await admin('GET', `/merchants/${merchant.id}/confirmations?status=pending`, { key });
    const onlyDelivered = await admin('GET', `/merchants/${merchant.id}/confirmations?status=delivered`, { key });
    const first = await admin('GET', `/merchants/${merchant.id}/confirmations?limit=2`, { key });
    const rest = await admin('GET', `/merchants/${merchant.id}/confirmations?limit=2&cursor=${first.body.nextCursor}`, { key });

    expect(all.status).to.equal(200);
    expect(all.body.data.map((c: { code: string }) => c.code)).to.deep.equal([pending.code, delivered.code, failed.code]);
    const [p, d, f] = all.body.data;
    expect(p).to.include({ id: Number(pending.id), merchantId: merchant.id, url: `${MERCHANT_HOST}${path}`, status: 'pending', attempts: 0, lastHttpStatus: null, deliveredAt: null });
    expect(p.nextAttemptAt).to.be.a('string');
    expect(p.payload).to.include({ TransID: pending.code, TransAmount: '300.00' });
    expect(d).to.include({ status: 'delivered', attempts: 1, lastHttpStatus: 200, lastError: null, nextAttemptAt: null });
    expect(d.deliveredAt).to.be.a('string');
    expect(f).to.include({ status: 'failed', attempts: 1, lastHttpStatus: 502, lastError: 'HTTP 502', deliveredAt: null });
    expect(new Date(f.nextAttemptAt).getTime()).to.be.greaterThan(new Date(f.claimedAt).getTime());
    expect([onlyFailed, onlyPending, onlyDelivered].map((r) => r.body.data.map((c: { code: string }) => c.code)))
      .to.deep.equal([[failed.code], [pending.code], [delivered.code]]);
    expect(first.body.data).to.have.length(2);
    expect(rest.body.data.map((c: { code: string }) => c.code)).to.deep.equal([failed.code]);
    expect(rest.body.nextCursor).to.equal(null);
  });

  it('GET /admin/merchants/{id}/confirmations answers 404 for an unknown merchant and 400 for an unknown status', async () => {
    const key = await adminKey('read');
    const { merchant } = await merchantWithConfirmationUrl();

    const unknown = await admin('GET', '/merchants/2000000000/confirmations', { key });
    const badStatus = await admin('GET', `/merchants/${merchant.id}/confirmations?status=queued`, { key });
    const badLimit = await admin('GET', `/merchants/${merchant.id}/confirmations?limit=0`, { key });

    expect(unknown.status).to.equal(404);
    expect([badStatus.status, badStatus.body.field, badLimit.status, badLimit.body.field]).to.deep.equal([400, 'status', 400, 'limit']);
  });

  it('POST /admin/merchant-confirmations/{id}/retry puts a failed confirmation back to pending and due now, is audited, and it is then delivered', async () => {
    const key = await adminKey('read', 'operate');
    const { merchant, path } = await merchantWithConfirmationUrl();
    const failed = await failedConfirmation(merchant, path);
    const before = await db('merchant_confirmations').where({ id: failed.id }).first();
    const seen = merchantAnswers(path, [200]);

    const untouched = await deliverConfirmation(db, failed.id); // a failed row waits for its hour: no job may claim it
    const res = await admin('POST', `/merchant-confirmations/${failed.id}/retry`, { key });
    const after = await db('merchant_confirmations').where({ id: failed.id }).first();
    const outcome = await deliverConfirmation(db, failed.id);

    expect(untouched).to.equal('skipped');
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ id: Number(failed.id), code: failed.code, status: 'pending', attempts: 1, lastHttpStatus: 502, lastError: 'HTTP 502' });
    expect(after.next_attempt_at.getTime()).to.be.lessThan(before.next_attempt_at.getTime());
    expect(outcome).to.equal('delivered');
    expect(seen.map((b) => b.TransID)).to.deep.equal([failed.code]);
    const audit = await admin('GET', `/audit?target=merchant_confirmation:${failed.id}`, { key });
    expect(audit.body.data).to.have.length(1);
    expect(audit.body.data[0]).to.include({ method: 'POST', route: '/merchant-confirmations/{id}/retry' });
    expect(audit.body.data[0].before).to.include({ status: 'failed', attempts: 1, lastHttpStatus: 502 });
    expect(audit.body.data[0].after).to.include({ status: 'pending', attempts: 1 });
  });

  it('POST /admin/merchant-confirmations/{id}/retry answers 409 when delivered or in flight, 404 for an unknown id, 403 without operate, and changes nothing then', async () => {
    const key = await adminKey('read', 'operate');
    const { merchant, path } = await merchantWithConfirmationUrl();
    merchantAnswers(path, [200]);
    const delivered = await pay(merchant, 100);
    await deliverConfirmation(db, delivered.id);
    const inFlight = await pay(merchant, 100);
    await db('merchant_confirmations').where({ id: inFlight.id }).update({ status: 'delivering', claimed_at: db.fn.now(), attempts: 1 });
    const failed = await failedConfirmation(merchant, path);

    const results = await Promise.all([
      admin('POST', `/merchant-confirmations/${delivered.id}/retry`, { key }),
      admin('POST', `/merchant-confirmations/${inFlight.id}/retry`, { key }),
      admin('POST', '/merchant-confirmations/9000000000000/retry', { key }),
      admin('POST', `/merchant-confirmations/${failed.id}/retry`, { key: await adminKey('read') }),
    ]);

    expect(results.map((r) => [r.status, r.body.error])).to.deep.equal([
      [409, 'confirmation_not_retryable'], [409, 'confirmation_not_retryable'], [404, 'not_found'], [403, 'forbidden'],
    ]);
    const rows = await db('merchant_confirmations').whereIn('id', [delivered.id, inFlight.id, failed.id]).orderBy('id');
    expect(rows.map((r) => r.status)).to.deep.equal(['delivered', 'delivering', 'failed']);
    expect((await admin('GET', `/audit?target=merchant_confirmation:${delivered.id}`, { key })).body.data).to.have.length(0);
  });

  describe('with the worker', () => {
    let worker: RunningConfirmationWorker;

    before(async () => {
      const old = createQueue(QUEUE);
      await old.obliterate({ force: true });
      await closeQueue(old);
      await setAside();
      // An hour's backoff: the second try comes only because of the retry.
      worker = startConfirmationWorker({ queueName: QUEUE, attempts: 5, backoffMs: 3_600_000, relayIntervalMs: 50 });
      await worker.queue.isReady();
    });

    after(() => worker.stop());

    it('retryConfirmation() runs a confirmation waiting out bull\'s backoff at once: the merchant gets it again with the same TransID', async () => {
      const { merchant, path } = await merchantWithConfirmationUrl();
      const seen = merchantAnswers(path, [503, 200]);
      const { code, id } = await pay(merchant, 500);
      await eventually(async () => (await db('merchant_confirmations').where({ id }).first()).attempts === 1 && seen.length === 1, 'first try failed');
      await eventually(async () => (await db('merchant_confirmations').where({ id }).first()).status === 'queued', 'row waits for its retry');
      const waiting = await db('merchant_confirmations').where({ id }).first();

      await db.transaction((trx) => retryConfirmation(trx, id, { queue: worker.queue }));
      await eventually(async () => (await db('merchant_confirmations').where({ id }).first()).status === 'delivered', 'delivered after the retry');

      expect(waiting.next_attempt_at.getTime()).to.be.greaterThan(waiting.claimed_at.getTime());
      expect(seen.map((b) => b.TransID)).to.deep.equal([code, code]);
      expect(await db('merchant_confirmations').where({ id }).first()).to.include({ attempts: 2, last_http_status: 200, next_attempt_at: null });
    });
  });
});
