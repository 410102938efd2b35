/** The admin API of bank payments: the suspense list and allocation to a customer's wallet. */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { displayBalance, getAccount, systemAccount } from '../src/ledger/index.js';
import { setLimitOverrides } from '../src/payments/index.js';
import { admin, adminKey } from './helpers/admin.js';
import { assertLedgerSound, makeCustomer } from './helpers/customers.js';
import { bankTxId, equityBody, kcbBody, paymentRow, postBank } from './helpers/banks.js';

async function suspenseBalance(): Promise<bigint> {
  return (await getAccount(db, (await systemAccount(db, 'suspenseBank')).id)).balance;
}

/** Posts an Equity payment for an account no customer holds; returns its transaction id. */
async function unknownPayment(amount = '2500.75'): Promise<string> {
  const id = bankTxId('EQ');
  const res = await postBank('equity', equityBody({ transactionId: id, studentId: `MUT/2024/${id.slice(-4)}`, amount }));
  expect(res.status).to.equal(200);
  return id;
}

describe('admin: bank payments', () => {
  afterEach(assertLedgerSound);

  it('lists payments in suspense (read scope), newest first, with amounts in cents', async () => {
    const read = await adminKey('read');
    const id = await unknownPayment();
    const customer = await makeCustomer(0);
    const posted = bankTxId('KCB');
    await postBank('kcb', kcbBody({ transactionRef: posted, accountNumber: customer.msisdn, amount: '10' }));
    const res = await admin('get', '/banks/payments?status=suspense&limit=200', { key: read });
    expect(res.status).to.equal(200);
    const mine = res.body.data.find((p: { transactionId: string }) => p.transactionId === id);
    expect(mine).to.include({ bank: 'equity', amount: 250_075, currency: 'KES', status: 'suspense', suspenseReason: 'unknown_account', msisdn: null });
    expect(mine.reference).to.match(/^[A-Z][A-Z0-9]{9}$/);
    expect(res.body.data.every((p: { status: string }) => p.status === 'suspense')).to.equal(true);
    const kcb = await admin('get', '/banks/payments?bank=kcb&status=posted', { key: read });
    expect(kcb.body.data.map((p: { transactionId: string }) => p.transactionId)).to.include(posted);
    expect((await admin('get', '/banks/payments?status=lost', { key: read })).status).to.equal(400);
    expect((await admin('get', '/banks/payments')).status).to.equal(401);
  });

  it('allocates a suspense payment to a customer (finance scope, Idempotency-Key): wallet credited, SMS, audited; a second allocation is 409', async () => {
    const finance = await adminKey('finance');
    const id = await unknownPayment('2500.75');
    const customer = await makeCustomer(5);
    const before = await suspenseBalance();
    const key = randomUUID();
    const body = { msisdn: `0${customer.msisdn.slice(4)}`, reason: 'Payer called: typed her student number' };
    const res = await admin('post', `/banks/payments/equity/${id}/allocate`, { key: finance, body, headers: { 'idempotency-key': key } });
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ status: 'allocated', msisdn: customer.msisdn, amount: 250_075, allocationReason: body.reason });
    expect(res.body.allocationReference).to.match(/^[A-Z][A-Z0-9]{9}$/);
    expect(displayBalance(await getAccount(db, customer.walletAccountId))).to.equal(500n + 250_075n);
    expect(await suspenseBalance()).to.equal(before + 250_075n);
    const sms = await db('sms_outbox').where({ msisdn: customer.msisdn, kind: 'receipt' });
    expect(sms).to.have.length(1);
    expect(sms[0].message).to.contain(res.body.allocationReference).and.contain('KES 2,500.75').and.contain(id);
    const audit = await db('audit_log').where({ target: `bank_payment:equity:${id}` });
    expect(audit).to.have.length(1);
    expect(audit[0].after).to.include({ status: 'allocated', reason: body.reason });

    const replay = await admin('post', `/banks/payments/equity/${id}/allocate`, { key: finance, body, headers: { 'idempotency-key': key } });
    expect(replay.status).to.equal(200);
    expect(replay.body).to.deep.equal(res.body);
    const second = await admin('post', `/banks/payments/equity/${id}/allocate`, { key: finance, body, headers: { 'idempotency-key': randomUUID() } });
    expect(second.status).to.equal(409);
    expect(second.body.error).to.equal('already_allocated');
    expect(displayBalance(await getAccount(db, customer.walletAccountId))).to.equal(500n + 250_075n);
    expect((await paymentRow('equity', id)).status).to.equal('allocated');
    // The bank's replay of an allocated payment still answers the same acknowledgement.
    const again = await postBank('equity', equityBody({ transactionId: id, studentId: `MUT/2024/${id.slice(-4)}`, amount: '2500.75' }));
    expect(again.status).to.equal(200);
    expect(again.body.transactionId).to.equal(id);
  });

  it('refuses what cannot be allocated: no payment 404, no customer 404, a posted payment 409, no key 400, read scope 403', async () => {
    const finance = await adminKey('finance');
    const read = await adminKey('read');
    const id = await unknownPayment('1');
    const customer = await makeCustomer(0);
    const body = { msisdn: customer.msisdn, reason: 'test allocation' };
    const post = (path: string, opts: { key?: string; body?: unknown; headers?: Record<string, string> }) =>
      admin('post', path, { key: finance, body, headers: { 'idempotency-key': randomUUID() }, ...opts });
    expect((await post('/banks/payments/equity/NOPE123/allocate', {})).status).to.equal(404);
    expect((await post(`/banks/payments/kcb/${id}/allocate`, {})).status).to.equal(404);
    expect((await post(`/banks/payments/equity/${id}/allocate`, { body: { ...body, msisdn: '+254799000001' } })).status).to.equal(404);
    expect((await post(`/banks/payments/equity/${id}/allocate`, { body: { ...body, msisdn: 'abc' } })).status).to.equal(400);
    expect((await post(`/banks/payments/equity/${id}/allocate`, { headers: {} })).status).to.equal(400);
    expect((await post(`/banks/payments/equity/${id}/allocate`, { key: read })).status).to.equal(403);
    expect((await paymentRow('equity', id)).status).to.equal('suspense');
    const posted = bankTxId('KCB');
    await postBank('kcb', kcbBody({ transactionRef: posted, accountNumber: customer.msisdn, amount: '1' }));
    const res = await post(`/banks/payments/kcb/${posted}/allocate`, {});
    expect(res.status).to.equal(409);
    expect(res.body.error).to.equal('not_in_suspense');
    expect(displayBalance(await getAccount(db, customer.walletAccountId))).to.equal(100n);
  });

  it('respects the wallet\'s maximum balance: 422 and the payment stays in suspense', async () => {
    const finance = await adminKey('finance');
    const id = await unknownPayment('20');
    const customer = await makeCustomer(90);
    await db.transaction((trx) => setLimitOverrides(trx, customer.id, { perTransaction: null, perDay: null, perMonth: null, maxBalance: 10_000n }));
    const res = await admin('post', `/banks/payments/equity/${id}/allocate`, {
      key: finance, body: { msisdn: customer.msisdn, reason: 'test allocation' }, headers: { 'idempotency-key': randomUUID() },
    });
    expect(res.status).to.equal(422);
    expect(res.body.error).to.equal('limit_exceeded');
    expect((await paymentRow('equity', id)).status).to.equal('suspense');
    expect(displayBalance(await getAccount(db, customer.walletAccountId))).to.equal(9_000n);
  });
});
