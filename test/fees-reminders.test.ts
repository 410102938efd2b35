/** Arrears reminders: who is selected, the weekly cap, quiet hours and opt-outs, all on a fake clock; and the daily repeatable job. */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { db } from '../src/db/index.js';
import { createTerm, invoiceTerm, recordSchoolPayment, setFeeStructure, type School, type Student } from '../src/fees/index.js';
import { sendArrearsReminders, selectArrears } from '../src/fees/arrears.js';
import { FEE_REMINDERS_CRON, startFeeReminders } from '../src/fees/reminder-job.js';
import { kes, makeSchool, makeStudent } from './helpers/fees.js';
import { assertLedgerSound, randomMsisdn } from './helpers/customers.js';
import { closeAtEnd } from './helpers/resources.js';
import { closeQueues } from '../src/queue/index.js';

/** 09:00 Nairobi on `day` (UTC+3). */
const morning = (day: string) => new Date(`${day}T06:00:00Z`);
const DAY = 24 * 60 * 60 * 1000;

/** A school with one term due `dueDate` at KES 15,000 for Form 1, invoiced to `students` made by `make`. */
async function termDue(dueDate: string, make: (school: School) => Promise<Student[]>) {
  const school = await makeSchool({ name: 'Reminder Academy' });
  const students = await make(school);
  const term = await createTerm(db, school.id, { name: `Term ${randomUUID().slice(0, 8)}`, dueDate });
  await setFeeStructure(db, term.id, 'Form 1', kes(15_000));
  await invoiceTerm(db, term.id);
  return { school, students, term };
}

const remindersTo = (msisdn: string) => db('sms_outbox').where({ msisdn, kind: 'reminder' }).orderBy('id');

describe('school fee arrears reminders', () => {
  afterEach(assertLedgerSound);

  it('reminds the guardians of a student 30+ days in arrears, not one due 29 days ago, nor one who has paid', async () => {
    const [late, recent, paid] = [randomMsisdn(), randomMsisdn(), randomMsisdn()];
    const a = await termDue('2025-01-10', async (s) => [await makeStudent(s, { name: 'Faith Njeri', guardians: [late] }), await makeStudent(s, { guardians: [paid] })]);
    const b = await termDue('2025-01-12', async (s) => [await makeStudent(s, { guardians: [recent] })]);
    await recordSchoolPayment(db, { schoolId: a.school.id, reference: a.students[1].admissionNo, amount: kes(15_000), idempotencyKey: `bank:equity:${randomUUID()}`, channel: 'bank' });

    const now = morning('2025-02-10'); // 31 days after 10 Jan, 29 after 12 Jan
    const selected = (await selectArrears(db, now)).map((c) => c.studentId);
    expect(selected).to.include(a.students[0].id).and.not.include(a.students[1].id).and.not.include(b.students[0].id);

    const run = await sendArrearsReminders(db, now);
    expect(run.students).to.be.at.least(1);
    const [sms] = await remindersTo(late);
    expect(sms.message).to.equal(
      `Reminder Academy: FAITH NJERI (${a.students[0].admissionNo}) has fees of KES 15,000 overdue since 10/01/2025. Pay on Simu *384# or paybill ${a.school.paybill} account ${a.students[0].admissionNo}. Thank you.`,
    );
    expect(sms.not_before).to.equal(null);
    expect(sms.sender_id).to.equal('TESTSCH'); // the school's SMS sender name
    expect(await remindersTo(recent)).to.have.length(0);
    expect(await remindersTo(paid)).to.have.length(0);
  });

  it('sends at most one reminder a week per student', async () => {
    const guardian = randomMsisdn();
    const { students } = await termDue('2024-06-01', async (s) => [await makeStudent(s, { guardians: [guardian] })]);
    const first = morning('2024-08-01');
    await sendArrearsReminders(db, first);
    await sendArrearsReminders(db, new Date(first.getTime() + DAY));
    await sendArrearsReminders(db, new Date(first.getTime() + 6 * DAY));
    expect(await remindersTo(guardian)).to.have.length(1);
    await sendArrearsReminders(db, new Date(first.getTime() + 7 * DAY + 60_000));
    expect(await remindersTo(guardian)).to.have.length(2);
    const runs = await db('fee_reminders').where({ student_id: students[0].id });
    expect(runs.map((r) => [BigInt(r.balance), r.recipients])).to.deep.equal([[kes(15_000), 1], [kes(15_000), 1]]);
  });

  it('a run at night writes reminders that wait for 07:00 Nairobi', async () => {
    const guardian = randomMsisdn();
    await termDue('2024-03-01', async (s) => [await makeStudent(s, { guardians: [guardian] })]);
    await sendArrearsReminders(db, new Date('2024-05-02T19:30:00Z')); // 22:30 Nairobi
    const [sms] = await remindersTo(guardian);
    expect(sms.not_before.toISOString()).to.equal('2024-05-03T04:00:00.000Z');
  });

  it('a guardian who opted out gets nothing; the other guardian still does', async () => {
    const [out, stays] = [randomMsisdn(), randomMsisdn()];
    await db('sms_opt_outs').insert({ msisdn: out });
    const { students } = await termDue('2024-01-05', async (s) => [await makeStudent(s, { guardians: [out, stays] })]);
    await sendArrearsReminders(db, morning('2024-03-01'));
    expect(await remindersTo(out)).to.have.length(0);
    expect(await remindersTo(stays)).to.have.length(1);
    expect((await db('fee_reminders').where({ student_id: students[0].id }).first()).recipients).to.equal(1);
  });

  it('the worker schedules the run as a daily repeatable job at 09:00 Nairobi', async () => {
    closeAtEnd(closeQueues);
    const running = startFeeReminders({ queueName: `test-fee-reminders-${randomUUID()}` });
    try {
      let jobs: Array<{ cron: string; tz?: string | null }> = [];
      for (let i = 0; i < 50 && jobs.length === 0; i += 1) {
        jobs = await running.queue.getRepeatableJobs();
        if (jobs.length === 0) await new Promise((r) => setTimeout(r, 50));
      }
      expect(jobs.map((j) => [j.cron, j.tz])).to.deep.equal([[FEE_REMINDERS_CRON, 'Africa/Nairobi']]);
      await running.queue.obliterate({ force: true });
    } finally {
      await running.stop();
    }
  });
});
