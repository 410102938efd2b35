/**
 * Top up from M-PESA (STK push), against PostgreSQL, Redis and the real app, with Daraja
 * intercepted at Safaricom's sandbox host using the sample bodies of the M-Pesa Express
 * pages: the USSD session ends at once and the worker pushes with the right Password,
 * Timestamp, amount, phone and CallBackURL; the callback credits to the cent with an SMS,
 * once however it is replayed and whether the C2B confirmation of the same receipt came
 * first or after; each failure code gives its SMS and moves nothing; the STK query settles
 * a push whose callback never came; a push with no final answer after 30 minutes is given
 * up for the person on call, and its late callback still credits it.
 */
import { expect } from 'chai';
import nock from 'nock';
import { db } from '../src/db/index.js';
import { setLanguage, type Customer } from '../src/customers/index.js';
import { nationalFormat } from '../src/phone/index.js';
import { GAVE_UP_DESC, pushRequestedStk, requestStkTopUp, reviewStk, startStkWorker } from '../src/mpesa/index.js';
import { assertLedgerSound, makeCustomer } from './helpers/customers.js';
import { blockOutboundHttp } from './helpers/at.js';
import { Dial } from './helpers/ussd.js';
import { c2bSample, newTransId, postC2b, receiptRow, suspenseBalance, walletBalance } from './helpers/mpesa.js';
import {
  DARAJA_HOST, FAILURES, SANDBOX_PASSKEY, captureLogs, freshClient, newCheckoutId, postStk, pushAnswer, stkFailure, stkRow, stkSuccess, tokenAnswer,
} from './helpers/stk.js';

async function smsFor(msisdn: string) {
  return db('sms_outbox').where({ msisdn }).orderBy('id');
}

/** A request for `kes` shillings, pushed (the push intercepted): answers the row id and its CheckoutRequestID. */
async function pushedRequest(c: Customer, kes: number): Promise<{ id: bigint; checkoutId: string }> {
  const r = await requestStkTopUp({ msisdn: c.msisdn, amount: BigInt(kes) * 100n, idempotencyKey: `test:stk:${newTransId()}` });
  const checkoutId = newCheckoutId();
  tokenAnswer();
  pushAnswer([], checkoutId);
  await pushRequestedStk(db, freshClient());
  expect(await stkRow(r.id)).to.include({ status: 'accepted', checkout_request_id: checkoutId });
  return { id: r.id, checkoutId };
}

describe('mpesa: STK push top-up', () => {
  before(async () => {
    blockOutboundHttp();
    // Requests left by the menu walks of other files would be pushed by our passes.
    await db('stk_requests').where({ status: 'requested' }).update({ status: 'unknown', result_desc: 'left by another test file' });
  });
  afterEach(async () => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, 'Daraja calls expected but not made').to.deep.equal([]);
    await assertLedgerSound();
  });

  describe('USSD: My Account > 7 Top up from M-PESA', () => {
    it('ends the session at once, then the worker pushes with the right Password, Timestamp, amount, phone and CallBackURL', async () => {
      const c = await makeCustomer(5);
      const dial = new Dial(c.msisdn);
      await dial.open();
      expect(await dial.typeAll('8')).to.include('7 Top up from M-PESA');
      expect(await dial.type('7')).to.equal('CON Top up from M-PESA\nEnter amount (KES 10 - 150,000)\n0 Back 00 Home');
      // No interceptor is set: a call to Daraja inside the hop would fail it.
      expect(await dial.type('1500')).to.equal('END You will receive an M-PESA prompt on your phone. Enter your M-PESA PIN to top up KES 1,500.');
      expect(await dial.hop(), 'a telco retry').to.match(/^END You will receive an M-PESA prompt/);
      const rows = await db('stk_requests').where({ customer_id: c.id });
      expect(rows).to.have.length(1);
      expect(rows[0]).to.include({ status: 'requested', amount: 150_000n, msisdn: c.msisdn });

      const seen: Array<{ auth: string; body: any }> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
      tokenAnswer();
      const checkoutId = newCheckoutId();
      pushAnswer(seen, checkoutId);
      expect(await pushRequestedStk(db, freshClient())).to.equal(1);
      expect(seen).to.have.length(1);
      const { auth, body } = seen[0];
      expect(auth).to.equal('Bearer stk-test-token');
      expect(body.Timestamp).to.match(/^20[0-9]{12}$/);
      expect(body).to.deep.equal({
        BusinessShortCode: '600999', Password: Buffer.from(`600999${SANDBOX_PASSKEY}${body.Timestamp}`).toString('base64'), Timestamp: body.Timestamp,
        TransactionType: 'CustomerPayBillOnline', Amount: 1500, PartyA: c.msisdn.slice(1), PartyB: '600999', PhoneNumber: c.msisdn.slice(1),
        CallBackURL: 'https://simu.example.test/mpesa/test-mpesa-callback-token/stk/callback', AccountReference: nationalFormat(c.msisdn),
        TransactionDesc: 'Simu top-up',
      });
      expect(await stkRow(rows[0].id)).to.include({ status: 'accepted', checkout_request_id: checkoutId, merchant_request_id: '29115-34620561-1' });
      expect(await pushRequestedStk(db, freshClient()), 'pushed once').to.equal(0);
      expect(await walletBalance(c.walletAccountId)).to.equal(500n);
    });

    it('speaks Kiswahili, and re-asks an amount out of range or over the maximum balance with the reason', async () => {
      const c = await makeCustomer(100);
      await setLanguage(c.msisdn, 'sw');
      await db('customer_limits').insert({ customer_id: c.id, max_balance: 200_000n });
      const dial = new Dial(c.msisdn);
      await dial.open();
      await dial.typeAll('8', '7');
      expect(await dial.type('5')).to.match(/^CON Kiasi ni KES 10 hadi KES 150,000\.\n/);
      expect(await dial.type('abc')).to.match(/^CON Weka kiasi kamili kwa KES\.\nWeka pesa kutoka M-PESA/);
      expect(await dial.type('1901')).to.match(/^CON Salio lako lingezidi KES 2,000\.\nWeka pesa kutoka M-PESA/);
      expect(await dial.type('1900')).to.equal('END Utapokea ombi la M-PESA kwenye simu yako. Weka PIN yako ya M-PESA kuweka KES 1,900.');
      const rows = await db('stk_requests').where({ customer_id: c.id });
      expect(rows.map((r) => r.amount)).to.deep.equal([190_000n]);
      await db('stk_requests').where({ customer_id: c.id }).update({ status: 'unknown' });
    });

    it('fails a push that Daraja refuses, with an SMS, and moves nothing', async () => {
      const c = await makeCustomer();
      const r = await requestStkTopUp({ msisdn: c.msisdn, amount: 5_000n, idempotencyKey: `test:stk:${newTransId()}` });
      tokenAnswer();
      pushAnswer([], undefined, 400, { requestId: 'r1', errorCode: '400.002.02', errorMessage: 'Bad Request - Invalid PhoneNumber' });
      await pushRequestedStk(db, freshClient());
      expect(await stkRow(r.id)).to.include({ status: 'failed', result_code: '400.002.02' });
      const [sms] = await smsFor(c.msisdn);
      expect(sms.message).to.equal('Your M-PESA top-up of KES 50 did not go through. No money was moved. Please try again later.');
    });
  });

  describe('callback', () => {
    it('credits the wallet from clearing:mpesa to the cent, with a receipt SMS, and answers Accepted', async () => {
      const c = await makeCustomer(5);
      const { id, checkoutId } = await pushedRequest(c, 1234);
      const body = stkSuccess(checkoutId, 1234.00);
      const res = await postStk(body);
      expect(res).to.deep.equal({ status: 200, body: { ResultCode: 0, ResultDesc: 'Accepted' } });
      expect(await walletBalance(c.walletAccountId)).to.equal(500n + 123_400n);
      const receipt = body.Body.stkCallback.CallbackMetadata.Item[1].Value;
      expect(await stkRow(id)).to.include({ status: 'paid', receipt_number: receipt, result_code: '0' });
      const row = await receiptRow(receipt);
      expect(row).to.include({ kind: 'stk', status: 'posted', amount: 123_400n, customer_id: c.id });
      const entry = await db('journal_entries').where({ id: row.journal_entry_id }).first();
      expect(entry).to.include({ kind: 'mpesa_stk', amount: 123_400n });
      const [sms] = await smsFor(c.msisdn);
      expect(sms.message).to.match(new RegExp(`^${entry.code} Confirmed\\. You have received KES 1,234 from M-Pesa \\(ref ${receipt}\\) on .+\\. New balance KES 1,239\\.$`));
    });

    it('posts once when replayed 5 times in parallel', async () => {
      const c = await makeCustomer();
      const { id, checkoutId } = await pushedRequest(c, 2500);
      const body = stkSuccess(checkoutId, '2500.00');
      const answers = await Promise.all(Array.from({ length: 5 }, () => postStk(body)));
      for (const a of answers) expect(a).to.deep.equal({ status: 200, body: { ResultCode: 0, ResultDesc: 'Accepted' } });
      expect(await walletBalance(c.walletAccountId)).to.equal(250_000n);
      expect(await smsFor(c.msisdn)).to.have.length(1);
      expect((await stkRow(id)).status).to.equal('paid');
    });

    for (const order of ['C2B first', 'STK first'] as const) {
      it(`posts a receipt once when its C2B confirmation and STK callback both arrive (${order})`, async () => {
        const c = await makeCustomer();
        const { id, checkoutId } = await pushedRequest(c, 300);
        const receipt = newTransId();
        const c2b = () => postC2b('confirmation', c2bSample({ TransID: receipt, TransAmount: '300.00', BillRefNumber: nationalFormat(c.msisdn) }));
        const stk = () => postStk(stkSuccess(checkoutId, 300, receipt));
        const first = order === 'C2B first' ? c2b : stk;
        const second = order === 'C2B first' ? stk : c2b;
        expect((await first()).status).to.equal(200);
        expect((await second()).status).to.equal(200);
        expect(await walletBalance(c.walletAccountId)).to.equal(30_000n);
        expect(await smsFor(c.msisdn)).to.have.length(1);
        expect(await receiptRow(receipt)).to.include({ status: 'posted', kind: order === 'C2B first' ? 'c2b' : 'stk' });
        expect(await stkRow(id)).to.include({ status: 'paid', receipt_number: receipt });
      });
    }

    for (const [code, status, en, sw] of FAILURES) {
      it(`ResultCode ${code}: ${status}, the SMS in the customer's language, nothing moves, replays change nothing`, async () => {
        for (const lang of ['en', 'sw'] as const) {
          const c = await makeCustomer(7);
          if (lang === 'sw') await setLanguage(c.msisdn, 'sw');
          const { id, checkoutId } = await pushedRequest(c, 40);
          for (let i = 0; i < 2; i++) expect(await postStk(stkFailure(checkoutId, code))).to.deep.equal({ status: 200, body: { ResultCode: 0, ResultDesc: 'Accepted' } });
          expect(await stkRow(id)).to.include({ status, result_code: String(code) });
          expect(await walletBalance(c.walletAccountId)).to.equal(700n);
          expect((await smsFor(c.msisdn)).map((s) => s.message)).to.deep.equal([lang === 'en' ? en : sw]);
        }
      });
    }

    it('holds in suspense a callback whose amount differs from the request, or for no push of ours', async () => {
      const c = await makeCustomer();
      const { checkoutId } = await pushedRequest(c, 100);
      const before = await suspenseBalance();
      const receipt = newTransId();
      await postStk(stkSuccess(checkoutId, '99.50', receipt));
      expect(await walletBalance(c.walletAccountId)).to.equal(0n);
      expect(await receiptRow(receipt)).to.include({ status: 'suspense', amount: 9_950n });
      const stray = newTransId();
      expect((await postStk(stkSuccess(newCheckoutId(), 20, stray))).status).to.equal(200);
      expect(await receiptRow(stray)).to.include({ status: 'suspense', amount: 2_000n });
      expect(await suspenseBalance()).to.equal(before + 9_950n + 2_000n);
    });

    it('answers 404 to a forged token and 400 to a malformed body, and changes nothing', async () => {
      const c = await makeCustomer();
      const { id, checkoutId } = await pushedRequest(c, 100);
      const forged = await postStk(stkSuccess(checkoutId, 100), 'not-the-token');
      expect(forged.status).to.equal(404);
      const bad: unknown[] = [
        'not json', [], {}, { Body: {} }, { Body: { stkCallback: [] } },
        stkFailure('ws CO; drop', 1032), { Body: { stkCallback: { ...stkFailure(checkoutId, 0).Body as object } } },
        stkSuccess(checkoutId, -100), stkSuccess(checkoutId, '1e3'), stkSuccess(checkoutId, 100.555), stkSuccess(checkoutId, 100, 'x'),
        { Body: { stkCallback: { ...(stkFailure(checkoutId, 1032).Body as { stkCallback: object }).stkCallback, ResultCode: 'abc' } } },
      ];
      for (const body of bad) expect((await postStk(body)).status, JSON.stringify(body)).to.equal(400);
      expect(await stkRow(id)).to.include({ status: 'accepted' });
      expect(await walletBalance(c.walletAccountId)).to.equal(0n);
      expect(await smsFor(c.msisdn)).to.deep.equal([]);
    });
  });

  describe('crash safety', () => {
    it('fails with an SMS a request no worker pushed in time, and marks unknown a push whose answer was never recorded', async () => {
      const c = await makeCustomer();
      const never = await requestStkTopUp({ msisdn: c.msisdn, amount: 2_000n, idempotencyKey: `test:stk:${newTransId()}` });
      const midPush = await requestStkTopUp({ msisdn: c.msisdn, amount: 3_000n, idempotencyKey: `test:stk:${newTransId()}` });
      await db('stk_requests').where({ id: never.id }).update({ created_at: db.raw(`now() - interval '10 minutes'`) });
      await db('stk_requests').where({ id: midPush.id }).update({ push_started_at: db.raw(`now() - interval '10 minutes'`), push_attempts: 1 });
      // No Daraja interceptor: neither may be pushed.
      expect(await pushRequestedStk(db, freshClient())).to.equal(0);
      const review = await reviewStk(db, freshClient());
      expect(review).to.include({ expired: 1, stale: 1 });
      expect(await stkRow(never.id)).to.include({ status: 'failed', result_code: 'expired' });
      expect(await stkRow(midPush.id)).to.include({ status: 'unknown' });
      expect((await smsFor(c.msisdn)).map((m) => m.message)).to.deep.equal(['Your M-PESA top-up of KES 20 did not go through. No money was moved. Please try again later.']);
      expect(await walletBalance(c.walletAccountId)).to.equal(0n);
    });

    it('the worker loop pushes a new request by itself, and stops cleanly', async () => {
      const c = await makeCustomer();
      const r = await requestStkTopUp({ msisdn: c.msisdn, amount: 2_000n, idempotencyKey: `test:stk:${newTransId()}` });
      tokenAnswer();
      pushAnswer([]);
      const worker = startStkWorker({ db, client: freshClient(), pushEveryMs: 20, reviewEveryMs: 60_000 });
      try {
        while ((await stkRow(r.id)).status === 'requested') await new Promise((ok) => setTimeout(ok, 20));
      } finally {
        await worker.stop();
      }
      expect((await stkRow(r.id)).status).to.equal('accepted');
      await db('stk_requests').where({ id: r.id }).update({ status: 'unknown' });
    });

    it('records one request for a replayed hop (same idempotency key)', async () => {
      const c = await makeCustomer();
      const key = `test:stk:${newTransId()}`;
      const [a, b] = await Promise.all([1, 2].map(() => requestStkTopUp({ msisdn: c.msisdn, amount: 2_000n, idempotencyKey: key })));
      expect(a.id).to.equal(b.id);
      expect([a.replayed, b.replayed].sort()).to.deep.equal([false, true]);
      await db('stk_requests').where({ id: a.id }).update({ status: 'unknown' });
    });
  });

  describe('STK query, for a push with no callback', () => {
    const late = (id: bigint) => db('stk_requests').where({ id }).update({ accepted_at: db.raw(`now() - interval '3 minutes'`), last_query_at: null });
    const queryAnswer = (seen: any[], status: number, answer: unknown) => // eslint-disable-line @typescript-eslint/no-explicit-any
      nock(DARAJA_HOST).post('/mpesa/stkpushquery/v1/query').reply((_uri, body) => {
        seen.push(body);
        return [status, answer];
      });

    it('asks again while it is being processed, then settles a failure code with its SMS', async () => {
      const c = await makeCustomer();
      const { id, checkoutId } = await pushedRequest(c, 40);
      await late(id);
      const seen: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
      const client = freshClient();
      tokenAnswer();
      queryAnswer(seen, 500, { requestId: 'ws_CO_1', errorCode: '500.001.1001', errorMessage: 'The transaction is being processed' });
      await reviewStk(db, client);
      expect(seen[0]).to.deep.equal({
        BusinessShortCode: '600999', Password: Buffer.from(`600999${SANDBOX_PASSKEY}${seen[0].Timestamp}`).toString('base64'), Timestamp: seen[0].Timestamp,
        CheckoutRequestID: checkoutId,
      });
      expect(await stkRow(id)).to.include({ status: 'accepted' });
      await late(id);
      queryAnswer(seen, 200, {
        ResponseCode: '0', ResponseDescription: 'The service request has been accepted successsfully', MerchantRequestID: '22205-34066-1',
        CheckoutRequestID: checkoutId, ResultCode: '1032', ResultDesc: 'Request canceled by user.',
      });
      await reviewStk(db, client);
      expect(await stkRow(id)).to.include({ status: 'cancelled', result_code: '1032' });
      expect((await smsFor(c.msisdn)).map((s) => s.message)).to.deep.equal(['Your M-PESA top-up of KES 40 was cancelled. No money was moved.']);
      expect((await postStk(stkFailure(checkoutId, 1032))).status, 'a late callback').to.equal(200);
      expect(await smsFor(c.msisdn)).to.have.length(1);
      expect(await walletBalance(c.walletAccountId)).to.equal(0n);
    });

    it('on ResultCode 0 (no receipt number) moves nothing and marks it paid_unconfirmed; the late callback then credits it once', async () => {
      const c = await makeCustomer();
      const { id, checkoutId } = await pushedRequest(c, 60);
      await late(id);
      tokenAnswer();
      queryAnswer([], 200, {
        ResponseCode: '0', ResponseDescription: 'The service request has been accepted successsfully', MerchantRequestID: '22205-34066-1',
        CheckoutRequestID: checkoutId, ResultCode: '0', ResultDesc: 'The service request is processed successfully.',
      });
      const review = await reviewStk(db, freshClient());
      expect(review).to.include({ unconfirmed: 1 });
      expect(await stkRow(id)).to.include({ status: 'paid_unconfirmed' });
      expect(await walletBalance(c.walletAccountId)).to.equal(0n);
      const body = stkSuccess(checkoutId, 60);
      await Promise.all([postStk(body), postStk(body)]);
      expect(await walletBalance(c.walletAccountId)).to.equal(6_000n);
      expect(await stkRow(id)).to.include({ status: 'paid' });
    });

    it('gives up a push with no final answer 30 minutes after Daraja took it: unknown, one error in the log, nothing moves; the late callback still credits it', async () => {
      const c = await makeCustomer();
      const { id, checkoutId } = await pushedRequest(c, 70);
      await db('stk_requests').where({ id }).update({ accepted_at: db.raw(`now() - interval '31 minutes'`), last_query_at: db.raw('now()') });
      let first = { gaveUp: 0 };
      // No query interceptor: a push given up is not asked about again.
      const lines = await captureLogs('error', async () => {
        first = await reviewStk(db, freshClient());
        await reviewStk(db, freshClient());
      });
      expect(first.gaveUp).to.be.at.least(1);
      expect(await stkRow(id)).to.include({ status: 'unknown', result_desc: GAVE_UP_DESC, result_code: null });
      expect(GAVE_UP_DESC).to.equal('no final answer from M-Pesa after 30 minutes');
      const mine = lines.filter((l) => l.stkId === String(id));
      expect(mine.map((l) => [l.level, l.message])).to.deep.equal([['error', 'stk push given up: settle it by hand from the M-Pesa portal']]);
      expect(await walletBalance(c.walletAccountId)).to.equal(0n);
      expect(await smsFor(c.msisdn)).to.deep.equal([]);
      const receipt = newTransId();
      expect((await postStk(stkSuccess(checkoutId, 70, receipt))).status).to.equal(200);
      expect(await stkRow(id)).to.include({ status: 'paid', receipt_number: receipt });
      expect(await walletBalance(c.walletAccountId)).to.equal(7_000n);
      expect(await smsFor(c.msisdn)).to.have.length(1);
    });

    it('credits a success callback that comes after a failure code: the money is not dropped', async () => {
      const c = await makeCustomer();
      const { id, checkoutId } = await pushedRequest(c, 90);
      await postStk(stkFailure(checkoutId, 1037, 'DS timeout user cannot be reached'));
      expect(await stkRow(id)).to.include({ status: 'failed' });
      const receipt = newTransId();
      await Promise.all([postStk(stkSuccess(checkoutId, 90, receipt)), postStk(stkSuccess(checkoutId, 90, receipt))]);
      expect(await stkRow(id)).to.include({ status: 'paid', receipt_number: receipt });
      expect(await walletBalance(c.walletAccountId)).to.equal(9_000n);
      expect(await receiptRow(receipt)).to.include({ status: 'posted', customer_id: c.id });
    });
  });
});
