/**
 * The sweep (src/loans/sweep.ts): money arriving in the wallet of a customer with an overdue
 * swept loan repays it first, up to what is overdue, in the arrival's transaction, with an
 * SMS — at every place money arrives (send-money, M-Pesa C2B, bank, agent deposit,
 * suspense allocation) — and races a send-money out of the same wallet safely.
 */
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { displayBalance, getAccount } from '../src/ledger/index.js';
import type { Customer } from '../src/customers/index.js';
import { sendMoney } from '../src/payments/index.js';
import { creditReceipt } from '../src/mpesa/c2b.js';
import { allocateReceipt } from '../src/mpesa/receipts.js';
import { allocateBankPayment, receiveBankPayment } from '../src/banks/index.js';
import { depositCash } from '../src/agents/index.js';
import { addDays, disburseLoan, loanStatement, nairobiDay, type LoanProduct } from '../src/loans/index.js';
import { makeCustomer, assertLedgerSound } from './helpers/customers.js';
import { makeAgent } from './helpers/agents.js';
import { newTransId } from './helpers/mpesa.js';
import { bankTxId } from './helpers/banks.js';
import { BIASHARA, SIMU_ADVANCE, assertReceivableMatches, loanKey, makeProduct } from './helpers/loans.js';

const KES = 100n;
const wallet = async (c: { walletAccountId: number }) => displayBalance(await getAccount(db, c.walletAccountId));
const sweepSmsOf = (msisdn: string) => db('sms_outbox').where({ msisdn }).where('dedupe_key', 'like', 'loan:sweep:%').select('message', 'kind');
const repaymentsOf = (loanId: bigint) => db('loan_repayments').where({ loan_id: loanId }).where('idempotency_key', 'like', 'sweep:%').select('amount');

/** A customer holding the KES 1,000 of a Simu Advance taken 40 days ago: KES 1,075 overdue for 10 days. */
async function overdueBorrower(product?: LoanProduct): Promise<{ customer: Customer; loanId: bigint }> {
  const p = product ?? (await makeProduct(SIMU_ADVANCE));
  const customer = await makeCustomer(0);
  const d = await disburseLoan(db, { customerId: customer.id, productCode: p.code, principal: 1_000n * KES, idempotencyKey: loanKey('d'), on: addDays(nairobiDay(), -40) });
  return { customer, loanId: d.loan.id };
}

const c2b = (customer: Customer, amount: bigint, transId = newTransId()) => ({
  transId, amount, shortCode: process.env.MPESA_SHORTCODE!, billRef: customer.msisdn, msisdn: 'hashed', payload: {}, kind: 'c2b' as const,
});

describe('loans: the sweep', () => {
  afterEach(assertLedgerSound);

  it('money sent to a borrower with an overdue Advance repays it first, in the same transaction, with an SMS', async () => {
    const { customer, loanId } = await overdueBorrower();
    const payer = await makeCustomer(2_000);
    const key = loanKey('p2p');
    const receipt = await sendMoney({ payerMsisdn: payer.msisdn, recipientMsisdn: customer.msisdn, amount: 500n * KES, pin: '1234', idempotencyKey: key });
    expect(await wallet(customer)).to.equal(1_000n * KES); // 1,000 + 500 arrived − 500 swept
    expect((await repaymentsOf(loanId)).map((r) => r.amount)).to.deep.equal([50_000n]);
    const s = await loanStatement(db, loanId);
    expect(s.overdue.amount).to.equal(57_500n);
    expect(await assertReceivableMatches(loanId, new Date())).to.equal(57_500n);
    const sms = await sweepSmsOf(customer.msisdn);
    expect(sms).to.have.length(1);
    expect(sms[0].kind).to.equal('receipt');
    expect(sms[0].message).to.contain('KES 500').and.to.contain('overdue').and.to.contain('Loan balance KES 575');
    // A retry of the same send (same key) moves nothing and sweeps nothing more.
    const again = await sendMoney({ payerMsisdn: payer.msisdn, recipientMsisdn: customer.msisdn, amount: 500n * KES, pin: '1234', idempotencyKey: key });
    expect(again).to.include({ replayed: true, code: receipt.code });
    expect(await repaymentsOf(loanId)).to.have.length(1);
    expect(await wallet(customer)).to.equal(1_000n * KES);
  });

  it('an M-Pesa top-up larger than the overdue amount sweeps only what is overdue, and a replay sweeps nothing', async () => {
    const { customer, loanId } = await overdueBorrower();
    const receipt = c2b(customer, 2_000n * KES);
    expect(await creditReceipt(receipt, customer)).to.include({ status: 'posted', replayed: false });
    expect(await wallet(customer)).to.equal(1_925n * KES); // 1,000 + 2,000 − 1,075
    expect((await loanStatement(db, loanId)).status).to.equal('repaid');
    expect(await creditReceipt(receipt, customer)).to.include({ replayed: true });
    expect(await wallet(customer)).to.equal(1_925n * KES);
    expect(await repaymentsOf(loanId)).to.have.length(1);
    expect(await assertReceivableMatches(loanId, new Date())).to.equal(0n);
  });

  it('an arrival with no overdue swept loan moves nothing extra (no loan, a loan not yet due, an overdue loan that does not sweep)', async () => {
    const advance = await makeProduct(SIMU_ADVANCE);
    const noSweep = await makeProduct(BIASHARA);
    const none = await makeCustomer(0);
    const current = await makeCustomer(0);
    const cur = await disburseLoan(db, { customerId: current.id, productCode: advance.code, principal: 1_000n * KES, idempotencyKey: loanKey('d') });
    const { customer: biz, loanId: bizLoan } = await overdueBorrower(noSweep);
    for (const [c, start] of [[none, 0n], [current, 100_000n], [biz, 100_000n]] as const) {
      await receiveBankPayment({ bank: 'equity', transactionId: bankTxId('LN'), account: c.msisdn, amount: 300n * KES, paidAt: new Date().toISOString(), payload: {} });
      expect(await wallet(c), c.msisdn).to.equal(start + 30_000n);
      expect(await sweepSmsOf(c.msisdn)).to.have.length(0);
    }
    expect(await repaymentsOf(cur.loan.id)).to.have.length(0);
    expect(await repaymentsOf(bizLoan)).to.have.length(0);
  });

  it('an agent deposit sweeps, and so does an M-Pesa receipt allocated from suspense', async () => {
    const { customer, loanId } = await overdueBorrower();
    const agent = await makeAgent({ floatKes: 10_000 });
    await depositCash({ agentMsisdn: agent.msisdn, customerMsisdn: customer.msisdn, amount: 400n * KES, pin: '1234', idempotencyKey: loanKey('dep') });
    expect(await wallet(customer)).to.equal(1_000n * KES);
    const held = c2b(customer, 300n * KES);
    expect(await creditReceipt(held, null)).to.include({ status: 'suspense' });
    await db.transaction((trx) => allocateReceipt(trx, { transId: held.transId, msisdn: customer.msisdn, reason: 'typed a wrong number', idempotencyKey: loanKey('alloc'), by: 'test' }));
    expect(await wallet(customer)).to.equal(1_000n * KES);
    expect((await repaymentsOf(loanId)).map((r) => r.amount).sort()).to.deep.equal([30_000n, 40_000n]);
    expect(await sweepSmsOf(customer.msisdn)).to.have.length(2);
    expect((await loanStatement(db, loanId)).overdue.amount).to.equal(37_500n);
  });

  it('a bank payment allocated from suspense sweeps too', async () => {
    const { customer, loanId } = await overdueBorrower();
    const transactionId = bankTxId('EQ');
    const held = await receiveBankPayment({ bank: 'equity', transactionId, account: 'NO-SUCH-ACCOUNT', amount: 2_000n * KES, paidAt: new Date().toISOString(), payload: {} });
    expect(held.record.status).to.equal('suspense');
    await db.transaction((trx) => allocateBankPayment(trx, {
      bank: 'equity', transactionId, msisdn: customer.msisdn, reason: 'wrong account typed', idempotencyKey: loanKey('balloc'), allocatedBy: 'test',
    }));
    expect(await wallet(customer)).to.equal(1_925n * KES);
    expect((await repaymentsOf(loanId)).map((r) => r.amount)).to.deep.equal([107_500n]);
    expect(await sweepSmsOf(customer.msisdn)).to.have.length(1);
  });

  it('sweeps racing a send-money out of the same wallet: no deadlock, no overdraft, balances exact', async () => {
    const product = await makeProduct(SIMU_ADVANCE);
    const borrowers = await Promise.all(Array.from({ length: 6 }, () => overdueBorrower(product)));
    const payers = await Promise.all(Array.from({ length: 12 }, () => makeCustomer(1_000)));
    const payee = await makeCustomer(0);
    const results = await Promise.all(borrowers.flatMap(({ customer }, i) => [
      sendMoney({ payerMsisdn: customer.msisdn, recipientMsisdn: payee.msisdn, amount: 800n * KES, pin: '1234', idempotencyKey: loanKey('out') }),
      sendMoney({ payerMsisdn: payers[2 * i].msisdn, recipientMsisdn: customer.msisdn, amount: 600n * KES, pin: '1234', idempotencyKey: loanKey('in') }),
      sendMoney({ payerMsisdn: payers[2 * i + 1].msisdn, recipientMsisdn: customer.msisdn, amount: 600n * KES, pin: '1234', idempotencyKey: loanKey('in') }),
    ]));
    for (const [i, { customer, loanId }] of borrowers.entries()) {
      const charge = results[3 * i].charge;
      // 1,000 + 2 × 600 arrived − 1,075 swept (capped at the overdue amount) − 800 sent − the charge.
      expect(await wallet(customer)).to.equal(32_500n - charge);
      expect((await repaymentsOf(loanId)).reduce((s, r) => s + (r.amount as bigint), 0n)).to.equal(107_500n);
      expect((await loanStatement(db, loanId)).status).to.equal('repaid');
    }
    expect(await wallet(payee)).to.equal(6n * 80_000n);
  });
});
