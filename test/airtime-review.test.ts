/** The airtime review asks AT (GET /query/transaction/find, nock) about requests it took and never reported on. */
import { expect } from 'chai';
import nock from 'nock';
import { randomUUID } from 'node:crypto';
import { db } from '../src/db/index.js';
import { displayBalance, getAccount } from '../src/ledger/index.js';
import { createQueue, closeQueue, closeQueues } from '../src/queue/index.js';
import { classifyFindAnswer, reverseAirtime, reviewAirtime, startAirtimeWorker } from '../src/airtime/index.js';
import { AT_HOST, blockOutboundHttp } from './helpers/at.js';
import { atFindAnswer, interceptAtFind, postStatus, purchase } from './helpers/airtime.js';
import { assertLedgerSound, randomMsisdn } from './helpers/customers.js';
import { eventually } from './helpers/outbox.js';
import { closeAtEnd } from './helpers/resources.js';
import { admin, adminKey } from './helpers/admin.js';

const KES = 100n;

const balance = async (walletAccountId: number) => displayBalance(await getAccount(db, walletAccountId));
const row = (id: string) => db('airtime_requests').where({ id }).first();
const smsTo = (msisdn: string) => db('sms_outbox').where({ msisdn }).orderBy('id');
const reversalsOf = async (id: string) => db('journal_entries').where({ reverses_id: (await row(id)).journal_entry_id });

/** A purchase AT took (its requestId recorded) two hours ago, whose callback never came. */
async function lateSent(kes = 50) {
  const p = await purchase(kes);
  const atId = `ATQid_${randomUUID().replace(/-/g, '')}`;
  const twoHoursAgo = db.raw(`now() - interval '2 hours'`);
  await db('airtime_requests').where({ id: p.id })
    .update({ status: 'sent', at_request_id: atId, created_at: twoHoursAgo, queued_at: twoHoursAgo, sent_at: twoHoursAgo, attempts: 1 });
  return { ...p, atId };
}

/** One review pass, on a queue of its own. */
async function review() {
  const queue = createQueue<{ airtimeId: string }>('test-airtime-review');
  try {
    return await reviewAirtime(db, queue);
  } finally {
    await closeQueue(queue);
  }
}

describe('Airtime review: asking AT about requests it never reported on', () => {
  before(() => {
    closeAtEnd(closeQueues);
    blockOutboundHttp();
  });
  // Earlier tests and runs leave late requests in the database: mark them asked about just
  // now, so that each pass asks AT about this test's requests only.
  beforeEach(() => db('airtime_requests').whereIn('status', ['pending', 'sent']).update({ checked_at: db.fn.now() }));
  afterEach(() => nock.cleanAll());
  afterEach(assertLedgerSound);
  after(() => nock.enableNetConnect());

  it('AT says Success: the request is delivered with a receipt SMS and no money moves', async () => {
    const { id, atId, payer } = await lateSent();
    const at = interceptAtFind(atId, 200, atFindAnswer(atId, 'Success'));

    const pass = await review();

    expect(at.isDone()).to.equal(true);
    expect(pass).to.include({ checked: 1, delivered: 1, reversed: 0 });
    expect(await row(id)).to.include({ status: 'success', checks: 1, check_outcome: 'delivered', check_detail: 'Success: Airtime Delivered Successfully' });
    expect(await reversalsOf(id)).to.have.length(0);
    const sms = await smsTo(payer.msisdn);
    expect(sms.map((s: { kind: string }) => s.kind)).to.deep.equal(['receipt']);
    expect(sms[0].message).to.match(/Confirmed\. You bought KES 50 airtime for 07\d{8} on .+\. New balance KES 950\.$/);
    expect(await balance(payer.walletAccountId)).to.equal(950n * KES);
  });

  it('AT says Failed: the debit is reversed once with a notice, and a Failed callback after it changes nothing', async () => {
    const { id, atId, payer } = await lateSent(100);
    interceptAtFind(atId, 200, atFindAnswer(atId, 'Failed', 'Recipient number is not valid'));

    const pass = await review();
    const callback = await postStatus({ requestId: atId, status: 'Failed', description: 'Recipient number is not valid' });

    expect(pass).to.include({ checked: 1, delivered: 0, reversed: 1 });
    expect(callback.body.outcome).to.equal('unchanged');
    const after = await row(id);
    expect(after).to.include({ status: 'reversed', check_outcome: 'failed' });
    expect(after.last_error).to.equal('AT reported Failed: Recipient number is not valid (status query)');
    const reversals = await reversalsOf(id);
    expect(reversals).to.have.length(1);
    expect(String(after.reversal_entry_id)).to.equal(String(reversals[0].id));
    const sms = await smsTo(payer.msisdn);
    expect(sms).to.have.length(1);
    expect(sms[0].message).to.match(new RegExp(`^${reversals[0].code} Confirmed\\. Airtime [A-Z0-9]{10} of KES 100 .+could not be delivered\\. KES 100 returned .+New balance KES 1,000\\.$`));
    expect(await balance(payer.walletAccountId)).to.equal(1000n * KES);
  });

  it('AT says Failed while its Failed callback arrives at the same moment: one reversal, one notice', async () => {
    const { id, atId, payer } = await lateSent();
    interceptAtFind(atId, 200, atFindAnswer(atId, 'Failed'));

    const [pass, callback] = await Promise.all([review(), postStatus({ requestId: atId, status: 'Failed' })]);

    // Whichever comes first reverses; the other finds the request reversed already.
    expect(pass.reversed + (callback.body.outcome === 'reversed' ? 1 : 0)).to.equal(1);
    expect(callback.body.outcome).to.be.oneOf(['reversed', 'unchanged']);
    expect(await row(id)).to.include({ status: 'reversed' });
    expect(await reversalsOf(id)).to.have.length(1);
    expect(await smsTo(payer.msisdn)).to.have.length(1);
    expect(await balance(payer.walletAccountId)).to.equal(1000n * KES);
  });

  it('AT errors and outages leave those requests flagged with what AT said, and the others are still resolved', async () => {
    const down = await lateSent();
    const cut = await lateSent();
    const unknown = await lateSent();
    const delivered = await lateSent();
    interceptAtFind(down.atId, 503, 'Service Unavailable');
    interceptAtFind(cut.atId, 0, { error: 'ECONNRESET' });
    interceptAtFind(unknown.atId, 200, { status: 'Failed', errorMessage: 'Transaction not found' });
    interceptAtFind(delivered.atId, 200, atFindAnswer(delivered.atId, 'Success'));
    const key = await adminKey('read');

    const pass = await review();
    const page = await admin('GET', '/airtime?status=unresolved&limit=200', { key });

    expect(pass).to.include({ checked: 4, delivered: 1, reversed: 0 });
    expect(await row(delivered.id)).to.include({ status: 'success' });
    for (const r of [down, cut, unknown]) expect(await row(r.id)).to.include({ status: 'sent', check_outcome: 'error', checks: 1 });
    for (const r of [down, cut, unknown, delivered]) expect(await balance(r.payer.walletAccountId)).to.equal(950n * KES);
    expect(page.status).to.equal(200);
    const listed = new Map(page.body.data.map((r: { id: number }) => [String(r.id), r]));
    expect(listed.has(delivered.id)).to.equal(false);
    expect(listed.get(down.id)).to.include({ status: 'sent', checkOutcome: 'error', checkDetail: 'HTTP 503: Service Unavailable', checks: 1 });
    expect((listed.get(down.id) as { checkedAt: unknown }).checkedAt).to.be.a('string');
    expect((listed.get(down.id) as { reviewedAt: unknown }).reviewedAt).to.be.a('string');
    expect((listed.get(cut.id) as { checkDetail: string }).checkDetail).to.match(/^ECONNRESET/);
    expect(listed.get(unknown.id)).to.include({ checkOutcome: 'error', checkDetail: 'query Failed: Transaction not found' });
  });

  it('AT without a final status (Sent) leaves it flagged as pending, and the next pass within the hour does not ask again', async () => {
    const { id, atId } = await lateSent();
    interceptAtFind(atId, 200, atFindAnswer(atId, 'Sent', 'Sent to the telco'));

    const first = await review();
    const second = await review();

    expect([first.checked, second.checked]).to.deep.equal([1, 0]);
    expect(await row(id)).to.include({ status: 'sent', checks: 1, check_outcome: 'pending', check_detail: 'Sent: Sent to the telco' });
  });

  it('a request AT never took (no requestId) is not asked about and stays flagged', async () => {
    const { id } = await purchase();
    const twoHoursAgo = db.raw(`now() - interval '2 hours'`);
    await db('airtime_requests').where({ id }).update({ created_at: twoHoursAgo, queued_at: twoHoursAgo, attempts: 3, last_error: 'ETIMEDOUT: no answer' });

    const pass = await review();
    const page = await admin('GET', '/airtime?status=unresolved&limit=200', { key: await adminKey('read') });

    expect(pass.checked).to.equal(0);
    const after = await row(id);
    expect(after).to.include({ status: 'pending', checks: 0, check_outcome: null });
    expect(after.reviewed_at).to.be.instanceOf(Date);
    const listed = page.body.data.find((r: { id: number }) => String(r.id) === id);
    expect(listed).to.include({ status: 'pending', checkedAt: null, checkOutcome: null, checks: 0 });
  });

  it('POST /admin/airtime/{id}/recheck asks AT now, applies a Failed answer, is audited, and answers 409 once the request is final', async () => {
    const { id, atId, payer } = await purchase().then(async (p) => {
      const atRequestId = `ATQid_${randomUUID().replace(/-/g, '')}`;
      await db('airtime_requests').where({ id: p.id }).update({ status: 'sent', at_request_id: atRequestId });
      return { ...p, atId: atRequestId };
    });
    interceptAtFind(atId, 200, atFindAnswer(atId, 'Failed'));
    const key = await adminKey('finance', 'read');

    const res = await admin('POST', `/airtime/${id}/recheck`, { key });
    const again = await admin('POST', `/airtime/${id}/recheck`, { key });
    const audit = await admin('GET', `/audit?target=airtime:${id}`, { key });

    expect(res.status).to.equal(200);
    expect(res.body).to.include({ status: 'reversed', checkOutcome: 'failed', checkDetail: 'Failed: Airtime Failed', checks: 1 });
    expect(again.status).to.equal(409);
    expect(again.body.error).to.equal('airtime_not_checkable');
    expect(audit.body.data).to.have.length(1);
    expect(audit.body.data[0]).to.include({ method: 'POST', target: `airtime:${id}` });
    expect(await reversalsOf(id)).to.have.length(1);
    expect(await balance(payer.walletAccountId)).to.equal(1000n * KES);
  });

  it('an AT outage during the worker\'s review crashes nothing: the request keeps its flag and new airtime is still sent', async () => {
    const late = await lateSent();
    interceptAtFind(late.atId, 0, { error: 'ECONNREFUSED' });
    // The worker relays every pending request in the database: reverse those others left.
    const leftovers: Array<{ id: bigint }> = await db('airtime_requests').select('id').where({ status: 'pending' });
    for (const { id } of leftovers) await reverseAirtime(id, 'set aside by test/airtime-review.test.ts');
    const old = createQueue('test-airtime-review-worker');
    await old.obliterate({ force: true });
    await closeQueue(old);
    const worker = startAirtimeWorker({ queueName: 'test-airtime-review-worker', attempts: 2, backoffMs: 20, relayIntervalMs: 50, reviewEveryMs: 3_600_000 });
    try {
      await worker.queue.isReady();
      await eventually(async () => (await row(late.id)).check_outcome === 'error', 'AT asked about the late request');
      const recipient = randomMsisdn();
      nock(AT_HOST).post('/version1/airtime/send').reply(201, {
        errorMessage: 'None', numSent: 1, totalAmount: 'KES 50.0000', totalDiscount: 'KES 2.0000',
        responses: [{ phoneNumber: recipient, amount: 'KES 50.0000', status: 'Sent', requestId: `ATQid_${randomUUID().replace(/-/g, '')}`, errorMessage: 'None', discount: 'KES 0.0000' }],
      });
      const fresh = await purchase(50, recipient);
      await eventually(async () => (await row(fresh.id)).status === 'sent', 'the new request sent to AT');
    } finally {
      await worker.stop();
    }
    expect(await row(late.id)).to.include({ status: 'sent', check_outcome: 'error' });
    expect((await row(late.id)).check_detail).to.match(/^ECONNREFUSED/);
  });

  it('reads AT\'s answer as documented: the query\'s own status is not the airtime\'s', () => {
    expect(classifyFindAnswer({ status: 'Success' }, 'ATQid_1').outcome).to.equal('error');
    expect(classifyFindAnswer({ status: 'Failed', errorMessage: 'Invalid transactionId' }, 'ATQid_1')).to.deep.equal({ outcome: 'error', detail: 'query Failed: Invalid transactionId' });
    expect(classifyFindAnswer(atFindAnswer('ATQid_2', 'Success'), 'ATQid_1').outcome).to.equal('error');
    expect(classifyFindAnswer(atFindAnswer('ATQid_1', 'Queued'), 'ATQid_1').outcome).to.equal('pending');
    expect(classifyFindAnswer(atFindAnswer('ATQid_1', 'Failed'), 'ATQid_1').outcome).to.equal('failed');
  });
});
