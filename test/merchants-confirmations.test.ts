/**
 * Confirmations to merchants' confirmation URLs: written with the payment, relayed into
 * bull, POSTed until the merchant answers 2xx, each try carrying the entry's code as TransID.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import nock from 'nock';
import { db } from '../src/db/index.js';
import { closeQueue, closeQueues, createQueue } from '../src/queue/index.js';
import {
  createMerchant, deliverConfirmation, payMerchant, startConfirmationWorker, ConfirmationRetryError, type Merchant, type RunningConfirmationWorker,
} from '../src/merchants/index.js';
import { assertLedgerSound, makeCustomer, randomMsisdn } from './helpers/customers.js';
import { blockOutboundHttp } from './helpers/at.js';
import { eventually } from './helpers/outbox.js';
import { closeAtEnd } from './helpers/resources.js';
import { MERCHANT_HOST, merchantAnswers } from './helpers/merchants.js';

const QUEUE = 'test-merchant-confirmations';

async function merchantWithConfirmationUrl(): Promise<{ merchant: Merchant; path: string }> {
  const path = `/confirm/${randomUUID()}`;
  const merchant = await db.transaction((trx) => createMerchant(trx, {
    kind: 'paybill', shortCode: String(randomInt(1_000_000, 10_000_000)), name: 'Kenya Power', smsMsisdn: randomMsisdn(), confirmationUrl: `${MERCHANT_HOST}${path}`,
  }));
  return { merchant, path };
}

async function pay(merchant: Merchant, kes: number, key = `ussd:${randomUUID()}:7`) {
  const payer = await makeCustomer(kes + 1_000, { firstName: 'Amina' });
  const request = { payerMsisdn: payer.msisdn, kind: merchant.kind, shortCode: merchant.shortCode, accountRef: 'ACC-1', amount: BigInt(kes) * 100n, pin: '1234', idempotencyKey: key };
  return { payer, request, receipt: await payMerchant(request) };
}

const rowFor = (code: string) => db('merchant_confirmations as c').join('journal_entries as e', 'e.id', 'c.journal_entry_id').where('e.code', code).first('c.*');

describe('merchant confirmations', () => {
  before(() => {
    closeAtEnd(closeQueues);
    blockOutboundHttp();
  });
  afterEach(async () => {
    nock.cleanAll();
    await assertLedgerSound();
  });
  after(() => nock.enableNetConnect());

  describe('through the worker', () => {
    let worker: RunningConfirmationWorker;

    before(async () => {
      const old = createQueue(QUEUE);
      await old.obliterate({ force: true });
      await closeQueue(old);
      // The relay takes every undelivered row in the database; rows earlier runs left would
      // reach nock here. Set them aside so that each test sees only its own.
      await db('merchant_confirmations').whereIn('status', ['pending', 'queued', 'delivering', 'failed'])
        .update({ status: 'failed', claimed_at: db.fn.now(), next_attempt_at: db.raw(`now() + interval '1 day'`), last_error: 'set aside by test/merchants-confirmations.test.ts' });
      worker = startConfirmationWorker({ queueName: QUEUE, attempts: 5, backoffMs: 20, relayIntervalMs: 50 });
      await worker.queue.isReady();
    });

    after(() => worker.stop());

    it('retries a confirmation until the merchant answers 200, each try with the entry\'s code as TransID, and posts the payment once', async () => {
      const { merchant, path } = await merchantWithConfirmationUrl();
      const seen = merchantAnswers(path, [500, 503, 200]);

      const { receipt, request } = await pay(merchant, 1_000);
      await eventually(async () => (await rowFor(receipt.code))?.status === 'delivered', 'confirmation delivered');
      const replay = await payMerchant(request);

      expect(seen).to.have.length(3);
      expect(seen.map((b) => b.TransID)).to.deep.equal([receipt.code, receipt.code, receipt.code]);
      expect(seen[0]).to.include({
        TransactionType: 'Pay Bill', TransAmount: '1000.00', BusinessShortCode: merchant.shortCode, BillRefNumber: 'ACC-1',
        OrgAccountBalance: '995.00', FirstName: 'AMINA', LastName: 'CUSTOMER',
      });
      expect(await rowFor(receipt.code)).to.include({ attempts: 3, last_http_status: 200, next_attempt_at: null });
      expect(replay).to.include({ code: receipt.code, replayed: true });
      expect(await db('journal_entries').where({ code: receipt.code })).to.have.length(1);
      expect(await db('merchant_confirmations').where({ merchant_id: merchant.id })).to.have.length(1);
    });
  });

  it('deliverConfirmation(), for a row delivered already, posts nothing (a job that runs twice delivers once)', async () => {
    const { merchant, path } = await merchantWithConfirmationUrl();
    const seen = merchantAnswers(path, [200, 200]);
    const { receipt } = await pay(merchant, 100);
    const { id } = await rowFor(receipt.code);

    const first = await deliverConfirmation(db, String(id));
    const second = await deliverConfirmation(db, String(id));

    expect([first, second]).to.deep.equal(['delivered', 'skipped']);
    expect(seen).to.have.length(1);
  });

  it('deliverConfirmation(), on the last attempt of a failing merchant, leaves the row failed with the reason for the hourly retry', async () => {
    const { merchant, path } = await merchantWithConfirmationUrl();
    merchantAnswers(path, [502]);
    const { receipt } = await pay(merchant, 100);
    const { id } = await rowFor(receipt.code);

    const error = await deliverConfirmation(db, String(id), { finalAttempt: true }).catch((e: unknown) => e);

    expect(error).to.be.instanceOf(ConfirmationRetryError);
    const row = await rowFor(receipt.code);
    expect(row).to.include({ status: 'failed', attempts: 1, last_http_status: 502, last_error: 'HTTP 502' });
    expect(row.next_attempt_at.getTime()).to.be.greaterThan(row.claimed_at.getTime()); // the hourly round, not now
  });
});
