/**
 * Chama contributions and fines against PostgreSQL: the split into merry-go-round and
 * savings, fines paid first, paying ahead, too much refused, replays, two members at once,
 * and both books' trial balances zero after each test.
 */
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { displayBalance, getAccount, IdempotencyConflictError } from '../src/ledger/index.js';
import { WrongPinError } from '../src/customers/index.js';
import {
  contribute, cycleOn, dueOn, duesOf, fineOn, getMember, postFines, ChamaInactiveError, ContributionTooLargeError, NotAMemberError, updateChamaPolicy,
} from '../src/chama/index.js';
import { assertLedgerSound, makeCustomer } from './helpers/customers.js';
import { chamaKey, kes, makeGroup, makeMember } from './helpers/chama.js';

const shown = async (id: number) => displayBalance(await getAccount(db, id));
async function refusal(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => expect.fail('expected a refusal'), (e: unknown) => e);
}

describe('chama: cycles', () => {
  it('counts monthly cycles from the first due day, the current one being the first due on or after the day', async () => {
    const { chama } = await makeGroup({ firstDueOn: '2027-01-05' });
    expect([1, 2, 3].map((n) => dueOn(chama, n))).to.deep.equal(['2027-01-05', '2027-02-05', '2027-03-05']);
    expect(['2026-12-06', '2027-01-05', '2027-01-06', '2027-02-05', '2027-02-06', '2028-01-05'].map((d) => cycleOn(chama, d))).to.deep.equal([1, 1, 2, 2, 3, 13]);
    expect(fineOn(chama, 1)).to.equal('2027-01-09');
  });

  it('counts weekly cycles', async () => {
    const { chama } = await makeGroup({ frequency: 'weekly', firstDueOn: '2027-01-01' });
    expect(dueOn(chama, 3)).to.equal('2027-01-15');
    expect(cycleOn(chama, '2027-01-09')).to.equal(3);
  });
});

describe('chama: contributions', () => {
  afterEach(assertLedgerSound);

  it('splits a contribution into the pot and savings, and grows the member\'s savings, in one entry', async () => {
    const { chama, chair } = await makeGroup();
    const r = await contribute(db, { payerMsisdn: chair.customer.msisdn, pin: '1234', chamaId: chama.id, amount: kes(1000), idempotencyKey: chamaKey() });
    expect(r.allocation).to.deep.equal({ fines: 0n, lines: [{ cycleNo: 1, merryGoRound: kes(800), savings: kes(200) }] });
    expect(await shown(chama.potAccountId)).to.equal(kes(800));
    expect(await shown(chama.savingsAccountId)).to.equal(kes(200));
    expect(r.saved).to.equal(kes(200));
    expect(r.walletBalance).to.equal(kes(9000));
    expect(r.dues).to.include({ due: 0n, currentDue: 0n, paidThisCycle: kes(1000) });
    const sms = await db('sms_outbox').where({ msisdn: chair.customer.msisdn }).orderBy('id', 'desc').first();
    expect(sms.message).to.match(/Confirmed\. You contributed KES 1,000 to Test Chama/);
  });

  it('fills the merry-go-round part of a cycle before its savings, and pays ahead after the current cycle', async () => {
    const { chama, chair } = await makeGroup();
    const pay = (amount: bigint) => contribute(db, { customerId: chair.customer.id, pinVerified: true, chamaId: chama.id, amount, idempotencyKey: chamaKey() });
    expect((await pay(kes(500))).allocation.lines).to.deep.equal([{ cycleNo: 1, merryGoRound: kes(500), savings: 0n }]);
    const r = await pay(kes(1700));
    expect(r.allocation.lines).to.deep.equal([
      { cycleNo: 1, merryGoRound: kes(300), savings: kes(200) },
      { cycleNo: 2, merryGoRound: kes(800), savings: kes(200) },
      { cycleNo: 3, merryGoRound: kes(200), savings: 0n },
    ]);
    expect(r.dues.ahead).to.equal(kes(1200));
  });

  it('pays fines first, then arrears, then the current cycle', async () => {
    const { chama, chair, treasurer } = await makeGroup();
    // Cycle 1 due 2027-01-05, fined 2027-01-09: the chair paid nothing.
    const fines = await postFines(db, chama.id, '2027-01-09');
    expect(fines.map((f) => f.cycleNo)).to.deep.equal([1, 1, 1]);
    expect(await postFines(db, chama.id, '2027-01-10')).to.deep.equal([]);
    const member = await getMember(db, chair.member.id);
    expect(await duesOf(db, chama, member, '2027-01-10')).to.include({ fines: kes(100), arrears: kes(1000), currentDue: kes(1000), due: kes(2100) });
    const r = await contribute(db, { customerId: chair.customer.id, pinVerified: true, chamaId: chama.id, amount: kes(1600), idempotencyKey: chamaKey(), today: '2027-01-10' });
    expect(r.allocation).to.deep.equal({ fines: kes(100), lines: [{ cycleNo: 1, merryGoRound: kes(800), savings: kes(200) }, { cycleNo: 2, merryGoRound: kes(500), savings: 0n }] });
    expect(await shown(member.finesAccountId)).to.equal(0n);
    expect(await shown(chama.savingsAccountId)).to.equal(kes(300));
    const notice = await db('sms_outbox').where({ msisdn: treasurer.customer.msisdn, kind: 'notice' }).first();
    expect(notice.message).to.match(/a fine of KES 100 for the contribution due 05\/01\/2027/);
  });

  it('does not fine a member who paid the cycle in full before the fine day', async () => {
    const { chama, chair } = await makeGroup();
    await contribute(db, { customerId: chair.customer.id, pinVerified: true, chamaId: chama.id, amount: kes(1000), idempotencyKey: chamaKey() });
    const fines = await postFines(db, chama.id, '2027-01-09');
    expect(fines.map((f) => f.memberId)).to.not.include(chair.member.id);
    expect(fines).to.have.length(2);
  });

  it('refuses more than what is due plus twelve cycles ahead, and moves nothing', async () => {
    const { chama, chair } = await makeGroup();
    const err = await refusal(contribute(db, { customerId: chair.customer.id, pinVerified: true, chamaId: chama.id, amount: kes(13_001), idempotencyKey: chamaKey() }));
    expect(err).to.be.instanceOf(ContributionTooLargeError);
    expect((err as ContributionTooLargeError).max).to.equal(kes(13_000));
    expect(await shown(chama.potAccountId)).to.equal(0n);
  });

  it('refuses a wrong PIN, a non-member and a suspended chama', async () => {
    const { chama, chair } = await makeGroup();
    const outsider = await makeCustomer(5000);
    expect(await refusal(contribute(db, { payerMsisdn: chair.customer.msisdn, pin: '9999', chamaId: chama.id, amount: kes(100), idempotencyKey: chamaKey() }))).to.be.instanceOf(WrongPinError);
    expect(await refusal(contribute(db, { customerId: outsider.id, pinVerified: true, chamaId: chama.id, amount: kes(100), idempotencyKey: chamaKey() }))).to.be.instanceOf(NotAMemberError);
    await updateChamaPolicy(db, chama.id, { status: 'suspended' });
    expect(await refusal(contribute(db, { customerId: chair.customer.id, pinVerified: true, chamaId: chama.id, amount: kes(100), idempotencyKey: chamaKey() }))).to.be.instanceOf(ChamaInactiveError);
    expect(await shown(chama.potAccountId)).to.equal(0n);
  });

  it('answers a replay with the first contribution and refuses the key for another amount', async () => {
    const { chama, chair } = await makeGroup();
    const key = chamaKey();
    const first = await contribute(db, { customerId: chair.customer.id, pinVerified: true, chamaId: chama.id, amount: kes(1000), idempotencyKey: key });
    const again = await contribute(db, { customerId: chair.customer.id, pinVerified: true, chamaId: chama.id, amount: kes(1000), idempotencyKey: key });
    expect(again).to.include({ replayed: true, code: first.code });
    expect(await refusal(contribute(db, { customerId: chair.customer.id, pinVerified: true, chamaId: chama.id, amount: kes(900), idempotencyKey: key }))).to.be.instanceOf(IdempotencyConflictError);
    expect(await shown(chama.potAccountId)).to.equal(kes(800));
  });

  it('posts both of two members contributing at the same instant, and one member\'s twin payments in turn', async () => {
    const { chama, chair, treasurer } = await makeGroup();
    const member = await makeMember(chama);
    await Promise.all([chair, treasurer, member].map((m) => contribute(db, { customerId: m.customer.id, pinVerified: true, chamaId: chama.id, amount: kes(1000), idempotencyKey: chamaKey() })));
    expect(await shown(chama.potAccountId)).to.equal(kes(2400));
    const twins = await Promise.all([1, 2].map(() => contribute(db, { customerId: chair.customer.id, pinVerified: true, chamaId: chama.id, amount: kes(1000), idempotencyKey: chamaKey() })));
    expect(twins.map((t) => t.allocation.lines[0].cycleNo).sort()).to.deep.equal([2, 3]);
    expect(await shown(chama.savingsAccountId)).to.equal(kes(1000));
  });
});
