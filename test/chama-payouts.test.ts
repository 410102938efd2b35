/**
 * A chama's full cycle against PostgreSQL: three members contribute, one late (fined, the
 * fine paid first); the merry-go-round payout needs the chairperson's and the treasurer's
 * approvals (one approval, a wrong PIN and a plain member all pay nothing); the rotation
 * moves on, a member in arrears is skipped to the back unless overridden; a member leaves
 * with their savings less fines. The ledger is sound after every test.
 */
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { displayBalance, getAccount, checkLedger } from '../src/ledger/index.js';
import { WrongPinError } from '../src/customers/index.js';
import {
  approveExit, approvePayout, contribute, getMember, membersOf, nextPayout, postFines, requestExit, ChamaStateError, NotAnOfficialError,
  type Chama,
} from '../src/chama/index.js';
import { assertLedgerSound } from './helpers/customers.js';
import { chamaKey, kes, makeGroup, makeMember } from './helpers/chama.js';

const shown = async (id: number) => displayBalance(await getAccount(db, id));
async function refusal(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => expect.fail('expected a refusal'), (e: unknown) => e);
}
const pay = (chama: Chama, customerId: number, amountKes: number, today?: string) =>
  contribute(db, { customerId, pinVerified: true, chamaId: chama.id, amount: kes(amountKes), idempotencyKey: chamaKey(), today });
async function ledgerClean() {
  expect(await checkLedger(db)).to.deep.equal([]);
}

describe('chama: a full cycle', () => {
  afterEach(assertLedgerSound);

  it('collects from three members (one late, fined, the fine paid first) and pays the pot once both officials approve', async () => {
    const { chama, chair, treasurer, secretary } = await makeGroup();
    // Rotation: chair, treasurer, secretary. Chair and treasurer pay on time; the secretary is late.
    await pay(chama, chair.customer.id, 1000);
    await pay(chama, treasurer.customer.id, 1000);
    await ledgerClean();
    const fines = await postFines(db, chama.id, '2027-01-09');
    expect(fines.map((f) => f.memberId)).to.deep.equal([secretary.member.id]);
    const late = await pay(chama, secretary.customer.id, 1100, '2027-01-10');
    expect(late.allocation).to.deep.equal({ fines: kes(100), lines: [{ cycleNo: 1, merryGoRound: kes(800), savings: kes(200) }] });
    expect(await shown(chama.potAccountId)).to.equal(kes(2400));
    expect(await shown(chama.savingsAccountId)).to.equal(kes(700));
    await ledgerClean();

    const next = await nextPayout(db, chama.id, '2027-01-10');
    expect(next).to.include({ cycleNo: 1, payable: true, amount: kes(2400) });
    expect(next!.recipient.id).to.equal(chair.member.id);
    // The chair is the recipient: the secretary signs in the chair's place.
    expect(next!.needed).to.deep.equal(['secretary', 'treasurer']);

    expect(await refusal(approvePayout(db, { chamaId: chama.id, cycleNo: 1, signer: { msisdn: chair.customer.msisdn, pin: '1234' }, today: '2027-01-10' })))
      .to.be.instanceOf(NotAnOfficialError);
    expect(await refusal(approvePayout(db, { chamaId: chama.id, cycleNo: 1, signer: { msisdn: treasurer.customer.msisdn, pin: '0000' }, today: '2027-01-10' })))
      .to.be.instanceOf(WrongPinError);
    const first = await approvePayout(db, { chamaId: chama.id, cycleNo: 1, signer: { msisdn: treasurer.customer.msisdn, pin: '1234' }, today: '2027-01-10' });
    expect(first.paid).to.equal(null);
    expect(first.next.signed).to.deep.equal(['treasurer']);
    expect(await shown(chama.potAccountId)).to.equal(kes(2400));
    const again = await refusal(approvePayout(db, { chamaId: chama.id, cycleNo: 1, signer: { msisdn: treasurer.customer.msisdn, pin: '1234' }, today: '2027-01-10' }));
    expect((again as ChamaStateError).code).to.equal('already_approved');

    const second = await approvePayout(db, { chamaId: chama.id, cycleNo: 1, signer: { msisdn: secretary.customer.msisdn, pin: '1234' }, today: '2027-01-10' });
    expect(second.paid?.amount).to.equal(kes(2400));
    expect(await shown(chama.potAccountId)).to.equal(0n);
    expect(await shown(chair.customer.walletAccountId)).to.equal(kes(9000 + 2400));
    expect((await membersOf(db, chama.id)).map((m) => m.id)).to.deep.equal([treasurer.member.id, secretary.member.id, chair.member.id]);
    const notices = await db('sms_outbox').whereIn('msisdn', [treasurer.customer.msisdn, secretary.customer.msisdn]).where('message', 'like', '%payout of KES 2,400 was paid to Chair%');
    expect(notices).to.have.length(2);
    const receipt = await db('sms_outbox').where({ msisdn: chair.customer.msisdn }).where('message', 'like', '%You have received KES 2,400%').first();
    expect(receipt).to.not.equal(undefined);
    // Cycle 2 is next, for the treasurer, due a month later.
    expect(await nextPayout(db, chama.id, '2027-01-10')).to.include({ cycleNo: 2, payable: false, dueOn: '2027-02-05' });
    await ledgerClean();
  });

  it('refuses a payout before its due day, with nothing collected, or for a cycle that is not next', async () => {
    const { chama, chair, treasurer } = await makeGroup();
    const early = await refusal(approvePayout(db, { chamaId: chama.id, cycleNo: 1, signer: { customerId: treasurer.customer.id, pinVerified: true }, today: '2027-01-04' }));
    expect((early as ChamaStateError).code).to.equal('not_due');
    const empty = await refusal(approvePayout(db, { chamaId: chama.id, cycleNo: 1, signer: { customerId: treasurer.customer.id, pinVerified: true }, today: '2027-01-05' }));
    expect((empty as ChamaStateError).code).to.equal('nothing_to_pay');
    await pay(chama, chair.customer.id, 1000);
    const wrong = await refusal(approvePayout(db, { chamaId: chama.id, cycleNo: 2, signer: { customerId: treasurer.customer.id, pinVerified: true }, today: '2027-01-05' }));
    expect((wrong as ChamaStateError).code).to.equal('payout_changed');
  });

  it('skips a member in arrears to the back of the rotation, or pays them when the officials override', async () => {
    const { chama, chair, treasurer, secretary } = await makeGroup();
    const member = await makeMember(chama);
    // Rotation: chair, treasurer, secretary, member. The chair has not paid.
    for (const m of [treasurer, secretary, member]) await pay(chama, m.customer.id, 1000);
    // Before the due day the chair's cycle-1 contribution is not late yet: the queue's front is shown.
    expect((await nextPayout(db, chama.id, '2027-01-04'))!.recipient.id).to.equal(chair.member.id);
    const next = await nextPayout(db, chama.id, '2027-01-06');
    expect(next!.recipient.id).to.equal(treasurer.member.id);
    expect(next!.skipped?.id).to.equal(chair.member.id);
    // The treasurer is the recipient: chair and secretary sign.
    await approvePayout(db, { chamaId: chama.id, cycleNo: 1, signer: { customerId: chair.customer.id, pinVerified: true }, today: '2027-01-06' });
    const paid = await approvePayout(db, { chamaId: chama.id, cycleNo: 1, signer: { customerId: secretary.customer.id, pinVerified: true }, today: '2027-01-06' });
    expect(paid.paid?.amount).to.equal(kes(2400));
    expect((await membersOf(db, chama.id)).map((m) => m.id)).to.deep.equal([secretary.member.id, member.member.id, treasurer.member.id, chair.member.id]);

    const other = await makeGroup();
    for (const m of [other.treasurer, other.secretary]) await pay(other.chama, m.customer.id, 1000);
    const override = await approvePayout(db, { chamaId: other.chama.id, cycleNo: 1, override: true, signer: { customerId: other.treasurer.customer.id, pinVerified: true }, today: '2027-01-06' });
    expect(override.next.recipient.id).to.equal(other.chair.member.id);
    expect(override.next.override).to.equal(true);
    const done = await approvePayout(db, { chamaId: other.chama.id, cycleNo: 1, signer: { customerId: other.secretary.customer.id, pinVerified: true }, today: '2027-01-06' });
    expect(done.paid?.amount).to.equal(kes(1600));
    expect(await shown(other.chair.customer.walletAccountId)).to.equal(kes(10_000 + 1600));
  });
});

describe('chama: leaving', () => {
  afterEach(assertLedgerSound);

  it('pays a leaver their savings less fines once two officials approve, and closes up the rotation', async () => {
    const { chama, chair, treasurer, secretary } = await makeGroup();
    const member = await makeMember(chama);
    await pay(chama, member.customer.id, 3000); // 3 cycles: KES 600 saved
    await postFines(db, chama.id, '2027-01-09'); // fined the others, not the member
    const exit = await requestExit(db, { chamaId: chama.id, memberId: member.member.id, requesterCustomerId: member.customer.id });
    expect(exit.status).to.equal('pending');
    expect(await refusal(approveExit(db, { exitId: exit.id, signer: { customerId: member.customer.id, pinVerified: true } }))).to.be.instanceOf(NotAnOfficialError);
    expect((await approveExit(db, { exitId: exit.id, signer: { customerId: chair.customer.id, pinVerified: true } })).complete).to.equal(false);
    const done = await approveExit(db, { exitId: exit.id, signer: { customerId: treasurer.customer.id, pinVerified: true } });
    expect(done.complete).to.equal(true);
    expect(done.exit).to.include({ status: 'paid', savings: kes(600), fines: 0n, amount: kes(600) });
    expect(await shown(member.customer.walletAccountId)).to.equal(kes(10_000 - 3000 + 600));
    expect((await getMember(db, member.member.id)).status).to.equal('left');
    expect((await membersOf(db, chama.id)).map((m) => m.id)).to.deep.equal([chair.member.id, treasurer.member.id, secretary.member.id]);
    // The secretary, fined for cycle 1 already, pays KES 1,000 (fine first: KES 100 saved), then is fined for cycle 2:
    // leaving takes that fine from their savings.
    await pay(chama, secretary.customer.id, 1000);
    await postFines(db, chama.id, '2027-02-09');
    const exit2 = await requestExit(db, { chamaId: chama.id, memberId: secretary.member.id, requesterCustomerId: chair.customer.id });
    await approveExit(db, { exitId: exit2.id, signer: { customerId: chair.customer.id, pinVerified: true } });
    const done2 = await approveExit(db, { exitId: exit2.id, signer: { customerId: treasurer.customer.id, pinVerified: true } });
    expect(done2.exit).to.include({ savings: kes(100), fines: kes(100), amount: 0n });
    expect(await shown(secretary.member.finesAccountId)).to.equal(0n);
    expect(await shown(chama.savingsAccountId)).to.equal(kes(200));
  });

  it('refuses to let a member leave with fines above their savings', async () => {
    const { chama, secretary } = await makeGroup();
    await postFines(db, chama.id, '2027-01-09');
    const err = await refusal(requestExit(db, { chamaId: chama.id, memberId: secretary.member.id, requesterCustomerId: secretary.customer.id }));
    expect((err as ChamaStateError).code).to.equal('fines_exceed_savings');
  });
});

describe('chama: payouts past empty cycles', () => {
  afterEach(assertLedgerSound);

  it('moves on past cycles nothing was collected for (members who joined after them), and shows the current cycle while the pot is empty', async () => {
    // Cycles 1 and 2 (due 05/11 and 05/12/2026) were before anyone joined: dues start at cycle 3, due 05/01/2027.
    const { chama, chair, treasurer, secretary } = await makeGroup({ firstDueOn: '2026-11-05' });
    expect(await nextPayout(db, chama.id, '2027-01-05')).to.include({ cycleNo: 3, amount: 0n });
    await pay(chama, chair.customer.id, 1000);
    await pay(chama, secretary.customer.id, 1000);
    const next = await nextPayout(db, chama.id, '2027-01-05');
    expect(next).to.include({ cycleNo: 3, amount: kes(1600), payable: true });
    expect(next!.recipient.id).to.equal(chair.member.id);
    await approvePayout(db, { chamaId: chama.id, cycleNo: 3, signer: { customerId: treasurer.customer.id, pinVerified: true }, today: '2027-01-05' });
    const done = await approvePayout(db, { chamaId: chama.id, cycleNo: 3, signer: { customerId: secretary.customer.id, pinVerified: true }, today: '2027-01-05' });
    expect(done.paid?.amount).to.equal(kes(1600));
    expect(await nextPayout(db, chama.id, '2027-01-06')).to.include({ cycleNo: 4, amount: 0n, dueOn: '2027-02-05' });
  });
});
