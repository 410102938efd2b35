/**
 * M-Pesa suspense through the admin API (real app, PostgreSQL, Redis): a confirmation for
 * an unknown account is held in suspense:mpesa, listed, and allocated to a customer's
 * wallet once (with a receipt SMS and an audit row); a second allocation answers 409.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { nationalFormat } from '../src/phone/index.js';
import { admin, adminKey } from './helpers/admin.js';
import { assertLedgerSound, makeCustomer, randomMsisdn } from './helpers/customers.js';
import { blockOutboundHttp } from './helpers/at.js';
import { c2bSample, newTransId, postC2b, receiptRow, suspenseBalance, walletBalance } from './helpers/mpesa.js';

/** Confirms a payment of `amount` for an account that is no customer; answers its TransID. */
async function suspended(amount = '700.25'): Promise<string> {
  const body = c2bSample({ BillRefNumber: `acc-${randomUUID().slice(0, 8)}`, TransAmount: amount });
  expect((await postC2b('confirmation', body)).body).to.deep.equal({ ResultCode: 0, ResultDesc: 'Success' });
  return String(body.TransID);
}

describe('admin API: M-Pesa suspense', () => {
  before(blockOutboundHttp);
  afterEach(assertLedgerSound);

  it('GET /admin/mpesa/suspense lists receipts awaiting allocation, newest first', async () => {
    const first = await suspended('100.00');
    const second = await suspended('200.00');
    const key = await adminKey('read');
    const res = await admin('GET', '/mpesa/suspense?limit=200', { key });
    expect(res.status).to.equal(200);
    const ids = res.body.data.map((r: { transId: string }) => r.transId);
    expect(ids.indexOf(second)).to.be.lessThan(ids.indexOf(first)).and.at.least(0);
    expect(res.body.data.find((r: { transId: string }) => r.transId === second)).to.include({
      amount: 20_000, currency: 'KES', status: 'suspense', statusReason: 'no active customer for the account', kind: 'c2b', msisdn: '25470****149',
    });
    expect((await admin('GET', '/mpesa/suspense', {})).status).to.equal(401);
  });

  it('POST /admin/mpesa/suspense/{transId}/allocate moves the money to the wallet once, with an SMS and an audit row; again → 409', async () => {
    const transId = await suspended('700.25');
    const customer = await makeCustomer(1);
    const key = await adminKey('read', 'finance');
    const before = await suspenseBalance();
    const headers = { 'idempotency-key': `alloc-${randomUUID()}` };
    const body = { msisdn: nationalFormat(customer.msisdn), reason: 'customer typed a wrong account; confirmed by phone' };
    const res = await admin('POST', `/mpesa/suspense/${transId}/allocate`, { key, body, headers });
    expect(res.status, JSON.stringify(res.body)).to.be.oneOf([200, 201]);
    expect(res.body).to.include({ transId, status: 'allocated', amount: 70_025, allocatedTo: customer.id, allocationReason: body.reason });

    const replay = await admin('POST', `/mpesa/suspense/${transId}/allocate`, { key, body, headers });
    expect(replay.body).to.deep.equal(res.body);
    const again = await admin('POST', `/mpesa/suspense/${transId}/allocate`, { key, body, headers: { 'idempotency-key': `alloc-${randomUUID()}` } });
    expect(again.status).to.equal(409);
    expect(again.body.error).to.equal('receipt_not_in_suspense');

    expect(await walletBalance(customer.walletAccountId)).to.equal(100n + 70_025n);
    expect(await suspenseBalance()).to.equal(before - 70_025n);
    const row = await receiptRow(transId);
    expect(row).to.include({ status: 'allocated', allocated_to: customer.id, allocated_by: 'test-read-finance' });
    const entry = await db('journal_entries').where({ id: row.allocation_entry_id }).first();
    expect(entry).to.include({ kind: 'mpesa_allocation', amount: 70_025n });
    const sms = await db('sms_outbox').where({ msisdn: customer.msisdn });
    expect(sms).to.have.length(1);
    expect(sms[0].message).to.include(`${entry.code} Confirmed. You have received KES 700.25 from M-Pesa (ref ${transId})`).and.include('New balance KES 701.25.');
    const audit = await db('audit_log').where({ target: `mpesa_receipt:${transId}` });
    expect(audit).to.have.length(1);
    expect(audit[0].before).to.include({ status: 'suspense' });
    expect(audit[0].after).to.include({ status: 'allocated', allocatedTo: customer.id });

    const listed = await admin('GET', '/mpesa/suspense?limit=200', { key });
    expect(listed.body.data.map((r: { transId: string }) => r.transId)).not.to.include(transId);
  });

  it('answers 404 for an unknown receipt, 409 for one posted to a wallet, 400 without Idempotency-Key or with a bad body, 403 without finance', async () => {
    const customer = await makeCustomer();
    const key = await adminKey('finance');
    const body = { msisdn: customer.msisdn, reason: 'allocation test' };
    const idem = () => ({ 'idempotency-key': randomUUID() });
    expect((await admin('POST', `/mpesa/suspense/${newTransId()}/allocate`, { key, body, headers: idem() })).status).to.equal(404);

    const posted = c2bSample({ BillRefNumber: nationalFormat(customer.msisdn) });
    await postC2b('confirmation', posted);
    expect((await admin('POST', `/mpesa/suspense/${posted.TransID}/allocate`, { key, body, headers: idem() })).status).to.equal(409);

    const transId = await suspended('5.00');
    expect((await admin('POST', `/mpesa/suspense/${transId}/allocate`, { key, body })).status).to.equal(400);
    expect((await admin('POST', `/mpesa/suspense/${transId}/allocate`, { key, body: { msisdn: customer.msisdn }, headers: idem() })).status).to.equal(400);
    expect((await admin('POST', `/mpesa/suspense/${transId}/allocate`, { key, body: { msisdn: randomMsisdn(), reason: 'no such customer' }, headers: idem() })).status).to.equal(404);
    expect((await admin('POST', `/mpesa/suspense/${transId}/allocate`, { key: await adminKey('read'), body, headers: idem() })).status).to.equal(403);
    expect(await receiptRow(transId)).to.include({ status: 'suspense' });
  });
});
