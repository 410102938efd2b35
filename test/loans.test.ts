/**
 * The loan engine against PostgreSQL: disbursement (one entry, idempotent), repayment
 * (allocation, partial, early, over-repayment refused, replays), the receivable equal to
 * the statement's outstanding after every step, and the ledger sound after each test.
 */
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { displayBalance, getAccount, systemAccount, transfer, IdempotencyConflictError, InsufficientFundsError } from '../src/ledger/index.js';
import { ValidationError } from '../src/errors/index.js';
import { CustomerInactiveError, setCustomerStatus } from '../src/customers/index.js';
import { LimitExceededError } from '../src/payments/index.js';
import {
  createProduct, disburseLoan, findProductByCode, getProduct, listProducts, loadLoan, loanStatement, repayLoan, updateProduct,
  LoanAmountOutOfRangeError, LoanOverpaymentError, LoanProductExistsError, LoanProductRetiredError, LoanStatusError,
} from '../src/loans/index.js';
import { makeCustomer, assertLedgerSound } from './helpers/customers.js';
import { BIASHARA, SIMU_ADVANCE, assertReceivableMatches, loanKey, makeProduct, nairobi } from './helpers/loans.js';

const KES = 100n;
const wallet = async (c: { walletAccountId: number }) => displayBalance(await getAccount(db, c.walletAccountId));
const income = async (name: 'loanFees' | 'loanInterest' | 'loanPenalties') => displayBalance(await getAccount(db, (await systemAccount(db, name)).id));
async function refusal(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => expect.fail('expected a refusal'), (e: unknown) => e);
}

describe('loans: disbursement', () => {
  afterEach(assertLedgerSound);

  it('disburseLoan pays the principal into the wallet and books principal + fee in the receivable, in one entry', async () => {
    const product = await makeProduct(SIMU_ADVANCE);
    const customer = await makeCustomer(0);
    const feesBefore = await income('loanFees');
    const d = await disburseLoan(db, { customerId: customer.id, productCode: product.code, principal: 1_000n * KES, idempotencyKey: loanKey('d'), on: '2026-12-06' });
    expect(d.loan).to.include({ status: 'active', principal: 100_000n, fee: 7_500n, interest: 0n, disbursedOn: '2026-12-06' });
    expect(d.schedule.map((i) => [i.dueDate, i.total])).to.deep.equal([['2027-01-05', 107_500n]]);
    expect(await wallet(customer)).to.equal(100_000n);
    expect(await income('loanFees') - feesBefore).to.equal(7_500n);
    expect(await assertReceivableMatches(d.loan.id, nairobi('2026-12-06'))).to.equal(107_500n);
    const entries = await db('postings').where({ account_id: d.loan.receivableAccountId }).count<{ count: string }[]>('* as count');
    expect(Number(entries[0].count)).to.equal(1);
    const s = await loanStatement(db, d.loan.id, nairobi('2026-12-06'));
    expect(s.nextDue).to.deep.equal({ seq: 1, dueDate: '2027-01-05', amount: 107_500n });
    expect(s.overdue.amount).to.equal(0n);
  });

  it('a declining loan books its scheduled interest at disbursement: receivable = principal + fee + interest', async () => {
    const product = await makeProduct(BIASHARA);
    const customer = await makeCustomer(0);
    const d = await disburseLoan(db, { customerId: customer.id, productCode: product.code, principal: 10_000n * KES, idempotencyKey: loanKey('d'), on: '2026-12-06' });
    // 10,000 + 200 fee + (400.00 + 271.86 + 138.60) interest (loans-schedule.test.ts).
    expect(d.loan.interest).to.equal(81_046n);
    expect(await assertReceivableMatches(d.loan.id, nairobi('2026-12-06'))).to.equal(1_101_046n);
  });

  it('the same key returns the first loan and moves nothing; the same key for a different loan is refused', async () => {
    const product = await makeProduct(SIMU_ADVANCE);
    const customer = await makeCustomer(0);
    const key = loanKey('d');
    const first = await disburseLoan(db, { customerId: customer.id, productCode: product.code, principal: 500n * KES, idempotencyKey: key, on: '2026-12-06' });
    const again = await disburseLoan(db, { customerId: customer.id, productCode: product.code, principal: 500n * KES, idempotencyKey: key, on: '2026-12-06' });
    expect(again.replayed).to.equal(true);
    expect(again.loan.id).to.equal(first.loan.id);
    expect(again.code).to.equal(first.code);
    expect(await wallet(customer)).to.equal(50_000n);
    expect(await refusal(disburseLoan(db, { customerId: customer.id, productCode: product.code, principal: 600n * KES, idempotencyKey: key }))).to.be.instanceOf(IdempotencyConflictError);
  });

  it('concurrent twins with one key make one loan', async () => {
    const product = await makeProduct(SIMU_ADVANCE);
    const customer = await makeCustomer(0);
    const key = loanKey('twin');
    const results = await Promise.all(Array.from({ length: 5 }, () => disburseLoan(db, { customerId: customer.id, productCode: product.code, principal: 200n * KES, idempotencyKey: key })));
    expect(new Set(results.map((r) => r.loan.id)).size).to.equal(1);
    expect(results.filter((r) => !r.replayed)).to.have.length(1);
    expect(await wallet(customer)).to.equal(20_000n);
  });

  it("refuses a loan that would take the wallet over the customer's maximum balance, or to a suspended customer", async () => {
    const product = await makeProduct(SIMU_ADVANCE);
    const rich = await makeCustomer(499_500); // the default tier's maximum balance is KES 500,000
    const err = await refusal(disburseLoan(db, { customerId: rich.id, productCode: product.code, principal: 1_000n * KES, idempotencyKey: loanKey('d') }));
    expect(err).to.be.instanceOf(LimitExceededError).with.property('limitName', 'max_balance');
    expect(await db('loans').where({ customer_id: rich.id }).first(), 'nothing stored').to.equal(undefined);
    const suspended = await makeCustomer(0);
    await db.transaction((trx) => setCustomerStatus(trx, suspended.msisdn, 'suspended', 'test'));
    expect(await refusal(disburseLoan(db, { customerId: suspended.id, productCode: product.code, principal: 500n * KES, idempotencyKey: loanKey('d') }))).to.be.instanceOf(CustomerInactiveError);
  });

  it("refuses a principal outside the product's bounds and a retired product, moving nothing", async () => {
    const product = await makeProduct(SIMU_ADVANCE);
    const customer = await makeCustomer(0);
    const err = await refusal(disburseLoan(db, { customerId: customer.id, productCode: product.code, principal: 99n * KES, idempotencyKey: loanKey('d') }));
    expect(err).to.be.instanceOf(LoanAmountOutOfRangeError).with.property('min', 10_000n);
    await updateProduct(db, product.code, { status: 'retired' });
    expect(await refusal(disburseLoan(db, { customerId: customer.id, productCode: product.code, principal: 500n * KES, idempotencyKey: loanKey('d') }))).to.be.instanceOf(LoanProductRetiredError);
    expect(await wallet(customer)).to.equal(0n);
    expect(await db('loans').where({ customer_id: customer.id }).first()).to.equal(undefined);
  });
});

describe('loans: repayment', () => {
  afterEach(assertLedgerSound);

  it('a partial repayment pays the fee before the principal; the rest repays the loan', async () => {
    const product = await makeProduct(SIMU_ADVANCE);
    const customer = await makeCustomer(1_000);
    const { loan } = await disburseLoan(db, { customerId: customer.id, productCode: product.code, principal: 1_000n * KES, idempotencyKey: loanKey('d'), on: '2026-12-06' });
    const now = nairobi('2026-12-10');
    const r1 = await repayLoan(db, { loanId: loan.id, amount: 500n * KES, idempotencyKey: loanKey('r'), now });
    expect(r1.applied).to.deep.equal({ penalty: 0n, fee: 7_500n, interest: 0n, principal: 42_500n });
    expect(r1).to.include({ outstanding: 57_500n, status: 'active', rebate: 0n });
    expect(await assertReceivableMatches(loan.id, now)).to.equal(57_500n);
    const r2 = await repayLoan(db, { loanId: loan.id, amount: 57_500n, idempotencyKey: loanKey('r'), now });
    expect(r2).to.include({ outstanding: 0n, status: 'repaid' });
    expect(await assertReceivableMatches(loan.id, now)).to.equal(0n);
    expect(await wallet(customer)).to.equal(2_000n * KES - 1_075n * KES);
    expect(await refusal(repayLoan(db, { loanId: loan.id, amount: 100n, idempotencyKey: loanKey('r'), now }))).to.be.instanceOf(LoanStatusError);
  });

  it('refuses more than the payoff whole, saying the payoff, and moves nothing', async () => {
    const product = await makeProduct(SIMU_ADVANCE);
    const customer = await makeCustomer(5_000);
    const { loan } = await disburseLoan(db, { customerId: customer.id, productCode: product.code, principal: 1_000n * KES, idempotencyKey: loanKey('d'), on: '2026-12-06' });
    const err = await refusal(repayLoan(db, { loanId: loan.id, amount: 107_501n, idempotencyKey: loanKey('r'), now: nairobi('2026-12-07') }));
    expect(err).to.be.instanceOf(LoanOverpaymentError).with.property('payoff', 107_500n);
    expect(await wallet(customer)).to.equal(6_000n * KES);
    expect(await assertReceivableMatches(loan.id, nairobi('2026-12-07'))).to.equal(107_500n);
  });

  it('a wallet short of the amount is refused and the installments stay as they were', async () => {
    const product = await makeProduct(SIMU_ADVANCE);
    const customer = await makeCustomer(0);
    const { loan } = await disburseLoan(db, { customerId: customer.id, productCode: product.code, principal: 1_000n * KES, idempotencyKey: loanKey('d'), on: '2026-12-06' });
    expect(await refusal(repayLoan(db, { loanId: loan.id, amount: 1_001n * KES, idempotencyKey: loanKey('r'), now: nairobi('2026-12-07') }))).to.be.instanceOf(InsufficientFundsError);
    expect((await loanStatement(db, loan.id, nairobi('2026-12-07'))).outstanding.total).to.equal(107_500n);
    expect(await db('loan_repayments').where({ loan_id: loan.id }).first()).to.equal(undefined);
  });

  it('a repayment retried with its key moves nothing; the key with another amount is refused', async () => {
    const product = await makeProduct(SIMU_ADVANCE);
    const customer = await makeCustomer(0);
    const { loan } = await disburseLoan(db, { customerId: customer.id, productCode: product.code, principal: 1_000n * KES, idempotencyKey: loanKey('d'), on: '2026-12-06' });
    const key = loanKey('r');
    const now = nairobi('2026-12-08');
    const first = await repayLoan(db, { loanId: loan.id, amount: 300n * KES, idempotencyKey: key, now });
    const again = await repayLoan(db, { loanId: loan.id, amount: 300n * KES, idempotencyKey: key, now });
    expect(again).to.include({ replayed: true, code: first.code, outstanding: 77_500n });
    expect(await wallet(customer)).to.equal(700n * KES);
    expect(await refusal(repayLoan(db, { loanId: loan.id, amount: 301n * KES, idempotencyKey: key, now }))).to.be.instanceOf(IdempotencyConflictError);
  });

  it('early repayment of a declining loan reduces principal, later interest is on what is left, and the payoff settles it', async () => {
    const product = await makeProduct(BIASHARA);
    const customer = await makeCustomer(1_000);
    const interestBefore = await income('loanInterest');
    const { loan } = await disburseLoan(db, { customerId: customer.id, productCode: product.code, principal: 10_000n * KES, idempotencyKey: loanKey('d'), on: '2026-12-06' });
    const now = nairobi('2026-12-20');
    // Worked by hand in loans-allocate.test.ts: 200 fee + 400 interest + 5,000 principal; period 2's interest 271.86 → 200.00.
    const r = await repayLoan(db, { loanId: loan.id, amount: 5_600n * KES, idempotencyKey: loanKey('r'), now });
    expect(r.applied).to.deep.equal({ penalty: 0n, fee: 20_000n, interest: 40_000n, principal: 500_000n });
    expect(r.rebate).to.equal(7_186n);
    expect(await assertReceivableMatches(loan.id, now)).to.equal(533_860n);
    const s = await loanStatement(db, loan.id, now);
    expect(s.installments.map((i) => i.interest)).to.deep.equal([40_000n, 20_000n, 13_860n]);
    expect(s.payoff).to.equal(500_000n);
    const last = await repayLoan(db, { loanId: loan.id, amount: s.payoff, idempotencyKey: loanKey('r'), now });
    expect(last).to.include({ status: 'repaid', outstanding: 0n, rebate: 33_860n });
    expect(await assertReceivableMatches(loan.id, now)).to.equal(0n);
    // The loan earned the first period's interest only.
    expect(await income('loanInterest') - interestBefore).to.equal(40_000n);
  });

  it('concurrent repayments of one loan are applied one after another and never exceed the payoff', async () => {
    const product = await makeProduct(SIMU_ADVANCE);
    const customer = await makeCustomer(5_000);
    const { loan } = await disburseLoan(db, { customerId: customer.id, productCode: product.code, principal: 1_000n * KES, idempotencyKey: loanKey('d'), on: '2026-12-06' });
    const now = nairobi('2026-12-07');
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => repayLoan(db, { loanId: loan.id, amount: 300n * KES, idempotencyKey: loanKey('race'), now })));
    // 1,075 owed: three of KES 300 fit (900), then 175 is the payoff and 300 is refused, three times.
    expect(outcomes.filter((o) => o.status === 'fulfilled')).to.have.length(3);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason);
    expect(refused.every((e) => e instanceof LoanOverpaymentError && e.payoff === 17_500n)).to.equal(true);
    expect(await assertReceivableMatches(loan.id, now)).to.equal(17_500n);
    expect(await wallet(customer)).to.equal(6_000n * KES - 900n * KES);
  });

  it('a repayment composed in the transaction that credits the wallet (as a sweep will) races a plain repayment without deadlock', async () => {
    const product = await makeProduct(SIMU_ADVANCE);
    const customer = await makeCustomer(1_000);
    const { loan } = await disburseLoan(db, { customerId: customer.id, productCode: product.code, principal: 1_000n * KES, idempotencyKey: loanKey('d'), on: '2026-12-06' });
    const now = nairobi('2027-01-10');
    const opening = await systemAccount(db, 'opening');
    const sweep = () => db.transaction(async (trx) => {
      await transfer({ idempotencyKey: loanKey('arrival'), kind: 'seed', amount: 500n * KES, postings: [{ accountId: opening.id, amount: 500n * KES }, { accountId: customer.walletAccountId, amount: -500n * KES }] }, {}, trx);
      return repayLoan(trx, { loanId: loan.id, amount: 500n * KES, idempotencyKey: loanKey('sweep'), now });
    });
    const plain = () => repayLoan(db, { loanId: loan.id, amount: 500n * KES, idempotencyKey: loanKey('r'), now });
    const outcomes = await Promise.allSettled([sweep(), plain(), sweep(), plain()]);
    // 1,075 owed: two repayments of 500 fit, then the payoff is 75 and 500 is refused.
    expect(outcomes.filter((o) => o.status === 'fulfilled')).to.have.length(2);
    expect(outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').every((o) => o.reason instanceof LoanOverpaymentError)).to.equal(true);
    expect(await assertReceivableMatches(loan.id, now)).to.equal(7_500n);
  });

  it('paying an overdue installment brings the loan back to active; paying all of it repays it', async () => {
    const product = await makeProduct(BIASHARA, { penaltyBp: 0 });
    const customer = await makeCustomer(2_000);
    const { loan } = await disburseLoan(db, { customerId: customer.id, productCode: product.code, principal: 10_000n * KES, idempotencyKey: loanKey('d'), on: '2026-12-06' });
    const late = nairobi('2027-01-10');
    const r1 = await repayLoan(db, { loanId: loan.id, amount: 100n * KES, idempotencyKey: loanKey('r'), now: late });
    expect(r1.status).to.equal('overdue');
    const r2 = await repayLoan(db, { loanId: loan.id, amount: 380_349n - 10_000n, idempotencyKey: loanKey('r'), now: late });
    expect(r2).to.include({ status: 'active', rebate: 0n });
    expect((await loanStatement(db, loan.id, late)).nextDue).to.deep.equal({ seq: 2, dueDate: '2027-02-06', amount: 360_349n });
    await repayLoan(db, { loanId: loan.id, amount: 360_349n, idempotencyKey: loanKey('r'), now: nairobi('2027-02-06') });
    const r4 = await repayLoan(db, { loanId: loan.id, amount: 360_348n, idempotencyKey: loanKey('r'), now: nairobi('2027-03-06') });
    expect(r4).to.include({ status: 'repaid', outstanding: 0n });
    expect(await assertReceivableMatches(loan.id, nairobi('2027-03-06'))).to.equal(0n);
    expect(await wallet(customer)).to.equal(12_000n * KES - 1_101_046n);
  });
});

describe('loans: products', () => {
  it('createProduct stores the terms as given and refuses a taken code or a bad field', async () => {
    const product = await makeProduct(BIASHARA, { rateBp: 375 });
    expect(await findProductByCode(db, product.code)).to.deep.equal(product);
    expect(product).to.include({ rateBp: 375, interestMethod: 'declining', periodUnit: 'month', installments: 3, principalMax: 10_000_000n, status: 'active' });
    expect(await refusal(createProduct(db, { ...BIASHARA, code: product.code }))).to.be.instanceOf(LoanProductExistsError);
    expect(await refusal(createProduct(db, { ...BIASHARA, code: `${product.code}x`, feeBp: 10_001 }))).to.be.instanceOf(ValidationError).with.property('field', 'feeBp');
    expect(await refusal(createProduct(db, { ...BIASHARA, code: `${product.code}y`, principalMin: 0n }))).to.be.instanceOf(ValidationError);
  });

  it('listProducts leaves out retired products unless asked; a loan keeps the terms it was made with', async () => {
    const product = await makeProduct(BIASHARA);
    const customer = await makeCustomer(0);
    const { loan } = await disburseLoan(db, { customerId: customer.id, productCode: product.code, principal: 1_000n * KES, idempotencyKey: loanKey('d'), on: '2026-12-06' });
    await updateProduct(db, product.code, { rateBp: 900, status: 'retired' });
    expect((await listProducts(db)).map((p) => p.code)).to.not.include(product.code);
    expect((await listProducts(db, { all: true })).map((p) => p.code)).to.include(product.code);
    expect((await loadLoan(db, loan.id)).rateBp).to.equal(400);
    expect((await getProduct(db, product.id)).rateBp).to.equal(900);
  });
});
