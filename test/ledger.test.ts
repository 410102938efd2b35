import { expect } from 'chai';
import { db } from '../src/db/index.js';
import {
  transfer, reverse, getAccount, displayBalance, systemAccount, InsufficientFundsError, IdempotencyConflictError,
  InvalidEntryError, AlreadyReversedError, openAccount,
} from '../src/ledger/index.js';
import { makeCustomer, assertLedgerSound } from './helpers/customers.js';
import { randomUUID } from 'node:crypto';

const KES = 100n;

function p2p(key: string, fromId: number, toId: number, kes: bigint) {
  return {
    idempotencyKey: key,
    kind: 'test',
    amount: kes * KES,
    postings: [
      { accountId: fromId, amount: kes * KES },
      { accountId: toId, amount: -kes * KES },
    ],
  };
}

async function walletBalance(accountId: number): Promise<bigint> {
  return displayBalance(await getAccount(db, accountId));
}

describe('ledger.transfer()', () => {
  afterEach(assertLedgerSound);

  it('when the payer has the money, moves it and writes one balanced entry with a transaction code', async () => {
    const a = await makeCustomer(1000);
    const b = await makeCustomer(0);
    const result = await transfer(p2p(`t:${randomUUID()}`, a.walletAccountId, b.walletAccountId, 300n));
    expect(result.code).to.match(/^[A-Z][A-Z0-9]{9}$/);
    expect(result.replayed).to.equal(false);
    expect(await walletBalance(a.walletAccountId)).to.equal(700n * KES);
    expect(await walletBalance(b.walletAccountId)).to.equal(300n * KES);
    const legs = await db('postings').where({ journal_entry_id: result.entryId });
    expect(legs).to.have.length(2);
  });

  it('when called twice with one key and one request, returns the first result and moves nothing more', async () => {
    const a = await makeCustomer(1000);
    const b = await makeCustomer(0);
    const key = `t:${randomUUID()}`;
    const first = await transfer(p2p(key, a.walletAccountId, b.walletAccountId, 100n));
    const second = await transfer(p2p(key, a.walletAccountId, b.walletAccountId, 100n));
    expect(second.replayed).to.equal(true);
    expect(second.code).to.equal(first.code);
    expect(await walletBalance(b.walletAccountId)).to.equal(100n * KES);
  });

  it('when the same key comes with a different request, refuses it', async () => {
    const a = await makeCustomer(1000);
    const b = await makeCustomer(0);
    const key = `t:${randomUUID()}`;
    await transfer(p2p(key, a.walletAccountId, b.walletAccountId, 100n));
    let error: unknown;
    try { await transfer(p2p(key, a.walletAccountId, b.walletAccountId, 200n)); } catch (e) { error = e; }
    expect(error).to.be.instanceOf(IdempotencyConflictError);
    expect(await walletBalance(b.walletAccountId)).to.equal(100n * KES);
  });

  it('when concurrent calls share one key, moves the money once', async () => {
    const a = await makeCustomer(1000);
    const b = await makeCustomer(0);
    const key = `t:${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 8 }, () => transfer(p2p(key, a.walletAccountId, b.walletAccountId, 50n))));
    expect(new Set(results.map((r) => r.code)).size).to.equal(1);
    expect(results.filter((r) => !r.replayed)).to.have.length(1);
    expect(await walletBalance(b.walletAccountId)).to.equal(50n * KES);
  });

  it('when the payer is short, throws InsufficientFundsError and writes nothing', async () => {
    const a = await makeCustomer(100);
    const b = await makeCustomer(0);
    const key = `t:${randomUUID()}`;
    let error: unknown;
    try { await transfer(p2p(key, a.walletAccountId, b.walletAccountId, 101n)); } catch (e) { error = e; }
    expect(error).to.be.instanceOf(InsufficientFundsError);
    expect(await walletBalance(a.walletAccountId)).to.equal(100n * KES);
    expect(await db('idempotency_keys').where({ key }).first()).to.equal(undefined);
  });

  it('when postings do not sum to zero, throws InvalidEntryError', async () => {
    const a = await makeCustomer(100);
    let error: unknown;
    try {
      await transfer({ idempotencyKey: `t:${randomUUID()}`, kind: 'test', amount: 1n, postings: [{ accountId: a.walletAccountId, amount: 1n }, { accountId: 1, amount: -2n }] });
    } catch (e) { error = e; }
    expect(error).to.be.instanceOf(InvalidEntryError);
  });

  it('when an entry would not balance within a book, refuses it', async () => {
    const a = await makeCustomer(100);
    const other = await openAccount(db, { code: `test:school:${randomUUID()}`, name: 'receivables', type: 'asset', book: `school:${randomUUID()}` });
    let error: unknown;
    try { await transfer(p2p(`t:${randomUUID()}`, a.walletAccountId, other.id, 10n)); } catch (e) { error = e; }
    expect(error).to.be.instanceOf(InvalidEntryError);
  });

  it('the database itself refuses a balance below zero on a no-overdraft account', async () => {
    const a = await makeCustomer(10);
    let error: { code?: string } | undefined;
    try { await db('accounts').where({ id: a.walletAccountId }).update({ balance: 1n }); } catch (e) { error = e as { code?: string }; }
    expect(error?.code).to.equal('23514');
  });
});

describe('ledger.reverse()', () => {
  afterEach(assertLedgerSound);

  it('compensates an entry with one pointing at it, and refuses a second reversal', async () => {
    const a = await makeCustomer(500);
    const b = await makeCustomer(0);
    const original = await transfer(p2p(`t:${randomUUID()}`, a.walletAccountId, b.walletAccountId, 200n));
    const reversal = await reverse(original.entryId, `t:${randomUUID()}`);
    expect(await walletBalance(a.walletAccountId)).to.equal(500n * KES);
    const row = await db('journal_entries').where({ id: reversal.entryId }).first();
    expect(row.reverses_id).to.equal(original.entryId);
    let error: unknown;
    try { await reverse(original.entryId, `t:${randomUUID()}`); } catch (e) { error = e; }
    expect(error).to.be.instanceOf(AlreadyReversedError);
  });

  it('system accounts exist after seeding', async () => {
    const charges = await systemAccount(db, 'charges');
    expect(charges.code).to.equal('revenue:charges');
  });
});
