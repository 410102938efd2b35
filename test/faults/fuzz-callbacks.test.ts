/**
 * Fuzzing the payment rails' callbacks (fast-check): M-Pesa C2B validation and
 * confirmation, the STK push callback, the B2C result, and the Equity and KCB webhooks.
 * Bodies are arbitrary JSON (and non-JSON text), and Safaricom's and the banks' sample
 * payloads mutated: a field dropped or replaced by a value of the wrong type, hostile
 * strings (NUL, lone surrogates, very long), amounts negative, zero, fractional, huge or
 * not numbers, ids reused, a wrong URL token, and for the banks a signature that is
 * missing, wrong, or right over the mutated bytes.
 *
 * Every answer is below 500 and the app keeps serving; a 4xx (or C2B validation, which
 * only answers yes or no) changes no journal entry, posting, receipt, payment or request
 * row. A mutated payload that is still valid may move money: that is fine.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import nock from 'nock';
import { randomUUID } from 'node:crypto';
import { db } from '../../src/db/index.js';
import { DarajaClient, dispatchB2c, requestB2cWithdrawal } from '../../src/mpesa/index.js';
import { signBody } from '../../src/banks/index.js';
import { nationalFormat } from '../../src/phone/index.js';
import { appUrl } from '../helpers/ussd.js';
import { blockOutboundHttp } from '../helpers/at.js';
import { makeCustomer, assertLedgerSound } from '../helpers/customers.js';
import { CALLBACK_TOKEN, c2bSample, newTransId } from '../helpers/mpesa.js';
import { acceptedStk, stkSuccess, stkFailure, DARAJA_HOST } from '../helpers/stk.js';
import { SECRETS, HEADERS, bankTxId, equityBody, kcbBody } from '../helpers/banks.js';
import { MONEY_TABLES, Tally, assertAlive, fingerprint, hostileString, amountValue, params } from './fuzz-helpers.js';

/** A JSON value to put where a field was: a wrong type, a hostile string, an amount, or nothing at all. */
const junk: fc.Arbitrary<unknown> = fc.oneof(hostileString, amountValue, fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined));

/** `value` with up to three fields (found by walking objects and arrays) replaced by junk or dropped. */
function mutated(value: unknown): fc.Arbitrary<unknown> {
  const paths: string[][] = [];
  const walk = (v: unknown, path: string[]) => {
    if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) { paths.push([...path, k]); walk(c, [...path, k]); }
  };
  walk(value, []);
  return fc.array(fc.tuple(fc.constantFrom(...paths), junk), { minLength: 0, maxLength: 3 }).map((edits) => {
    const copy = structuredClone(value) as Record<string, unknown>;
    for (const [path, v] of edits) {
      let node: Record<string, unknown> | undefined = copy;
      for (const k of path.slice(0, -1)) node = node && typeof node[k] === 'object' && node[k] !== null ? node[k] as Record<string, unknown> : undefined;
      if (!node) continue;
      if (v === undefined) delete node[path[path.length - 1]];
      else node[path[path.length - 1]] = v;
    }
    return copy;
  });
}

/** Posts `body` (JSON, or text as is) to `path` and checks the property; `moves` false: no answer may move money. */
async function post(tally: Tally, path: string, body: unknown, opts: { headers?: Record<string, string>; moves?: boolean; raw?: boolean } = {}) {
  const text = opts.raw ? String(body) : JSON.stringify(body) ?? 'null';
  const before = await fingerprint(MONEY_TABLES);
  const res = await fetch(`${await appUrl()}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...opts.headers }, body: text });
  const answer = await res.text();
  const after = await fingerprint(MONEY_TABLES);
  const what = `POST ${path} ${text.slice(0, 400)} → ${res.status} ${answer.slice(0, 200)}`;
  tally.add(res.status);
  expect(res.status, what).to.be.below(500);
  if (res.status >= 400 || opts.moves === false) expect(after, `changed by: ${what}`).to.deep.equal(before);
  return { status: res.status, body: answer };
}

describe('fuzz: payment callbacks', function () {
  this.timeout(180_000);
  const mpesa = (what: string, token = CALLBACK_TOKEN) => `/mpesa/${token}/${what}`;
  let msisdn: string;
  let checkouts: string[];
  let originators: string[];

  before(async () => {
    blockOutboundHttp();
    await db('stk_requests').where({ status: 'requested' }).update({ status: 'unknown', result_desc: 'left by another test file' });
    const c = await makeCustomer(50_000);
    msisdn = c.msisdn;
    checkouts = [];
    for (let i = 0; i < 3; i++) checkouts.push((await acceptedStk(msisdn, 100 + i)).checkoutId);
    originators = [];
    for (let i = 0; i < 3; i++) {
      const w = await requestB2cWithdrawal({ msisdn, amount: 200_00n, pin: '1234', idempotencyKey: `fuzz:b2c:${randomUUID()}` });
      nock(DARAJA_HOST).get('/oauth/v1/generate').query(true).reply(200, { access_token: 'b2c-token', expires_in: '3599' });
      nock(DARAJA_HOST).post('/mpesa/b2c/v3/paymentrequest').reply((_uri, body) => [200, {
        ConversationID: 'AG_20240706_20106e9209f64bebd05b', OriginatorConversationID: (body as { OriginatorConversationID: string }).OriginatorConversationID,
        ResponseCode: '0', ResponseDescription: 'Accept the service request successfully.',
      }]);
      const client = new DarajaClient({ environment: 'sandbox', consumerKey: 'test-consumer-key', consumerSecret: 'test-consumer-secret' });
      await dispatchB2c(db, client, { ids: [w.requestId] });
      originators.push((await db('b2c_requests').where({ id: String(w.requestId) }).first()).originator_conversation_id);
    }
  });

  after(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await assertAlive();
    await assertLedgerSound();
  });

  it('C2B validation and confirmation: arbitrary and mutated bodies answer below 500; a 4xx or a validation moves nothing', async () => {
    const tally = new Tally();
    const sample = fc.record({
      TransID: fc.oneof(fc.constant('').map(newTransId), fc.constantFrom('RKTQDM7W6S', 'SHORT', 'X'.repeat(21))),
      TransAmount: fc.oneof(fc.constantFrom('10', '3000.00', '0.01'), amountValue),
      BusinessShortCode: fc.constantFrom('600999', 600999, '600998', '12345', '1'),
      BillRefNumber: fc.constantFrom('own', 'national', 'NOBODY', '', 'x'.repeat(41)),
    }).chain((o) => mutated(c2bSample({ ...o, BillRefNumber: o.BillRefNumber === 'own' ? msisdn : o.BillRefNumber === 'national' ? nationalFormat(msisdn) : o.BillRefNumber })));
    const body = fc.oneof({ weight: 4, arbitrary: sample }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) });
    await fc.assert(fc.asyncProperty(body, fc.constantFrom('validation', 'confirmation'), fc.boolean(), fc.nat({ max: 9 }), async (b, what, replay, badToken) => {
      const r = await post(tally, mpesa(`c2b/${what}`, badToken === 0 ? 'wrong-token' : CALLBACK_TOKEN), b, { moves: what === 'confirmation' && badToken !== 0 });
      if (badToken === 0) expect(r.status).to.equal(404);
      // Daraja retries a confirmation: the second one moves nothing.
      if (replay && r.status === 200) await post(tally, mpesa(`c2b/${what}`), b, { moves: false });
    }), params());
    tally.report('callbacks');
    expect(tally.rejected, `answers: ${tally}`).to.be.greaterThan(0);
  });

  it('STK callbacks: arbitrary and mutated success and failure bodies answer below 500; a 4xx moves nothing', async () => {
    const tally = new Tally();
    const sample = fc.record({
      checkout: fc.oneof(fc.constantFrom(...checkouts), fc.constantFrom('ws_CO_nope', '')),
      amount: fc.oneof(fc.constantFrom(100, '100.00', 101, 102), amountValue),
      ok: fc.boolean(),
      code: fc.constantFrom(1032, 1037, 2001, 1, 1019, 0, -1),
    }).chain(({ checkout, amount, ok, code }) => mutated(ok ? stkSuccess(checkout, amount as number) : stkFailure(checkout, code)));
    const body = fc.oneof({ weight: 4, arbitrary: sample }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) });
    await fc.assert(fc.asyncProperty(body, async (b) => { await post(tally, mpesa('stk/callback'), b); }), params());
    tally.report('callbacks');
    expect(tally.rejected, `answers: ${tally}`).to.be.greaterThan(0);
  });

  it('B2C results and timeouts: arbitrary and mutated bodies answer below 500; a 4xx moves nothing', async () => {
    const tally = new Tally();
    const result = (originator: string, code: number, amount: unknown, receipt: string) => ({
      Result: {
        ResultType: 0, ResultCode: code, ResultDesc: 'The service request is processed successfully.', OriginatorConversationID: originator,
        ConversationID: 'AG_20191219_00004e48cf7e3533f581', TransactionID: receipt,
        ResultParameters: { ResultParameter: [{ Key: 'TransactionAmount', Value: amount }, { Key: 'TransactionReceipt', Value: receipt }, { Key: 'ReceiverPartyPublicName', Value: '254708374149 - John Doe' }] },
      },
    });
    const sample = fc.record({
      originator: fc.oneof(fc.constantFrom(...originators), fc.constantFrom('nope', '')),
      code: fc.constantFrom(0, 2001, 1, 17),
      amount: fc.oneof(fc.constant(200), amountValue),
      receipt: fc.oneof(fc.constant('').map(newTransId), fc.constantFrom('', 'x', 'NLJ0000000')),
    }).chain(({ originator, code, amount, receipt }) => mutated(result(originator, code, amount, receipt)));
    const body = fc.oneof({ weight: 4, arbitrary: sample }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) });
    await fc.assert(fc.asyncProperty(body, fc.constantFrom('result', 'timeout'), async (b, what) => { await post(tally, mpesa(`b2c/${what}`), b); }), params());
    tally.report('callbacks');
    expect(tally.rejected, `answers: ${tally}`).to.be.greaterThan(0);
  });

  it('bank webhooks: mutated and arbitrary bodies, signed or not, answer below 500; a 4xx moves nothing', async () => {
    const tally = new Tally();
    const sample = fc.record({
      bank: fc.constantFrom('equity', 'kcb'),
      id: fc.oneof(fc.constant('').map(() => bankTxId('EQ')), fc.constantFrom('', 'EQ1', 'x'.repeat(80))),
      account: fc.constantFrom('own', 'national', 'NOBODY', ''),
      amount: fc.oneof(fc.constantFrom('50000.00', '1', '0.5'), fc.constantFrom('-1', '0', '1e9', '"100"', 'null', '99999999999999999999', '1.005', 'NaN')),
    }).chain(({ bank, id, account, amount }) => {
      const who = account === 'own' ? msisdn : account === 'national' ? nationalFormat(msisdn) : account;
      const text = bank === 'equity' ? equityBody({ transactionId: id, studentId: who, amount }) : kcbBody({ transactionRef: id, accountNumber: who, amount });
      let parsed: unknown = null;
      try { parsed = JSON.parse(text); } catch { return fc.constant({ bank, text }); }
      return fc.oneof(fc.constant(text), mutated(parsed).map((v) => JSON.stringify(v))).map((t) => ({ bank, text: t }));
    });
    const any = fc.record({ bank: fc.constantFrom('equity', 'kcb', 'nobank'), text: fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v) ?? ''), fc.string({ unit: 'binary' }), hostileString) });
    const signature = fc.constantFrom('right', 'right', 'right', 'none', 'wrong', 'other-bank', 'empty');
    await fc.assert(fc.asyncProperty(fc.oneof({ weight: 4, arbitrary: sample }, { weight: 1, arbitrary: any }), signature, async ({ bank, text }, sig) => {
      const known = bank === 'equity' || bank === 'kcb';
      const secret = known ? SECRETS[bank] : 'none';
      const headers: Record<string, string> = {};
      const header = known ? HEADERS[bank] : 'X-Signature';
      if (sig === 'right') headers[header] = signBody(secret, text);
      if (sig === 'wrong') headers[header] = signBody('not-the-secret', text);
      if (sig === 'other-bank') headers[header] = signBody(bank === 'equity' ? SECRETS.kcb : SECRETS.equity, text);
      if (sig === 'empty') headers[header] = '';
      const r = await post(tally, `/webhooks/banks/${bank}`, text, { raw: true, headers });
      if (sig !== 'right' || !known) expect(r.status, `${bank} ${sig}`).to.be.oneOf([401, 404]);
    }), params());
    tally.report('callbacks');
    expect(tally.rejected, `answers: ${tally}`).to.be.greaterThan(0);
  });
});
