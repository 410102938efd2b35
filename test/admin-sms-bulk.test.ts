/** POST /admin/sms/bulk: preview (writes nothing) and confirmed send to a segment. */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { db } from '../src/db/index.js';
import { smsParts } from '../src/sms/index.js';
import { admin, adminKey } from './helpers/admin.js';
import { makeCustomer, randomMsisdn } from './helpers/customers.js';
import { makeSchool, makeStudent } from './helpers/fees.js';
import { makeChama, makeMember } from './helpers/chama.js';

const EN = 'Dear parent, the school closes on Friday at noon.';
const SW = `Mzazi mpendwa, shule itafungwa Ijumaa saa sita mchana. ${'Tafadhali fika kwa wakati. '.repeat(5)}`.trim();

/** A school whose active students' guardians are: a Swahili-speaking customer, a number two students share, an opted-out number; and a student who left. */
async function schoolSegment() {
  const school = await makeSchool();
  const swahili = await makeCustomer(0);
  await db('customers').where({ id: swahili.id }).update({ language: 'sw' });
  const shared = randomMsisdn();
  const optedOut = randomMsisdn();
  const former = randomMsisdn();
  await makeStudent(school, { guardians: [swahili.msisdn, shared] });
  await makeStudent(school, { guardians: [shared, optedOut] });
  const left = await makeStudent(school, { guardians: [former] });
  await db('students').where({ id: left.id }).update({ status: 'left' });
  await db('sms_opt_outs').insert({ msisdn: optedOut });
  return { school, swahili: swahili.msisdn, shared, optedOut, former, all: [swahili.msisdn, shared, optedOut, former] };
}

const bulkRows = (msisdns: string[]) => db('sms_outbox').whereIn('msisdn', msisdns).where({ kind: 'bulk' }).orderBy('msisdn');
const sendsFor = (schoolId: number) => db('sms_bulk_sends').whereRaw(`segment->>'schoolId' = ?`, [String(schoolId)]);

describe('admin API: POST /sms/bulk', () => {
  it('smsParts() counts GSM-7 at 160 / 153 per part and UCS-2 at 70 / 67', () => {
    expect(smsParts('a'.repeat(160))).to.deep.equal({ encoding: 'GSM-7', characters: 160, parts: 1 });
    expect(smsParts('a'.repeat(161)).parts).to.equal(2);
    expect(smsParts('a'.repeat(307)).parts).to.equal(3);
    expect(smsParts('€'.repeat(80))).to.deep.equal({ encoding: 'GSM-7', characters: 160, parts: 1 });
    expect(smsParts('Wanjirũ'.repeat(10))).to.deep.equal({ encoding: 'UCS-2', characters: 70, parts: 1 });
    expect(smsParts('ũ'.repeat(71)).parts).to.equal(2);
  });

  it('without confirm, previews the recipients (distinct, active students only, opted-out counted apart), parts and cost, and writes nothing', async () => {
    const seg = await schoolSegment();

    const res = await admin('POST', '/sms/bulk', {
      key: await adminKey('operate'), body: { segment: { type: 'school_guardians', schoolId: seg.school.id }, message: { en: EN, sw: SW } },
    });

    expect(res.status).to.equal(200);
    expect(SW.length).to.be.within(161, 306);
    expect(res.body).to.deep.include({
      confirm: false, recipients: 2, optedOut: 1, byLanguage: { en: 1, sw: 1 }, totalParts: 3,
      pricePerPartCents: 80, estimatedCostCents: 240, costIsEstimate: true,
    });
    expect(res.body.parts).to.deep.equal({ en: { encoding: 'GSM-7', characters: EN.length, parts: 1 }, sw: { encoding: 'GSM-7', characters: SW.length, parts: 2 } });
    expect(await bulkRows(seg.all)).to.have.length(0);
    expect(await sendsFor(seg.school.id)).to.have.length(0);
  });

  it('with confirm, writes one row per recipient in their language and records the send; a replay writes nothing again', async () => {
    const seg = await schoolSegment();
    const key = await adminKey('operate');
    const body = { segment: { type: 'school_guardians', schoolId: seg.school.id }, message: { en: EN, sw: SW }, confirm: true };
    const headers = { 'idempotency-key': randomUUID() };

    const res = await admin('POST', '/sms/bulk', { key, body, headers });
    const replay = await admin('POST', '/sms/bulk', { key, body, headers });

    expect(res.status).to.equal(202);
    expect(res.body).to.include({ confirm: true, queued: 2, recipients: 2, optedOut: 1 });
    const rows = await bulkRows(seg.all);
    expect(rows.map((r) => [r.msisdn, r.message, r.dedupe_key, r.sender_id])).to.have.deep.members([
      [seg.swahili, SW, `bulk:${res.body.id}:${seg.swahili}`, 'TESTSCH'],
      [seg.shared, EN, `bulk:${res.body.id}:${seg.shared}`, 'TESTSCH'],
    ]);
    const sends = await sendsFor(seg.school.id);
    expect(sends).to.have.length(1);
    expect(sends[0]).to.include({ recipients: 2, opted_out: 1, parts: 3, created_by_key_name: 'test-operate' });
    expect(String(sends[0].id)).to.equal(res.body.id);
    expect(replay.status).to.equal(202);
    expect(replay.headers.get('idempotent-replayed')).to.equal('true');
    expect(replay.body).to.deep.equal(res.body);
    expect(await bulkRows(seg.all)).to.have.length(2);
    expect(await sendsFor(seg.school.id)).to.have.length(1);
    const audit = await db('audit_log').where({ target: `sms-bulk:${res.body.id}` });
    expect(audit).to.have.length(1);
  });

  it('refuses a read key (403) and a confirmed send without an Idempotency-Key (400), writing nothing', async () => {
    const seg = await schoolSegment();
    const body = { segment: { type: 'school_guardians', schoolId: seg.school.id }, message: { en: EN, sw: SW }, confirm: true };

    const read = await admin('POST', '/sms/bulk', { key: await adminKey('read'), body, headers: { 'idempotency-key': randomUUID() } });
    const noKey = await admin('POST', '/sms/bulk', { key: await adminKey('operate'), body });

    expect(read.status).to.equal(403);
    expect(noKey.status).to.equal(400);
    expect(noKey.body.error).to.equal('idempotency_key');
    expect(await bulkRows(seg.all)).to.have.length(0);
  });

  it('sends to a chama\'s active members, and answers 404 for an unknown school and 400 for a bad segment', async () => {
    const chama = await makeChama();
    const a = await makeMember(chama);
    const b = await makeMember(chama);
    const gone = await makeMember(chama);
    await db('chama_members').where({ id: gone.member.id }).update({ status: 'left' });
    const key = await adminKey('operate');

    const res = await admin('POST', '/sms/bulk', { key, headers: { 'idempotency-key': randomUUID() }, body: { segment: { type: 'chama_members', chamaId: chama.id }, message: { en: EN, sw: SW }, confirm: true } });
    const unknown = await admin('POST', '/sms/bulk', { key, body: { segment: { type: 'school_guardians', schoolId: 999_999_999 }, message: { en: EN, sw: SW } } });
    const bad = await admin('POST', '/sms/bulk', { key, body: { segment: { type: 'everyone' }, message: { en: EN, sw: SW } } });

    expect(res.status).to.equal(202);
    expect(res.body.queued).to.equal(2);
    expect((await bulkRows([a.customer.msisdn, b.customer.msisdn, gone.customer.msisdn])).map((r) => r.msisdn))
      .to.have.members([a.customer.msisdn, b.customer.msisdn]);
    expect(unknown.status).to.equal(404);
    expect(bad.status).to.equal(400);
  });

  it('previews all customers: every account not closed, opted-out ones counted apart', async () => {
    const closed = await makeCustomer(0);
    await db('customers').where({ id: closed.id }).update({ status: 'closed' });
    const expected = await db('customers').whereNot({ status: 'closed' }).countDistinct({ n: 'msisdn' }).first();

    const res = await admin('POST', '/sms/bulk', { key: await adminKey('operate'), body: { segment: { type: 'all_customers' }, message: { en: EN, sw: EN } } });

    expect(res.status).to.equal(200);
    expect(res.body.recipients + res.body.optedOut).to.equal(Number(expected?.n));
    expect(await bulkRows([closed.msisdn])).to.have.length(0);
  });
});
