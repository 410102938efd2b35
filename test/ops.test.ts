/** Operations: health, configuration, the callback token, ledger:check and SIGTERM. */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Redis } from 'ioredis';
import { createApp } from '../src/http/app.js';
import { createDb, db } from '../src/db/index.js';
import { redis } from '../src/redis/index.js';
import { loadConfig } from '../src/config/index.js';
import { requireCallbackToken } from '../src/http/callback-token.js';
import { checkLedger, openAccount } from '../src/ledger/index.js';
import { appUrl } from './helpers/ussd.js';

async function listen(app: express.Express): Promise<{ url: string; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) }));
  });
}

const childEnv = () => ({ ...process.env, LOG_LEVEL: 'info' });

describe('GET /healthz', () => {
  it('answers 200 when PostgreSQL and Redis answer', async () => {
    const res = await fetch(`${await appUrl()}/healthz`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({ status: 'ok', postgres: 'up', redis: 'up' });
  });

  it('answers 503 naming Redis when Redis does not answer', async () => {
    const deadRedis = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    deadRedis.on('error', () => undefined);
    const server = await listen(createApp({ db, redis: deadRedis }));
    const res = await fetch(`${server.url}/healthz`);
    await server.close();
    deadRedis.disconnect();
    expect(res.status).to.equal(503);
    expect(await res.json()).to.include({ postgres: 'up', redis: 'down' });
  });

  it('answers 503 naming PostgreSQL when PostgreSQL does not answer', async () => {
    const deadDb = createDb('postgres://postgres@127.0.0.1:1/none', 1);
    const server = await listen(createApp({ db: deadDb, redis }));
    const res = await fetch(`${server.url}/healthz`);
    await server.close();
    await deadDb.destroy();
    expect(res.status).to.equal(503);
    expect(((await res.json()) as { down: string[] }).down).to.deep.equal(['postgres']);
  });
});

describe('configuration', () => {
  const base = { DATABASE_URL: 'postgres://x@127.0.0.1/simu', REDIS_URL: 'redis://127.0.0.1:6379', PIN_SECRET: 'k'.repeat(32), AT_USERNAME: 'sandbox', AT_API_KEY: 'k' };

  it('loadConfig(), with good values, returns a frozen config with defaults', () => {
    const config = loadConfig(base);
    expect(config).to.include({ port: 3000, ussdServiceCode: '*384#' });
    expect(Object.isFrozen(config)).to.equal(true);
  });

  it('loadConfig(), with bad values, throws naming every bad variable', () => {
    expect(() => loadConfig({ ...base, PIN_SECRET: 'short', PORT: 'eighty' })).to.throw(/PIN_SECRET.*PORT|PORT.*PIN_SECRET/);
    expect(() => loadConfig({ ...base, USSD_SERVICE_CODE: '384' })).to.throw(/USSD_SERVICE_CODE/);
  });

  it('loadConfig(), with only one of DATABASE_URL and REDIS_URL, names the missing one', () => {
    expect(() => loadConfig({ ...base, REDIS_URL: undefined })).to.throw(/REDIS_URL/);
  });
});

describe('AT callback token', () => {
  it('when AT_CALLBACK_TOKEN is set, a callback without ?token= gets 404 and one with it passes', async () => {
    const app = express();
    app.post('/ussd', requireCallbackToken('t'.repeat(24)), (_req, res) => { res.send('CON ok'); });
    const server = await listen(app);
    const without = await fetch(`${server.url}/ussd`, { method: 'POST' });
    const wrong = await fetch(`${server.url}/ussd?token=nope`, { method: 'POST' });
    const right = await fetch(`${server.url}/ussd?token=${'t'.repeat(24)}`, { method: 'POST' });
    await server.close();
    expect([without.status, wrong.status, right.status]).to.deep.equal([404, 404, 200]);
  });

  it('with a token set, guards only AT\'s callback paths: the admin API and the M-Pesa callbacks still answer', async () => {
    const token = 'k'.repeat(24);
    const server = await listen(createApp({ db, redis, atCallbackToken: token }));
    const ussd = await fetch(`${server.url}/ussd`, { method: 'POST' });
    const ussdWithToken = await fetch(`${server.url}/ussd?token=${token}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    const adminApi = await fetch(`${server.url}/admin/audit`);
    const delivery = await fetch(`${server.url}/sms/delivery`, { method: 'POST' });
    const mpesa = await fetch(`${server.url}/mpesa/${process.env.MPESA_CALLBACK_TOKEN}/c2b/validation`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await server.close();
    expect([ussd.status, delivery.status]).to.deep.equal([404, 404]);
    expect(ussdWithToken.status).to.equal(400);
    expect(adminApi.status).to.equal(401);
    expect(mpesa.status).to.equal(400);
  });
});

describe('ledger:check', () => {
  it('checkLedger(), when a balance no longer equals its postings, reports the breach', async () => {
    // Corrupt a balance inside a transaction that is rolled back: the shared ledger stays sound.
    let breaches: Array<{ invariant: string }> = [];
    const rolledBack = new Error('rolled back');
    await db.transaction(async (trx) => {
      const account = await openAccount(trx, { code: `test:corrupt:${Date.now()}`, name: 'corrupt', type: 'asset' });
      await trx('accounts').where({ id: account.id }).update({ balance: 100n });
      breaches = await checkLedger(trx);
      throw rolledBack;
    }).catch((e) => { if (e !== rolledBack) throw e; });
    const names = breaches.map((b) => b.invariant);
    expect(names).to.include('every balance equals the sum of its postings');
    expect(names).to.include('the trial balance of every book is zero');
  });

  it('npm run ledger:check exits 0 and says so on a sound ledger', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/ledger/cli.ts'], { env: childEnv() });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise((r) => child.on('exit', r));
    expect(out).to.match(/^ledger ok: \d+ journal entries/);
    expect(code).to.equal(0);
  });
});

describe('web process', () => {
  it('on SIGTERM, finishes, closes its connections and exits 0', async () => {
    const port = 30000 + Math.floor(Math.random() * 20000);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { env: { ...childEnv(), PORT: String(port) } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    for (let i = 0; i < 100 && !out.includes('listening'); i++) await new Promise((r) => setTimeout(r, 100));
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).to.equal(200);
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGTERM');
    expect(await exited).to.equal(0);
    expect(out).to.contain('"message":"stopped"');
  });
});

describe('worker process', () => {
  it('serves its own /metrics; on SIGTERM, stops the relay, lets jobs finish, closes its connections and exits 0', async () => {
    // No AT reachable from the child: any send it tries fails fast and is retried later.
    const metricsPort = 30000 + Math.floor(Math.random() * 20000);
    const env = { ...childEnv(), HTTPS_PROXY: 'http://127.0.0.1:1', NO_PROXY: '', WORKER_METRICS_PORT: String(metricsPort) };
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], { env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    for (let i = 0; i < 150 && !out.includes('worker started'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(out).to.contain('worker started');
    const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(metrics.status).to.equal(200);
    expect(await metrics.text()).to.contain('simu_sms_sent_total');
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGTERM');
    expect(await exited).to.equal(0);
    expect(out).to.contain('"message":"worker stopped"');
  });
});
