/** transfer() with a transaction code the caller chose (a Lipa payment shows it to the merchant before posting). */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import {
  transfer, displayBalance, getAccount, isTransactionCode, newTransactionCode, entryIdForKey, InvalidEntryError, TransactionCodeTakenError,
} from '../src/ledger/index.js';
import { assertLedgerSound, makeCustomer } from './helpers/customers.js';

function move(key: string, fromId: number, toId: number, cents: bigint, code?: string) {
  return {
    idempotencyKey: key, kind: 'test', amount: cents, ...(code === undefined ? {} : { code }),
    postings: [{ accountId: fromId, amount: cents }, { accountId: toId, amount: -cents }],
  };
}

const balanceOf = async (accountId: number) => displayBalance(await getAccount(db, accountId));

describe('ledger.transfer() with a caller-chosen code', () => {
  afterEach(assertLedgerSound);

  it('isTransactionCode() knows the shape newTransactionCode() makes', () => {
    const made = Array.from({ length: 200 }, newTransactionCode);

    expect(made.every(isTransactionCode)).to.equal(true);
    expect(['SKL4Q2M7XP', 'A000000000'].map(isTransactionCode)).to.deep.equal([true, true]);
    expect(['1KL4Q2M7XP', 'skl4q2m7xp', 'SKL4Q2M7X', 'SKL4Q2M7XPZ', 'SKL4Q2-7XP', '', 42].map(isTransactionCode)).to.deep.equal([false, false, false, false, false, false, false]);
  });

  it('posts the entry under the code it is given', async () => {
    const a = await makeCustomer(100);
    const b = await makeCustomer(0);
    const code = newTransactionCode();

    const result = await transfer(move(`t:${randomUUID()}`, a.walletAccountId, b.walletAccountId, 2_500n, code));

    expect(result.code).to.equal(code);
    expect(await db('journal_entries').where({ code }).first()).to.include({ id: result.entryId });
  });

  it('refuses a code of the wrong shape with InvalidEntryError, before anything is written', async () => {
    const a = await makeCustomer(100);
    const b = await makeCustomer(0);
    const key = `t:${randomUUID()}`;

    const errors = await Promise.all(['skl4q2m7xp', '1KL4Q2M7XP', 'SKL4Q2M7X', ''].map((code) => transfer(move(key, a.walletAccountId, b.walletAccountId, 100n, code)).catch((e: unknown) => e)));

    for (const e of errors) expect(e).to.be.instanceOf(InvalidEntryError);
    expect(await entryIdForKey(db, key)).to.equal(null);
    expect(await balanceOf(a.walletAccountId)).to.equal(10_000n);
  });

  it('refuses a code another entry holds with TransactionCodeTakenError, moves nothing and leaves the key free', async () => {
    const a = await makeCustomer(100);
    const b = await makeCustomer(0);
    const taken = (await transfer(move(`t:${randomUUID()}`, a.walletAccountId, b.walletAccountId, 100n))).code;
    const key = `t:${randomUUID()}`;

    const error = await transfer(move(key, a.walletAccountId, b.walletAccountId, 200n, taken)).catch((e: unknown) => e);
    const retried = await transfer(move(key, a.walletAccountId, b.walletAccountId, 200n, newTransactionCode()));

    expect(error).to.be.instanceOf(TransactionCodeTakenError);
    expect(await db('journal_entries').where({ code: taken })).to.have.length(1);
    expect(retried.replayed).to.equal(false);
    expect(await balanceOf(b.walletAccountId)).to.equal(300n);
  });

  it('a replay under the same key returns the first entry and its code, whatever code the replay carries', async () => {
    const a = await makeCustomer(100);
    const b = await makeCustomer(0);
    const key = `t:${randomUUID()}`;
    const code = newTransactionCode();

    const first = await transfer(move(key, a.walletAccountId, b.walletAccountId, 700n, code));
    const again = await transfer(move(key, a.walletAccountId, b.walletAccountId, 700n, newTransactionCode()));
    const plain = await transfer(move(key, a.walletAccountId, b.walletAccountId, 700n));

    expect([first.code, again.code, plain.code]).to.deep.equal([code, code, code]);
    expect([again.replayed, plain.replayed]).to.deep.equal([true, true]);
    expect(await balanceOf(b.walletAccountId)).to.equal(700n);
  });
});
