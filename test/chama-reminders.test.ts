/**
 * The chamas' daily run with a fake clock (src/chama/reminders.ts): reminders 2 days before
 * a due day to members who owe, fines the day after the grace, the officials' Monday
 * summary; each written once, in the member's language, honouring opt-outs and quiet
 * hours; and the daily repeatable job. The helper's chama is due on the 5th of each month
 * from 2027-01-05 (KES 1,000: 800 merry-go-round, 200 savings; fine KES 100 after 3 days).
 */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { db } from '../src/db/index.js';
import { config } from '../src/config/index.js';
import { setLanguage } from '../src/customers/index.js';
import { closeQueues } from '../src/queue/index.js';
import {
  contribute, cycleToRemind, isSummaryDay, runChamaDay, sendDueReminders, startChamaReminders, CHAMA_DAILY_CRON, type Chama,
} from '../src/chama/index.js';
import { assertLedgerSound } from './helpers/customers.js';
import { chamaKey, kes, makeGroup, makeMember } from './helpers/chama.js';
import { closeAtEnd } from './helpers/resources.js';

/** A Date at `hh:mm` Nairobi time on `day`. */
const nairobi = (day: string, time = '08:30') => new Date(`${day}T${time}:00+03:00`);
const remindersTo = (chama: Chama, msisdn: string) => db('sms_outbox').where({ msisdn, kind: 'reminder' })
  .where('dedupe_key', 'like', `chama:${chama.id}:reminder:%`).orderBy('id');
const summariesTo = (chama: Chama, msisdn: string) => db('sms_outbox').where({ msisdn, kind: 'reminder' })
  .where('dedupe_key', 'like', `chama:${chama.id}:summary:%`).orderBy('id');
const pay = (chama: Chama, customerId: number, amount: bigint) =>
  contribute(db, { customerId, pinVerified: true, chamaId: chama.id, amount, idempotencyKey: chamaKey() });

describe('chama: the daily run (reminders, fines, weekly summary)', () => {
  afterEach(assertLedgerSound);

  it('knows which days are reminder and summary days', async () => {
    const { chama } = await makeGroup();
    expect(['2027-01-02', '2027-01-03', '2027-01-04', '2027-02-03'].map((d) => cycleToRemind(chama, d))).to.deep.equal([null, 1, null, 2]);
    expect(['2027-01-03', '2027-01-04', '2027-01-05'].map(isSummaryDay)).to.deep.equal([false, true, false]);
  });

  it('reminds the members who owe 2 days before the due day, in their language, once however often it runs', async () => {
    const { chama, chair, treasurer, secretary } = await makeGroup();
    await setLanguage(secretary.customer.msisdn, 'sw', db);
    await pay(chama, chair.customer.id, kes(1000));

    await runChamaDay(db, nairobi('2027-01-02'));
    expect(await remindersTo(chama, treasurer.customer.msisdn)).to.have.length(0);

    const first = await runChamaDay(db, nairobi('2027-01-03'));
    expect(first.reminded).to.be.at.least(2);
    await runChamaDay(db, nairobi('2027-01-03', '15:00'));
    await runChamaDay(db, nairobi('2027-01-04')); // a Monday: the officials' summary too

    expect(await remindersTo(chama, chair.customer.msisdn)).to.have.length(0); // paid: nothing owed
    const [en] = await remindersTo(chama, treasurer.customer.msisdn).then((rows) => { expect(rows).to.have.length(1); return rows; });
    expect(en.message).to.equal(`${chama.name}: Reminder, KES 1,000 is due on 05/01/2027. Pay on ${config.ussdServiceCode} > Chama.`);
    expect(en.not_before).to.equal(null);
    expect(en.dedupe_key).to.equal(`chama:${chama.id}:reminder:${treasurer.member.id}:2027-01-05`);
    const sw = await remindersTo(chama, secretary.customer.msisdn);
    expect(sw).to.have.length(1);
    expect(sw[0].message).to.contain('Kumbusho').and.to.contain('KES 1,000').and.to.contain('05/01/2027').and.to.contain(`${config.ussdServiceCode} > Chama`);

    const recorded = await db('chama_reminders').where({ chama_id: chama.id, kind: 'reminder' }).orderBy('member_id');
    expect(recorded.map((r) => [r.member_id, r.kind, r.period, BigInt(r.amount), r.sms])).to.deep.equal([
      [treasurer.member.id, 'reminder', '2027-01-05', kes(1000), 1], [secretary.member.id, 'reminder', '2027-01-05', kes(1000), 1],
    ]);
  });

  it('posts the fines the day after the grace, tells the member, and the next reminder carries fines and arrears', async () => {
    const { chama, chair, treasurer } = await makeGroup();
    await pay(chama, chair.customer.id, kes(1000));
    await runChamaDay(db, nairobi('2027-01-08'));
    expect(await db('chama_fines').where({ chama_id: chama.id })).to.have.length(0);

    const run = await runChamaDay(db, nairobi('2027-01-09'));
    expect(run.fined).to.be.at.least(2);
    await runChamaDay(db, nairobi('2027-01-09', '12:00'));
    const fines = await db('chama_fines').where({ chama_id: chama.id }).orderBy('member_id');
    expect(fines.map((f) => [f.cycle_no, BigInt(f.amount)])).to.deep.equal([[1, kes(100)], [1, kes(100)]]);
    expect(fines.map((f) => f.member_id)).to.not.include(chair.member.id);
    const notices = await db('sms_outbox').where({ msisdn: treasurer.customer.msisdn, kind: 'notice' })
      .where('dedupe_key', 'like', `chama-fine:${chama.id}:%`);
    expect(notices).to.have.length(1);
    expect(notices[0].message).to.contain('a fine of KES 100').and.to.contain('05/01/2027');

    await runChamaDay(db, nairobi('2027-02-03'));
    const rows = await remindersTo(chama, treasurer.customer.msisdn);
    expect(rows.map((r) => r.message)).to.deep.equal([
      `${chama.name}: Reminder, KES 2,100 (contribution KES 1,000, arrears KES 1,000, fines KES 100) is due on 05/02/2027. Pay on ${config.ussdServiceCode} > Chama.`,
    ]);
    expect(await remindersTo(chama, chair.customer.msisdn)).to.have.length(1); // paid cycle 1 only: owes cycle 2
  });

  it('writes nothing to a member who opted out; the others are still reminded', async () => {
    const { chama, chair, treasurer, secretary } = await makeGroup();
    await db('sms_opt_outs').insert({ msisdn: secretary.customer.msisdn });
    const written = await sendDueReminders(db, chama, nairobi('2027-01-03'));
    expect(written).to.equal(2);
    expect(await remindersTo(chama, chair.customer.msisdn)).to.have.length(1);
    expect(await remindersTo(chama, treasurer.customer.msisdn)).to.have.length(1);
    expect(await remindersTo(chama, secretary.customer.msisdn)).to.have.length(0);
    const row = await db('chama_reminders').where({ chama_id: chama.id, member_id: secretary.member.id }).first();
    expect(row.sms).to.equal(0);
    expect(await sendDueReminders(db, chama, nairobi('2027-01-03', '09:00'))).to.equal(0);
  });

  it('a reminder written in quiet hours waits until 07:00 Nairobi', async () => {
    const { chama, chair } = await makeGroup();
    await runChamaDay(db, nairobi('2027-01-03', '22:30'));
    const [row] = await remindersTo(chama, chair.customer.msisdn);
    expect(row.not_before.toISOString()).to.equal('2027-01-04T04:00:00.000Z');
  });

  it('sends the officials a summary on Mondays only: savings, pot, loans, the cycle\'s collection and arrears', async () => {
    const { chama, chair, treasurer, secretary } = await makeGroup();
    const member = await makeMember(chama);
    await pay(chama, chair.customer.id, kes(1000));
    await setLanguage(secretary.customer.msisdn, 'sw', db);

    await runChamaDay(db, nairobi('2027-01-04')); // a Monday
    await runChamaDay(db, nairobi('2027-01-04', '16:00'));
    await runChamaDay(db, nairobi('2027-01-05')); // a Tuesday
    for (const official of [chair, treasurer]) {
      const rows = await summariesTo(chama, official.customer.msisdn);
      expect(rows.map((r) => r.message)).to.deep.equal([
        `${chama.name} weekly: savings KES 200, pot KES 800, loans out KES 0. Due 05/01/2027: KES 1,000 of KES 4,000 in. In arrears: 0 of 4.`,
      ]);
    }
    const sw = await summariesTo(chama, secretary.customer.msisdn);
    expect(sw).to.have.length(1);
    expect(sw[0].message).to.contain('akiba KES 200').and.to.contain('KES 1,000 kati ya KES 4,000');
    expect(await summariesTo(chama, member.customer.msisdn)).to.have.length(0);

    await runChamaDay(db, nairobi('2027-01-11')); // the next Monday, after the fines of cycle 1
    const rows = await summariesTo(chama, treasurer.customer.msisdn);
    expect(rows).to.have.length(2);
    expect(rows[1].message).to.contain('savings KES 200').and.to.contain('Due 05/02/2027: KES 0 of KES 4,000 in. In arrears: 3 of 4.');
  });

  it('the worker schedules the run as a daily repeatable job at 08:30 Nairobi', async () => {
    closeAtEnd(closeQueues);
    const running = startChamaReminders({ queueName: `test-chama-daily-${randomUUID()}` });
    try {
      let jobs: Array<{ cron: string; tz?: string | null }> = [];
      for (let i = 0; i < 50 && jobs.length === 0; i += 1) {
        jobs = await running.queue.getRepeatableJobs();
        if (jobs.length === 0) await new Promise((r) => setTimeout(r, 50));
      }
      expect(jobs.map((j) => [j.cron, j.tz])).to.deep.equal([[CHAMA_DAILY_CRON, 'Africa/Nairobi']]);
      await running.queue.obliterate({ force: true });
    } finally {
      await running.stop();
    }
  });
});
