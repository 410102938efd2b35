/**
 * Group loans against PostgreSQL: the limit (3× own savings, within the group's savings),
 * guarantors who accept or decline, the treasurer's approval disbursing from the group's
 * savings, repayments returning to it with the interest, guarantees released on repayment,
 * and the ledger sound after each test.
 */
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { displayBalance, getAccount } from '../src/ledger/index.js';
import { WrongPinError } from '../src/customers/index.js';
import { repayLoan, loadLoan } from '../src/loans/index.js';
import {
  applyGroupLoan, approveGroupLoan, contribute, decideGuarantee, groupLoanLimit, groupLoansOf, guaranteeRequestsFor, guaranteesHeld, loansToApprove,
  requestExit, updateChamaPolicy, ChamaLoanLimitError, ChamaStateError, NotAnOfficialError, type Chama,
} from '../src/chama/index.js';
import { assertLedgerSound } from './helpers/customers.js';
import { chamaKey, kes, makeGroup, makeMember } from './helpers/chama.js';
import { makeProduct } from './helpers/loans.js';

const shown = async (id: number) => displayBalance(await getAccount(db, id));
async function refusal(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => expect.fail('expected a refusal'), (e: unknown) => e);
}

/** A group lending on a flat 10 %/month × 3 product, where everyone has paid 3 cycles (KES 600 saved each). */
async function lendingGroup() {
  const product = await makeProduct({
    name: 'Group Loan', principalMin: kes(100), principalMax: kes(100_000), installments: 3, periodUnit: 'month', periodLength: 1,
    interestMethod: 'flat', rateBp: 1000, feeBp: 0, penaltyBp: 0, penaltyGraceDays: 0, sweep: false,
  });
  const g = await makeGroup();
  const chama: Chama = await updateChamaPolicy(db, g.chama.id, { loanProductCode: product.code });
  const borrower = await makeMember(chama, 'member', 10_000, 'Borrower');
  for (const m of [g.chair, g.treasurer, g.secretary, borrower]) {
    await contribute(db, { customerId: m.customer.id, pinVerified: true, chamaId: chama.id, amount: kes(3000), idempotencyKey: chamaKey() });
  }
  return { ...g, chama, borrower };
}

describe('chama: group loans', () => {
  afterEach(assertLedgerSound);

  it('lends up to 3× own savings through two guarantors and the treasurer, from the group\'s savings, repaid with interest to the group', async () => {
    const { chama, chair, treasurer, secretary, borrower } = await lendingGroup();
    expect(await shown(chama.savingsAccountId)).to.equal(kes(2400));
    const limit = await groupLoanLimit(db, chama, borrower.member);
    expect(limit).to.include({ max: kes(1800), reason: 'ok', saved: kes(600) });
    const tooMuch = await refusal(applyGroupLoan(db, { chamaId: chama.id, customerId: borrower.customer.id, amount: kes(1801), guarantorMsisdns: [chair.customer.msisdn, secretary.customer.msisdn], idempotencyKey: chamaKey() }));
    expect(tooMuch).to.be.instanceOf(ChamaLoanLimitError);

    const request = await applyGroupLoan(db, { chamaId: chama.id, customerId: borrower.customer.id, amount: kes(1500), guarantorMsisdns: [chair.customer.msisdn, secretary.customer.msisdn], idempotencyKey: chamaKey() });
    expect(request.status).to.equal('guarantors');
    expect((await guaranteeRequestsFor(db, chama.id, chair.customer.id)).map((r) => r.id)).to.deep.equal([request.id]);
    const asked = await db('sms_outbox').where({ msisdn: secretary.customer.msisdn }).where('message', 'like', '%asks you to guarantee a loan of KES 1,500%');
    expect(asked).to.have.length(1);
    expect(await refusal(decideGuarantee(db, { requestId: request.id, signer: { msisdn: chair.customer.msisdn, pin: '0000' }, accept: true }))).to.be.instanceOf(WrongPinError);
    expect((await decideGuarantee(db, { requestId: request.id, signer: { msisdn: chair.customer.msisdn, pin: '1234' }, accept: true })).status).to.equal('guarantors');
    expect(await refusal(approveGroupLoan(db, { requestId: request.id, signer: { customerId: treasurer.customer.id, pinVerified: true }, approve: true }))).to.be.instanceOf(ChamaStateError);
    expect((await decideGuarantee(db, { requestId: request.id, signer: { msisdn: secretary.customer.msisdn, pin: '1234' }, accept: true })).status).to.equal('treasurer');

    expect(await loansToApprove(db, chama.id, chair.customer.id)).to.deep.equal([]);
    expect(await refusal(approveGroupLoan(db, { requestId: request.id, signer: { customerId: chair.customer.id, pinVerified: true }, approve: true }))).to.be.instanceOf(NotAnOfficialError);
    const { request: approved, disbursement } = await approveGroupLoan(db, { requestId: request.id, signer: { msisdn: treasurer.customer.msisdn, pin: '1234' }, approve: true });
    expect(approved.status).to.equal('disbursed');
    expect(disbursement!.loan.interest).to.equal(kes(450));
    expect(await shown(borrower.customer.walletAccountId)).to.equal(kes(10_000 - 3000 + 1500));
    expect(await shown(chama.savingsAccountId)).to.equal(kes(900));
    expect(await shown(chama.loansAccountId)).to.equal(kes(1950));
    expect((await guaranteesHeld(db, chama.id, chair.customer.id)).map((g) => g.requestId)).to.deep.equal([request.id]);
    const leave = await refusal(requestExit(db, { chamaId: chama.id, memberId: chair.member.id, requesterCustomerId: chair.customer.id }));
    expect((leave as ChamaStateError).code).to.equal('guaranteeing');

    const [loan] = await groupLoansOf(db, chama.id, borrower.customer.id);
    expect(loan.outstanding).to.equal(kes(1950));
    for (const [n, amount] of [[1, 650], [2, 650], [3, 650]] as const) {
      await repayLoan(db, { loanId: loan.loanId, amount: kes(amount), idempotencyKey: chamaKey(`repay${n}`) });
    }
    expect((await loadLoan(db, loan.loanId)).status).to.equal('repaid');
    expect(await shown(chama.savingsAccountId)).to.equal(kes(2400 + 450));
    expect(await shown(chama.loansAccountId)).to.equal(0n);
    expect(await guaranteesHeld(db, chama.id, chair.customer.id)).to.deep.equal([]);
  });

  it('ends a request a guarantor declines, and tells the applicant', async () => {
    const { chama, chair, secretary, borrower } = await lendingGroup();
    const request = await applyGroupLoan(db, { chamaId: chama.id, customerId: borrower.customer.id, amount: kes(1000), guarantorMsisdns: [chair.customer.msisdn, secretary.customer.msisdn], idempotencyKey: chamaKey() });
    expect((await decideGuarantee(db, { requestId: request.id, signer: { customerId: secretary.customer.id, pinVerified: true }, accept: false })).status).to.equal('declined');
    const told = await db('sms_outbox').where({ msisdn: borrower.customer.msisdn }).where('message', 'like', '%was declined by Secretary%');
    expect(told).to.have.length(1);
    expect(await shown(chama.savingsAccountId)).to.equal(kes(2400));
    // A new request may be made once the first is closed.
    const again = await applyGroupLoan(db, { chamaId: chama.id, customerId: borrower.customer.id, amount: kes(1000), guarantorMsisdns: [chair.customer.msisdn, secretary.customer.msisdn], idempotencyKey: chamaKey() });
    expect(again.status).to.equal('guarantors');
  });

  it('refuses guarantors who are not members, the applicant, or the wrong count; and a second open request', async () => {
    const { chama, chair, secretary, borrower } = await lendingGroup();
    const outsider = await makeMember(await makeGroup().then((g) => g.chama));
    const apply = (guarantorMsisdns: string[]) => applyGroupLoan(db, { chamaId: chama.id, customerId: borrower.customer.id, amount: kes(500), guarantorMsisdns, idempotencyKey: chamaKey() });
    expect((await refusal(apply([chair.customer.msisdn]))) as Error).to.have.property('code', 'validation_failed');
    expect((await refusal(apply([chair.customer.msisdn, borrower.customer.msisdn]))) as Error).to.have.property('code', 'validation_failed');
    expect((await refusal(apply([chair.customer.msisdn, outsider.customer.msisdn]))) as Error).to.have.property('code', 'not_a_member');
    await apply([chair.customer.msisdn, secretary.customer.msisdn]);
    const second = await refusal(apply([chair.customer.msisdn, secretary.customer.msisdn]));
    expect(second).to.be.instanceOf(ChamaLoanLimitError);
    expect((second as ChamaLoanLimitError).reason).to.equal('open_loan');
  });
});
