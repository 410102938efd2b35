/** Buy Airtime end to end: USSD, the worker through bull and AT (nock), AT's callback, reversals, the admin report. */
import { expect } from 'chai';
import nock from 'nock';
import { randomUUID } from 'node:crypto';
import { db } from '../src/db/index.js';
import { displayBalance, getAccount } from '../src/ledger/index.js';
import { nationalFormat } from '../src/phone/index.js';
import { createQueue, closeQueue, closeQueues } from '../src/queue/index.js';
import { reverseAirtime, reviewAirtime, sendAirtimeRequest, startAirtimeWorker, type RunningAirtimeWorker } from '../src/airtime/index.js';
import { AT_HOST, blockOutboundHttp } from './helpers/at.js';
import { postStatus, purchase } from './helpers/airtime.js';
import { makeCustomer, assertLedgerSound, randomMsisdn } from './helpers/customers.js';
import { eventually } from './helpers/outbox.js';
import { closeAtEnd } from './helpers/resources.js';
import { Dial, appUrl } from './helpers/ussd.js';
import { admin, adminKey } from './helpers/admin.js';

const AT_AIRTIME_PATH = '/version1/airtime/send';
const KES = 100n;

interface AirtimeCall {
  recipients: Array<{ phoneNumber: string; amount: string }>;
  idempotencyKey: string | undefined;
}

/** AT's 201 answer to one airtime recipient. */
function atAirtimeAnswer(msisdn: string, status: 'Sent' | 'Failed', requestId = `ATQid_${randomUUID().replace(/-/g, '')}`, errorMessage = 'None') {
  const sent = status === 'Sent';
  return {
    errorMessage: sent ? 'None' : errorMessage,
    numSent: sent ? 1 : 0,
    totalAmount: sent ? 'KES 50.0000' : 'KES 0.0000',
    totalDiscount: sent ? 'KES 2.0000' : 'KES 0.0000',
    responses: [{ phoneNumber: msisdn, amount: 'KES 50.0000', status, requestId: sent ? requestId : 'None', errorMessage, discount: 'KES 0.0000' }],
  };
}

/** Intercepts the next `times` airtime sends to `msisdn` and answers `status` with `body`. */
function interceptAtAirtime(msisdn: string, status: number, body: unknown, calls: AirtimeCall[] = [], times = 1): AirtimeCall[] {
  nock(AT_HOST)
    .post(AT_AIRTIME_PATH, (form: Record<string, string>) => String(form.recipients ?? '').includes(msisdn))
    .times(times)
    .reply(function (_uri, requestBody) {
      const form = new URLSearchParams(String(requestBody));
      calls.push({ recipients: JSON.parse(form.get('recipients') ?? '[]'), idempotencyKey: this.req.headers['idempotency-key'] as string | undefined });
      return [status, typeof body === 'string' ? body : JSON.stringify(body), { 'Content-Type': 'application/json' }];
    });
  return calls;
}

const balance = async (walletAccountId: number) => displayBalance(await getAccount(db, walletAccountId));
const requestOf = (payerMsisdn: string) => db('airtime_requests').where({ payer_msisdn: payerMsisdn }).first();
const smsTo = (msisdn: string) => db('sms_outbox').where({ msisdn }).orderBy('id');

describe('Buy Airtime', () => {
  before(() => {
    closeAtEnd(closeQueues);
    blockOutboundHttp();
  });
  afterEach(() => nock.cleanAll());
  afterEach(assertLedgerSound);
  after(() => nock.enableNetConnect());

  describe('with the worker running', () => {
    let worker: RunningAirtimeWorker;

    before(async () => {
      const old = createQueue('test-airtime');
      await old.obliterate({ force: true });
      await closeQueue(old);
      // The worker relays every pending request in the database: reverse those that earlier
      // runs left, so that it sends only this file's requests.
      const leftovers: Array<{ id: bigint }> = await db('airtime_requests').select('id').where({ status: 'pending' });
      for (const { id } of leftovers) await reverseAirtime(id, 'set aside by test/airtime.test.ts');
      worker = startAirtimeWorker({ queueName: 'test-airtime', attempts: 2, backoffMs: 20, relayIntervalMs: 50, reviewEveryMs: 3_600_000 });
      await worker.queue.isReady();
    });

    after(() => worker.stop());

    it('buys airtime for another number: USSD ends at once, the worker sends it to AT, the Success callback writes a receipt', async () => {
      const amina = await makeCustomer(1000);
      const friend = randomMsisdn();
      const requestId = `ATQid_${randomUUID().replace(/-/g, '')}`;
      const calls = interceptAtAirtime(friend, 201, atAirtimeAnswer(friend, 'Sent', requestId));
      const phone = new Dial(amina.msisdn);

      await phone.open();
      expect(await phone.type('3')).to.match(/^CON Buy Airtime\n1 My number\n2 Other number\n0 Back 00 Home$/);
      expect(await phone.type('2')).to.contain('Enter phone number');
      expect(await phone.type(nationalFormat(friend))).to.contain(`Airtime for ${nationalFormat(friend)}\nEnter amount (KES 5 - 10,000)`);
      expect(await phone.type('50')).to.match(new RegExp(`^CON Buy KES 50 airtime for ${nationalFormat(friend)}\\?\\n1 Confirm`));
      expect(await phone.type('1')).to.contain('Enter PIN to buy KES 50 airtime');
      const done = await phone.type('1234');
      await eventually(async () => (await requestOf(amina.msisdn))?.status === 'sent', 'request sent to AT');
      const callback = await postStatus({ requestId, status: 'Success', phoneNumber: friend, description: 'Airtime Delivered Successfully' });

      expect(done).to.match(new RegExp(`^END [A-Z0-9]{10} Confirmed\\. KES 50 airtime for ${nationalFormat(friend)}\\. You will receive your airtime shortly\\. New balance KES 950\\.$`));
      expect(calls).to.have.length(1);
      expect(calls[0].recipients).to.deep.equal([{ phoneNumber: friend, amount: 'KES 50' }]);
      expect(calls[0].idempotencyKey).to.match(/^simu-airtime-\d+$/);
      expect(callback).to.deep.equal({ status: 200, body: { ok: true, outcome: 'success' } });
      expect(await requestOf(amina.msisdn)).to.include({ status: 'success', at_request_id: requestId, amount: 5000n, recipient_msisdn: friend });
      const [receipt] = await smsTo(amina.msisdn);
      expect(receipt.kind).to.equal('receipt');
      expect(receipt.message).to.match(new RegExp(`^${done.slice(4, 14)} Confirmed\\. You bought KES 50 airtime for ${nationalFormat(friend)} on \\d\\d/\\d\\d/\\d\\d at .+\\. New balance KES 950\\.$`));
      expect(await balance(amina.walletAccountId)).to.equal(950n * KES);
    });

    it('when AT refuses the airtime, reverses the debit once, tells the customer by SMS and restores the balance', async () => {
      const brian = await makeCustomer(300);
      const calls = interceptAtAirtime(brian.msisdn, 201, atAirtimeAnswer(brian.msisdn, 'Failed', undefined, 'Invalid phone number'), [], 2);

      const done = await new Dial(brian.msisdn).typeAll('3', '1', '100', '1', '1234');
      await eventually(async () => (await requestOf(brian.msisdn))?.status === 'reversed', 'request reversed');
      const row = await requestOf(brian.msisdn);
      const reversals = await db('journal_entries').where({ reverses_id: row.journal_entry_id });

      expect(done).to.match(/^END [A-Z0-9]{10} Confirmed\. KES 100 airtime for 07\d{8}\. You will receive your airtime shortly\. New balance KES 200\.$/);
      expect(calls).to.have.length(1);
      expect(reversals).to.have.length(1);
      expect(row.last_error).to.contain('Invalid phone number');
      expect(await balance(brian.walletAccountId)).to.equal(300n * KES);
      const [notice] = await smsTo(brian.msisdn);
      expect(notice.message).to.match(new RegExp(`^${reversals[0].code} Confirmed\\. Airtime ${done.slice(4, 14)} of KES 100 for ${nationalFormat(brian.msisdn)} could not be delivered\\. KES 100 returned to your account on .+\\. New balance KES 300\\.$`));
    });

    it('speaks Kiswahili to a Kiswahili customer on the last screen and in the SMS', async () => {
      const chebet = await makeCustomer(100);
      await db('customers').where({ id: chebet.id }).update({ language: 'sw' });
      interceptAtAirtime(chebet.msisdn, 201, { errorMessage: 'Insufficient Balance', numSent: 0, responses: [] });

      const done = await new Dial(chebet.msisdn).typeAll('3', '1', '20', '1', '1234');
      await eventually(async () => (await requestOf(chebet.msisdn))?.status === 'reversed', 'request reversed');

      expect(done).to.match(/^END [A-Z0-9]{10} Imethibitishwa\. Muda wa maongezi wa KES 20 kwa 07\d{8}\. Utaupokea hivi punde\. Salio jipya KES 80\.$/);
      expect((await smsTo(chebet.msisdn))[0].message).to.match(/haukuweza kufika\. KES 20 imerudishwa .+Salio jipya KES 100\.$/);
    });
  });

  describe('sending to AT (no worker)', () => {
    it('sendAirtimeRequest(), when AT answers 500, releases the claim to retry under the same Idempotency-Key, then records Sent', async () => {
      const { id, recipient } = await purchase();
      const calls: AirtimeCall[] = [];
      interceptAtAirtime(recipient, 500, 'Internal Server Error', calls);
      interceptAtAirtime(recipient, 201, atAirtimeAnswer(recipient, 'Sent', `ATQid_retry_${randomUUID()}`), calls);

      const first = await sendAirtimeRequest(id).catch((err: Error) => err.constructor.name);
      const second = await sendAirtimeRequest(id);

      expect([first, second]).to.deep.equal(['AirtimeRetryError', 'sent']);
      expect(calls.map((c) => c.idempotencyKey)).to.deep.equal([`simu-airtime-${id}`, `simu-airtime-${id}`]);
      expect(await db('airtime_requests').where({ id }).first()).to.include({ status: 'sent', attempts: 2 });
    });

    it('sendAirtimeRequest(), when AT still answers an HTTP error on the last attempt, reverses the debit', async () => {
      const { id, recipient, payer } = await purchase();
      interceptAtAirtime(recipient, 502, 'Bad Gateway');

      const outcome = await sendAirtimeRequest(id, { finalAttempt: true });

      expect(outcome).to.equal('reversed');
      expect(await balance(payer.walletAccountId)).to.equal(1000n * KES);
    });

    it('sendAirtimeRequest(), for a request already sent, calls AT no more', async () => {
      const { id, recipient } = await purchase();
      const calls = interceptAtAirtime(recipient, 201, atAirtimeAnswer(recipient, 'Sent'), [], 2);

      const outcomes = [await sendAirtimeRequest(id), await sendAirtimeRequest(id)];

      expect(outcomes).to.deep.equal(['sent', 'skipped']);
      expect(calls).to.have.length(1);
    });
  });

  describe('POST /airtime/status (AT status callback)', () => {
    /** A purchase AT has taken, with its requestId. */
    async function sentPurchase() {
      const p = await purchase();
      const requestId = `ATQid_${randomUUID().replace(/-/g, '')}`;
      interceptAtAirtime(p.recipient, 201, atAirtimeAnswer(p.recipient, 'Sent', requestId));
      await sendAirtimeRequest(p.id);
      return { ...p, requestId };
    }

    it('Failed posted twice reverses once and sends one notice', async () => {
      const { id, payer, requestId } = await sentPurchase();

      const first = await postStatus({ requestId, status: 'Failed', description: 'Recipient not found' }, true);
      const second = await postStatus({ requestId, status: 'Failed' });

      expect([first.body.outcome, second.body.outcome]).to.deep.equal(['reversed', 'unchanged']);
      const row = await db('airtime_requests').where({ id }).first();
      expect(row).to.include({ status: 'reversed' });
      expect(await db('journal_entries').where({ reverses_id: row.journal_entry_id })).to.have.length(1);
      expect(await smsTo(payer.msisdn)).to.have.length(1);
      expect(await balance(payer.walletAccountId)).to.equal(1000n * KES);
    });

    it('Failed after Success leaves the airtime delivered and the money where it is', async () => {
      const { id, payer, requestId } = await sentPurchase();

      await postStatus({ requestId, status: 'Success' });
      const late = await postStatus({ requestId, status: 'Failed' });

      expect(late.body.outcome).to.equal('unchanged');
      expect(await db('airtime_requests').where({ id }).first()).to.include({ status: 'success' });
      expect(await balance(payer.walletAccountId)).to.equal(950n * KES);
    });

    it('a bad callback answers 400 with the reason and changes nothing', async () => {
      const { id, requestId } = await sentPurchase();

      const noId = await postStatus({ status: 'Failed' });
      const badStatus = await postStatus({ requestId, status: 'Delivered' }, true);
      const notJson = await fetch(`${await appUrl()}/airtime/status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"requestId":' });
      const nul = await postStatus({ requestId: `${requestId}\u0000`, status: 'Failed' });

      expect(noId.status).to.equal(400);
      expect(noId.body.reason).to.contain('requestId');
      expect(badStatus.status).to.equal(400);
      expect(badStatus.body.reason).to.contain('status');
      expect(notJson.status).to.equal(400);
      expect(nul.status).to.equal(400);
      expect(await db('airtime_requests').where({ id }).first()).to.include({ status: 'sent' });
    });

    it('a callback for a requestId nobody knows answers 200 unknown_request', async () => {
      const res = await postStatus({ requestId: `ATQid_${randomUUID()}`, status: 'Success' });

      expect(res).to.deep.equal({ status: 200, body: { ok: true, outcome: 'unknown_request' } });
    });
  });

  describe('requests without a final status after an hour', () => {
    it('the review pass flags them and GET /admin/airtime?status=unresolved lists them, not the recent or final ones', async () => {
      const old = await purchase();
      const recent = await purchase();
      // Arrange: AT took the old one two hours ago and its callback never came.
      await db('airtime_requests').where({ id: old.id })
        .update({ status: 'sent', at_request_id: `ATQid_old_${randomUUID()}`, queued_at: db.raw(`now() - interval '2 hours'`), created_at: db.raw(`now() - interval '2 hours'`) });
      await db('airtime_requests').where({ id: recent.id }).update({ status: 'sent', at_request_id: `ATQid_recent_${randomUUID()}`, queued_at: db.fn.now() });
      const queue = createQueue<{ airtimeId: string }>('test-airtime-review');
      const key = await adminKey('read');

      const review = await reviewAirtime(db, queue);
      const page = await admin('GET', '/airtime?status=unresolved&limit=200', { key });
      await closeQueue(queue);

      expect(review.flagged).to.be.at.least(1);
      expect(page.status).to.equal(200);
      const ids = page.body.data.map((r: { id: number }) => String(r.id));
      expect(ids).to.include(old.id);
      expect(ids).to.not.include(recent.id);
      const listed = page.body.data.find((r: { id: number }) => String(r.id) === old.id);
      expect(listed).to.include({ status: 'sent', amount: 5000, currency: 'KES' });
      expect(listed.atRequestId).to.match(/^ATQid_old_/);
      expect(listed.reviewedAt).to.be.a('string');
    });

    it('GET /admin/airtime refuses a status it does not know', async () => {
      const res = await admin('GET', '/airtime?status=lost', { key: await adminKey('read') });

      expect(res.status).to.equal(400);
    });
  });
});
