/** Scheduled SMS (invoices, reminders): quiet hours in Nairobi, opt-outs in one place, and the relay holding a row until its hour. */
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { enqueueSms, isQuietHour, nextSendableAt, relayPendingOutbox, type SmsJob } from '../src/sms/index.js';
import type { Queue } from '../src/queue/index.js';
import { randomMsisdn } from './helpers/customers.js';

/** A UTC instant; Nairobi is UTC+3 all year. */
const utc = (iso: string) => new Date(`${iso}Z`);

describe('scheduled SMS', () => {
  it('quiet hours are 21:00 to 07:00 in Nairobi, whatever the server clock', () => {
    expect(isQuietHour(utc('2026-12-06T17:59:59'))).to.equal(false); // 20:59:59 Nairobi
    expect(isQuietHour(utc('2026-12-06T18:00:00'))).to.equal(true); // 21:00
    expect(isQuietHour(utc('2026-12-06T21:30:00'))).to.equal(true); // 00:30
    expect(isQuietHour(utc('2026-12-07T03:59:59'))).to.equal(true); // 06:59:59
    expect(isQuietHour(utc('2026-12-07T04:00:00'))).to.equal(false); // 07:00
  });

  it('a scheduled SMS written at night waits for 07:00 Nairobi; by day it goes at once', () => {
    expect(nextSendableAt(utc('2026-12-06T19:30:00')).toISOString()).to.equal('2026-12-07T04:00:00.000Z'); // 22:30 → 07:00 next day
    expect(nextSendableAt(utc('2026-12-06T23:10:00')).toISOString()).to.equal('2026-12-07T04:00:00.000Z'); // 02:10 → 07:00 same day
    expect(nextSendableAt(utc('2026-12-31T20:00:00')).toISOString()).to.equal('2027-01-01T04:00:00.000Z'); // 23:00 on 31 Dec
    expect(nextSendableAt(utc('2026-12-06T09:15:00')).toISOString()).to.equal('2026-12-06T09:15:00.000Z');
  });

  it('a reminder written at night is held (not_before); a receipt at the same instant is not', async () => {
    const msisdn = randomMsisdn();
    const night = utc('2026-12-06T19:30:00');
    const [reminder] = await enqueueSms(db, [{ msisdn, message: 'Fees reminder', kind: 'reminder' }], { now: night });
    const [receipt] = await enqueueSms(db, [{ msisdn, message: 'Receipt', kind: 'receipt' }], { now: night });
    const rows = await db('sms_outbox').whereIn('id', [String(reminder), String(receipt)]).orderBy('id');
    expect(rows.map((r) => r.not_before?.toISOString() ?? null)).to.deep.equal(['2026-12-07T04:00:00.000Z', null]);
    const [day] = await enqueueSms(db, [{ msisdn, message: 'Fees reminder', kind: 'invoice' }], { now: utc('2026-12-06T08:00:00') });
    expect((await db('sms_outbox').where({ id: String(day) }).first()).not_before).to.equal(null);
  });

  it('an opted-out number gets no invoice or reminder, and still gets its receipts', async () => {
    const out = randomMsisdn();
    const other = randomMsisdn();
    await db('sms_opt_outs').insert({ msisdn: out });
    const ids = await enqueueSms(db, [
      { msisdn: out, message: 'Reminder', kind: 'reminder' }, { msisdn: out, message: 'Invoice', kind: 'invoice' },
      { msisdn: other, message: 'Reminder', kind: 'reminder' }, { msisdn: out, message: 'Receipt', kind: 'receipt' },
    ], { now: utc('2026-12-06T08:00:00') });
    const rows = await db('sms_outbox').whereIn('id', ids.map(String)).orderBy('id');
    expect(rows.map((r) => [r.msisdn, r.kind])).to.deep.equal([[other, 'reminder'], [out, 'receipt']]);
    const [{ n }] = await db('sms_outbox').where({ msisdn: out }).whereIn('kind', ['reminder', 'invoice']).count({ n: '*' });
    expect(Number(n)).to.equal(0);
  });

  it('the relay leaves a held row pending until its hour, and relays it after', async () => {
    const trx = await db.transaction();
    try {
      const msisdn = randomMsisdn();
      const [held] = await trx('sms_outbox').insert({ msisdn, message: 'later', kind: 'reminder', not_before: trx.raw(`now() + interval '1 hour'`) }).returning('id');
      const [due] = await trx('sms_outbox').insert({ msisdn, message: 'due', kind: 'reminder', not_before: trx.raw(`now() - interval '1 second'`) }).returning('id');
      const jobs: string[] = [];
      const queue = { addBulk: async (js: Array<{ data: SmsJob }>) => { for (const j of js) jobs.push(String(j.data.outboxId)); return []; } } as unknown as Queue<SmsJob>;
      await relayPendingOutbox(trx, queue, 100_000);
      expect(jobs).to.include(String(due.id)).and.not.include(String(held.id));
      expect((await trx('sms_outbox').where({ id: held.id }).first()).status).to.equal('pending');
      await trx('sms_outbox').where({ id: held.id }).update({ not_before: trx.raw(`now() - interval '1 second'`) });
      await relayPendingOutbox(trx, queue, 100_000);
      expect(jobs).to.include(String(held.id));
    } finally {
      await trx.rollback();
    }
  });
});
