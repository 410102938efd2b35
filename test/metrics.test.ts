/** GET /metrics: Prometheus text, no key, no personal data. */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import knexFactory from 'knex';
import nock from 'nock';
import { db } from '../src/db/index.js';
import { InsufficientFundsError, transfer } from '../src/ledger/index.js';
import { nationalFormat } from '../src/phone/index.js';
import { closeQueues } from '../src/queue/index.js';
import { scrapeRegistry } from '../src/metrics/index.js';
import { sendOutboxSms, smsQueueHandle } from '../src/sms/index.js';
import { atAnswer, blockOutboundHttp, interceptAtSms } from './helpers/at.js';
import { fund, makeCustomer } from './helpers/customers.js';
import { outboxRow } from './helpers/outbox.js';
import { closeAtEnd } from './helpers/resources.js';
import { appUrl, Dial } from './helpers/ussd.js';

/** Scrapes /metrics without a key. */
async function scrape() {
  const res = await fetch(`${await appUrl()}/metrics`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

/** The value of sample `name` with exactly `labels` in `text`, or 0 when it is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).sort().join(',');
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m && m[1] === name && (m[2] ?? '').split(',').filter(Boolean).sort().join(',') === wanted) return Number(m[3]);
  }
  return 0;
}

describe('GET /metrics', () => {
  before(() => closeAtEnd(closeQueues));
  // A scrape opens the `sms` queue handle (queue depths): closed as soon as this file is done.
  after(closeQueues);

  it('without a key, answers 200 in Prometheus text format with Simu\'s and the process\'s metrics', async () => {
    const res = await scrape();

    expect(res.status).to.equal(200);
    expect(res.type).to.match(/^text\/plain; version=0\.0\.4/);
    for (const name of [
      'simu_ussd_hop_duration_seconds', 'simu_transfers_total', 'simu_sms_sent_total', 'simu_sms_failed_total',
      'simu_sms_outbox_waiting', 'simu_sms_outbox_oldest_waiting_age_seconds', 'simu_queue_jobs', 'simu_metrics_source_up',
      'process_cpu_seconds_total', 'nodejs_heap_size_used_bytes',
    ]) expect(res.text, name).to.contain(`# TYPE ${name} `);
  });

  it('counts a USSD hop under the menu screen it answered', async () => {
    const customer = await makeCustomer(0);
    const before = sample((await scrape()).text, 'simu_ussd_hop_duration_seconds_count', { screen: 'home' });

    await new Dial(customer.msisdn).open();

    const after = sample((await scrape()).text, 'simu_ussd_hop_duration_seconds_count', { screen: 'home' });
    expect(after - before).to.equal(1);
  });

  it('counts transfers by kind and outcome: ok, replayed, and a refusal by its code', async () => {
    const payer = await makeCustomer(0);
    const payee = await makeCustomer(0);
    const text = (await scrape()).text;
    const before = {
      ok: sample(text, 'simu_transfers_total', { kind: 'p2p', outcome: 'ok' }),
      replayed: sample(text, 'simu_transfers_total', { kind: 'p2p', outcome: 'replayed' }),
      refused: sample(text, 'simu_transfers_total', { kind: 'p2p', outcome: 'insufficient_funds' }),
    };
    const move = (key: string, cents: bigint) => transfer({
      idempotencyKey: key, kind: 'p2p', amount: cents,
      postings: [{ accountId: payer.walletAccountId, amount: cents }, { accountId: payee.walletAccountId, amount: -cents }],
    });

    await fund(payer, 10);
    const key = `test:metrics:${randomUUID()}`;
    await move(key, 500n);
    await move(key, 500n);
    const refusal = await move(`test:metrics:${randomUUID()}`, 100_000n).catch((err: unknown) => err);

    expect(refusal).to.be.instanceOf(InsufficientFundsError);
    const after = (await scrape()).text;
    expect(sample(after, 'simu_transfers_total', { kind: 'p2p', outcome: 'ok' }) - before.ok).to.equal(1);
    expect(sample(after, 'simu_transfers_total', { kind: 'p2p', outcome: 'replayed' }) - before.replayed).to.equal(1);
    expect(sample(after, 'simu_transfers_total', { kind: 'p2p', outcome: 'insufficient_funds' }) - before.refused).to.equal(1);
  });

  it('counts SMS sent and SMS failed for good by kind', async () => {
    const text = (await scrape()).text;
    const before = { sent: sample(text, 'simu_sms_sent_total', { kind: 'notice' }), failed: sample(text, 'simu_sms_failed_total', { kind: 'notice' }) };
    const good = await outboxRow({ kind: 'notice' });
    const bad = await outboxRow({ kind: 'notice' });
    blockOutboundHttp();
    interceptAtSms(good.msisdn, 201, atAnswer(good.msisdn, 101, 'Success'));
    interceptAtSms(bad.msisdn, 201, atAnswer(bad.msisdn, 406, 'UserInBlacklist'));

    try {
      expect(await sendOutboxSms(good.id)).to.equal('sent');
      expect(await sendOutboxSms(bad.id)).to.equal('failed');
    } finally {
      nock.cleanAll();
      nock.enableNetConnect();
    }

    const after = (await scrape()).text;
    expect(sample(after, 'simu_sms_sent_total', { kind: 'notice' }) - before.sent).to.equal(1);
    expect(sample(after, 'simu_sms_failed_total', { kind: 'notice' }) - before.failed).to.equal(1);
  });

  it('reports the outbox rows waiting, as PostgreSQL counts them, and the sources as up', async () => {
    await outboxRow();
    // As the gauge counts them: a scheduled SMS held for the morning (not_before, quiet hours) is not waiting yet.
    const waiting = await db('sms_outbox').whereIn('status', ['pending', 'queued'])
      .andWhere((q) => q.whereNull('not_before').orWhere('not_before', '<=', db.fn.now())).count({ n: '*' }).first();

    const text = (await scrape()).text;

    expect(sample(text, 'simu_sms_outbox_waiting')).to.equal(Number(waiting!.n));
    expect(sample(text, 'simu_sms_outbox_oldest_waiting_age_seconds')).to.be.a('number').and.not.be.NaN;
    expect(sample(text, 'simu_metrics_source_up', { source: 'postgres' })).to.equal(1);
    expect(sample(text, 'simu_metrics_source_up', { source: 'redis' })).to.equal(1);
  });

  it('reports the depths of the sms queue by state', async () => {
    const queue = smsQueueHandle();
    const before = sample((await scrape()).text, 'simu_queue_jobs', { queue: 'sms', state: 'delayed' });
    // A job for no outbox row, far in the future: a worker that ran it would skip it.
    const job = await queue.add({ outboxId: '0' }, { jobId: `test-metrics-${randomUUID()}`, delay: 3_600_000 });

    try {
      const after = sample((await scrape()).text, 'simu_queue_jobs', { queue: 'sms', state: 'delayed' });
      expect(after - before).to.equal(1);
    } finally {
      await job.remove();
    }
  });

  it('holds no MSISDN and no session id of a customer who just dialled and moved money', async () => {
    const customer = await makeCustomer(0);
    await fund(customer, 5);
    const phone = new Dial(customer.msisdn);
    await phone.open();
    await outboxRow({ msisdn: customer.msisdn });

    const { text } = await scrape();

    const national = nationalFormat(customer.msisdn);
    for (const form of [customer.msisdn, customer.msisdn.slice(1), national, national.slice(1), phone.sessionId]) {
      expect(text, form).not.to.contain(form);
    }
  });
});

describe('scrapeRegistry()', () => {
  it('when PostgreSQL and Redis do not answer, still renders, with NaN gauges and the sources down', async () => {
    // Nothing listens on port 1; knex's own warning about it is silenced.
    const quiet = { warn: () => undefined, error: () => undefined, debug: () => undefined, deprecate: () => undefined };
    const deadDb = knexFactory({ client: 'pg', connection: 'postgres://postgres@127.0.0.1:1/nowhere', log: quiet, pool: { min: 0, max: 1 } });
    const registry = scrapeRegistry({ db: deadDb, smsQueue: () => ({ getJobCounts: () => Promise.reject(new Error('redis is down')) }), timeoutMs: 1000 });

    try {
      const text = await registry.metrics();

      // prom-client writes NaN as `Nan`, which Prometheus reads (case-insensitively) as NaN.
      expect(text).to.match(/^simu_sms_outbox_waiting nan$/im);
      expect(text).to.match(/^simu_queue_jobs\{queue="sms",state="waiting"\} nan$/im);
      expect(sample(text, 'simu_metrics_source_up', { source: 'postgres' })).to.equal(0);
      expect(text).to.match(/^simu_metrics_source_up\{source="redis"\} 0$/m);
    } finally {
      await deadDb.destroy();
    }
  });
});
