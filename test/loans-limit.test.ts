/**
 * Loan limits from ledger history (src/loans/limit.ts): 20 % of the average monthly inflow
 * over 90 days, rounded down to KES 100, capped by the product; zero with an overdue loan,
 * and why. History is back-dated through the ledger's `effectiveAt` (seeds and imports only).
 */
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { displayBalance, getAccount, reverse, findEntryByCode, transfer, systemAccount } from '../src/ledger/index.js';
import { findCustomer } from '../src/customers/index.js';
import { addDays, disburseLoan, findProductByCode, inflowOf, loanLimit, nairobiDay, LoanProductNotFoundError } from '../src/loans/index.js';
import { aminaHistory, seed as seedLoans } from '../seeds/07_loans.js';
import { makeCustomer, assertLedgerSound } from './helpers/customers.js';
import { SIMU_ADVANCE, BIASHARA, loanKey, makeProduct, pastFlow } from './helpers/loans.js';

describe('loans: limit from 90 days of inflow', () => {
  afterEach(assertLedgerSound);

  it('the seeded Amina has a Simu Advance limit of at least KES 1,000 and a balance of exactly KES 10,000', async () => {
    const amina = (await findCustomer('+254700000001', db))!;
    expect(displayBalance(await getAccount(db, amina.walletAccountId))).to.equal(1_000_000n);
    const advance = await loanLimit(db, amina.id, 'advance');
    expect(advance.reason).to.equal(null);
    expect(advance.limit >= 100_000n, `limit ${advance.limit}`).to.equal(true);
    expect(advance.limit % 10_000n).to.equal(0n);
    // Her history runs against outside rails only: no entry of hers touches another customer's wallet.
    const { rows } = await db.raw(
      `SELECT count(*)::int AS n FROM postings p JOIN postings q ON q.journal_entry_id = p.journal_entry_id AND q.account_id <> p.account_id
         JOIN customers c ON c.wallet_account_id = q.account_id JOIN journal_entries e ON e.id = p.journal_entry_id
        WHERE p.account_id = ? AND e.kind = 'import'`, [amina.walletAccountId]);
    expect(rows[0].n).to.equal(0);
  });

  it('seeding again moves nothing: the products and the 45 history entries are there once, Amina still holds KES 10,000', async () => {
    const amina = (await findCustomer('+254700000001', db))!;
    const history = () => db('journal_entries').where('kind', 'import').whereRaw("metadata->>'history' = 'true'").count<{ n: string }[]>('* as n');
    const [before] = await history();
    await seedLoans(db);
    const [after] = await history();
    expect(Number(after.n)).to.equal(Number(before.n));
    expect(Number(after.n)).to.equal(aminaHistory().length);
    expect(aminaHistory().reduce((s, l) => s + l.kes, 0n)).to.equal(0n);
    expect(displayBalance(await getAccount(db, amina.walletAccountId))).to.equal(1_000_000n);
    expect((await findProductByCode(db, 'advance'))).to.include({ name: 'Simu Advance', sweep: true, feeBp: 750, penaltyBp: 500, penaltyGraceDays: 3 });
    expect((await findProductByCode(db, 'biashara'))).to.include({ name: 'Biashara Loan', sweep: false, installments: 3, interestMethod: 'declining', rateBp: 400 });
  });

  it('is 20 % of the average month, rounded down to KES 100: KES 31,234.56 in 90 days gives KES 2,000', async () => {
    const product = await makeProduct(SIMU_ADVANCE);
    const c = await makeCustomer(0);
    const now = new Date();
    for (const [days, kes] of [[5, 10_000], [35, 10_000], [65, 10_000], [80, 1_234.56]] as const) await pastFlow(c.walletAccountId, days, kes, now);
    await pastFlow(c.walletAccountId, 3, -5_000, now); // outflows do not lower inflow
    const l = await loanLimit(db, c.id, product.code, now);
    expect(l.inflow).to.equal(3_123_456n);
    expect(l.monthlyInflow).to.equal(1_041_152n);
    // 31,234.56 / 3 × 20 % = 2,082.30 → 2,000.
    expect(l).to.include({ limit: 200_000n, reason: null });
  });

  it('counts only the last 90 days, and not opening funds, loan disbursements, reversals or reversed inflows', async () => {
    const product = await makeProduct(SIMU_ADVANCE);
    const c = await makeCustomer(1_000); // opening funds (kind seed): not inflow
    const now = new Date(Date.now() + 60_000);
    await pastFlow(c.walletAccountId, 95, 90_000, now); // too old
    await pastFlow(c.walletAccountId, 10, 15_000, now);
    const taken = await pastFlow(c.walletAccountId, 9, 6_000, now);
    await reverse(taken, loanKey('rev-in'));  // an inflow taken back
    const out = await pastFlow(c.walletAccountId, 8, -500, now);
    await reverse(out, loanKey('rev-out')); // a refund of an outflow: a credit, not inflow
    await disburseLoan(db, { customerId: c.id, productCode: product.code, principal: 50_000n, idempotencyKey: loanKey('d') });
    expect(await inflowOf(db, c.walletAccountId, now)).to.equal(1_500_000n);
    const l = await loanLimit(db, c.id, product.code, now);
    expect(l).to.include({ limit: 100_000n, reason: null });
    expect(l.outstanding).to.equal(53_750n); // KES 500 + 7.5 % fee still owed on this product
  });

  it('a payment received from another customer is inflow', async () => {
    const product = await makeProduct(SIMU_ADVANCE);
    const [payer, c] = [await makeCustomer(20_000), await makeCustomer(0)];
    await transfer({
      idempotencyKey: loanKey('p2p'), kind: 'p2p', amount: 1_500_000n,
      postings: [{ accountId: payer.walletAccountId, amount: 1_500_000n }, { accountId: c.walletAccountId, amount: -1_500_000n }],
    });
    expect(await loanLimit(db, c.id, product.code, new Date(Date.now() + 60_000))).to.include({ limit: 100_000n, reason: null });
  });

  it("is capped by the product's maximum", async () => {
    const product = await makeProduct(SIMU_ADVANCE, { principalMax: 500_000n });
    const c = await makeCustomer(0);
    for (const days of [10, 40, 70]) await pastFlow(c.walletAccountId, days, 100_000);
    expect(await loanLimit(db, c.id, product.code)).to.include({ limit: 500_000n, reason: null });
  });

  it('is zero with a reason: no history, below the minimum, an overdue loan', async () => {
    const advance = await makeProduct(SIMU_ADVANCE);
    const biashara = await makeProduct(BIASHARA); // minimum KES 1,000
    const fresh = await makeCustomer(5_000);
    expect(await loanLimit(db, fresh.id, advance.code)).to.include({ limit: 0n, reason: 'no_history' });

    const small = await makeCustomer(0);
    await pastFlow(small.walletAccountId, 10, 6_000); // 6,000 / 15 = 400: fine for Advance, below Biashara's 1,000
    expect(await loanLimit(db, small.id, advance.code)).to.include({ limit: 40_000n, reason: null });
    expect(await loanLimit(db, small.id, biashara.code)).to.include({ limit: 0n, reason: 'below_minimum' });

    const late = await makeCustomer(0);
    for (const days of [10, 40, 70]) await pastFlow(late.walletAccountId, days, 10_000);
    expect((await loanLimit(db, late.id, biashara.code)).limit).to.equal(200_000n);
    // A 30-day advance taken 40 days ago is 10 days past due (not yet marked overdue by the daily run).
    await disburseLoan(db, { customerId: late.id, productCode: advance.code, principal: 20_000n, idempotencyKey: loanKey('late'), on: addDays(nairobiDay(), -40) });
    const l = await loanLimit(db, late.id, biashara.code);
    expect(l).to.include({ limit: 0n, reason: 'overdue_loan' });
    expect(l.inflow).to.equal(3_000_000n);
  });

  it('refuses an unknown product', async () => {
    const c = await makeCustomer(0);
    const err = await loanLimit(db, c.id, 'no-such-product').then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(LoanProductNotFoundError);
  });

  it("a back-dated entry keeps the effective date on the entry and its postings; it is not part of the key's fingerprint", async () => {
    const c = await makeCustomer(0);
    const mpesa = await systemAccount(db, 'mpesa');
    const key = loanKey('eff');
    const at = new Date('2026-09-01T07:00:00.000Z');
    const req = { idempotencyKey: key, kind: 'import', amount: 10_000n, postings: [{ accountId: mpesa.id, amount: 10_000n }, { accountId: c.walletAccountId, amount: -10_000n }] };
    const first = await transfer({ ...req, effectiveAt: at });
    expect(first.createdAt.toISOString()).to.equal(at.toISOString());
    const entry = await findEntryByCode(db, first.code);
    expect(entry?.createdAt.toISOString()).to.equal(at.toISOString());
    const legs = await db('postings').where({ journal_entry_id: first.entryId }).pluck('created_at');
    expect(legs.map((d: Date) => d.toISOString())).to.deep.equal([at.toISOString(), at.toISOString()]);
    const again = await transfer({ ...req, effectiveAt: new Date('2026-09-02T07:00:00.000Z') });
    expect(again).to.include({ replayed: true, entryId: first.entryId });
    expect(displayBalance(await getAccount(db, c.walletAccountId))).to.equal(10_000n);
  });
});
