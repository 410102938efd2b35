/**
 * The admin API's tariff and default-limit routes. Other test files rely on the seeded
 * tariff (KES 500 costs KES 5) and limits, so every test that changes them puts the
 * originals back in `finally`.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { quoteSendMoney, sendMoney, LimitExceededError } from '../src/payments/index.js';
import { sendMoneyTariffRows } from '../seeds/02_tariffs_and_limits.js';
import { admin, adminKey } from './helpers/admin.js';
import { makeCustomer } from './helpers/customers.js';

interface Band { minAmount: number; maxAmount: number; charge: number }

/** The seeded send-money bands, as the API speaks them. */
const SEEDED: Band[] = sendMoneyTariffRows().map((r) => ({ minAmount: Number(r.min_amount), maxAmount: Number(r.max_amount), charge: Number(r.charge) }));

async function restoreTariff(key: string): Promise<void> {
  const res = await admin('PUT', '/tariffs/send_money', { key, body: { bands: SEEDED } });
  if (res.status !== 200) throw new Error(`could not restore the seeded tariff: ${JSON.stringify(res.body)}`);
}

describe('admin API: tariffs', () => {
  it('GET /admin/tariffs/send_money answers the seeded bands in cents with the currency', async () => {
    const res = await admin('GET', '/tariffs/send_money', { key: await adminKey('read') });
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ type: 'send_money', currency: 'KES', bands: SEEDED });
  });

  it('PUT /admin/tariffs/send_money with new bands changes the charge of the next send, and is audited with the bands before and after', async () => {
    const key = await adminKey('read', 'finance');
    const payer = await makeCustomer(1_000);
    const recipient = await makeCustomer();
    const bands = SEEDED.map((b) => (b.minAmount === 10_100 ? { ...b, charge: 700 } : b));
    try {
      const res = await admin('PUT', '/tariffs/send_money', { key, body: { currency: 'KES', bands } });
      const receipt = await sendMoney({ payerMsisdn: payer.msisdn, recipientMsisdn: recipient.msisdn, amount: 50_000n, pin: '1234', idempotencyKey: `test:${randomUUID()}` });
      expect(res.status).to.equal(200);
      expect(res.body.bands).to.deep.equal(bands);
      expect(receipt.charge).to.equal(700n);
      const audit = await admin('GET', '/audit?target=tariff:send_money&limit=1', { key });
      expect(audit.body.data[0].before.bands).to.deep.equal(SEEDED);
      expect(audit.body.data[0].after).to.deep.equal({ type: 'send_money', currency: 'KES', bands });
    } finally {
      await restoreTariff(key);
    }
    const restored = await quoteSendMoney(payer.msisdn, recipient.msisdn, 50_000n);
    expect(restored.charge).to.equal(500n);
  });

  const invalid: Array<{ what: string; bands: unknown; field: string }> = [
    { what: 'an empty list', bands: [], field: 'bands' },
    { what: 'a minimum of 0 cents', bands: [{ minAmount: 0, maxAmount: 100, charge: 0 }], field: 'bands.0.minAmount' },
    { what: 'a negative charge', bands: [{ minAmount: 1, maxAmount: 100, charge: -1 }], field: 'bands.0.charge' },
    { what: 'a charge that is not whole cents', bands: [{ minAmount: 1, maxAmount: 100, charge: 5.5 }], field: 'bands.0.charge' },
    { what: 'a maximum below the minimum', bands: [{ minAmount: 500, maxAmount: 100, charge: 0 }], field: 'bands.0.maxAmount' },
    { what: 'bands out of order', bands: [{ minAmount: 101, maxAmount: 200, charge: 5 }, { minAmount: 1, maxAmount: 100, charge: 0 }], field: 'bands.1.minAmount' },
    { what: 'overlapping bands', bands: [{ minAmount: 1, maxAmount: 100, charge: 0 }, { minAmount: 100, maxAmount: 200, charge: 5 }], field: 'bands.1.minAmount' },
    { what: 'a gap between bands', bands: [{ minAmount: 1, maxAmount: 100, charge: 0 }, { minAmount: 102, maxAmount: 200, charge: 5 }], field: 'bands.1.minAmount' },
    { what: 'a band with an unknown field', bands: [{ minAmount: 1, maxAmount: 100, charge: 0, percent: 1 }], field: 'bands.0.percent' },
    { what: 'a missing charge', bands: [{ minAmount: 1, maxAmount: 100 }], field: 'bands.0.charge' },
  ];
  for (const { what, bands, field } of invalid) {
    it(`PUT /admin/tariffs/send_money with ${what} answers 400 naming ${field} and changes nothing`, async () => {
      const key = await adminKey('read', 'finance');
      const auditsBefore = await db('audit_log').where({ target: 'tariff:send_money' }).count({ n: '*' }).first();
      try {
        const res = await admin('PUT', '/tariffs/send_money', { key, body: { bands } });
        expect(res.status).to.equal(400);
        expect(res.body.field).to.equal(field);
        expect((await admin('GET', '/tariffs/send_money', { key })).body.bands).to.deep.equal(SEEDED);
        const auditsAfter = await db('audit_log').where({ target: 'tariff:send_money' }).count({ n: '*' }).first();
        expect(auditsAfter!.n).to.equal(auditsBefore!.n);
      } finally {
        await restoreTariff(key);
      }
    });
  }

  it('GET /admin/tariffs/{type} with an unknown type answers 400 naming type', async () => {
    const res = await admin('GET', '/tariffs/p2p', { key: await adminKey('read') });
    expect(res.status).to.equal(400);
    expect(res.body.field).to.equal('type');
  });

  it('the seed, run again after an admin replaced the bands, leaves the admin\'s bands alone', async () => {
    const key = await adminKey('read', 'finance');
    const bands: Band[] = [{ minAmount: 1, maxAmount: 5_000_099, charge: 250 }, { minAmount: 5_000_100, maxAmount: 10_000_000, charge: 1_000 }];
    try {
      await admin('PUT', '/tariffs/send_money', { key, body: { bands } });
      await db.seed.run({ specific: '02_tariffs_and_limits.ts' });
      expect((await admin('GET', '/tariffs/send_money', { key })).body.bands).to.deep.equal(bands);
    } finally {
      await restoreTariff(key);
    }
  });
});

describe('admin API: default limits', () => {
  it('PUT /admin/limits then GET /admin/limits answers the new limits in cents, and the audit row holds before and after', async () => {
    const key = await adminKey('read', 'finance');
    const original = (await admin('GET', '/limits', { key })).body;
    const changed = { perTransaction: 6_000_000, perDay: 12_000_000, perMonth: 40_000_000, maxBalance: 45_000_000 };
    try {
      const put = await admin('PUT', '/limits', { key, body: changed });
      const got = await admin('GET', '/limits', { key });
      expect(put.status).to.equal(200);
      expect(got.body).to.include({ tier: 'default', currency: 'KES', ...changed });
      const audit = await admin('GET', '/audit?target=limits:default&limit=1', { key });
      expect(audit.body.data[0].before).to.include({ perTransaction: original.perTransaction, perDay: original.perDay });
      expect(audit.body.data[0].after).to.include(changed);
    } finally {
      const { perTransaction, perDay, perMonth, maxBalance } = original;
      await admin('PUT', '/limits', { key, body: { perTransaction, perDay, perMonth, maxBalance } });
    }
    const restored = await admin('GET', '/limits', { key });
    expect(restored.body.perTransaction).to.equal(original.perTransaction);
  });

  it('PUT /admin/limits with a lower per-transaction limit refuses the next send over it, unless the customer has their own override', async () => {
    const key = await adminKey('read', 'finance');
    const original = (await admin('GET', '/limits', { key })).body;
    const payer = await makeCustomer(1_000);
    const trader = await makeCustomer(1_000);
    const recipient = await makeCustomer();
    await admin('PUT', `/customers/${encodeURIComponent(trader.msisdn)}/limits`, { key, body: { perTransaction: 100_000, perDay: null, perMonth: null, maxBalance: null } });
    let refusal: unknown;
    try {
      await admin('PUT', '/limits', { key, body: { perTransaction: 20_000, perDay: original.perDay, perMonth: original.perMonth, maxBalance: original.maxBalance } });
      await quoteSendMoney(payer.msisdn, recipient.msisdn, 20_100n).catch((e) => { refusal = e; });
      const traderQuote = await quoteSendMoney(trader.msisdn, recipient.msisdn, 20_100n);
      expect(traderQuote.amount).to.equal(20_100n);
    } finally {
      const { perTransaction, perDay, perMonth, maxBalance } = original;
      await admin('PUT', '/limits', { key, body: { perTransaction, perDay, perMonth, maxBalance } });
    }
    expect(refusal).to.be.instanceOf(LimitExceededError);
    expect((refusal as LimitExceededError).limit).to.equal(20_000n);
  });

  it('PUT /admin/limits with a per-transaction limit above the daily one, or a float, answers 400 naming it and changes nothing', async () => {
    const key = await adminKey('read', 'finance');
    const original = (await admin('GET', '/limits', { key })).body;
    const { perDay, perMonth, maxBalance } = original;
    const above = await admin('PUT', '/limits', { key, body: { perTransaction: perDay + 1, perDay, perMonth, maxBalance } });
    const float = await admin('PUT', '/limits', { key, body: { perTransaction: 100.5, perDay, perMonth, maxBalance } });
    expect(above.status).to.equal(400);
    expect(above.body.field).to.equal('perTransaction');
    expect(float.body.field).to.equal('perTransaction');
    expect((await admin('GET', '/limits', { key })).body).to.deep.equal(original);
  });
});
