/**
 * Funded loans: the loan engine lending a group's money. The principal leaves the group's
 * fund (no-overdraft) and the whole receivable is owed to the group's claims account; every
 * repayment returns to the fund in the same entry; fees, interest, rebates, penalties and
 * write-offs land in claims, never in the platform's revenue or expense accounts. After
 * every step: claims = −(the receivables of the group's live loans), and fund + claims is
 * the group's total. Amounts in KES cents.
 */
import { randomInt } from 'node:crypto';
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { getAccount, openAccount, systemAccount, transfer, IdempotencyConflictError, InsufficientFundsError } from '../src/ledger/index.js';
import { ValidationError } from '../src/errors/index.js';
import {
  accruePenalties, disburseLoan, loadLoan, loanStatement, repayLoan, writeOffLoan, type Loan, type LoanFunder,
} from '../src/loans/index.js';
import { makeCustomer, assertLedgerSound } from './helpers/customers.js';
import { BIASHARA, SIMU_ADVANCE, assertReceivableMatches, loanKey, makeProduct, nairobi } from './helpers/loans.js';

const KES = 100n;
const REVENUE = ['loanFees', 'loanInterest', 'loanPenalties', 'loanWriteOffs'] as const;
const balance = async (id: number) => (await getAccount(db, id)).balance;
async function refusal(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => expect.fail('expected a refusal'), (e: unknown) => e);
}

/** A fake chama: a no-overdraft savings account (the fund) holding `kes`, and a claims account. */
async function makeGroup(kes: bigint): Promise<LoanFunder> {
  const tag = `chama:test-${Date.now().toString(36)}-${randomInt(1e9).toString(36)}`;
  const fund = await openAccount(db, { code: `${tag}:savings`, name: 'Test chama savings', type: 'liability', noOverdraft: true });
  const claims = await openAccount(db, { code: `${tag}:loans`, name: 'Test chama loans', type: 'liability' });
  if (kes > 0n) {
    const opening = await systemAccount(db, 'opening');
    await transfer({
      idempotencyKey: loanKey('group-seed'), kind: 'seed', amount: kes * KES,
      postings: [{ accountId: opening.id, amount: kes * KES }, { accountId: fund.id, amount: -kes * KES }],
    });
  }
  return { fundAccountId: fund.id, claimsAccountId: claims.id };
}

/** The revenue and expense balances of loans, to show a funded loan never touches them. */
async function revenue(): Promise<bigint[]> {
  return Promise.all(REVENUE.map(async (name) => balance((await systemAccount(db, name)).id)));
}

/** The legs of the entry with transaction code `code`, account id → amount. */
async function legs(code: string): Promise<Map<number, bigint>> {
  const rows = await db('postings').join('journal_entries', 'journal_entries.id', 'postings.journal_entry_id')
    .where({ 'journal_entries.code': code }).select('postings.account_id', 'postings.amount');
  return new Map(rows.map((r) => [r.account_id as number, r.amount as bigint]));
}

/**
 * The group's books: claims = −(sum of the receivables of its live loans), and fund + claims
 * = `total` (a credit balance: negative). Returns the fund's balance.
 */
async function assertGroupBooks(group: LoanFunder, loans: Loan[], total: bigint): Promise<bigint> {
  let receivables = 0n;
  for (const l of loans) receivables += await balance(l.receivableAccountId);
  const [fund, claims] = [await balance(group.fundAccountId), await balance(group.claimsAccountId)];
  expect(claims, 'claims = −receivables').to.equal(-receivables);
  expect(fund + claims, 'fund + claims = the group total').to.equal(total);
  return fund;
}

describe('loans: funded by a group', () => {
  afterEach(assertLedgerSound);

  it('disbursement moves the group\'s cash to the wallet, owes the whole receivable to claims, and touches no revenue, in one entry', async () => {
    const group = await makeGroup(50_000n);
    const product = await makeProduct(BIASHARA);
    const customer = await makeCustomer(0);
    const revenueBefore = await revenue();
    const d = await disburseLoan(db, {
      customerId: customer.id, productCode: product.code, principal: 10_000n * KES, idempotencyKey: loanKey('d'), on: '2026-12-06', funder: group,
    });
    const total = d.loan.principal + d.loan.fee + d.loan.interest;
    expect(d.loan.funder).to.deep.equal(group);
    expect(d.loan.fee).to.equal(20_000n);
    expect(await loadLoan(db, d.loan.id)).to.have.property('funder').that.deep.equals(group);
    expect(await balance(customer.walletAccountId)).to.equal(-1_000_000n);
    expect(await balance(group.fundAccountId)).to.equal(-5_000_000n + 1_000_000n);
    expect(await balance(group.claimsAccountId)).to.equal(-total);
    expect(await assertReceivableMatches(d.loan.id, nairobi('2026-12-06'))).to.equal(total);
    expect(await revenue()).to.deep.equal(revenueBefore);
    expect(await legs(d.code)).to.deep.equal(new Map([
      [d.loan.receivableAccountId, total], [customer.walletAccountId, -1_000_000n],
      [group.fundAccountId, 1_000_000n], [group.claimsAccountId, -total],
    ]));
    const entries = await db('journal_entries').whereRaw("metadata->>'loanId' = ?", [String(d.loan.id)]).select('kind');
    expect(entries.map((e) => e.kind)).to.deep.equal(['loan_disbursement']);
    await assertGroupBooks(group, [d.loan], -5_000_000n - d.loan.fee - d.loan.interest);
  });

  it('a flat 10 % a month loan over 3 months repaid in full returns principal + interest to the fund and leaves claims at 0', async () => {
    const group = await makeGroup(10_000n);
    const product = await makeProduct(BIASHARA, { interestMethod: 'flat', rateBp: 1_000, feeBp: 0, penaltyBp: 0 });
    const customer = await makeCustomer(1_000);
    const revenueBefore = await revenue();
    const { loan, schedule } = await disburseLoan(db, {
      customerId: customer.id, productCode: product.code, principal: 3_000n * KES, idempotencyKey: loanKey('d'), on: '2026-12-06', funder: group,
    });
    expect(loan).to.include({ fee: 0n, interest: 90_000n });
    expect(schedule.map((i) => [i.dueDate, i.principal, i.interest, i.total])).to.deep.equal([
      ['2027-01-06', 100_000n, 30_000n, 130_000n], ['2027-02-06', 100_000n, 30_000n, 130_000n], ['2027-03-06', 100_000n, 30_000n, 130_000n],
    ]);
    const groupTotal = -1_000_000n - 90_000n;
    expect(await assertGroupBooks(group, [loan], groupTotal)).to.equal(-700_000n);
    for (const i of schedule) {
      const r = await repayLoan(db, { loanId: loan.id, amount: i.total, idempotencyKey: loanKey('r'), now: nairobi(i.dueDate) });
      expect(r.rebate).to.equal(0n);
      expect(await legs(r.code)).to.deep.equal(new Map([
        [customer.walletAccountId, 130_000n], [loan.receivableAccountId, -130_000n],
        [group.claimsAccountId, 130_000n], [group.fundAccountId, -130_000n],
      ]));
      await assertReceivableMatches(loan.id, nairobi(i.dueDate));
      await assertGroupBooks(group, [loan], groupTotal);
    }
    expect((await loadLoan(db, loan.id)).status).to.equal('repaid');
    expect(await balance(group.claimsAccountId)).to.equal(0n);
    expect(await balance(group.fundAccountId), 'the fund: KES 10,000 + 900 interest').to.equal(-1_090_000n);
    expect(await balance(customer.walletAccountId)).to.equal(-(100_000n + 300_000n - 390_000n));
    expect(await revenue()).to.deep.equal(revenueBefore);
  });

  it('an early repayment of a declining loan gives its rebate back out of claims, not out of revenue', async () => {
    const group = await makeGroup(20_000n);
    const product = await makeProduct(BIASHARA);
    const customer = await makeCustomer(1_000);
    const revenueBefore = await revenue();
    const { loan } = await disburseLoan(db, {
      customerId: customer.id, productCode: product.code, principal: 10_000n * KES, idempotencyKey: loanKey('d'), on: '2026-12-06', funder: group,
    });
    const now = nairobi('2026-12-20');
    // The numbers of loans.test.ts's platform loan: 200 fee + 400 interest + 5,000 principal, then the payoff.
    const r = await repayLoan(db, { loanId: loan.id, amount: 5_600n * KES, idempotencyKey: loanKey('r'), now });
    expect(r.rebate).to.equal(7_186n);
    expect(await legs(r.code)).to.deep.equal(new Map([
      [customer.walletAccountId, 560_000n], [loan.receivableAccountId, -(560_000n + 7_186n)],
      [group.claimsAccountId, 560_000n + 7_186n], [group.fundAccountId, -560_000n],
    ]));
    let groupTotal = -2_000_000n - loan.fee - loan.interest + 7_186n;
    await assertGroupBooks(group, [loan], groupTotal);
    const { payoff } = await loanStatement(db, loan.id, now);
    const last = await repayLoan(db, { loanId: loan.id, amount: payoff, idempotencyKey: loanKey('r'), now });
    expect(last).to.include({ status: 'repaid', outstanding: 0n, rebate: 33_860n });
    groupTotal += 33_860n;
    await assertGroupBooks(group, [loan], groupTotal);
    expect(await balance(group.claimsAccountId)).to.equal(0n);
    expect(await balance(group.fundAccountId), 'the group earned the fee and the first period\'s interest').to.equal(-2_000_000n - 20_000n - 40_000n);
    expect(await revenue()).to.deep.equal(revenueBefore);
  });

  it('a penalty on a funded loan is owed to the group (claims), not to the platform', async () => {
    const group = await makeGroup(5_000n);
    const product = await makeProduct(SIMU_ADVANCE);
    const customer = await makeCustomer(0);
    const { loan } = await disburseLoan(db, {
      customerId: customer.id, productCode: product.code, principal: 1_000n * KES, idempotencyKey: loanKey('d'), on: '2026-12-06', funder: group,
    });
    await accruePenalties(db, nairobi('2027-01-09'));
    const [penalty] = await db('loan_penalties').join('journal_entries', 'journal_entries.id', 'loan_penalties.journal_entry_id')
      .where({ 'loan_penalties.loan_id': loan.id }).select('loan_penalties.amount', 'journal_entries.code');
    expect(penalty.amount).to.equal(5_375n);
    expect(await legs(penalty.code)).to.deep.equal(new Map([[loan.receivableAccountId, 5_375n], [group.claimsAccountId, -5_375n]]));
    expect(await assertReceivableMatches(loan.id, nairobi('2027-01-09'))).to.equal(107_500n + 5_375n);
    await assertGroupBooks(group, [loan], -500_000n - 7_500n - 5_375n);
  });

  it('a write-off is the group\'s loss: claims shrink by what was outstanding, the fund keeps what it had', async () => {
    const group = await makeGroup(5_000n);
    const product = await makeProduct(SIMU_ADVANCE);
    const customer = await makeCustomer(0);
    const { loan } = await disburseLoan(db, {
      customerId: customer.id, productCode: product.code, principal: 1_000n * KES, idempotencyKey: loanKey('d'), on: '2026-12-06', funder: group,
    });
    await accruePenalties(db, nairobi('2027-04-05'));
    const outstanding = (await loanStatement(db, loan.id, nairobi('2027-04-05'))).outstanding.total;
    expect(outstanding).to.equal(107_500n + 3n * 5_375n);
    const revenueBefore = await revenue();
    const w = await writeOffLoan(db, loan.id, { by: 'admin:ops', now: nairobi('2027-04-05') });
    expect(w).to.include({ amount: outstanding, replayed: false });
    expect(await legs(w.code)).to.deep.equal(new Map([[group.claimsAccountId, outstanding], [loan.receivableAccountId, -outstanding]]));
    expect(await revenue()).to.deep.equal(revenueBefore);
    expect(await balance(group.claimsAccountId)).to.equal(0n);
    expect(await assertGroupBooks(group, [loan], -400_000n), 'KES 5,000 less the KES 1,000 lent').to.equal(-400_000n);
    expect((await writeOffLoan(db, loan.id, { by: 'admin:ops', now: nairobi('2027-04-06') }))).to.include({ replayed: true, code: w.code });
  });

  it('a loan bigger than the fund is refused with InsufficientFundsError and changes nothing', async () => {
    const group = await makeGroup(500n);
    const product = await makeProduct(SIMU_ADVANCE);
    const customer = await makeCustomer(0);
    const key = loanKey('d');
    const entriesBefore = await db('journal_entries').count<{ count: string }[]>('* as count');
    const err = await refusal(disburseLoan(db, {
      customerId: customer.id, productCode: product.code, principal: 1_000n * KES, idempotencyKey: key, on: '2026-12-06', funder: group,
    }));
    expect(err).to.be.instanceOf(InsufficientFundsError);
    expect(await db('loans').where({ idempotency_key: key }).first()).to.equal(undefined);
    expect(await db('journal_entries').count<{ count: string }[]>('* as count')).to.deep.equal(entriesBefore);
    expect(await balance(group.fundAccountId)).to.equal(-50_000n);
    expect(await balance(group.claimsAccountId)).to.equal(0n);
    expect(await balance(customer.walletAccountId)).to.equal(0n);
    // What the fund holds may be lent: exactly KES 500.
    const { loan } = await disburseLoan(db, {
      customerId: customer.id, productCode: product.code, principal: 500n * KES, idempotencyKey: key, on: '2026-12-06', funder: group,
    });
    expect(await balance(group.fundAccountId)).to.equal(0n);
    await assertGroupBooks(group, [loan], -50_000n - loan.fee);
  });

  it('a replay returns the first loan and moves nothing; the key with another funder, or none, is refused', async () => {
    const group = await makeGroup(5_000n);
    const other = await makeGroup(5_000n);
    const product = await makeProduct(SIMU_ADVANCE);
    const customer = await makeCustomer(0);
    const req = { customerId: customer.id, productCode: product.code, principal: 1_000n * KES, idempotencyKey: loanKey('d'), on: '2026-12-06', funder: group };
    const first = await disburseLoan(db, req);
    const again = await disburseLoan(db, { ...req, funder: { ...group } });
    expect(again).to.include({ replayed: true, code: first.code });
    expect(again.loan.id).to.equal(first.loan.id);
    expect(await balance(group.fundAccountId)).to.equal(-400_000n);
    expect(await refusal(disburseLoan(db, { ...req, funder: other }))).to.be.instanceOf(IdempotencyConflictError);
    expect(await refusal(disburseLoan(db, { ...req, funder: { ...group, claimsAccountId: other.claimsAccountId } }))).to.be.instanceOf(IdempotencyConflictError);
    expect(await refusal(disburseLoan(db, { ...req, funder: undefined }))).to.be.instanceOf(IdempotencyConflictError);
    // A platform loan's key with a funder is refused too.
    const platform = { ...req, idempotencyKey: loanKey('d'), funder: undefined };
    await disburseLoan(db, platform);
    expect(await refusal(disburseLoan(db, { ...platform, funder: group }))).to.be.instanceOf(IdempotencyConflictError);
    expect(await balance(other.fundAccountId)).to.equal(-500_000n);
    await assertGroupBooks(group, [first.loan], -500_000n - first.loan.fee);
  });

  it('refuses a funder that is not two distinct liability accounts of the platform book, moving nothing', async () => {
    const group = await makeGroup(5_000n);
    const product = await makeProduct(SIMU_ADVANCE);
    const customer = await makeCustomer(0);
    const mpesa = await systemAccount(db, 'mpesa');
    const bad: LoanFunder[] = [
      { fundAccountId: group.fundAccountId, claimsAccountId: group.fundAccountId },
      { fundAccountId: group.fundAccountId, claimsAccountId: mpesa.id },
      { fundAccountId: group.fundAccountId, claimsAccountId: customer.walletAccountId },
      { fundAccountId: group.fundAccountId, claimsAccountId: 2_000_000_000 },
    ];
    for (const funder of bad) {
      const key = loanKey('d');
      const err = await refusal(disburseLoan(db, { customerId: customer.id, productCode: product.code, principal: 1_000n * KES, idempotencyKey: key, funder }));
      expect(err, JSON.stringify(funder)).to.be.instanceOf(ValidationError).with.property('field', 'funder');
      expect(await db('loans').where({ idempotency_key: key }).first()).to.equal(undefined);
    }
    expect(await balance(group.fundAccountId)).to.equal(-500_000n);
  });

  it('two live loans of one group: claims is minus both receivables, and fund + claims the group total, at each step', async () => {
    const group = await makeGroup(10_000n);
    const product = await makeProduct(SIMU_ADVANCE);
    const [a, b] = [await makeCustomer(500), await makeCustomer(0)];
    const lend = (customerId: number, kes: bigint) => disburseLoan(db, {
      customerId, productCode: product.code, principal: kes * KES, idempotencyKey: loanKey('d'), on: '2026-12-06', funder: group,
    });
    const { loan: la } = await lend(a.id, 2_000n);
    let total = -1_000_000n - la.fee;
    await assertGroupBooks(group, [la], total);
    const { loan: lb } = await lend(b.id, 3_000n);
    total -= lb.fee;
    expect(await assertGroupBooks(group, [la, lb], total)).to.equal(-500_000n);
    await repayLoan(db, { loanId: la.id, amount: 1_000n * KES, idempotencyKey: loanKey('r'), now: nairobi('2026-12-10') });
    await assertGroupBooks(group, [la, lb], total);
    await repayLoan(db, { loanId: la.id, amount: 1_150n * KES, idempotencyKey: loanKey('r'), now: nairobi('2026-12-11') });
    expect((await loadLoan(db, la.id)).status).to.equal('repaid');
    expect(await assertGroupBooks(group, [la, lb], total), 'KES 5,000 + loan a\'s 2,150 back').to.equal(-500_000n - 215_000n);
    expect(await balance(group.claimsAccountId)).to.equal(-(300_000n + lb.fee));
  });
});
