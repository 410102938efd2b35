/**
 * Embedded mode's parts, in this process: the configuration it starts from, the in-memory
 * store that holds USSD sessions and rate limits in place of Redis, and the kept SMS that
 * `GET /dev/sms` serves (only when the app runs on that store).
 */
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config/index.js';
import { db } from '../src/db/index.js';
import { createApp } from '../src/http/app.js';
import { MemoryKeyStore } from '../src/keystore/index.js';
import { redis } from '../src/redis/index.js';
import { SMS_COMMANDS_PER_HOUR, smsRateLimit } from '../src/sms/inbound/rate-limit.js';
import { keepSms } from '../src/sms/embedded.js';
import { enqueueSms } from '../src/sms/index.js';
import { withSession, type SessionRecord } from '../src/ussd/session-store.js';
import { randomMsisdn } from './helpers/customers.js';

async function serve(store: MemoryKeyStore | typeof redis): Promise<{ url: string; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    const server = createApp({ db, redis: store }).listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) }));
  });
}

describe('embedded mode: configuration', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'simu-config-'));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('with neither DATABASE_URL nor REDIS_URL is embedded, makes a PIN key in DATA_DIR once and keeps it', () => {
    const first = loadConfig({ DATA_DIR: dataDir });
    expect(first.embedded).to.deep.equal({ dataDir });
    expect(first.databaseUrl).to.equal('');
    expect(first.redisUrl).to.equal('');
    expect(first.pinSecret.length).to.be.at.least(32);
    expect(fs.statSync(path.join(dataDir, 'pin-secret')).mode & 0o077).to.equal(0);
    expect(loadConfig({ DATA_DIR: dataDir }).pinSecret).to.equal(first.pinSecret);
    expect(loadConfig({ DATA_DIR: dataDir, PIN_SECRET: 'p'.repeat(40) }).pinSecret).to.equal('p'.repeat(40));
  });

  it('with one URL and not the other refuses to start, naming the missing one', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/simu', PIN_SECRET: 'k'.repeat(32), AT_USERNAME: 'a', AT_API_KEY: 'k' }))
      .to.throw(/REDIS_URL is not set while DATABASE_URL is/);
    expect(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', PIN_SECRET: 'k'.repeat(32), AT_USERNAME: 'a', AT_API_KEY: 'k' }))
      .to.throw(/DATABASE_URL is not set while REDIS_URL is/);
  });

  it('with DATABASE_URL and REDIS_URL is not embedded', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/simu', REDIS_URL: 'redis://127.0.0.1:6379', PIN_SECRET: 'k'.repeat(32), AT_USERNAME: 'a', AT_API_KEY: 'k' });
    expect(config.embedded).to.equal(undefined);
  });
});

describe('embedded mode: the in-memory store', () => {
  const store = new MemoryKeyStore();
  after(() => store.quit());

  const record = (consumed: number): SessionRecord => ({ msisdn: '+254700000001', consumed, lastTextMac: '', lastResponse: 'CON x', snapshot: null, pinIndexes: [] });

  it('serialises two hops of one session, and the second reads what the first saved', async () => {
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const first = withSession(store, 'emb-1', async (rec) => {
      order.push(`first saw ${rec?.consumed ?? 'nothing'}`);
      await held;
      return { value: 'a', save: record(1) };
    });
    const second = withSession(store, 'emb-1', async (rec) => {
      order.push(`second saw ${rec?.consumed ?? 'nothing'}`);
      return { value: 'b', save: record(2) };
    });
    await new Promise((r) => setTimeout(r, 60));
    release();
    expect(await Promise.all([first, second])).to.deep.equal(['a', 'b']);
    expect(order).to.deep.equal(['first saw nothing', 'second saw 1']);
    expect(JSON.parse((await store.get('ussd:session:emb-1')) as string).consumed).to.equal(2);
  });

  it('lets a lock go only to its holder, and forgets a value after its time to live', async () => {
    expect(store.setIfAbsent('k', 'one', 10_000)).to.equal(true);
    expect(store.setIfAbsent('k', 'two', 10_000)).to.equal(false);
    store.deleteIfEquals('k', 'two');
    expect(await store.get('k')).to.equal('one');
    store.deleteIfEquals('k', 'one');
    expect(await store.get('k')).to.equal(null);
    store.set('short', 'v', 1);
    await new Promise((r) => setTimeout(r, 5));
    expect(await store.get('short')).to.equal(null);
  });

  it('counts SMS commands in memory: the one past the limit is warned, later ones dropped', async () => {
    const limit = smsRateLimit(store);
    const msisdn = randomMsisdn();
    const verdicts = [];
    for (let i = 0; i < SMS_COMMANDS_PER_HOUR + 2; i++) verdicts.push(await limit(msisdn));
    expect(verdicts.slice(0, SMS_COMMANDS_PER_HOUR).every((v) => v === 'allow')).to.equal(true);
    expect(verdicts.slice(SMS_COMMANDS_PER_HOUR)).to.deep.equal(['warn', 'drop']);
  });
});

describe('embedded mode: GET /dev/sms', () => {
  it('serves the SMS kept for one number after a given id, and refuses a bad number', async () => {
    const store = new MemoryKeyStore();
    const app = await serve(store);
    try {
      const to = randomMsisdn();
      keepSms(to, 'first 4821', 'first {secret}');
      keepSms(randomMsisdn(), 'someone else', 'someone else');
      const start = (await (await fetch(`${app.url}/dev/sms?to=${encodeURIComponent(to)}`)).json()) as { last: number; pending: number; messages: Array<{ id: number; message: string }> };
      expect(start.messages.map((m) => m.message)).to.deep.equal(['first 4821']);
      expect(start.pending).to.equal(0);
      keepSms(to, 'second', 'second');
      const next = (await (await fetch(`${app.url}/dev/sms?to=0${to.slice(4)}&after=${start.last}`)).json()) as { messages: Array<{ message: string }> };
      expect(next.messages.map((m) => m.message)).to.deep.equal(['second']);
      // An outbox SMS not yet kept counts as pending: the phone waits for it before hanging up.
      const [id] = await enqueueSms(db, [{ msisdn: to, kind: 'receipt', message: 'on its way' }]);
      const due = (await (await fetch(`${app.url}/dev/sms?to=${encodeURIComponent(to)}&after=${start.last}`)).json()) as { pending: number };
      await db('sms_outbox').where({ id: String(id) }).update({ status: 'failed', last_error: 'set aside by embedded-stores test' });
      expect(due.pending).to.equal(1);
      expect((await fetch(`${app.url}/dev/sms?to=12`)).status).to.equal(400);
      expect((await fetch(`${app.url}/dev/sms?to=${encodeURIComponent(to)}&after=-1`)).status).to.equal(400);
    } finally {
      await app.close();
      await store.quit();
    }
  });

  it('is not served by an app on Redis', async () => {
    const app = await serve(redis);
    try {
      expect((await fetch(`${app.url}/dev/sms?to=%2B254700000001`)).status).to.equal(404);
    } finally {
      await app.close();
    }
  });
});
