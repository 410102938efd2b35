/**
 * POST /sms/inbound and /sms/opt-out at the edges: bad bodies, AT's retries, PINs sent by
 * SMS (never stored nor logged), the hourly limit per number, the token check, and the
 * dispatch of money commands to a stubbed stager (the real one is built elsewhere).
 */
import { expect } from 'chai';
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { db } from '../src/db/index.js';
import { createRedis } from '../src/redis/index.js';
import { createApp } from '../src/http/app.js';
import { errorHandler } from '../src/http/errors.js';
import { AppError } from '../src/errors/index.js';
import { setLanguage } from '../src/customers/index.js';
import { smsInboundRouter, SMS_COMMANDS_PER_HOUR, type MoneyStager } from '../src/sms/index.js';
import type { MoneyCommand } from '../src/sms/confirm/index.js';
import { closeAtEnd } from './helpers/resources.js';
import { makeCustomer, randomMsisdn } from './helpers/customers.js';
import { carriesPin } from './helpers/pin.js';
import { captureLogs } from './helpers/logs.js';

describe('POST /sms/inbound and /sms/opt-out: edges', () => {
  const redis = createRedis();
  const servers: Server[] = [];
  let base: string;
  let stubBase: string;
  let tokenBase: string;
  const staged: Array<{ msisdn: string; command: MoneyCommand }> = [];
  let stagerAnswer: () => Promise<{ code: string; reply: string }> = async () => ({ code: '4711', reply: 'Dial *384*4711# within 5 minutes to confirm.' });
  const stub: MoneyStager = async (_db, msisdn, command) => {
    staged.push({ msisdn, command });
    return stagerAnswer();
  };

  async function listen(app: express.Express): Promise<string> {
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  const stopAll = () => Promise.all(servers.splice(0).map((s) => new Promise((resolve) => { s.close(resolve); s.closeAllConnections(); })));

  before(async () => {
    base = await listen(createApp({ db, redis }));
    stubBase = await listen(express().use(smsInboundRouter({ db, redis, stage: stub })).use(errorHandler));
    tokenBase = await listen(createApp({ db, redis, atCallbackToken: 'sekrit-token' }));
    closeAtEnd(async () => { await stopAll(); await redis.quit(); });
  });
  after(stopAll);

  async function post(url: string, form: Record<string, string>) {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
    return { status: res.status, body: (await res.json()) as { ok?: boolean; outcome?: string; error?: string; reason?: string; added?: boolean } };
  }
  const form = (from: string, text: string, id = `ATXid_${randomUUID()}`) => ({ from, to: '22384', text, date: '2026-12-06 10:00:00', id, networkCode: '63902' });
  const replies = (msisdn: string) => db('sms_outbox').where({ msisdn, kind: 'reply' }).orderBy('id').pluck('message');

  it('a body without an id or a sender answers 400 with a reason and writes nothing', async () => {
    const msisdn = randomMsisdn();
    const noId = await post(`${base}/sms/inbound`, { from: msisdn, to: '22384', text: 'BAL' });
    expect(noId.status).to.equal(400);
    expect(noId.body.error).to.equal('validation_failed');
    expect(noId.body.reason).to.match(/id/);
    const badFrom = await post(`${base}/sms/inbound`, form('SIMU', 'BAL'));
    expect(badFrom.status).to.equal(400);
    expect(badFrom.body.reason).to.match(/from/);
    const landline = await post(`${base}/sms/inbound`, form('+254202222222', 'BAL'));
    expect(landline.status).to.equal(400);
    expect(await db('sms_inbound').where({ msisdn })).to.have.length(0);
    expect(await replies(msisdn)).to.have.length(0);
  });

  // Found by test/faults/fuzz-sms.test.ts: PostgreSQL refuses a NUL in text, which answered 500.
  it('a NUL character in any field answers 400 naming it and writes nothing', async () => {
    const c = await makeCustomer();
    for (const [field, value] of [['text', 'BAL\u0000'], ['to', '22\u0000384'], ['id', `ATXid_\u0000${randomUUID()}`]]) {
      const res = await post(`${base}/sms/inbound`, { ...form(c.msisdn, 'BAL'), [field]: value });
      expect(res.status, field).to.equal(400);
      expect(res.body.reason, field).to.match(new RegExp(`^${field}: contains a NUL`));
    }
    expect(await db('sms_inbound').where({ msisdn: c.msisdn })).to.have.length(0);
    expect(await replies(c.msisdn)).to.have.length(0);
  });

  it('AT\'s retry of the same id does nothing the second time: one row, one reply', async () => {
    const c = await makeCustomer(100);
    const id = `ATXid_${randomUUID()}`;
    const first = await post(`${base}/sms/inbound`, form(c.msisdn, 'BAL', id));
    const [second, third] = await Promise.all([post(`${base}/sms/inbound`, form(c.msisdn, 'BAL', id)), post(`${base}/sms/inbound`, form(c.msisdn, 'BAL', id))]);
    expect(first.body).to.deep.equal({ ok: true, outcome: 'replied' });
    expect([second.status, second.body.outcome, third.status, third.body.outcome]).to.deep.equal([200, 'duplicate', 200, 'duplicate']);
    expect(await db('sms_inbound').where({ at_id: id })).to.have.length(1);
    expect(await replies(c.msisdn)).to.have.length(1);
  });

  describe('a PIN sent by SMS', () => {
    const capture = captureLogs();

    it('is redacted, never stored or logged, and the reply warns (English, Kiswahili)', async () => {
      const c = await makeCustomer(100);
      const s = await makeCustomer(100);
      await setLanguage(s.msisdn, 'sw', db);
      expect((await post(`${base}/sms/inbound`, form(c.msisdn, 'BAL 7391'))).body.outcome).to.equal('pin_refused');
      expect((await post(`${base}/sms/inbound`, form(s.msisdn, ' 7391 '))).body.outcome).to.equal('pin_refused');
      expect((await post(`${stubBase}/sms/inbound`, form(c.msisdn, 'SEND 0712345678 500 7391'))).body.outcome).to.equal('pin_refused');
      expect(staged.filter((x) => x.msisdn === c.msisdn), 'never staged').to.have.length(0);

      expect(await replies(c.msisdn)).to.deep.equal(Array(2).fill('Never send your PIN by SMS. Simu will never ask for it. Send the command again without it.'));
      expect(await replies(s.msisdn)).to.deep.equal(['Usitume PIN yako kwa SMS kamwe. Simu haitakuuliza PIN yako kamwe. Tuma amri tena bila PIN.']);
      const inbound = await db('sms_inbound').whereIn('msisdn', [c.msisdn, s.msisdn]).orderBy('id');
      expect(inbound.map((r) => r.text)).to.deep.equal(['BAL ****', '****', 'SEND 0712345678 500 ****']);
      const outbox = await db('sms_outbox').whereIn('msisdn', [c.msisdn, s.msisdn]);
      expect(carriesPin(inbound, '7391'), inbound.map((r) => r.text).join(' | ')).to.equal(false);
      expect(carriesPin(outbox, '7391')).to.equal(false);
      const lines = capture.lines.filter((l) => l.message === 'sms inbound');
      expect(lines).to.have.length(3);
      expect(lines[0]).to.include({ text: 'BAL ****', outcome: 'pin_refused', msisdn: `+*********${c.msisdn.slice(-3)}` });
      for (const line of capture.lines) expect(carriesPin(line, '7391', ['requestId']), JSON.stringify(line)).to.equal(false);
    });
  });

  it(`past ${SMS_COMMANDS_PER_HOUR} commands an hour, the next is warned once and later ones are dropped`, async () => {
    const c = await makeCustomer(100);
    const outcomes: string[] = [];
    for (let i = 0; i < SMS_COMMANDS_PER_HOUR + 2; i++) outcomes.push((await post(`${base}/sms/inbound`, form(c.msisdn, 'BAL'))).body.outcome!);
    expect(outcomes.slice(0, SMS_COMMANDS_PER_HOUR)).to.deep.equal(Array(SMS_COMMANDS_PER_HOUR).fill('replied'));
    expect(outcomes.slice(SMS_COMMANDS_PER_HOUR)).to.deep.equal(['rate_warned', 'dropped']);
    const sent = await replies(c.msisdn);
    expect(sent).to.have.length(SMS_COMMANDS_PER_HOUR + 1);
    expect(sent[SMS_COMMANDS_PER_HOUR]).to.equal('You have sent too many Simu SMS commands. Please wait an hour; messages sent before then will not be answered.');
    const last = await db('sms_inbound').where({ msisdn: c.msisdn }).orderBy('id', 'desc').first();
    expect(last).to.include({ outcome: 'dropped', text: 'BAL' });
  });

  it('AT_CALLBACK_TOKEN guards /sms/inbound and /sms/opt-out', async () => {
    const msisdn = randomMsisdn();
    expect((await post(`${tokenBase}/sms/inbound`, form(msisdn, 'HELP'))).status).to.equal(404);
    expect((await post(`${tokenBase}/sms/opt-out`, { senderId: 'SIMU', phoneNumber: msisdn })).status).to.equal(404);
    expect(await db('sms_inbound').where({ msisdn })).to.have.length(0);
    expect((await post(`${tokenBase}/sms/inbound?token=sekrit-token`, form(msisdn, 'HELP'))).body.outcome).to.equal('replied');
  });

  describe('POST /sms/opt-out (AT\'s opt-out callback)', () => {
    it('puts the number on the opt-out list, once', async () => {
      const msisdn = randomMsisdn();
      const first = await post(`${base}/sms/opt-out`, { senderId: 'SIMU', phoneNumber: msisdn });
      expect(first).to.deep.equal({ status: 200, body: { ok: true, added: true } });
      expect(await db('sms_opt_outs').where({ msisdn }).first()).to.include({ source: 'at' });
      expect((await post(`${base}/sms/opt-out`, { senderId: 'SIMU', phoneNumber: msisdn })).body).to.deep.equal({ ok: true, added: false });
    });

    it('a bad body answers 400 and writes nothing', async () => {
      const missing = await post(`${base}/sms/opt-out`, { senderId: 'SIMU' });
      expect(missing.status).to.equal(400);
      expect(missing.body.reason).to.match(/phoneNumber/);
      const bad = await post(`${base}/sms/opt-out`, { senderId: 'SIMU', phoneNumber: 'not-a-number' });
      expect(bad.status).to.equal(400);
      expect(await db('sms_opt_outs').where({ msisdn: 'not-a-number' })).to.have.length(0);
    });
  });

  describe('money commands go to the stager', () => {
    beforeEach(() => {
      stagerAnswer = async () => ({ code: '4711', reply: 'Dial *384*4711# within 5 minutes to confirm.' });
    });

    it('a well-formed command is staged with its parsed arguments and the stager\'s reply is sent', async () => {
      const c = await makeCustomer(100);
      const res = await post(`${stubBase}/sms/inbound`, form(c.msisdn, 'tuma 0712 345 678 1,000'));
      expect(res.body.outcome).to.equal('usage'); // the phone number must be one word
      const ok = await post(`${stubBase}/sms/inbound`, form(c.msisdn, 'TUMA 0712345678 1,000'));
      expect(ok.body.outcome).to.equal('staged');
      expect(staged.filter((x) => x.msisdn === c.msisdn)).to.deep.equal([{ msisdn: c.msisdn, command: { kind: 'send', recipient: '+254712345678', amount: 100_000n } }]);
      expect((await replies(c.msisdn)).at(-1)).to.equal('Dial *384*4711# within 5 minutes to confirm.');
      await post(`${stubBase}/sms/inbound`, form(c.msisdn, 'changa umoja 250'));
      expect(staged.at(-1)).to.deep.equal({ msisdn: c.msisdn, command: { kind: 'contribute', chamaCode: 'UMOJA', amount: 25_000n } });
    });

    it('a refusal is worded for the user by its code, in their language; unknown codes get a generic line', async () => {
      const c = await makeCustomer(100);
      const s = await makeCustomer(100);
      await setLanguage(s.msisdn, 'sw', db);
      stagerAnswer = async () => { throw new AppError('insufficient_funds', 'not enough'); };
      expect((await post(`${stubBase}/sms/inbound`, form(c.msisdn, 'PAY 888880 ACC1 500'))).body.outcome).to.equal('refused');
      await post(`${stubBase}/sms/inbound`, form(s.msisdn, 'LIPA 888880 ACC1 500'));
      stagerAnswer = async () => { throw new AppError('something_new', 'new'); };
      await post(`${stubBase}/sms/inbound`, form(c.msisdn, 'TILL 123456 50'));
      expect(await replies(c.msisdn)).to.deep.equal(['Failed: you do not have enough money in your Simu account.', 'Sorry, Simu could not do that. Please check and try again.']);
      expect(await replies(s.msisdn)).to.deep.equal(['Imeshindikana: huna pesa za kutosha kwenye akaunti yako ya Simu.']);
    });

    it('a fault in the stager answers 200 with a generic reply and is recorded as an error', async () => {
      const c = await makeCustomer(100);
      stagerAnswer = async () => { throw new Error('boom'); };
      const res = await post(`${stubBase}/sms/inbound`, form(c.msisdn, 'REPAY 500'));
      expect(res).to.deep.equal({ status: 200, body: { ok: true, outcome: 'error' } });
      expect(await replies(c.msisdn)).to.deep.equal(['Sorry, Simu could not do that now. Please try again later.']);
      expect(await db('sms_inbound').where({ msisdn: c.msisdn }).first()).to.include({ command: 'repay', outcome: 'error' });
    });
  });
});
