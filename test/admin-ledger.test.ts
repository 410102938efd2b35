/** The admin API's ledger routes: reads, adjustments and reversals (with their SMS). */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { db } from '../src/db/index.js';
import type { Customer } from '../src/customers/index.js';
import { displayBalance, getAccount, openAccount, reverse, systemAccount, transfer } from '../src/ledger/index.js';
import { sendMoney } from '../src/payments/index.js';
import { nationalFormat } from '../src/phone/index.js';
import { admin, adminKey } from './helpers/admin.js';
import { assertLedgerSound, fund, makeCustomer } from './helpers/customers.js';

const KES = 100n;

/** The owner-side balance of an account, in cents. */
async function balanceOf(accountId: number): Promise<bigint> {
  return displayBalance(await getAccount(db, accountId));
}

/** Sends `kes` shillings over the real Send Money use case; returns its entry id, code and charge. */
async function send(payer: Customer, recipient: Customer, kes: number) {
  const receipt = await sendMoney({
    payerMsisdn: payer.msisdn, recipientMsisdn: recipient.msisdn, amount: BigInt(kes) * KES, pin: '1234', idempotencyKey: `test:send:${randomUUID()}`,
  });
  const row = await db('journal_entries').where({ code: receipt.code }).first('id');
  return { entryId: Number(row.id), code: receipt.code, charge: receipt.charge };
}

/** A fresh Idempotency-Key header (the ledger key `admin:<header>` is global, so never reuse one across runs). */
function idem(): Record<string, string> {
  return { 'idempotency-key': `test-${randomUUID()}` };
}

async function postReversal(entryId: number, headers = idem(), key?: string) {
  return admin('POST', '/ledger/reversals', { key: key ?? (await adminKey('finance')), body: { entryId, reason: 'sent to the wrong number' }, headers });
}

describe('admin API: ledger reversals', () => {
  afterEach(assertLedgerSound);

  it('POST /admin/ledger/reversals, for a send-money transfer, gives the payer amount and charge back and takes the charge back from revenue', async () => {
    const payer = await makeCustomer(1000);
    const recipient = await makeCustomer(0);
    const sent = await send(payer, recipient, 500);
    expect(sent.charge > 0n, "a KES 500 send has a charge").to.equal(true);

    const res = await postReversal(sent.entryId);

    expect(res.status).to.equal(201);
    expect(res.body).to.include({ kind: 'reversal', amount: 50_000, currency: 'KES' });
    expect(res.body.reverses).to.deep.equal({ id: sent.entryId, code: sent.code });
    expect(await balanceOf(payer.walletAccountId)).to.equal(1000n * KES);
    expect(await balanceOf(recipient.walletAccountId)).to.equal(0n);
    const revenueLeg = res.body.postings.find((p: { accountCode: string }) => p.accountCode === 'revenue:charges');
    expect(revenueLeg.amount).to.equal(Number(sent.charge)); // a debit: revenue gives the charge back
    expect(res.body.postings.reduce((s: number, p: { amount: number }) => s + p.amount, 0)).to.equal(0);
    const original = await admin('GET', `/ledger/entries/${sent.entryId}`, { key: await adminKey('read') });
    expect(original.body.reversedBy).to.deep.equal({ id: res.body.id, code: res.body.code });
  });

  it('POST /admin/ledger/reversals, for a send-money transfer, writes an SMS to both parties in their language', async () => {
    const payer = await makeCustomer(1000, { firstName: 'Payer' });
    const recipient = await makeCustomer(0, { firstName: 'Recipient' });
    await db('customers').where({ id: recipient.id }).update({ language: 'sw' });
    const sent = await send(payer, recipient, 500);

    const res = await postReversal(sent.entryId);

    expect(res.body.smsQueued).to.equal(2);
    const rows = await db('sms_outbox').where({ journal_entry_id: res.body.id }).orderBy('id');
    expect(rows.map((r) => r.msisdn)).to.deep.equal([payer.msisdn, recipient.msisdn]);
    const total = `KES ${500n + sent.charge / KES}`;
    expect(rows[0].message).to.contain(`${res.body.code} Confirmed. Transaction ${sent.code}`).and.contain(`${total} (charge KES ${sent.charge / KES} included) returned`);
    expect(rows[0].message).to.contain('RECIPIENT CUSTOMER').and.contain('New balance KES 1,000.');
    expect(rows[1].message).to.contain(`Muamala ${sent.code} kutoka kwa PAYER CUSTOMER ${nationalFormat(payer.msisdn)} umebatilishwa`);
    expect(rows[1].message).to.contain('KES 500 imeondolewa').and.contain('Salio jipya KES 0.');
  });

  it('POST /admin/ledger/reversals, repeated with the same Idempotency-Key, returns the first answer and moves nothing more', async () => {
    const payer = await makeCustomer(1000);
    const recipient = await makeCustomer(0);
    const sent = await send(payer, recipient, 300);
    const key = await adminKey('finance');
    const headers = idem();

    const first = await postReversal(sent.entryId, headers, key);
    const again = await postReversal(sent.entryId, headers, key);

    expect(first.status).to.equal(201);
    expect(again.status).to.equal(201);
    expect(again.body).to.deep.equal(first.body);
    expect(again.headers.get('idempotent-replayed')).to.equal('true');
    expect(await db('journal_entries').where({ reverses_id: sent.entryId }).count('* as n').first()).to.deep.equal({ n: 1n });
    expect(await balanceOf(payer.walletAccountId)).to.equal(1000n * KES);
    expect(await db('sms_outbox').where({ journal_entry_id: first.body.id }).count('* as n').first()).to.deep.equal({ n: 2n });
  });

  it('POST /admin/ledger/reversals, for an entry reversed already (under another key), answers 409 and moves nothing', async () => {
    const payer = await makeCustomer(1000);
    const recipient = await makeCustomer(0);
    const sent = await send(payer, recipient, 200);
    const first = await postReversal(sent.entryId);

    const second = await postReversal(sent.entryId);

    expect(first.status).to.equal(201);
    expect(second.status).to.equal(409);
    expect(second.body.error).to.equal('already_reversed');
    expect(await balanceOf(payer.walletAccountId)).to.equal(1000n * KES);
  });

  it('POST /admin/ledger/reversals, sent twice at once under two keys, reverses once and answers the other 409', async () => {
    const payer = await makeCustomer(1000);
    const recipient = await makeCustomer(0);
    const sent = await send(payer, recipient, 200);

    const answers = await Promise.all([postReversal(sent.entryId), postReversal(sent.entryId)]);

    expect(answers.map((a) => a.status).sort()).to.deep.equal([201, 409]);
    expect(await db('journal_entries').where({ reverses_id: sent.entryId }).count('* as n').first()).to.deep.equal({ n: 1n });
    expect(await balanceOf(payer.walletAccountId)).to.equal(1000n * KES);
  });

  it('POST /admin/ledger/reversals, for an entry that is itself a reversal, answers 409', async () => {
    const payer = await makeCustomer(1000);
    const recipient = await makeCustomer(0);
    const sent = await send(payer, recipient, 200);
    const reversal = await postReversal(sent.entryId);

    const res = await postReversal(reversal.body.id);

    expect(res.status).to.equal(409);
    expect(res.body.error).to.equal('already_reversed');
    expect(await balanceOf(recipient.walletAccountId)).to.equal(0n);
  });

  it('POST /admin/ledger/reversals, when the recipient has spent the money, answers 409 and changes nothing', async () => {
    const payer = await makeCustomer(1000);
    const recipient = await makeCustomer(0);
    const third = await makeCustomer(0);
    const sent = await send(payer, recipient, 500);
    await send(recipient, third, 300);
    const payerBefore = await balanceOf(payer.walletAccountId);
    const recipientBefore = await balanceOf(recipient.walletAccountId);
    const outboxBefore = await db('sms_outbox').whereIn('msisdn', [payer.msisdn, recipient.msisdn]).count('* as n').first();

    const res = await postReversal(sent.entryId);

    expect(res.status).to.equal(409);
    expect(res.body.error).to.equal('funds_spent');
    expect(await balanceOf(payer.walletAccountId)).to.equal(payerBefore);
    expect(await balanceOf(recipient.walletAccountId)).to.equal(recipientBefore);
    expect(await db('journal_entries').where({ reverses_id: sent.entryId }).first()).to.equal(undefined);
    expect(await db('sms_outbox').whereIn('msisdn', [payer.msisdn, recipient.msisdn]).count('* as n').first()).to.deep.equal(outboxBefore);
    expect(await db('audit_log').where({ target: `journal_entry:${sent.entryId}` }).first()).to.equal(undefined);
  });

  it('POST /admin/ledger/reversals writes an audit row on the original entry with who reversed it and the balances before and after', async () => {
    const payer = await makeCustomer(1000);
    const recipient = await makeCustomer(0);
    const sent = await send(payer, recipient, 100);

    const res = await postReversal(sent.entryId);

    const audit = await admin('GET', `/audit?target=journal_entry:${sent.entryId}`, { key: await adminKey('read') });
    expect(audit.body.data).to.have.length(1);
    expect(audit.body.data[0]).to.include({ method: 'POST', route: '/ledger/reversals' });
    expect(audit.body.data[0].before.reversedBy).to.equal(null);
    expect(audit.body.data[0].after.reversedBy).to.deep.equal({ id: res.body.id, code: res.body.code });
    expect(audit.body.data[0].after.balances[`wallet:${payer.msisdn}`]).to.equal(100_000);
    expect(audit.body.data[0].before.balances[`wallet:${recipient.msisdn}`]).to.equal(10_000);
  });

  it('POST /admin/ledger/reversals, for an entry that does not exist, answers 404', async () => {
    const res = await postReversal(2_000_000_000);
    expect(res.status).to.equal(404);
  });

  it('ledger.reverse(), called again with the key of its own reversal, returns that reversal instead of refusing it', async () => {
    const a = await makeCustomer(100);
    const b = await makeCustomer(0);
    const original = await transfer({
      idempotencyKey: `t:${randomUUID()}`, kind: 'test', amount: 10n * KES,
      postings: [{ accountId: a.walletAccountId, amount: 10n * KES }, { accountId: b.walletAccountId, amount: -10n * KES }],
    });
    const key = `t:${randomUUID()}`;
    const first = await reverse(original.entryId, key);

    const again = await reverse(original.entryId, key);

    expect(again.replayed).to.equal(true);
    expect(again.entryId).to.equal(first.entryId);
    expect(await balanceOf(a.walletAccountId)).to.equal(100n * KES);
  });
});

describe('admin API: ledger adjustments', () => {
  afterEach(assertLedgerSound);

  async function postAdjustment(body: Record<string, unknown>, headers: Record<string, string> = idem(), key?: string) {
    return admin('POST', '/ledger/adjustments', { key: key ?? (await adminKey('finance')), body, headers });
  }

  it('POST /admin/ledger/adjustments, repeated with the same Idempotency-Key, moves the money once and returns the first answer', async () => {
    const customer = await makeCustomer(0);
    const opening = await systemAccount(db, 'opening');
    const body = { debitAccountId: opening.id, creditAccountId: customer.walletAccountId, amount: 25_050, reason: 'goodwill credit, ticket 42' };
    const key = await adminKey('finance');
    const headers = idem();

    const first = await postAdjustment(body, headers, key);
    const again = await postAdjustment(body, headers, key);

    expect(first.status).to.equal(201);
    expect(first.body).to.include({ kind: 'adjustment', amount: 25_050, currency: 'KES', memo: 'goodwill credit, ticket 42' });
    expect(again.body).to.deep.equal(first.body);
    expect(await balanceOf(customer.walletAccountId)).to.equal(25_050n);
    const ledgerKey = await db('idempotency_keys').where({ key: `admin:${headers['idempotency-key']}` }).first();
    expect(Number(ledgerKey.journal_entry_id)).to.equal(first.body.id);
    const audit = await db('audit_log').where({ target: `journal_entry:${first.body.id}` });
    expect(audit).to.have.length(1);
    expect(audit[0].after.balances[`wallet:${customer.msisdn}`]).to.equal(25_050);
  });

  it('POST /admin/ledger/adjustments, without an Idempotency-Key, answers 400 and moves nothing', async () => {
    const customer = await makeCustomer(0);
    const opening = await systemAccount(db, 'opening');

    const res = await postAdjustment({ debitAccountId: opening.id, creditAccountId: customer.walletAccountId, amount: 100, reason: 'no key' }, {});

    expect(res.status).to.equal(400);
    expect(res.body.reason).to.contain('Idempotency-Key');
    expect(await balanceOf(customer.walletAccountId)).to.equal(0n);
  });

  it('POST /admin/ledger/adjustments, debiting a no-overdraft wallet below zero, answers 409 and moves nothing', async () => {
    const customer = await makeCustomer(100);
    const opening = await systemAccount(db, 'opening');

    const res = await postAdjustment({ debitAccountId: customer.walletAccountId, creditAccountId: opening.id, amount: 10_001, reason: 'claw back' });

    expect(res.status).to.equal(409);
    expect(res.body.error).to.equal('insufficient_funds');
    expect(await balanceOf(customer.walletAccountId)).to.equal(100n * KES);
  });

  it('POST /admin/ledger/adjustments, with the same account on both sides, answers 400', async () => {
    const customer = await makeCustomer(100);

    const res = await postAdjustment({ debitAccountId: customer.walletAccountId, creditAccountId: customer.walletAccountId, amount: 100, reason: 'loop' });

    expect(res.status).to.equal(400);
    expect(res.body.reason).to.contain('different');
  });

  it('POST /admin/ledger/adjustments, with an amount that is not whole cents or an unknown account, answers 400 naming the field', async () => {
    const customer = await makeCustomer(100);
    const opening = await systemAccount(db, 'opening');

    const fraction = await postAdjustment({ debitAccountId: opening.id, creditAccountId: customer.walletAccountId, amount: 10.5, reason: 'shillings?' });
    const unknown = await postAdjustment({ debitAccountId: 2_000_000_000, creditAccountId: customer.walletAccountId, amount: 100, reason: 'who?' });

    expect(fraction.status).to.equal(400);
    expect(fraction.body.field).to.equal('amount');
    expect(unknown.status).to.equal(400);
    expect(unknown.body.field).to.equal('debitAccountId');
    expect(await balanceOf(customer.walletAccountId)).to.equal(100n * KES);
  });
});

describe('admin API: ledger reads', () => {
  it('GET /admin/ledger/accounts?owner=, given an MSISDN in any common form, lists that customer wallet with its balance in cents', async () => {
    const customer = await makeCustomer(250);
    const key = await adminKey('read');
    const forms = [nationalFormat(customer.msisdn), customer.msisdn.slice(1), encodeURIComponent(customer.msisdn), customer.msisdn];

    const answers = await Promise.all(forms.map((f) => admin('GET', `/ledger/accounts?owner=${f}`, { key })));

    for (const res of answers) {
      expect(res.status).to.equal(200);
      expect(res.body.data).to.have.length(1);
      expect(res.body.data[0]).to.include({ id: customer.walletAccountId, code: `wallet:${customer.msisdn}`, balance: 25_000, rawBalance: -25_000, currency: 'KES' });
    }
  });

  it('GET /admin/ledger/accounts?owner=, given an account code prefix, lists only accounts whose code starts with it', async () => {
    const res = await admin('GET', '/ledger/accounts?owner=revenue:&limit=200', { key: await adminKey('read') });

    expect(res.status).to.equal(200);
    expect(res.body.data.map((a: { code: string }) => a.code)).to.include('revenue:charges');
    for (const a of res.body.data) expect(a.code.startsWith('revenue:')).to.equal(true);
  });

  it('GET /admin/ledger/accounts?owner=, given digits that are not an MSISDN, answers 400 naming owner', async () => {
    const res = await admin('GET', '/ledger/accounts?owner=12', { key: await adminKey('read') });
    expect(res.status).to.equal(400);
    expect(res.body.field).to.equal('owner');
  });

  it('GET /admin/ledger/accounts/{id} shows the balance on the owner side beside the signed balance and normal side; an unknown id answers 404', async () => {
    const customer = await makeCustomer(75);
    const key = await adminKey('read');

    const res = await admin('GET', `/ledger/accounts/${customer.walletAccountId}`, { key });
    const missing = await admin('GET', '/ledger/accounts/2000000000', { key });
    const outOfRange = await admin('GET', '/ledger/accounts/99999999999', { key });

    expect(res.status).to.equal(200);
    expect(res.body).to.include({ balance: 7_500, rawBalance: -7_500, normalSide: 'credit', type: 'liability', noOverdraft: true, currency: 'KES' });
    expect(missing.status).to.equal(404);
    expect(outOfRange.status).to.equal(400);
  });

  it('GET /admin/ledger/accounts/{id}/postings pages newest first, each with its entry code, kind and balance after', async () => {
    const customer = await makeCustomer(100);
    const other = await makeCustomer(0);
    await fund(customer, 20);
    const sent = await send(customer, other, 50);
    const key = await adminKey('read');

    const first = await admin('GET', `/ledger/accounts/${customer.walletAccountId}/postings?limit=2`, { key });
    const second = await admin('GET', `/ledger/accounts/${customer.walletAccountId}/postings?limit=2&cursor=${first.body.nextCursor}`, { key });

    expect(first.body.data).to.have.length(2);
    expect(first.body.data[0]).to.include({ entryCode: sent.code, kind: 'p2p', amount: -Number(50n * KES + sent.charge), currency: 'KES' });
    expect(first.body.data[0].balanceAfter).to.equal(Number(await balanceOf(customer.walletAccountId)));
    expect(first.body.data[1]).to.include({ kind: 'seed', amount: 2_000, balanceAfter: 12_000 });
    expect(second.body.data).to.have.length(1);
    expect(second.body.data[0]).to.include({ kind: 'seed', amount: 10_000, balanceAfter: 10_000 });
    expect(second.body.nextCursor).to.equal(null);
  });

  it('GET /admin/ledger/entries/{id} returns the entry with postings that sum to zero, and its transaction code finds the same entry', async () => {
    const payer = await makeCustomer(1000);
    const recipient = await makeCustomer(0);
    const sent = await send(payer, recipient, 600);
    const key = await adminKey('read');

    const byId = await admin('GET', `/ledger/entries/${sent.entryId}`, { key });
    const byCode = await admin('GET', `/ledger/entries/${sent.code.toLowerCase()}`, { key });
    const missing = await admin('GET', '/ledger/entries/ZZZZZZZZZZ', { key });

    expect(byId.status).to.equal(200);
    expect(byId.body).to.include({ id: sent.entryId, code: sent.code, kind: 'p2p', amount: 60_000, currency: 'KES', reversedBy: null });
    expect(byId.body.postings.map((p: { accountCode: string }) => p.accountCode)).to.have.members([`wallet:${payer.msisdn}`, `wallet:${recipient.msisdn}`, 'revenue:charges']);
    expect(byId.body.postings.reduce((s: number, p: { amount: number }) => s + p.amount, 0)).to.equal(0);
    expect(byCode.body).to.deep.equal(byId.body);
    expect(missing.status).to.equal(404);
  });

  it('GET /admin/ledger/trial-balance answers every book, each with total 0, including a book of its own', async () => {
    const book = `test:${randomUUID()}`;
    const receivable = await openAccount(db, { code: `${book}:receivable`, name: 'fees due', type: 'asset', book });
    const income = await openAccount(db, { code: `${book}:income`, name: 'fees billed', type: 'revenue', book });
    await transfer({
      idempotencyKey: `t:${randomUUID()}`, kind: 'test', amount: 4_200n,
      postings: [{ accountId: receivable.id, amount: 4_200n }, { accountId: income.id, amount: -4_200n }],
    });

    const res = await admin('GET', '/ledger/trial-balance', { key: await adminKey('read') });

    expect(res.status).to.equal(200);
    expect(res.body).to.include({ currency: 'KES', balanced: true });
    for (const b of res.body.books) expect(b.total, b.book).to.equal(0);
    expect(res.body.books.find((b: { book: string }) => b.book === book)).to.include({ total: 0, debits: 4_200, credits: 4_200, accounts: 2 });
    expect(res.body.books.map((b: { book: string }) => b.book)).to.include('platform');
  });
});
