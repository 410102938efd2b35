import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { displayBalance, getAccount } from '../src/ledger/index.js';
import { Dial } from './helpers/ussd.js';
import { makeCustomer, assertLedgerSound } from './helpers/customers.js';

describe('Race: concurrent send-money sessions from one customer', () => {
  it('20 sessions of KES 300 (charge 5) against KES 3,000: the successes fit the balance, none goes negative, the ledger holds', async () => {
    const payer = await makeCustomer(3000);
    const recipients = await Promise.all(Array.from({ length: 20 }, () => makeCustomer(0)));
    const screens = await Promise.all(recipients.map((r) => new Dial(payer.msisdn).typeAll('1', r.msisdn, '300', '1', '1234')));

    const ok = screens.filter((s) => /^END [A-Z0-9]{10} Confirmed/.test(s));
    const refused = screens.filter((s) => s.startsWith('END Failed. You do not have enough money'));
    expect(ok.length + refused.length).to.equal(20);
    expect(ok.length).to.equal(9); // 9 × 305 = 2,745 ≤ 3,000 < 10 × 305
    const left = displayBalance(await getAccount(db, payer.walletAccountId));
    expect(left).to.equal((3000n - 9n * 305n) * 100n);
    const received = await Promise.all(recipients.map(async (r) => displayBalance(await getAccount(db, r.walletAccountId))));
    expect(received.reduce((a, b) => a + b, 0n)).to.equal(9n * 300n * 100n);
    await assertLedgerSound();
  });
});
