/** GET /admin/sms/stats: per Nairobi day, SMS by status, kind and failure reason. */
import { expect } from 'chai';
import { randomInt, randomUUID } from 'node:crypto';
import { db } from '../src/db/index.js';
import { recordDeliveryReport } from '../src/sms/index.js';
import { admin, adminKey } from './helpers/admin.js';
import { outboxRow } from './helpers/outbox.js';

/** A random day long past (YYYY-MM-DD) that no other test writes rows on. */
function oldDay(): string {
  return new Date(Date.UTC(randomInt(2001, 2019), randomInt(0, 12), randomInt(1, 28))).toISOString().slice(0, 10);
}

/** The UTC instant of `hh:mm` Nairobi time (UTC+3) on `day`. */
const nairobi = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+03:00`);

/** A row of `kind` written at `at`, then moved to `status` (with `failureReason` or `atStatus` when failed). */
async function rowAt(at: Date, kind: 'receipt' | 'reminder', changes: Record<string, unknown> = {}) {
  const { id } = await outboxRow({ kind: kind === 'reminder' ? 'receipt' : kind });
  await db('sms_outbox').where({ id: String(id) }).update({ kind, created_at: at, ...changes });
  return id;
}

describe('admin API: GET /sms/stats', () => {
  it('counts each Nairobi day\'s rows by status, kind and failure reason, with redeliveries', async () => {
    const day = oldDay();
    const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    await rowAt(nairobi(day, '00:30'), 'receipt', { status: 'delivered' }); // 21:30 UTC the day before
    await rowAt(nairobi(day, '12:00'), 'receipt', { status: 'failed', failure_reason: 'UserInBlackList' });
    await rowAt(nairobi(day, '23:59'), 'reminder', { status: 'failed', at_status: 'InvalidPhoneNumber' });
    const atMessageId = `ATXid_${randomUUID()}`;
    await rowAt(nairobi(day, '13:00'), 'reminder', { status: 'sent', at_message_id: atMessageId });
    await recordDeliveryReport({ id: atMessageId, status: 'Failed', failureReason: 'DeliveryFailure' });
    await rowAt(nairobi(next, '00:00'), 'receipt', { status: 'sent' });

    const res = await admin('GET', `/sms/stats?from=${day}&to=${next}`, { key: await adminKey('read') });

    expect(res.status).to.equal(200);
    expect(res.body).to.include({ from: day, to: next });
    expect(res.body.days).to.deep.equal([
      {
        date: day, total: 4,
        byStatus: { pending: 1, queued: 0, sending: 0, sent: 0, delivered: 1, failed: 2 },
        byKind: { receipt: 2, reminder: 2 },
        byFailureReason: { UserInBlackList: 1, InvalidPhoneNumber: 1 },
        redeliveries: 1, redeliveriesByReason: { DeliveryFailure: 1 },
      },
      {
        date: next, total: 1,
        byStatus: { pending: 0, queued: 0, sending: 0, sent: 1, delivered: 0, failed: 0 },
        byKind: { receipt: 1 }, byFailureReason: {}, redeliveries: 0, redeliveriesByReason: {},
      },
    ]);
  });

  it('refuses a date that does not exist, a range the wrong way round, and a range too wide', async () => {
    const key = await adminKey('read');

    const bad = await admin('GET', '/sms/stats?from=2026-02-30&to=2026-03-01', { key });
    const backwards = await admin('GET', '/sms/stats?from=2026-03-02&to=2026-03-01', { key });
    const wide = await admin('GET', '/sms/stats?from=2025-01-01&to=2026-03-01', { key });

    expect([bad.status, backwards.status, wide.status]).to.deep.equal([400, 400, 400]);
    expect(bad.body).to.include({ field: 'from' });
  });

  it('defaults to the last 7 days, and needs a key', async () => {
    const res = await admin('GET', '/sms/stats', { key: await adminKey('read') });
    const none = await admin('GET', '/sms/stats');

    expect(res.status).to.equal(200);
    expect(res.body.days).to.have.length(7);
    expect(none.status).to.equal(401);
  });
});
