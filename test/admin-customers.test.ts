/** The admin API's customer routes: search, the record, status, PIN unlock, per-customer limits. */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { verifyPin, CustomerInactiveError, PinLockedError, type Customer } from '../src/customers/index.js';
import { getAccount, displayBalance } from '../src/ledger/index.js';
import { sendMoney, LimitExceededError, RecipientNotFoundError } from '../src/payments/index.js';
import { admin, adminKey } from './helpers/admin.js';
import { makeCustomer } from './helpers/customers.js';
import { Dial } from './helpers/ussd.js';

const path = (c: Pick<Customer, 'msisdn'>, rest = '') => `/customers/${encodeURIComponent(c.msisdn)}${rest}`;

/** What `fn` threw (fails the test when it did not throw). */
async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a refusal');
}

async function send(from: Customer, to: Customer, kes: bigint) {
  return sendMoney({ payerMsisdn: from.msisdn, recipientMsisdn: to.msisdn, amount: kes * 100n, pin: '1234', idempotencyKey: `test:${randomUUID()}` });
}

async function walletCents(c: Customer): Promise<bigint> {
  return displayBalance(await getAccount(db, c.walletAccountId));
}

async function wrongPins(c: Customer, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await thrown(() => verifyPin(c.msisdn, '0000'));
}

describe('admin API: finding customers', () => {
  it('GET /admin/customers?q=, given the MSISDN as 07…, 7…, 2547… or +2547…, finds that one customer', async () => {
    const key = await adminKey('read');
    const customer = await makeCustomer();
    const national = customer.msisdn.slice(4);
    const forms = [`0${national}`, national, customer.msisdn.slice(1), customer.msisdn];
    for (const form of forms) {
      const res = await admin('GET', `/customers?q=${encodeURIComponent(form)}`, { key });
      expect(res.status, form).to.equal(200);
      expect(res.body.data.map((c: { msisdn: string }) => c.msisdn), form).to.deep.equal([customer.msisdn]);
    }
  });

  it('GET /admin/customers?q=, given a piece of a name in another case, finds every customer so named and no other', async () => {
    const key = await adminKey('read');
    const name = `Zawadi${randomUUID().slice(0, 8)}`;
    const first = await makeCustomer(0, { firstName: name });
    const second = await makeCustomer(0, { firstName: name });
    await makeCustomer(0, { firstName: 'Someone' });
    const byPiece = await admin('GET', `/customers?q=${encodeURIComponent(name.slice(2).toLowerCase())}`, { key });
    const byFullName = await admin('GET', `/customers?q=${encodeURIComponent(`${name.toUpperCase()} customer`)}`, { key });
    expect(byPiece.body.data.map((c: { msisdn: string }) => c.msisdn)).to.deep.equal([second.msisdn, first.msisdn]);
    expect(byFullName.body.data).to.have.length(2);
    expect(byPiece.body.data[0]).to.include({ firstName: name, lastName: 'Customer', status: 'active' });
  });

  it('GET /admin/customers?q=, given a LIKE wildcard, matches it literally', async () => {
    const key = await adminKey('read');
    await makeCustomer();
    const res = await admin('GET', `/customers?q=${encodeURIComponent('%')}`, { key });
    expect(res.status).to.equal(200);
    expect(res.body.data).to.deep.equal([]);
  });
});

describe('admin API: one customer', () => {
  it('GET /admin/customers/{msisdn}, for a funded customer with two wrong PINs, shows KYC fields, the balance in cents, the limits in force and the PIN count', async () => {
    const key = await adminKey('read');
    const customer = await makeCustomer(1_234);
    await wrongPins(customer, 2);
    const tier = await admin('GET', '/limits', { key });
    const res = await admin('GET', `/customers/0${customer.msisdn.slice(4)}`, { key });
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ msisdn: customer.msisdn, firstName: 'Test', lastName: 'Customer', status: 'active', statusReason: null });
    expect(res.body.nationalId).to.match(/^[0-9]{8}$/);
    expect(res.body.wallet).to.deep.equal({ accountId: customer.walletAccountId, balance: 123_400, currency: 'KES' });
    expect(res.body.limits.currency).to.equal('KES');
    expect(res.body.limits.inForce).to.deep.equal({ perTransaction: tier.body.perTransaction, perDay: tier.body.perDay, perMonth: tier.body.perMonth, maxBalance: tier.body.maxBalance });
    expect(res.body.limits.overrides).to.deep.equal({ perTransaction: null, perDay: null, perMonth: null, maxBalance: null });
    expect(res.body.pin).to.deep.equal({ failedAttempts: 2, lockedUntil: null, locked: false });
    expect(JSON.stringify(res.body)).not.to.contain('v1$');
  });

  it('GET /admin/customers/{msisdn}, for a number nobody holds, answers 404; for a landline, 400 naming msisdn', async () => {
    const key = await adminKey('read');
    const nobody = await admin('GET', '/customers/%2B254799999999', { key });
    const landline = await admin('GET', '/customers/0202222222', { key });
    expect(nobody.status).to.equal(404);
    expect(landline.status).to.equal(400);
    expect(landline.body.field).to.equal('msisdn');
  });
});

describe('admin API: customer status', () => {
  it('POST /admin/customers/{msisdn}/status suspended, then the customer sends, is refused, moves nothing and is audited with before and after', async () => {
    const key = await adminKey('read', 'operate');
    const payer = await makeCustomer(1_000);
    const recipient = await makeCustomer();
    const res = await admin('POST', path(payer, '/status'), { key, body: { status: 'suspended', reason: 'reported stolen phone' } });
    const refusal = await thrown(() => send(payer, recipient, 100n));
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ status: 'suspended', statusReason: 'reported stolen phone' });
    expect(refusal).to.be.instanceOf(CustomerInactiveError);
    expect(await walletCents(payer)).to.equal(100_000n);
    expect(await walletCents(recipient)).to.equal(0n);
    const audit = await admin('GET', `/audit?target=${encodeURIComponent(`customer:${payer.msisdn}`)}`, { key });
    expect(audit.body.data).to.have.length(1);
    expect(audit.body.data[0]).to.include({ method: 'POST', route: '/customers/{msisdn}/status' });
    expect(audit.body.data[0].before).to.deep.equal({ status: 'active', reason: null });
    expect(audit.body.data[0].after).to.deep.equal({ status: 'suspended', reason: 'reported stolen phone' });
  });

  it('POST /admin/customers/{msisdn}/status suspended, then someone sends to that customer, is refused; active again, the send goes through', async () => {
    const key = await adminKey('operate');
    const payer = await makeCustomer(1_000);
    const recipient = await makeCustomer();
    await admin('POST', path(recipient, '/status'), { key, body: { status: 'suspended', reason: 'KYC review' } });
    const refusal = await thrown(() => send(payer, recipient, 100n));
    const reactivated = await admin('POST', path(recipient, '/status'), { key, body: { status: 'active', reason: 'KYC complete' } });
    await send(payer, recipient, 100n);
    expect(refusal).to.be.instanceOf(RecipientNotFoundError); // to the payer, a suspended recipient is not registered
    expect(reactivated.body.status).to.equal('active');
    expect(await walletCents(recipient)).to.equal(10_000n);
  });

  it('POST /admin/customers/{msisdn}/status suspended, while the customer is at the PIN screen of a USSD send, lets the right PIN move no money', async () => {
    const key = await adminKey('operate');
    const payer = await makeCustomer(1_000);
    const recipient = await makeCustomer();
    const phone = new Dial(payer.msisdn);
    await phone.open();
    const pinScreen = await phone.typeAll('1', `0${recipient.msisdn.slice(4)}`, '100', '1');
    await admin('POST', path(payer, '/status'), { key, body: { status: 'suspended', reason: 'fraud report' } });
    const after = await phone.type('1234');
    expect(pinScreen).to.contain('PIN');
    expect(after).not.to.match(/sent/i);
    expect(await walletCents(payer)).to.equal(100_000n);
    expect(await walletCents(recipient)).to.equal(0n);
  });

  it('POST /admin/customers/{msisdn}/status with an unknown status or no reason answers 400 naming the field and changes nothing', async () => {
    const key = await adminKey('read', 'operate');
    const customer = await makeCustomer();
    const closed = await admin('POST', path(customer, '/status'), { key, body: { status: 'closed', reason: 'x' } });
    const noReason = await admin('POST', path(customer, '/status'), { key, body: { status: 'suspended' } });
    expect(closed.status).to.equal(400);
    expect(closed.body.field).to.equal('status');
    expect(noReason.body.field).to.equal('reason');
    expect((await admin('GET', path(customer), { key })).body.status).to.equal('active');
  });
});

describe('admin API: PIN unlock', () => {
  it('POST /admin/customers/{msisdn}/unlock, after three wrong PINs locked the PIN, lets the right PIN work and is audited', async () => {
    const key = await adminKey('read', 'operate');
    const customer = await makeCustomer();
    await wrongPins(customer, 3);
    const lockedView = await admin('GET', path(customer), { key });
    const whileLocked = await thrown(() => verifyPin(customer.msisdn, '1234'));
    const res = await admin('POST', path(customer, '/unlock'), { key, body: { reason: 'caller verified by ID' } });
    const verified = await verifyPin(customer.msisdn, '1234');
    expect(lockedView.body.pin.locked).to.equal(true);
    expect(lockedView.body.pin.lockedUntil).to.be.a('string');
    expect(whileLocked).to.be.instanceOf(PinLockedError);
    expect(res.status).to.equal(200);
    expect(res.body.pin).to.deep.equal({ failedAttempts: 0, lockedUntil: null, locked: false });
    expect(verified.msisdn).to.equal(customer.msisdn);
    const audit = await admin('GET', `/audit?target=${encodeURIComponent(`customer:${customer.msisdn}`)}`, { key });
    expect(audit.body.data[0].before.pin.locked).to.equal(true);
    expect(audit.body.data[0].after).to.deep.equal({ pin: { failedAttempts: 0, lockedUntil: null, locked: false }, reason: 'caller verified by ID' });
  });

  it('POST /admin/customers/{msisdn}/unlock, after two wrong PINs, clears the count so three more are needed to lock', async () => {
    const key = await adminKey('operate');
    const customer = await makeCustomer();
    await wrongPins(customer, 2);
    await admin('POST', path(customer, '/unlock'), { key });
    await wrongPins(customer, 2);
    const verified = await verifyPin(customer.msisdn, '1234');
    expect(verified.msisdn).to.equal(customer.msisdn);
  });
});

describe('admin API: per-customer limits', () => {
  it('PUT /admin/customers/{msisdn}/limits with a per-transaction override, then a send over it, is refused; cleared with null, the send goes through', async () => {
    const key = await adminKey('read', 'finance');
    const payer = await makeCustomer(5_000);
    const recipient = await makeCustomer();
    const set = await admin('PUT', path(payer, '/limits'), { key, body: { perTransaction: 100_000, perDay: null, perMonth: null, maxBalance: null } });
    const over = await thrown(() => send(payer, recipient, 1_001n));
    await send(payer, recipient, 1_000n);
    const cleared = await admin('PUT', path(payer, '/limits'), { key, body: { perTransaction: null, perDay: null, perMonth: null, maxBalance: null } });
    await send(payer, recipient, 1_001n);
    expect(set.status).to.equal(200);
    expect(set.body.inForce.perTransaction).to.equal(100_000);
    expect(set.body.overrides).to.deep.equal({ perTransaction: 100_000, perDay: null, perMonth: null, maxBalance: null });
    expect(over).to.be.instanceOf(LimitExceededError);
    expect((over as LimitExceededError).limitName).to.equal('per_transaction');
    expect(cleared.body.overrides.perTransaction).to.equal(null);
    expect(await walletCents(recipient)).to.equal(200_100n);
    expect(await db('customer_limits').where({ customer_id: payer.id }).first()).to.equal(undefined);
  });

  it('PUT /admin/customers/{msisdn}/limits with a maximum balance for the recipient refuses a send that would take them over it', async () => {
    const key = await adminKey('finance');
    const payer = await makeCustomer(5_000);
    const recipient = await makeCustomer(100);
    await admin('PUT', path(recipient, '/limits'), { key, body: { perTransaction: null, perDay: null, perMonth: null, maxBalance: 50_000 } });
    const over = await thrown(() => send(payer, recipient, 401n));
    await send(payer, recipient, 400n);
    expect((over as LimitExceededError).limitName).to.equal('max_balance');
    expect(await walletCents(recipient)).to.equal(50_000n);
  });

  it('PUT /admin/customers/{msisdn}/limits with a daily override, then sends adding up over it, refuses the one that crosses it', async () => {
    const key = await adminKey('finance');
    const payer = await makeCustomer(5_000);
    const recipient = await makeCustomer();
    await admin('PUT', path(payer, '/limits'), { key, body: { perTransaction: 30_000, perDay: 50_000, perMonth: null, maxBalance: null } });
    await send(payer, recipient, 300n);
    const over = await thrown(() => send(payer, recipient, 201n));
    expect((over as LimitExceededError).limitName).to.equal('per_day');
    expect(await walletCents(recipient)).to.equal(30_000n);
  });

  it('PUT /admin/customers/{msisdn}/limits with a per-transaction above the per-day in force, or a missing field, answers 400 naming it and changes nothing', async () => {
    const key = await adminKey('read', 'finance');
    const customer = await makeCustomer();
    const tier = await admin('GET', '/limits', { key });
    const aboveDay = await admin('PUT', path(customer, '/limits'), { key, body: { perTransaction: tier.body.perDay + 1, perDay: null, perMonth: null, maxBalance: null } });
    const missing = await admin('PUT', path(customer, '/limits'), { key, body: { perTransaction: 100 } });
    const negative = await admin('PUT', path(customer, '/limits'), { key, body: { perTransaction: -1, perDay: null, perMonth: null, maxBalance: null } });
    expect(aboveDay.status).to.equal(400);
    expect(aboveDay.body.field).to.equal('perTransaction');
    expect(missing.body.field).to.equal('perDay');
    expect(negative.body.field).to.equal('perTransaction');
    expect((await admin('GET', path(customer), { key })).body.limits.overrides.perTransaction).to.equal(null);
    expect(await db('audit_log').where({ target: `customer:${customer.msisdn}` }).first()).to.equal(undefined);
  });
});
