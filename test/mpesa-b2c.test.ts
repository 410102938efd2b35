/**
 * Withdraw Cash → To M-PESA (Daraja B2C) end to end: the USSD flow debits the wallet into
 * clearing:mpesa at once and ends; the worker's pass posts Safaricom's B2C request
 * (nock at the sandbox host, token endpoint too); the result and queue-timeout callbacks
 * complete or reverse it, once however often they come. Bodies are Safaricom's samples
 * (https://developer.safaricom.co.ke/APIs/BusinessToCustomer) with our ids.
 */
import { expect } from 'chai';
import nock from 'nock';
import { db } from '../src/db/index.js';
import { displayBalance, getAccount, systemAccount } from '../src/ledger/index.js';
import { DarajaClient, dispatchB2c, flagStuckB2c, startB2cWorker } from '../src/mpesa/index.js';
import { Dial, appUrl } from './helpers/ussd.js';
import { makeCustomer, assertLedgerSound } from './helpers/customers.js';
import { blockOutboundHttp } from './helpers/at.js';
import { CALLBACK_TOKEN } from './helpers/mpesa.js';
import { captureLogs } from './helpers/stk.js';

const KES = 100n;
const HOST = 'https://sandbox.safaricom.co.ke';
const balance = async (accountId: number) => displayBalance(await getAccount(db, accountId));
const client = () => new DarajaClient({ environment: 'sandbox', consumerKey: 'test-consumer-key', consumerSecret: 'test-consumer-secret' });

/** Safaricom's sample success result (v3 page), for request `originator`. */
function successResult(originator: string, amountKes = 10, receipt = 'NLJ41HAY6Q') {
  return {
    Result: {
      ResultType: 0, ResultCode: 0, ResultDesc: 'The service request is processed successfully.',
      OriginatorConversationID: originator, ConversationID: 'AG_20191219_00004e48cf7e3533f581', TransactionID: receipt,
      ResultParameters: {
        ResultParameter: [
          { Key: 'TransactionAmount', Value: amountKes },
          { Key: 'TransactionReceipt', Value: receipt },
          { Key: 'B2CRecipientIsRegisteredCustomer', Value: 'Y' },
          { Key: 'B2CChargesPaidAccountAvailableFunds', Value: -4510.0 },
          { Key: 'ReceiverPartyPublicName', Value: '254708374149 - John Doe' },
          { Key: 'TransactionCompletedDateTime', Value: '19.12.2019 11:45:50' },
          { Key: 'B2CUtilityAccountAvailableFunds', Value: 10116.0 },
          { Key: 'B2CWorkingAccountAvailableFunds', Value: 900000.0 },
        ],
      },
      ReferenceData: { ReferenceItem: { Key: 'QueueTimeoutURL', Value: 'https://internalsandbox.safaricom.co.ke/mpesa/b2cresults/v1/submit' } },
    },
  };
}

/** Safaricom's sample failure result (2001: the initiator information is invalid). */
function failureResult(originator: string) {
  return {
    Result: {
      ResultType: 0, ResultCode: 2001, ResultDesc: 'The initiator information is invalid.',
      OriginatorConversationID: originator, ConversationID: 'AG_20191219_00006c6fddb15123addf', TransactionID: 'NLJ0000000',
      ReferenceData: { ReferenceItem: { Key: 'QueueTimeoutURL', Value: 'https://internalsandbox.safaricom.co.ke/mpesa/b2cresults/v1/submit' } },
    },
  };
}

async function postB2c(what: 'result' | 'timeout', body: unknown, token = CALLBACK_TOKEN) {
  const res = await fetch(`${await appUrl()}/mpesa/${token}/b2c/${what}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try { parsed = JSON.parse(text); } catch { /* text */ }
  return { status: res.status, body: parsed };
}

/** A customer with `kes` who withdrew `amountKes` to M-Pesa over USSD; the request row and the END screen. */
async function withdrawn(kes: number, amountKes: number) {
  const customer = await makeCustomer(kes);
  const screen = await new Dial(customer.msisdn).typeAll('2', '2', String(amountKes), '1', '1234');
  const row = await db('b2c_requests').where({ customer_id: customer.id }).first();
  return { customer, screen, row };
}

/** Intercepts the token and one B2C request, recording its body; answers `answer` with `status`. */
function interceptB2c(seen: unknown[], status = 200, answer?: Record<string, unknown>) {
  nock(HOST).get('/oauth/v1/generate').query({ grant_type: 'client_credentials' }).reply(200, { access_token: 'b2c-token', expires_in: '3599' });
  nock(HOST, { reqheaders: { authorization: 'Bearer b2c-token' } }).post('/mpesa/b2c/v3/paymentrequest').reply((_uri, body) => {
    seen.push(body);
    const b = body as { OriginatorConversationID: string };
    return [status, answer ?? {
      ConversationID: 'AG_20240706_20106e9209f64bebd05b', OriginatorConversationID: b.OriginatorConversationID,
      ResponseCode: '0', ResponseDescription: 'Accept the service request successfully.',
    }];
  });
}

/** A withdrawal posted to Daraja and accepted (status `sent`). */
async function sent(kes: number, amountKes: number) {
  const w = await withdrawn(kes, amountKes);
  interceptB2c([]);
  expect(await dispatchB2c(db, client(), { ids: [w.row.id] })).to.deep.equal({ sent: 1, reversed: 0, retry: 0 });
  return w;
}

const smsTo = (msisdn: string) => db('sms_outbox').where({ msisdn }).orderBy('id');

describe('mpesa: Withdraw Cash to M-PESA (B2C)', () => {
  before(blockOutboundHttp);
  afterEach(async () => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, 'every intercepted Daraja call was made').to.deep.equal([]);
    await assertLedgerSound();
  });

  it('asks where, quotes the send-money charge, debits amount + charge at once into clearing:mpesa and revenue, and ENDs', async () => {
    const amina = await makeCustomer(10_000);
    const [clearing, revenue] = await Promise.all([systemAccount(db, 'mpesa'), systemAccount(db, 'charges')]);
    const before = { clearing: await balance(clearing.id), revenue: await balance(revenue.id) };
    const phone = new Dial(amina.msisdn);
    const local = `0${amina.msisdn.slice(4)}`;
    await phone.open();
    expect(await phone.type('2')).to.equal('CON Withdraw Cash\n1 At an agent\n2 To M-PESA\n0 Back 00 Home');
    expect(await phone.type('2')).to.equal(`CON Withdraw to M-PESA ${local}\nEnter amount (KES)\n0 Back 00 Home`);
    expect(await phone.type('2345')).to.equal(`CON Withdraw KES 2,345 to M-PESA ${local}?\nCharge KES 15\n1 Confirm\n0 Back 00 Home`);
    expect(await phone.type('1')).to.equal('CON Enter PIN to withdraw KES 2,345 to M-PESA\n0 Back 00 Home');
    const done = await phone.type('1234');
    expect(done).to.match(/^END You will receive KES 2,345 on M-PESA shortly\. Ref [A-Z][A-Z0-9]{9}\. Charge KES 15\. New balance KES 7,640\.$/);

    expect(await balance(amina.walletAccountId)).to.equal(7_640n * KES);
    // Asset clearing:mpesa reads its balance credit-negative; what matters is the movement.
    expect((await balance(clearing.id)) - before.clearing).to.equal(-2_345n * KES);
    expect((await balance(revenue.id)) - before.revenue).to.equal(15n * KES);
    const row = await db('b2c_requests').where({ customer_id: amina.id }).first();
    expect(row).to.include({ status: 'requested', msisdn: amina.msisdn, amount: 234_500n, charge: 1_500n });
    expect(row.originator_conversation_id).to.match(/^[0-9a-f-]{36}$/);
    // The hop never called Daraja (nothing intercepted); a replay of the whole session moves nothing more.
    expect(await phone.hop()).to.equal(done);
    expect(await db('b2c_requests').where({ customer_id: amina.id })).to.have.length(1);
  });

  it('re-asks an amount under KES 10, and 1 at the choice keeps the agent flow', async () => {
    const c = await makeCustomer(100);
    const phone = new Dial(c.msisdn);
    await phone.typeAll('2', '2');
    expect(await phone.type('9')).to.match(/^CON The least you can withdraw is KES 10\.\nWithdraw to M-PESA/);
    expect(await phone.type('0')).to.match(/^CON Withdraw Cash\n1 At an agent/);
    expect(await phone.type('1')).to.match(/^CON Withdraw Cash\nEnter agent number/);
    expect(await balance(c.walletAccountId)).to.equal(100n * KES);
  });

  it("the worker posts Safaricom's B2C request with our shortcode, initiator, credential and callback URLs", async () => {
    const { customer, row } = await withdrawn(1_000, 500);
    const seen: unknown[] = [];
    interceptB2c(seen);
    expect(await dispatchB2c(db, client(), { ids: [row.id] })).to.deep.equal({ sent: 1, reversed: 0, retry: 0 });
    expect(seen).to.deep.equal([{
      OriginatorConversationID: row.originator_conversation_id,
      InitiatorName: 'testapi',
      SecurityCredential: 'test-security-credential',
      CommandID: 'BusinessPayment',
      Amount: 500,
      PartyA: '600998',
      PartyB: customer.msisdn.slice(1),
      Remarks: 'Simu wallet withdrawal',
      QueueTimeOutURL: `https://simu.example.test/mpesa/${CALLBACK_TOKEN}/b2c/timeout`,
      ResultURL: `https://simu.example.test/mpesa/${CALLBACK_TOKEN}/b2c/result`,
      Occasion: '',
    }]);
    expect(await db('b2c_requests').where({ id: row.id }).first()).to.include({ status: 'sent', conversation_id: 'AG_20240706_20106e9209f64bebd05b' });
    // A second pass finds nothing to post.
    expect(await dispatchB2c(db, client(), { ids: [row.id] })).to.deep.equal({ sent: 0, reversed: 0, retry: 0 });
  });

  it('a refusal by Daraja (HTTP 400) reverses at once with an SMS; an outage leaves it for the next pass', async () => {
    const { customer, row } = await withdrawn(1_000, 500);
    nock(HOST).get('/oauth/v1/generate').query(true).reply(200, { access_token: 'b2c-token', expires_in: '3599' });
    nock(HOST).post('/mpesa/b2c/v3/paymentrequest').reply(503, 'upstream down');
    expect(await dispatchB2c(db, client(), { ids: [row.id] })).to.deep.equal({ sent: 0, reversed: 0, retry: 1 });
    expect(await db('b2c_requests').where({ id: row.id }).first()).to.include({ status: 'requested', claimed_at: null });
    interceptB2c([], 400, { requestId: '11728-2929992-1', errorCode: '400.002.02', errorMessage: 'Bad Request - Invalid PartyB' });
    expect(await dispatchB2c(db, client(), { ids: [row.id] })).to.deep.equal({ sent: 0, reversed: 1, retry: 0 });
    expect(await db('b2c_requests').where({ id: row.id }).first()).to.include({ status: 'failed', result_code: '400.002.02' });
    expect(await balance(customer.walletAccountId)).to.equal(1_000n * KES);
    const notices = await smsTo(customer.msisdn).where({ kind: 'notice' });
    expect(notices).to.have.length(1);
    expect(notices[0].message).to.match(/Failed: KES 500 could not be sent to M-PESA\. [A-Z0-9]{10}: KES 505 returned to your wallet .+New balance KES 1,000\.$/);
  });

  it('a success result completes it with the M-Pesa receipt and a receipt SMS; the money stays out of the wallet', async () => {
    const { customer, row } = await sent(1_000, 10);
    const res = await postB2c('result', successResult(row.originator_conversation_id, 10));
    expect(res).to.deep.equal({ status: 200, body: { ResultCode: 0, ResultDesc: 'Accepted' } });
    const after = await db('b2c_requests').where({ id: row.id }).first();
    expect(after).to.include({ status: 'completed', result_code: '0', mpesa_receipt: 'NLJ41HAY6Q', receiver_name: '254708374149 - John Doe' });
    expect(await balance(customer.walletAccountId)).to.equal(990n * KES);
    const receipts = await smsTo(customer.msisdn).where({ kind: 'receipt' });
    expect(receipts).to.have.length(1);
    expect(receipts[0].message).to.match(/^[A-Z][A-Z0-9]{9} Confirmed\. KES 10 sent to M-PESA 07\d{8} \(ref NLJ41HAY6Q\) .+Charge KES 0\.$/);
    // A second payout (another receipt) for the same request is flagged for an operator; nothing moves.
    expect((await postB2c('result', successResult(row.originator_conversation_id, 10, 'NLJ41HAY9T'))).status).to.equal(200);
    const flagged = await db('b2c_requests').where({ id: row.id }).first();
    expect(flagged).to.include({ status: 'completed', mpesa_receipt: 'NLJ41HAY6Q' });
    expect(flagged.late_success_at).to.be.an.instanceOf(Date);
    expect(await balance(customer.walletAccountId)).to.equal(990n * KES);
    expect(await smsTo(customer.msisdn).where({ kind: 'receipt' })).to.have.length(1);
  });

  it('a failure result reverses amount and charge with a compensating entry and an SMS', async () => {
    const { customer, row } = await sent(2_000, 1_000);
    expect(await balance(customer.walletAccountId)).to.equal(990n * KES);
    expect((await postB2c('result', failureResult(row.originator_conversation_id))).status).to.equal(200);
    const after = await db('b2c_requests').where({ id: row.id }).first();
    expect(after).to.include({ status: 'failed', result_code: '2001', result_desc: 'The initiator information is invalid.' });
    const reversal = await db('journal_entries').where({ id: after.reversal_entry_id }).first();
    expect(String(reversal.reverses_id)).to.equal(String(row.journal_entry_id));
    expect(await balance(customer.walletAccountId)).to.equal(2_000n * KES);
    expect(await smsTo(customer.msisdn).where({ kind: 'notice' })).to.have.length(1);
  });

  it('a queue timeout reverses too; a success that comes after is flagged for an operator, not paid again', async () => {
    const { customer, row } = await sent(1_000, 100);
    const timeout = { Result: { ...failureResult(row.originator_conversation_id).Result, ResultCode: 1, ResultDesc: 'The service request timed out.' } };
    expect((await postB2c('timeout', timeout)).body).to.deep.equal({ ResultCode: 0, ResultDesc: 'Accepted' });
    expect(await db('b2c_requests').where({ id: row.id }).first()).to.include({ status: 'timed_out' });
    expect(await balance(customer.walletAccountId)).to.equal(1_000n * KES);
    expect((await postB2c('result', successResult(row.originator_conversation_id, 100, 'NLJ41HAY7R'))).status).to.equal(200);
    const after = await db('b2c_requests').where({ id: row.id }).first();
    expect(after).to.include({ status: 'timed_out', mpesa_receipt: 'NLJ41HAY7R' });
    expect(after.late_success_at).to.be.an.instanceOf(Date);
    expect(await balance(customer.walletAccountId)).to.equal(1_000n * KES);
    expect(await smsTo(customer.msisdn).where({ kind: 'receipt' })).to.have.length(0);
  });

  it('five replays of a result, in parallel, act once; so do five failures and five timeouts', async () => {
    const ok = await sent(1_000, 200);
    const answers = await Promise.all(Array.from({ length: 5 }, () => postB2c('result', successResult(ok.row.originator_conversation_id, 200, 'NLJ41HAY8S'))));
    expect(answers.map((a) => a.status)).to.deep.equal([200, 200, 200, 200, 200]);
    expect(await smsTo(ok.customer.msisdn).where({ kind: 'receipt' })).to.have.length(1);
    expect(await balance(ok.customer.walletAccountId)).to.equal(795n * KES);

    const bad = await sent(1_000, 200);
    await Promise.all([
      ...Array.from({ length: 5 }, () => postB2c('result', failureResult(bad.row.originator_conversation_id))),
      ...Array.from({ length: 5 }, () => postB2c('timeout', failureResult(bad.row.originator_conversation_id))),
    ]);
    expect(await db('journal_entries').where({ reverses_id: String(bad.row.journal_entry_id) })).to.have.length(1);
    expect(await smsTo(bad.customer.msisdn).where({ kind: 'notice' })).to.have.length(1);
    expect(await balance(bad.customer.walletAccountId)).to.equal(1_000n * KES);
  });

  it('the worker\'s review logs a request stuck sent for 30 minutes with no result, once, as an error; nothing moves', async () => {
    const { customer, row } = await sent(1_000, 100);
    await db('b2c_requests').where({ id: row.id }).update({ sent_at: db.raw(`now() - interval '29 minutes'`) });
    await flagStuckB2c(db);
    expect((await db('b2c_requests').where({ id: row.id }).first()).stuck_flagged_at, 'not stuck yet').to.equal(null);
    await db('b2c_requests').where({ id: row.id }).update({ sent_at: db.raw(`now() - interval '31 minutes'`) });
    // Dispatch would post other files' requested rows: its pause is long, and only the review is watched.
    const lines = await captureLogs('error', async () => {
      const worker = startB2cWorker({ db, intervalMs: 60_000, reviewEveryMs: 10 });
      try {
        while (!(await db('b2c_requests').where({ id: row.id }).first()).stuck_flagged_at) await new Promise((ok) => setTimeout(ok, 10));
        await new Promise((ok) => setTimeout(ok, 50));
      } finally {
        await worker.stop();
      }
    });
    const mine = lines.filter((l) => l.b2cId === String(row.id));
    expect(mine).to.have.length(1);
    expect(mine[0]).to.include({ level: 'error', originatorConversationId: row.originator_conversation_id, amount: '10000' });
    expect(mine[0].message).to.match(/^b2c withdrawal stuck: no result from M-Pesa 30 minutes after it was sent/);
    expect(await db('b2c_requests').where({ id: row.id }).first()).to.include({ status: 'sent' });
    expect(await balance(customer.walletAccountId)).to.equal(900n * KES);
    expect(await flagStuckB2c(db)).to.equal(0);
    // Left for the admin tests' lists no more: settled as Daraja's timeout would.
    await postB2c('timeout', failureResult(row.originator_conversation_id));
  });

  it('a forged token answers 404 and changes nothing; a malformed body answers 400', async () => {
    const { customer, row } = await sent(1_000, 100);
    expect((await postB2c('result', failureResult(row.originator_conversation_id), 'forged-token-0123456789')).status).to.equal(404);
    expect((await postB2c('timeout', failureResult(row.originator_conversation_id), 'forged-token-0123456789')).status).to.equal(404);
    for (const bad of ['{not json', {}, { Result: 'x' }, { Result: { ResultCode: 0 } }, { Result: { OriginatorConversationID: 'abc', ResultCode: 0 } },
      { Result: { OriginatorConversationID: 'abc', ResultCode: 1, ResultParameters: { ResultParameter: 'x' } } }]) {
      expect((await postB2c('result', bad)).status, JSON.stringify(bad)).to.equal(400);
    }
    expect(await db('b2c_requests').where({ id: row.id }).first()).to.include({ status: 'sent' });
    expect(await balance(customer.walletAccountId)).to.equal(900n * KES);
    // A result for no request of ours is acknowledged and changes nothing.
    expect((await postB2c('result', failureResult('not-ours-1'))).body).to.deep.equal({ ResultCode: 0, ResultDesc: 'Accepted' });
  });
});
