/** The admin loan routes: a customer's loans, a loan's statement, and the write-off after 90 days overdue. */
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { disburseLoan, nairobiDay } from '../src/loans/index.js';
import { getAccount } from '../src/ledger/index.js';
import { admin, adminKey } from './helpers/admin.js';
import { assertLedgerSound, makeCustomer } from './helpers/customers.js';
import { loanKey, makeProduct, SIMU_ADVANCE } from './helpers/loans.js';

const KES = 100n;
const daysAgo = (n: number) => nairobiDay(new Date(Date.now() - n * 24 * 60 * 60 * 1000));

/** A KES 1,000 Simu Advance (fee 75, due 30 days after `on`) to a fresh customer. */
async function advanceOn(on: string) {
  const customer = await makeCustomer(0);
  const product = await makeProduct(SIMU_ADVANCE);
  const { loan } = await disburseLoan(db, { customerId: customer.id, productCode: product.code, principal: 1_000n * KES, idempotencyKey: loanKey('admin'), on });
  return { customer, loan };
}

describe('admin: loans', () => {
  afterEach(assertLedgerSound);

  it('shows a customer\'s loans and a loan\'s statement, in cents with the currency', async () => {
    const key = await adminKey('read');
    const { customer, loan } = await advanceOn(daysAgo(0));
    const list = await admin('GET', `/customers/${customer.id}/loans`, { key });
    expect(list.status).to.equal(200);
    expect(list.body.data.map((l: { loanId: number; status: string }) => [l.loanId, l.status])).to.deep.equal([[Number(loan.id), 'active']]);
    const one = await admin('GET', `/loans/${loan.id}`, { key });
    expect(one.status).to.equal(200);
    expect(one.body).to.include({ status: 'active', principal: 100_000, payoff: 107_500, currency: 'KES' });
    expect(one.body.outstanding).to.deep.equal({ principal: 100_000, interest: 0, fee: 7_500, penalty: 0, total: 107_500 });
    expect((await admin('GET', '/loans/999999999', { key })).status).to.equal(404);
  });

  it('writes off a loan overdue 90+ days (once; audited), refuses a younger one with 409 and a read key with 403', async () => {
    const finance = await adminKey('finance', 'read');
    const old = await advanceOn(daysAgo(125)); // due 95 days ago
    const young = await advanceOn(daysAgo(60)); // due 30 days ago
    expect((await admin('POST', `/loans/${old.loan.id}/write-off`, { key: await adminKey('read'), body: { reason: 'gone' } })).status).to.equal(403);
    const refused = await admin('POST', `/loans/${young.loan.id}/write-off`, { key: finance, body: { reason: 'customer unreachable' } });
    expect(refused.status).to.equal(409);
    expect(refused.body.error).to.equal('write_off_too_early');
    const before = (await admin('GET', `/loans/${old.loan.id}`, { key: finance })).body.outstanding.total;
    const done = await admin('POST', `/loans/${old.loan.id}/write-off`, { key: finance, body: { reason: 'customer unreachable for 3 months' } });
    expect(done.status).to.equal(200);
    expect(done.body).to.include({ amount: before, replayed: false, currency: 'KES' });
    expect((await getAccount(db, old.loan.receivableAccountId)).balance).to.equal(0n);
    const again = await admin('POST', `/loans/${old.loan.id}/write-off`, { key: finance, body: { reason: 'again' } });
    expect(again.body).to.include({ replayed: true, code: done.body.code });
    expect((await admin('GET', `/loans/${old.loan.id}`, { key: finance })).body).to.include({ status: 'written_off', writtenOff: before });
    const audit = (await admin('GET', `/audit?target=loan:${old.loan.id}`, { key: finance })).body.data;
    expect(audit[0].after).to.include({ status: 'written_off', code: done.body.code });
  });
});
