/**
 * Pay Bill and Buy Goods end to end: USSD hops through the real app, money in PostgreSQL,
 * merchants' validation and confirmation URLs intercepted with nock at a fake host.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import nock from 'nock';
import { db } from '../src/db/index.js';
import { displayBalance, getAccount, systemAccount } from '../src/ledger/index.js';
import { createMerchant, deliverConfirmation, payMerchant, type Merchant, type NewMerchant } from '../src/merchants/index.js';
import { Dial } from './helpers/ussd.js';
import { assertLedgerSound, makeCustomer, randomMsisdn } from './helpers/customers.js';
import { blockOutboundHttp } from './helpers/at.js';
import { MERCHANT_HOST } from './helpers/merchants.js';

const KES = 100n;

/** A merchant of its own for one test: a fresh 7-digit number and, when asked, its own URL paths. */
async function makeMerchant(spec: Partial<NewMerchant> = {}): Promise<Merchant> {
  return db.transaction((trx) => createMerchant(trx, {
    kind: 'paybill', shortCode: String(randomInt(1_000_000, 10_000_000)), name: 'Kenya Power', smsMsisdn: randomMsisdn(), ...spec,
  }));
}

const balanceOf = async (accountId: number) => displayBalance(await getAccount(db, accountId));
const revenueBalance = async () => balanceOf((await systemAccount(db, 'charges')).id);

/** Intercepts one POST to `path` at the merchant host, keeping its JSON body; answers `status` with `body`. */
function merchantAnswers(path: string, status: number, body: unknown, seen: Array<Record<string, unknown>> = [], delayMs = 0) {
  nock(MERCHANT_HOST).post(path).delay(delayMs).reply((_uri, requestBody) => {
    seen.push(requestBody as Record<string, unknown>);
    return [status, JSON.stringify(body), { 'content-type': 'application/json' }];
  });
  return seen;
}

/** Dials *384# and walks Pay Bill to the PIN; returns the last screen. */
async function payBill(phone: Dial, shortCode: string, account: string, kes: number): Promise<string> {
  return phone.typeAll('4', '1', shortCode, account, String(kes), '1', '1234');
}

describe('USSD Pay Bill and Buy Goods', () => {
  before(blockOutboundHttp);
  afterEach(async () => {
    nock.abortPendingRequests();
    nock.cleanAll();
    await assertLedgerSound();
  });
  after(() => nock.enableNetConnect());

  it('Pay Bill, when the merchant\'s validation URL accepts, names the business, posts one entry less commission and ends with the code', async () => {
    const path = `/validate/${randomUUID()}`;
    const merchant = await makeMerchant({ validationUrl: `${MERCHANT_HOST}${path}` });
    const amina = await makeCustomer(5_000, { firstName: 'Amina' });
    const revenueBefore = await revenueBalance();
    const seen = merchantAnswers(path, 200, { ResultCode: '0', ResultDesc: 'Accepted' });
    const phone = new Dial(amina.msisdn);

    await phone.open();
    expect(await phone.type('4')).to.match(/^CON Lipa na Simu\n1 Pay Bill\n2 Buy Goods/);
    expect(await phone.type('1')).to.contain('Enter business number');
    expect(await phone.type(merchant.shortCode)).to.match(/^CON Pay Kenya Power\nEnter account number/);
    expect(await phone.type('acc-4471')).to.match(/^CON Pay Kenya Power account ACC-4471\nEnter amount/);
    expect(await phone.type('1000')).to.match(/^CON Pay KES 1,000 to Kenya Power account ACC-4471\?\nCharge KES 0\n1 Confirm/);
    expect(await phone.type('1')).to.contain('Enter PIN to pay KES 1,000 to Kenya Power');
    const done = await phone.type('1234');

    expect(done).to.match(/^END [A-Z][A-Z0-9]{9} Confirmed\. KES 1,000 paid to Kenya Power for account ACC-4471\. New balance KES 4,000\. Charge KES 0\.$/);
    expect(seen).to.have.length(1);
    expect(seen[0]).to.include({
      TransactionType: 'Pay Bill', TransID: done.slice(4, 14), TransAmount: '1000.00', BusinessShortCode: merchant.shortCode, BillRefNumber: 'ACC-4471',
      InvoiceNumber: '', ThirdPartyTransID: '', FirstName: 'AMINA', MiddleName: '', LastName: 'CUSTOMER',
    });
    expect(seen[0].TransTime).to.match(/^20\d{12}$/);
    expect(seen[0].MSISDN).to.equal(`${amina.msisdn.slice(1, 5)} ***** ${amina.msisdn.slice(-3)}`);
    expect(await balanceOf(amina.walletAccountId)).to.equal(4_000n * KES);
    expect(await balanceOf(merchant.settlementAccountId)).to.equal(1_000n * KES - 500n); // 0.5 % of KES 1,000 = KES 5
    expect((await revenueBalance()) - revenueBefore).to.equal(500n);
    const entries = await db('journal_entries').where({ code: done.slice(4, 14) });
    expect(entries).to.have.length(1);
    expect(entries[0]).to.include({ kind: 'paybill', amount: 100_000n });
  });

  it('Pay Bill, when the validation URL answers C2B00012, tells the user the account number was refused, re-asks it and moves nothing', async () => {
    const path = `/validate/${randomUUID()}`;
    const merchant = await makeMerchant({ validationUrl: `${MERCHANT_HOST}${path}` });
    const brian = await makeCustomer(2_000);
    merchantAnswers(path, 200, { ResultCode: 'C2B00012', ResultDesc: 'Invalid Account Number' });
    const phone = new Dial(brian.msisdn);
    await phone.open();

    const screen = await payBill(phone, merchant.shortCode, '000000', 500);

    expect(screen).to.match(/^CON Kenya Power did not accept that account number\.\nPay Kenya Power\nEnter account number/);
    expect(await balanceOf(brian.walletAccountId)).to.equal(2_000n * KES);
    expect(await balanceOf(merchant.settlementAccountId)).to.equal(0n);
    expect(await db('sms_outbox').where({ msisdn: brian.msisdn })).to.have.length(0);
  });

  it('Pay Bill, when the validation URL answers another C2B000xx code, ends the session with the reason and moves nothing', async () => {
    const path = `/validate/${randomUUID()}`;
    const merchant = await makeMerchant({ validationUrl: `${MERCHANT_HOST}${path}` });
    const brian = await makeCustomer(2_000);
    merchantAnswers(path, 200, { ResultCode: 'C2B00014', ResultDesc: 'Invalid KYC Details' });
    const phone = new Dial(brian.msisdn);
    await phone.open();

    const screen = await payBill(phone, merchant.shortCode, '12345', 500);

    expect(screen).to.equal('END Kenya Power could not confirm your details. Nothing was paid.');
    expect(await balanceOf(brian.walletAccountId)).to.equal(2_000n * KES);
  });

  it('Pay Bill, when the validation URL does not answer within the merchant\'s deadline and its default is accept, pays', async () => {
    const path = `/validate/${randomUUID()}`;
    const merchant = await makeMerchant({ validationUrl: `${MERCHANT_HOST}${path}`, validationTimeoutMs: 200, validationDefault: 'accept' });
    const chebet = await makeCustomer(1_000);
    merchantAnswers(path, 200, { ResultCode: 'C2B00012', ResultDesc: 'too late to count' }, [], 2_000);
    const phone = new Dial(chebet.msisdn);
    await phone.open();

    const screen = await payBill(phone, merchant.shortCode, '12345', 100);

    expect(screen).to.match(/^END [A-Z0-9]{10} Confirmed\. KES 100 paid to Kenya Power/);
    expect(await balanceOf(merchant.settlementAccountId)).to.equal(100n * KES - 50n);
  });

  it('Pay Bill, when the validation URL does not answer in time and the default is reject, ends saying so and moves nothing', async () => {
    const path = `/validate/${randomUUID()}`;
    const merchant = await makeMerchant({ validationUrl: `${MERCHANT_HOST}${path}`, validationTimeoutMs: 200, validationDefault: 'reject' });
    const chebet = await makeCustomer(1_000);
    merchantAnswers(path, 200, { ResultCode: '0' }, [], 2_000);
    const phone = new Dial(chebet.msisdn);
    await phone.open();

    const screen = await payBill(phone, merchant.shortCode, '12345', 100);

    expect(screen).to.equal('END Kenya Power did not answer in time. Nothing was paid.');
    expect(await balanceOf(chebet.walletAccountId)).to.equal(1_000n * KES);
  });

  it('Buy Goods of KES 1,001 takes a commission of 501 cents (500.5 rounded half-up) from the merchant and none from the customer', async () => {
    const till = await makeMerchant({ kind: 'till', name: 'Mama Mboga Store' });
    const amina = await makeCustomer(2_000);
    const revenueBefore = await revenueBalance();
    const phone = new Dial(amina.msisdn);
    await phone.open();

    await phone.typeAll('4', '2', till.shortCode);
    const confirm = await phone.type('1001');
    const done = await phone.typeAll('1', '1234');

    expect(confirm).to.match(/^CON Pay KES 1,001 to Mama Mboga Store till \d{7}\?\nCharge KES 0\n1 Confirm/);
    expect(done).to.match(/^END [A-Z0-9]{10} Confirmed\. KES 1,001 paid to Mama Mboga Store\. New balance KES 999\. Charge KES 0\.$/);
    expect(await balanceOf(amina.walletAccountId)).to.equal(999n * KES);
    expect(await balanceOf(till.settlementAccountId)).to.equal(100_100n - 501n);
    expect((await revenueBalance()) - revenueBefore).to.equal(501n);
    const postings = await db('postings as p').join('journal_entries as e', 'e.id', 'p.journal_entry_id').where('e.code', done.slice(4, 14)).select('p.account_id', 'p.amount');
    expect(postings).to.have.length(3);
  });

  it('writes the customer\'s receipt and the merchant\'s SMS to the outbox in the payment\'s transaction', async () => {
    const till = await makeMerchant({ kind: 'till', name: 'Mama Mboga Store' });
    const amina = await makeCustomer(500, { firstName: 'Amina' });
    const phone = new Dial(amina.msisdn);
    await phone.open();

    const done = await phone.typeAll('4', '2', till.shortCode, '200', '1', '1234');
    const code = done.slice(4, 14);

    const payer = await db('sms_outbox').where({ dedupe_key: `receipt:${code}:payer` }).first();
    const notice = await db('sms_outbox').where({ dedupe_key: `receipt:${code}:merchant` }).first();
    expect(payer).to.include({ msisdn: amina.msisdn, kind: 'receipt', status: 'pending', session_id: phone.sessionId });
    expect(payer.message).to.match(new RegExp(`^${code} Confirmed\\. KES 200 paid to Mama Mboga Store on \\d\\d/\\d\\d/\\d\\d at .+\\. New balance KES 300\\. Charge KES 0\\.$`));
    expect(notice).to.include({ msisdn: till.smsMsisdn, kind: 'receipt' });
    expect(notice.message).to.match(new RegExp(`^${code} Confirmed\\. You have received KES 200 from AMINA CUSTOMER 07\\d\\d\\*\\*\\*\\d{3} on .+\\. Commission KES 1\\.$`));
  });

  it('a customer short of money is told so and nothing moves; the merchant is not asked', async () => {
    const path = `/validate/${randomUUID()}`;
    const merchant = await makeMerchant({ validationUrl: `${MERCHANT_HOST}${path}` });
    const brian = await makeCustomer(100);
    const seen = merchantAnswers(path, 200, { ResultCode: 0, ResultDesc: 'Accepted' });
    const phone = new Dial(brian.msisdn);
    await phone.open();

    const screen = await payBill(phone, merchant.shortCode, '12345', 101);

    expect(screen).to.equal('END Failed. You do not have enough money to pay KES 101 to Kenya Power. Nothing was paid.');
    expect(seen).to.have.length(0);
    expect(await balanceOf(brian.walletAccountId)).to.equal(100n * KES);
  });

  it('payMerchant() with a key that posted already returns the first payment without asking the merchant again', async () => {
    const path = `/validate/${randomUUID()}`;
    const merchant = await makeMerchant({ validationUrl: `${MERCHANT_HOST}${path}` });
    const amina = await makeCustomer(1_000);
    const seen = merchantAnswers(path, 200, { ResultCode: '0', ResultDesc: 'Accepted' }); // answers once only
    const request = { payerMsisdn: amina.msisdn, kind: 'paybill' as const, shortCode: merchant.shortCode, accountRef: 'A1', amount: 10_000n, pin: '1234', idempotencyKey: `ussd:${randomUUID()}:7` };

    const first = await payMerchant(request);
    const again = await payMerchant(request);

    expect(again).to.include({ code: first.code, replayed: true });
    expect(seen).to.have.length(1);
    expect(await db('journal_entries').where({ code: first.code })).to.have.length(1);
    expect(await balanceOf(amina.walletAccountId)).to.equal(900n * KES);
  });

  it('payMerchant() sends the merchant\'s validation URL the TransID that the entry, the receipt and the confirmation then carry', async () => {
    const id = randomUUID();
    const merchant = await makeMerchant({ validationUrl: `${MERCHANT_HOST}/validate/${id}`, confirmationUrl: `${MERCHANT_HOST}/confirm/${id}` });
    const amina = await makeCustomer(1_000);
    const validations = merchantAnswers(`/validate/${id}`, 200, { ResultCode: '0', ResultDesc: 'Accepted' });
    const confirmations = merchantAnswers(`/confirm/${id}`, 200, { ResultCode: 0, ResultDesc: 'Success' });

    const receipt = await payMerchant({
      payerMsisdn: amina.msisdn, kind: 'paybill', shortCode: merchant.shortCode, accountRef: 'A1', amount: 25_000n, pin: '1234', idempotencyKey: `ussd:${randomUUID()}:7`,
    });
    const entry = await db('journal_entries').where({ code: receipt.code }).first();
    const row = await db('merchant_confirmations').where({ journal_entry_id: entry.id }).first();
    await deliverConfirmation(db, String(row.id));

    expect(validations).to.have.length(1);
    expect(validations[0].TransID).to.match(/^[A-Z][A-Z0-9]{9}$/);
    expect(validations[0].TransID).to.equal(receipt.code);
    expect(confirmations).to.have.length(1);
    expect(confirmations[0].TransID).to.equal(receipt.code);
    const notice = await db('sms_outbox').where({ dedupe_key: `receipt:${receipt.code}:merchant` }).first();
    expect(notice.message.startsWith(`${receipt.code} Confirmed.`)).to.equal(true);
  });

  it('payMerchant() replayed under a posted key returns the first code and commission, though it chose another code and the rate changed since', async () => {
    const merchant = await makeMerchant();
    const amina = await makeCustomer(1_000);
    const request = { payerMsisdn: amina.msisdn, kind: 'paybill' as const, shortCode: merchant.shortCode, accountRef: 'A1', amount: 10_000n, pin: '1234', idempotencyKey: `ussd:${randomUUID()}:7` };

    const first = await payMerchant(request);
    await db('merchants').where({ id: merchant.id }).update({ commission_bp: 300 });
    const again = await payMerchant(request);

    expect(first.commission).to.equal(50n);
    expect(again).to.include({ code: first.code, commission: 50n, replayed: true });
    expect(await db('journal_entries').where({ code: first.code })).to.have.length(1);
    expect(await balanceOf(merchant.settlementAccountId)).to.equal(10_000n - 50n);
  });
});
