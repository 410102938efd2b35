/**
 * M-Pesa requests Daraja left hanging, settled through the admin API (real app, PostgreSQL,
 * Redis; Daraja's callbacks in Safaricom's sample shapes posted to our own endpoints): an
 * STK top-up credited by hand posts once whatever callback or C2B confirmation of its
 * receipt comes before or after; one failed by hand still gets its money when M-Pesa's
 * success comes late; a stuck withdrawal to M-Pesa is completed or reversed; every action
 * refuses a request it does not apply to. The ledger is checked after each test.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import nock from 'nock';
import { db } from '../src/db/index.js';
import { displayBalance, getAccount } from '../src/ledger/index.js';
import { nationalFormat } from '../src/phone/index.js';
import type { Customer } from '../src/customers/index.js';
import { DarajaClient, dispatchB2c, requestB2cWithdrawal, requestStkTopUp } from '../src/mpesa/index.js';
import { admin, adminKey } from './helpers/admin.js';
import { blockOutboundHttp } from './helpers/at.js';
import { assertLedgerSound, makeCustomer } from './helpers/customers.js';
import { CALLBACK_TOKEN, c2bSample, newTransId, postC2b, receiptRow, suspenseBalance, walletBalance } from './helpers/mpesa.js';
import { acceptedStk, newCheckoutId, postStk, stkRow, stkSuccess } from './helpers/stk.js';
import { appUrl } from './helpers/ussd.js';

const HOST = 'https://sandbox.safaricom.co.ke';
const idem = () => ({ 'idempotency-key': `ops-${randomUUID()}` });
const sms = (msisdn: string) => db('sms_outbox').where({ msisdn }).orderBy('id');
const confirmC2b = (c: Customer, transId: string, kes: string) =>
  postC2b('confirmation', c2bSample({ TransID: transId, TransAmount: kes, BillRefNumber: nationalFormat(c.msisdn) }));
let finance: string;
let reader: string;

/** A pushed request that Daraja left hanging: `accepted`, then `unknown` as the worker leaves it after 30 minutes. */
async function hanging(c: Customer, kes: number, status = 'unknown') {
  const r = await acceptedStk(c.msisdn, kes);
  await db('stk_requests').where({ id: r.id }).update({ status });
  return r;
}

/** Safaricom's sample B2C success result (v3 page) for our request. */
function b2cSuccess(originator: string, amountKes: number, receipt: string) {
  return {
    Result: {
      ResultType: 0, ResultCode: 0, ResultDesc: 'The service request is processed successfully.', OriginatorConversationID: originator,
      ConversationID: 'AG_20191219_00004e48cf7e3533f581', TransactionID: receipt,
      ResultParameters: { ResultParameter: [{ Key: 'TransactionAmount', Value: amountKes }, { Key: 'TransactionReceipt', Value: receipt }, { Key: 'ReceiverPartyPublicName', Value: '254708374149 - John Doe' }] },
      ReferenceData: { ReferenceItem: { Key: 'QueueTimeoutURL', Value: 'https://internalsandbox.safaricom.co.ke/mpesa/b2cresults/v1/submit' } },
    },
  };
}

async function postB2cResult(body: unknown) {
  const res = await fetch(`${await appUrl()}/mpesa/${CALLBACK_TOKEN}/b2c/result`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

/** A customer with `kes` who withdrew `amountKes` to M-Pesa; posted to Daraja (intercepted), `sent`, and stuck for 31 minutes. */
async function stuckWithdrawal(kes: number, amountKes: number) {
  const customer = await makeCustomer(kes);
  const w = await requestB2cWithdrawal({ msisdn: customer.msisdn, amount: BigInt(amountKes) * 100n, pin: '1234', idempotencyKey: `test:b2c:${randomUUID()}` });
  nock(HOST).get('/oauth/v1/generate').query(true).reply(200, { access_token: 'b2c-token', expires_in: '3599' });
  nock(HOST).post('/mpesa/b2c/v3/paymentrequest').reply((_uri, body) => [200, {
    ConversationID: 'AG_20240706_20106e9209f64bebd05b', OriginatorConversationID: (body as { OriginatorConversationID: string }).OriginatorConversationID,
    ResponseCode: '0', ResponseDescription: 'Accept the service request successfully.',
  }]);
  const client = new DarajaClient({ environment: 'sandbox', consumerKey: 'test-consumer-key', consumerSecret: 'test-consumer-secret' });
  expect(await dispatchB2c(db, client, { ids: [w.requestId] })).to.include({ sent: 1 });
  await db('b2c_requests').where({ id: String(w.requestId) }).update({ sent_at: db.raw(`now() - interval '31 minutes'`) });
  const row = await db('b2c_requests').where({ id: String(w.requestId) }).first();
  return { customer, row, id: String(w.requestId) };
}

describe('admin API: M-Pesa requests left hanging', () => {
  before(async () => {
    blockOutboundHttp();
    // Requests left by other files would be pushed by our passes.
    await db('stk_requests').where({ status: 'requested' }).update({ status: 'unknown', result_desc: 'left by another test file' });
    finance = await adminKey('read', 'finance');
    reader = await adminKey('read');
  });
  afterEach(async () => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, 'Daraja calls expected but not made').to.deep.equal([]);
    await assertLedgerSound();
  });

  describe('STK top-ups', () => {
    it('GET /admin/mpesa/stk lists unknown and paid_unconfirmed newest first, or one status', async () => {
      const c = await makeCustomer();
      const unknown = await hanging(c, 50);
      const unconfirmed = await hanging(c, 60, 'paid_unconfirmed');
      const accepted = await acceptedStk(c.msisdn, 70);
      const res = await admin('GET', '/mpesa/stk?limit=200', { key: reader });
      expect(res.status).to.equal(200);
      const ids = res.body.data.map((r: { id: number }) => String(r.id));
      expect(ids.indexOf(String(unconfirmed.id))).to.be.at.least(0).and.lessThan(ids.indexOf(String(unknown.id)));
      expect(ids).not.to.include(String(accepted.id));
      expect(res.body.data.find((r: { id: number }) => String(r.id) === String(unknown.id))).to.include({
        status: 'unknown', amount: 5_000, currency: 'KES', msisdn: c.msisdn, checkoutRequestId: unknown.checkoutId, receiptNumber: null,
      });
      const byStatus = await admin('GET', '/mpesa/stk?status=accepted&limit=200', { key: reader });
      expect(byStatus.body.data.map((r: { id: number }) => String(r.id))).to.include(String(accepted.id)).and.not.include(String(unknown.id));
      expect((await admin('GET', '/mpesa/stk?status=lost', { key: reader })).status).to.equal(400);
      expect((await admin('GET', '/mpesa/stk', {})).status).to.equal(401);
      await db('stk_requests').where({ id: accepted.id }).update({ status: 'unknown' });
    });

    it('credit posts the receipt once: a replayed callback and the C2B confirmation after it post nothing more', async () => {
      const c = await makeCustomer(3);
      const { id, checkoutId } = await hanging(c, 250);
      const receipt = newTransId();
      const headers = idem();
      const body = { receipt: receipt.toLowerCase(), reason: 'portal shows the payment; callback never came' };
      const res = await admin('POST', `/mpesa/stk/${id}/credit`, { key: finance, body, headers });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.include({ status: 'paid', receiptNumber: receipt, amount: 25_000, currency: 'KES' });
      expect(res.body.credit).to.deep.equal({ transId: receipt, status: 'posted', replayed: false });
      expect(await walletBalance(c.walletAccountId)).to.equal(300n + 25_000n);
      const entry = await db('journal_entries').where({ id: (await receiptRow(receipt)).journal_entry_id }).first();
      expect(entry).to.include({ kind: 'mpesa_stk', amount: 25_000n });
      expect(String((await db('idempotency_keys').where({ key: `mpesa:${receipt}` }).first()).journal_entry_id)).to.equal(String(entry.id));
      expect((await sms(c.msisdn)).map((m) => m.message)).to.have.length(1).and.satisfy((m: string[]) => m[0].startsWith(`${entry.code} Confirmed. You have received KES 250 from M-Pesa (ref ${receipt})`));

      const suspense = await suspenseBalance();
      expect(await postStk(stkSuccess(checkoutId, 250, receipt))).to.deep.equal({ status: 200, body: { ResultCode: 0, ResultDesc: 'Accepted' } });
      expect((await confirmC2b(c, receipt, '250.00')).status).to.equal(200);
      expect(await walletBalance(c.walletAccountId)).to.equal(300n + 25_000n);
      expect(await suspenseBalance()).to.equal(suspense);
      expect(await sms(c.msisdn)).to.have.length(1);

      const replay = await admin('POST', `/mpesa/stk/${id}/credit`, { key: finance, body, headers });
      expect(replay.headers.get('idempotent-replayed')).to.equal('true');
      expect(replay.body).to.deep.equal(res.body);
      const again = await admin('POST', `/mpesa/stk/${id}/credit`, { key: finance, body, headers: idem() });
      expect(again.status).to.equal(409);
      expect(again.body).to.include({ error: 'stk_request_state', requestStatus: 'paid' });
      const audit = await db('audit_log').where({ target: `stk_request:${id}` });
      expect(audit).to.have.length(1);
      expect(audit[0]).to.include({ route: '/mpesa/stk/{id}/credit', key_name: 'test-read-finance' });
      expect(audit[0].before).to.include({ status: 'unknown' });
      expect(audit[0].after).to.include({ status: 'paid', receiptNumber: receipt });
    });

    it('credit racing the callback and the C2B confirmation of the same receipt posts it once', async () => {
      const c = await makeCustomer();
      const { id, checkoutId } = await hanging(c, 150);
      const receipt = newTransId();
      const answers = await Promise.all([
        admin('POST', `/mpesa/stk/${id}/credit`, { key: finance, body: { receipt, reason: 'race' }, headers: idem() }),
        postStk(stkSuccess(checkoutId, 150, receipt)),
        confirmC2b(c, receipt, '150.00'),
      ]);
      expect(answers.map((a) => a.status)).to.deep.equal([answers[0].status === 409 ? 409 : 200, 200, 200]);
      expect(await walletBalance(c.walletAccountId)).to.equal(15_000n);
      expect(await sms(c.msisdn)).to.have.length(1);
      expect(await stkRow(id)).to.include({ status: 'paid', receipt_number: receipt });
    });

    it('credit after the C2B confirmation posted the receipt moves nothing; one held in suspense for no push is allocated', async () => {
      const c = await makeCustomer();
      const first = await hanging(c, 120, 'paid_unconfirmed');
      const receipt = newTransId();
      expect((await confirmC2b(c, receipt, '120')).status).to.equal(200);
      const credited = await admin('POST', `/mpesa/stk/${first.id}/credit`, { key: finance, body: { receipt, reason: 'C2B came, callback did not' }, headers: idem() });
      expect(credited.body).to.include({ status: 'paid', receiptNumber: receipt });
      expect(credited.body.credit).to.deep.equal({ transId: receipt, status: 'posted', replayed: true });
      expect(await walletBalance(c.walletAccountId)).to.equal(12_000n);

      // The worker died mid-push: no CheckoutRequestID was stored, so the callback went to suspense.
      const lost = await requestStkTopUp({ msisdn: c.msisdn, amount: 8_000n, idempotencyKey: `test:stk:${newTransId()}` });
      await db('stk_requests').where({ id: lost.id }).update({ status: 'unknown', push_started_at: db.raw('now()') });
      const stray = stkSuccess(newCheckoutId(), 80);
      stray.Body.stkCallback.CallbackMetadata.Item[4].Value = Number(c.msisdn.slice(1));
      const strayReceipt = stray.Body.stkCallback.CallbackMetadata.Item[1].Value;
      const before = await suspenseBalance();
      await postStk(stray);
      expect(await suspenseBalance()).to.equal(before + 8_000n);
      const res = await admin('POST', `/mpesa/stk/${lost.id}/credit`, { key: finance, body: { receipt: strayReceipt, reason: 'stray callback is this push' }, headers: idem() });
      expect(res.body.credit).to.deep.equal({ transId: strayReceipt, status: 'allocated', replayed: false });
      expect(await suspenseBalance()).to.equal(before);
      expect(await walletBalance(c.walletAccountId)).to.equal(20_000n);
      expect(await receiptRow(strayReceipt)).to.include({ status: 'allocated', allocated_to: c.id });
      expect((await confirmC2b(c, strayReceipt, '80')).status).to.equal(200);
      expect(await walletBalance(c.walletAccountId)).to.equal(20_000n);
      expect(await stkRow(lost.id)).to.include({ status: 'paid', receipt_number: strayReceipt });
    });

    it('credit refuses a receipt of another customer, request, amount or phone (409), an unknown id (404), bad input (400), a read key (403)', async () => {
      const [c, other] = await Promise.all([makeCustomer(), makeCustomer()]);
      const { id } = await hanging(c, 100);
      const theirs = newTransId();
      await confirmC2b(other, theirs, '100');
      const credit = (receipt: string, reqId: bigint | string = id) =>
        admin('POST', `/mpesa/stk/${reqId}/credit`, { key: finance, body: { receipt, reason: 'portal check' }, headers: idem() });
      expect((await credit(theirs)).body).to.include({ error: 'receipt_conflict' });
      const paidOther = await hanging(c, 100);
      const used = newTransId();
      expect((await credit(used, paidOther.id)).status).to.equal(200);
      const dup = await credit(used);
      expect([dup.status, dup.body.error]).to.deep.equal([409, 'receipt_conflict']);
      const wrongAmount = newTransId();
      await confirmC2b(c, wrongAmount, '99');
      expect((await credit(wrongAmount)).status).to.equal(409);
      const strayOtherPhone = stkSuccess(newCheckoutId(), 100);
      await postStk(strayOtherPhone);
      expect((await credit(strayOtherPhone.Body.stkCallback.CallbackMetadata.Item[1].Value)).body.reason).to.match(/another phone number/);
      expect((await credit(newTransId(), '999999999')).status).to.equal(404);
      expect((await credit('NLJ-7RT6')).status).to.equal(400);
      expect((await admin('POST', `/mpesa/stk/${id}/credit`, { key: finance, body: { receipt: newTransId() }, headers: idem() })).status).to.equal(400);
      expect((await admin('POST', `/mpesa/stk/${id}/credit`, { key: finance, body: { receipt: newTransId(), reason: 'no key' } })).status).to.equal(400);
      expect((await admin('POST', `/mpesa/stk/${id}/credit`, { key: reader, body: { receipt: newTransId(), reason: 'read only' }, headers: idem() })).status).to.equal(403);
      expect(await stkRow(id)).to.include({ status: 'unknown', receipt_number: null });
      expect(await walletBalance(c.walletAccountId)).to.equal(10_000n + 9_900n);
    });

    it('fail moves nothing and tells the customer; the success callback that comes after is credited, not lost', async () => {
      const c = await makeCustomer(1);
      const { id, checkoutId } = await acceptedStk(c.msisdn, 40);
      const res = await admin('POST', `/mpesa/stk/${id}/fail`, { key: finance, body: { reason: 'portal shows no payment' }, headers: idem() });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.include({ status: 'failed', resultCode: 'operator', resultDesc: 'failed by test-read-finance: portal shows no payment' });
      expect((await sms(c.msisdn)).map((m) => m.message)).to.deep.equal(['Your M-PESA top-up of KES 40 did not go through. No money was moved. Please try again later.']);
      expect(await walletBalance(c.walletAccountId)).to.equal(100n);
      const again = await admin('POST', `/mpesa/stk/${id}/fail`, { key: finance, body: { reason: 'twice' }, headers: idem() });
      expect([again.status, again.body.error]).to.deep.equal([409, 'stk_request_state']);
      expect((await admin('POST', '/mpesa/stk/999999999/fail', { key: finance, body: { reason: 'nobody' }, headers: idem() })).status).to.equal(404);

      const receipt = newTransId();
      expect((await postStk(stkSuccess(checkoutId, 40, receipt))).status).to.equal(200);
      expect(await walletBalance(c.walletAccountId)).to.equal(100n + 4_000n);
      expect(await stkRow(id)).to.include({ status: 'paid', receipt_number: receipt });
      expect(await receiptRow(receipt)).to.include({ status: 'posted', customer_id: c.id });
      expect(await sms(c.msisdn)).to.have.length(2);
      await postStk(stkSuccess(checkoutId, 40, receipt));
      expect(await walletBalance(c.walletAccountId)).to.equal(100n + 4_000n);
    });

    it('a callback naming another receipt than the one an operator typed is held in suspense, not dropped or posted twice', async () => {
      const c = await makeCustomer();
      const { id, checkoutId } = await hanging(c, 30);
      await admin('POST', `/mpesa/stk/${id}/credit`, { key: finance, body: { receipt: newTransId(), reason: 'typed from the portal' }, headers: idem() });
      expect(await walletBalance(c.walletAccountId)).to.equal(3_000n);
      const before = await suspenseBalance();
      const real = newTransId();
      expect((await postStk(stkSuccess(checkoutId, 30, real))).status).to.equal(200);
      expect(await receiptRow(real)).to.include({ status: 'suspense', amount: 3_000n });
      expect((await confirmC2b(c, real, '30')).status).to.equal(200);
      expect(await suspenseBalance()).to.equal(before + 3_000n);
      expect(await walletBalance(c.walletAccountId)).to.equal(3_000n);
    });
  });

  describe('withdrawals to M-Pesa (B2C)', () => {
    const balance = async (accountId: number) => displayBalance(await getAccount(db, accountId));

    it('GET /admin/mpesa/b2c lists stuck and late-success requests, by filter and status', async () => {
      const stuck = await stuckWithdrawal(1_000, 100);
      const late = await stuckWithdrawal(1_000, 100);
      await admin('POST', `/mpesa/b2c/${late.id}/reverse`, { key: finance, body: { reason: 'portal: not paid' }, headers: idem() });
      await postB2cResult(b2cSuccess(late.row.originator_conversation_id, 100, newTransId()));
      const fresh = await stuckWithdrawal(1_000, 100);
      await db('b2c_requests').where({ id: fresh.id }).update({ sent_at: db.raw('now()') });
      const list = async (q: string) => (await admin('GET', `/mpesa/b2c?limit=200${q}`, { key: reader })).body.data.map((r: { id: number }) => String(r.id));
      const all = await list('');
      expect(all.indexOf(late.id)).to.be.at.least(0).and.lessThan(all.indexOf(stuck.id));
      expect(all).not.to.include(fresh.id);
      expect(await list('&filter=stuck')).to.include(stuck.id).and.not.include(late.id);
      expect(await list('&filter=late_success&status=failed')).to.include(late.id).and.not.include(stuck.id);
      expect(await list('&filter=all&status=completed')).not.to.include(late.id);
      const row = (await admin('GET', '/mpesa/b2c?filter=stuck&limit=200', { key: reader })).body.data.find((r: { id: number }) => String(r.id) === stuck.id);
      expect(row).to.include({ status: 'sent', stuck: true, amount: 10_000, charge: 0, currency: 'KES', lateSuccessAt: null });
      expect((await admin('GET', '/mpesa/b2c?filter=everything', { key: reader })).status).to.equal(400);
      await admin('POST', `/mpesa/b2c/${stuck.id}/reverse`, { key: finance, body: { reason: 'tidy up' }, headers: idem() });
      await admin('POST', `/mpesa/b2c/${fresh.id}/reverse`, { key: finance, body: { reason: 'tidy up' }, headers: idem() });
    });

    it('complete records the portal receipt with the receipt SMS and moves nothing; Daraja\'s result after it changes nothing', async () => {
      const { customer, row, id } = await stuckWithdrawal(1_000, 300);
      const receipt = newTransId();
      const res = await admin('POST', `/mpesa/b2c/${id}/complete`, { key: finance, body: { receipt, reason: 'portal shows it paid' }, headers: idem() });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.include({ status: 'completed', mpesaReceipt: receipt, resultCode: '0', amount: 30_000, stuck: false });
      expect(await balance(customer.walletAccountId)).to.equal(70_000n - 500n);
      const receipts = await sms(customer.msisdn).where({ kind: 'receipt' });
      expect(receipts.map((m) => m.message)).to.have.length(1).and.satisfy((m: string[]) => /Confirmed\. KES 300 sent to M-PESA 07\d{8} \(ref /.test(m[0]) && m[0].includes(receipt));
      expect((await postB2cResult(b2cSuccess(row.originator_conversation_id, 300, receipt))).status).to.equal(200);
      const after = await db('b2c_requests').where({ id }).first();
      expect(after).to.include({ status: 'completed', mpesa_receipt: receipt, late_success_at: null });
      expect(await sms(customer.msisdn).where({ kind: 'receipt' })).to.have.length(1);
      const again = await admin('POST', `/mpesa/b2c/${id}/complete`, { key: finance, body: { receipt, reason: 'twice' }, headers: idem() });
      expect([again.status, again.body.error]).to.deep.equal([409, 'b2c_request_state']);
      const other = await stuckWithdrawal(1_000, 100);
      const dup = await admin('POST', `/mpesa/b2c/${other.id}/complete`, { key: finance, body: { receipt, reason: 'same receipt' }, headers: idem() });
      expect([dup.status, dup.body.error]).to.deep.equal([409, 'receipt_conflict']);
      expect((await db('audit_log').where({ target: `b2c_request:${id}` }))[0].after).to.include({ status: 'completed', mpesaReceipt: receipt });
      await admin('POST', `/mpesa/b2c/${other.id}/reverse`, { key: finance, body: { reason: 'tidy up' }, headers: idem() });
    });

    it('reverse returns amount and charge with a compensating entry and an SMS; a success after it is flagged, not paid again', async () => {
      const { customer, row, id } = await stuckWithdrawal(2_000, 1_000);
      expect(await balance(customer.walletAccountId)).to.equal(99_000n);
      const res = await admin('POST', `/mpesa/b2c/${id}/reverse`, { key: finance, body: { reason: 'portal: no such payment' }, headers: idem() });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.include({ status: 'failed', resultCode: 'operator', resultDesc: 'reversed by test-read-finance: portal: no such payment' });
      const reversal = await db('journal_entries').where({ id: res.body.reversalEntryId }).first();
      expect(String(reversal.reverses_id)).to.equal(String(row.journal_entry_id));
      expect(await balance(customer.walletAccountId)).to.equal(200_000n);
      expect(await sms(customer.msisdn).where({ kind: 'notice' })).to.have.length(1);
      const again = await admin('POST', `/mpesa/b2c/${id}/reverse`, { key: finance, body: { reason: 'twice' }, headers: idem() });
      expect([again.status, again.body.error]).to.deep.equal([409, 'b2c_request_state']);
      expect((await admin('POST', '/mpesa/b2c/999999999/reverse', { key: finance, body: { reason: 'nobody' }, headers: idem() })).status).to.equal(404);
      expect((await admin('POST', `/mpesa/b2c/${id}/complete`, { key: finance, body: { receipt: 'x', reason: 'bad receipt' }, headers: idem() })).status).to.equal(400);

      expect((await postB2cResult(b2cSuccess(row.originator_conversation_id, 1_000, newTransId()))).status).to.equal(200);
      expect((await db('b2c_requests').where({ id }).first()).late_success_at).to.be.an.instanceOf(Date);
      expect(await balance(customer.walletAccountId)).to.equal(200_000n);
      expect(await sms(customer.msisdn).where({ kind: 'receipt' })).to.have.length(0);
    });
  });
});
