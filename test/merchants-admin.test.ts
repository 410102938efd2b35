/** The admin API's merchant routes, and the demo merchants the seeds add. */
import { randomInt } from 'node:crypto';
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { displayBalance, getAccountByCode } from '../src/ledger/index.js';
import { findMerchant, lookupMerchantName, MerchantNotFoundError } from '../src/merchants/index.js';
import { seed as seedMerchants } from '../seeds/04_merchants.js';
import { DEMO_CUSTOMERS } from '../seeds/03_demo_customers.js';
import { admin, adminKey } from './helpers/admin.js';

const newCode = () => String(randomInt(1_000_000, 10_000_000));

function merchantBody(overrides: Record<string, unknown> = {}) {
  return { kind: 'paybill', shortCode: newCode(), name: 'Nairobi Water', smsMsisdn: '0712345678', ...overrides };
}

describe('admin API: merchants', () => {
  it('POST /admin/merchants registers a paybill with its settlement account, answers 201 and is audited', async () => {
    const key = await adminKey('read', 'operate');
    const body = merchantBody({ validationUrl: 'https://merchant.example.test/v', validationDefault: 'reject', validationTimeoutMs: 2500 });

    const res = await admin('POST', '/merchants', { key, body });

    expect(res.status).to.equal(201);
    expect(res.body).to.include({
      kind: 'paybill', shortCode: body.shortCode, name: 'Nairobi Water', smsMsisdn: '+254712345678', validationUrl: 'https://merchant.example.test/v',
      confirmationUrl: null, validationDefault: 'reject', validationTimeoutMs: 2500, status: 'active',
    });
    expect(res.body.settlement).to.include({ balance: 0, currency: 'KES' });
    const account = await getAccountByCode(db, `merchant:paybill:${body.shortCode}`);
    expect(account).to.include({ id: res.body.settlement.accountId, type: 'liability', noOverdraft: true });
    const audit = await admin('GET', `/audit?target=merchant:${res.body.id}`, { key });
    expect(audit.body.data).to.have.length(1);
    expect(audit.body.data[0]).to.include({ method: 'POST', route: '/merchants' });
    expect(audit.body.data[0].after).to.include({ shortCode: body.shortCode, validationDefault: 'reject' });
  });

  it('POST /admin/merchants refuses bad input with the field at fault, a taken number with 409, and a read-only key with 403', async () => {
    const key = await adminKey('operate');
    const taken = merchantBody();
    await admin('POST', '/merchants', { key, body: taken });

    const cases = await Promise.all([
      admin('POST', '/merchants', { key, body: merchantBody({ kind: 'bank' }) }),
      admin('POST', '/merchants', { key, body: merchantBody({ shortCode: '12a45' }) }),
      admin('POST', '/merchants', { key, body: merchantBody({ validationUrl: 'http://merchant.example.test/v' }) }),
      admin('POST', '/merchants', { key, body: merchantBody({ smsMsisdn: '020123456' }) }),
      admin('POST', '/merchants', { key, body: merchantBody({ validationTimeoutMs: 60_000 }) }),
      admin('POST', '/merchants', { key, body: merchantBody({ settlementAccountId: 1 }) }),
    ]);
    const duplicate = await admin('POST', '/merchants', { key, body: taken });
    const readOnly = await admin('POST', '/merchants', { key: await adminKey('read'), body: merchantBody() });

    expect(cases.map((c) => c.status)).to.deep.equal([400, 400, 400, 400, 400, 400]);
    expect(cases.map((c) => c.body.field)).to.deep.equal(['kind', 'shortCode', 'validationUrl', 'smsMsisdn', 'validationTimeoutMs', 'settlementAccountId']);
    expect(duplicate.status).to.equal(409);
    expect(readOnly.status).to.equal(403);
  });

  it('GET /admin/merchants finds a merchant by number or name, and GET /admin/merchants/{id} shows it with its settlement balance', async () => {
    const key = await adminKey('read', 'operate');
    const created = (await admin('POST', '/merchants', { key, body: merchantBody({ kind: 'till', name: 'Kiosk Wa Baraka' }) })).body;

    const byCode = await admin('GET', `/merchants?q=${created.shortCode}`, { key });
    const byName = await admin('GET', '/merchants?q=wa%20baraka&kind=till', { key });
    const one = await admin('GET', `/merchants/${created.id}`, { key });
    const none = await admin('GET', '/merchants/2000000000', { key });

    expect(byCode.body.data.map((m: { id: number }) => m.id)).to.deep.equal([created.id]);
    expect(byName.body.data.map((m: { id: number }) => m.id)).to.include(created.id);
    expect(one.status).to.equal(200);
    expect(one.body).to.include({ id: created.id, name: 'Kiosk Wa Baraka', kind: 'till' });
    expect(none.status).to.equal(404);
  });

  it('PUT /admin/merchants/{id} changes URLs and status, is audited with before and after, and a suspended merchant takes no payments', async () => {
    const key = await adminKey('read', 'operate');
    const created = (await admin('POST', '/merchants', { key, body: merchantBody() })).body;

    const res = await admin('PUT', `/merchants/${created.id}`, { key, body: { confirmationUrl: 'https://merchant.example.test/c', status: 'suspended' } });
    const empty = await admin('PUT', `/merchants/${created.id}`, { key, body: {} });
    const lookup = await lookupMerchantName('paybill', created.shortCode).catch((e: unknown) => e);

    expect(res.status).to.equal(200);
    expect(res.body).to.include({ confirmationUrl: 'https://merchant.example.test/c', status: 'suspended', shortCode: created.shortCode });
    expect(empty.status).to.equal(400);
    expect(lookup).to.be.instanceOf(MerchantNotFoundError);
    const audit = await admin('GET', `/audit?target=merchant:${created.id}&limit=1`, { key });
    expect(audit.body.data[0]).to.include({ method: 'PUT', route: '/merchants/{id}' });
    expect(audit.body.data[0].before).to.include({ confirmationUrl: null, status: 'active' });
    expect(audit.body.data[0].after).to.include({ confirmationUrl: 'https://merchant.example.test/c', status: 'suspended' });
  });
});

describe('admin API: a merchant\'s commission and SMS language', () => {
  it('POST /admin/merchants defaults commissionBp to 50 and language to en, and takes others; GET shows them', async () => {
    const key = await adminKey('read', 'operate');

    const plain = await admin('POST', '/merchants', { key, body: merchantBody() });
    const set = await admin('POST', '/merchants', { key, body: merchantBody({ commissionBp: 100, language: 'sw' }) });
    const shown = await admin('GET', `/merchants/${set.body.id}`, { key });

    expect([plain.status, set.status]).to.deep.equal([201, 201]);
    expect(plain.body).to.include({ commissionBp: 50, language: 'en' });
    expect(set.body).to.include({ commissionBp: 100, language: 'sw' });
    expect(shown.body).to.include({ commissionBp: 100, language: 'sw' });
    expect(await findMerchant(db, 'paybill', set.body.shortCode)).to.include({ commissionBp: 100, language: 'sw' });
  });

  it('POST and PUT refuse a commissionBp that is not an integer from 0 to 1000, and a language other than en or sw, with 400 and the reason', async () => {
    const key = await adminKey('read', 'operate');
    const created = (await admin('POST', '/merchants', { key, body: merchantBody() })).body;
    const bad: unknown[] = [1001, -1, 12.5, '50', null];

    const posts = await Promise.all(bad.map((commissionBp) => admin('POST', '/merchants', { key, body: merchantBody({ commissionBp }) })));
    const puts = await Promise.all(bad.map((commissionBp) => admin('PUT', `/merchants/${created.id}`, { key, body: { commissionBp } })));
    const languages = await Promise.all([
      admin('POST', '/merchants', { key, body: merchantBody({ language: 'fr' }) }),
      admin('PUT', `/merchants/${created.id}`, { key, body: { language: 'SW' } }),
    ]);

    for (const res of [...posts, ...puts]) {
      expect(res.status).to.equal(400);
      expect(res.body).to.include({ field: 'commissionBp' });
      expect(res.body.reason).to.be.a('string').and.match(/^commissionBp: /);
    }
    expect(posts[0].body.reason).to.contain('1000');
    expect(languages.map((r) => [r.status, r.body.field])).to.deep.equal([[400, 'language'], [400, 'language']]);
    expect((await admin('GET', `/merchants/${created.id}`, { key })).body).to.include({ commissionBp: 50, language: 'en' });
  });

  it('PUT /admin/merchants/{id} changes commissionBp and language, audited before and after', async () => {
    const key = await adminKey('read', 'operate');
    const created = (await admin('POST', '/merchants', { key, body: merchantBody() })).body;

    const res = await admin('PUT', `/merchants/${created.id}`, { key, body: { commissionBp: 0, language: 'sw' } });
    const edge = await admin('PUT', `/merchants/${created.id}`, { key, body: { commissionBp: 1000 } });

    expect(res.status).to.equal(200);
    expect(res.body).to.include({ commissionBp: 0, language: 'sw' });
    expect(edge.body).to.include({ commissionBp: 1000, language: 'sw' });
    const audit = await admin('GET', `/audit?target=merchant:${created.id}&limit=2`, { key });
    expect(audit.body.data[1].before).to.include({ commissionBp: 50, language: 'en' });
    expect(audit.body.data[1].after).to.include({ commissionBp: 0, language: 'sw' });
  });
});

describe('merchant seeds', () => {
  it('add Kenya Power (paybill 888880) and Mama Mboga Store (till 555555); a second run changes nothing, nor the demo customers\' balances', async () => {
    const balances = async () => Promise.all(DEMO_CUSTOMERS.map(async (c) => displayBalance(await getAccountByCode(db, `wallet:${c.msisdn}`))));
    const before = await balances();

    await seedMerchants(db);
    const kplc = await findMerchant(db, 'paybill', '888880');
    const mboga = await findMerchant(db, 'till', '555555');

    expect(kplc).to.include({ name: 'Kenya Power', status: 'active' });
    expect(mboga).to.include({ name: 'Mama Mboga Store', status: 'active' });
    expect(await db('merchants').whereIn('short_code', ['888880', '555555'])).to.have.length(2);
    expect(await balances()).to.deep.equal(before);
  });
});
