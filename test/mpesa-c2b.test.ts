/**
 * C2B top-ups through Daraja's callbacks (real app, PostgreSQL, Redis), with Safaricom's
 * sample body: validation accepts an active customer's phone number as the account and
 * rejects others (C2B00012); confirmation credits the wallet to the cent with an SMS, once
 * however often it is replayed; unknown accounts and full wallets go to suspense; forged
 * tokens and malformed bodies change nothing.
 */
import { expect } from 'chai';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { db } from '../src/db/index.js';
import { setLanguage } from '../src/customers/index.js';
import { nationalFormat } from '../src/phone/index.js';
import { mpesaRouter } from '../src/mpesa/index.js';
import { errorHandler, notFound } from '../src/http/errors.js';
import { assertLedgerSound, makeCustomer } from './helpers/customers.js';
import { blockOutboundHttp } from './helpers/at.js';
import { c2bSample, postC2b, receiptRow, suspenseBalance, walletBalance } from './helpers/mpesa.js';

async function smsFor(msisdn: string) {
  return db('sms_outbox').where({ msisdn }).orderBy('id');
}

describe('mpesa: C2B top-up callbacks', () => {
  before(blockOutboundHttp);
  afterEach(assertLedgerSound);

  describe('validation', () => {
    it('accepts an active customer\'s phone number in any KE form as the account', async () => {
      const c = await makeCustomer();
      for (const ref of [nationalFormat(c.msisdn), c.msisdn, c.msisdn.slice(1), c.msisdn.slice(4)]) {
        const res = await postC2b('validation', c2bSample({ BillRefNumber: ref, TransAmount: '3000.00' }));
        expect(res, ref).to.deep.include({ status: 200, body: { ResultCode: 0, ResultDesc: 'Accepted' } });
      }
    });

    it('rejects with C2B00012 an account that is no active Simu customer, and changes nothing', async () => {
      const suspended = await makeCustomer();
      await db('customers').where({ id: suspended.id }).update({ status: 'suspended' });
      for (const ref of ['invoice008', '0700000000x', nationalFormat(suspended.msisdn), '']) {
        const body = c2bSample({ BillRefNumber: ref });
        const res = await postC2b('validation', body);
        expect(res, ref).to.deep.include({ status: 200, body: { ResultCode: 'C2B00012', ResultDesc: 'Rejected' } });
        expect(await receiptRow(String(body.TransID))).to.equal(undefined);
      }
    });

    it('rejects a top-up that would take the wallet over its maximum balance (C2B00013)', async () => {
      const c = await makeCustomer(100);
      await db('customer_limits').insert({ customer_id: c.id, max_balance: 15_000n });
      const res = await postC2b('validation', c2bSample({ BillRefNumber: nationalFormat(c.msisdn), TransAmount: '50.01' }));
      expect(res.body).to.deep.equal({ ResultCode: 'C2B00013', ResultDesc: 'Rejected' });
    });
  });

  describe('confirmation', () => {
    it('credits the wallet from clearing:mpesa to the cent, with a receipt SMS, and answers Success', async () => {
      const c = await makeCustomer(5);
      const body = c2bSample({ BillRefNumber: nationalFormat(c.msisdn), TransAmount: '3000.55' });
      const res = await postC2b('confirmation', body);
      expect(res).to.deep.include({ status: 200, body: { ResultCode: 0, ResultDesc: 'Success' } });
      expect(await walletBalance(c.walletAccountId)).to.equal(500n + 300_055n);
      const row = await receiptRow(String(body.TransID));
      expect(row).to.include({ status: 'posted', kind: 'c2b', amount: 300_055n, customer_id: c.id, msisdn: '25470****149' });
      expect(row.payload).to.deep.equal(body);
      const entry = await db('journal_entries').where({ id: row.journal_entry_id }).first();
      expect(entry).to.include({ kind: 'mpesa_c2b', amount: 300_055n });
      const [sms] = await smsFor(c.msisdn);
      expect(sms.message).to.equal(
        `${entry.code} Confirmed. You have received KES 3,000.55 from M-Pesa (ref ${body.TransID}) on ${sms.message.match(/on (.+?)\. New/)![1]}. New balance KES 3,005.55.`,
      );
    });

    it('takes Safaricom\'s sample amount "10" as KES 10.00 and writes the SMS in the customer\'s language', async () => {
      const c = await makeCustomer();
      await setLanguage(c.msisdn, 'sw');
      await postC2b('confirmation', c2bSample({ BillRefNumber: c.msisdn.slice(1) }));
      expect(await walletBalance(c.walletAccountId)).to.equal(1_000n);
      const [sms] = await smsFor(c.msisdn);
      expect(sms.message).to.match(/Imethibitishwa\. Umepokea KES 10 kutoka M-Pesa .* Salio jipya KES 10\.$/);
    });

    it('posts once when the same confirmation is replayed 5 times in parallel', async () => {
      const c = await makeCustomer();
      const body = c2bSample({ BillRefNumber: nationalFormat(c.msisdn), TransAmount: '1500.00' });
      const answers = await Promise.all(Array.from({ length: 5 }, () => postC2b('confirmation', body)));
      expect(answers.map((a) => a.body)).to.deep.equal(Array(5).fill({ ResultCode: 0, ResultDesc: 'Success' }));
      await postC2b('confirmation', body);
      expect(await walletBalance(c.walletAccountId)).to.equal(150_000n);
      expect(await smsFor(c.msisdn)).to.have.length(1);
      expect(await db('journal_entries').whereRaw(`metadata->>'transId' = ?`, [String(body.TransID)])).to.have.length(1);
      expect(await db('idempotency_keys').where({ key: `mpesa:${body.TransID}` })).to.have.length(1);
    });

    it('holds a payment for an unknown or inactive account in suspense:mpesa, and still answers Success', async () => {
      const suspended = await makeCustomer();
      await db('customers').where({ id: suspended.id }).update({ status: 'suspended' });
      for (const ref of ['invoice008', nationalFormat(suspended.msisdn)]) {
        const before = await suspenseBalance();
        const body = c2bSample({ BillRefNumber: ref, TransAmount: '250.50' });
        const res = await postC2b('confirmation', body);
        expect(res.body).to.deep.equal({ ResultCode: 0, ResultDesc: 'Success' });
        expect(await suspenseBalance()).to.equal(before + 25_050n);
        const row = await receiptRow(String(body.TransID));
        expect(row).to.include({ status: 'suspense', amount: 25_050n, bill_ref: ref, status_reason: 'no active customer for the account' });
        expect(await db('idempotency_keys').where({ key: `mpesa:${body.TransID}` }).first()).to.have.property('journal_entry_id', row.journal_entry_id);
      }
      expect(await walletBalance(suspended.walletAccountId)).to.equal(0n);
    });

    it('holds a payment that would take the wallet over its maximum balance in suspense', async () => {
      const c = await makeCustomer(100);
      await db('customer_limits').insert({ customer_id: c.id, max_balance: 15_000n });
      const before = await suspenseBalance();
      const body = c2bSample({ BillRefNumber: nationalFormat(c.msisdn), TransAmount: '50.01' });
      expect((await postC2b('confirmation', body)).body).to.deep.equal({ ResultCode: 0, ResultDesc: 'Success' });
      expect(await walletBalance(c.walletAccountId)).to.equal(10_000n);
      expect(await suspenseBalance()).to.equal(before + 5_001n);
      expect(await receiptRow(String(body.TransID))).to.include({ status: 'suspense', customer_id: c.id, status_reason: 'the max balance limit would be exceeded' });
      expect(await smsFor(c.msisdn)).to.have.length(0);
    });
  });

  describe('at the edge', () => {
    it('answers 404 to a forged or missing token, and nothing changes', async () => {
      const c = await makeCustomer();
      const body = c2bSample({ BillRefNumber: nationalFormat(c.msisdn) });
      for (const token of ['forged-token-forged-token', 'test-mpesa-callback-tokeN', 'test-mpesa-callback-token-x', '']) {
        const res = await postC2b('confirmation', body, token);
        expect(res.status, token).to.equal(404);
        expect(JSON.stringify(res.body)).not.to.include('test-mpesa-callback-token');
      }
      expect(await receiptRow(String(body.TransID))).to.equal(undefined);
      expect(await walletBalance(c.walletAccountId)).to.equal(0n);
    });

    it('answers 404 when the rail is not configured', async () => {
      const app = express().use(mpesaRouter({ db, callbackToken: undefined })).use(notFound).use(errorHandler);
      const server = app.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      try {
        const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mpesa/test-mpesa-callback-token/c2b/confirmation`, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(c2bSample()),
        });
        expect(res.status).to.equal(404);
      } finally {
        await new Promise((r) => server.close(r));
      }
    });

    it('answers 400 with a reason to a malformed amount or body, and nothing changes', async () => {
      const c = await makeCustomer();
      const ref = nationalFormat(c.msisdn);
      const cases: Array<[unknown, string]> = [
        [c2bSample({ BillRefNumber: ref, TransAmount: '1,000.00' }), 'TransAmount'],
        [c2bSample({ BillRefNumber: ref, TransAmount: '10.005' }), 'TransAmount'],
        [c2bSample({ BillRefNumber: ref, TransAmount: '-5' }), 'TransAmount'],
        [c2bSample({ BillRefNumber: ref, TransAmount: '0.00' }), 'TransAmount'],
        [c2bSample({ BillRefNumber: ref, TransAmount: 10.5 }), 'TransAmount'],
        [c2bSample({ BillRefNumber: ref, TransAmount: '1e3' }), 'TransAmount'],
        [c2bSample({ BillRefNumber: ref, TransID: 'x' }), 'TransID'],
        [c2bSample({ BillRefNumber: ref, BusinessShortCode: 'paybill' }), 'BusinessShortCode'],
        [c2bSample({ BillRefNumber: ref, BusinessShortCode: '600000' }), 'BusinessShortCode'],
        [c2bSample({ BillRefNumber: { $ne: 1 } }), 'BillRefNumber'],
        ['[1,2]', 'body'],
        ['{"TransID": ', 'JSON'],
      ];
      for (const [body, field] of cases) {
        const res = await postC2b('confirmation', body);
        expect(res.status, JSON.stringify(body)).to.equal(400);
        expect(res.body.reason, field).to.be.a('string').and.satisfy((r: string) => field === 'JSON' || r.startsWith(field));
        if (typeof body === 'object') expect(await receiptRow(String((body as Record<string, unknown>).TransID))).to.equal(undefined);
      }
      expect((await postC2b('validation', c2bSample({ TransAmount: 'ten' }))).status).to.equal(400);
      // Found by test/faults/fuzz-callbacks.test.ts: PostgreSQL refuses a NUL (text, jsonb) and a lone surrogate (jsonb), which answered 500.
      const nul = c2bSample({ BillRefNumber: ref, FirstName: 'Jo\u0000hn' });
      expect(await postC2b('confirmation', nul)).to.deep.include({ status: 400 }).and.have.nested.property('body.field', 'FirstName');
      expect(await receiptRow(String(nul.TransID))).to.equal(undefined);
      const surrogate = JSON.stringify(c2bSample({ BillRefNumber: ref })).replace('"John"', '"\\ud800"');
      expect(await postC2b('confirmation', surrogate)).to.have.nested.property('body.field', 'FirstName');
      expect((await postC2b('validation', c2bSample({ BillRefNumber: `${ref}\u0000` }))).status).to.equal(400);
      expect(await walletBalance(c.walletAccountId)).to.equal(0n);
    });
  });
});
