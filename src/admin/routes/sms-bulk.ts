/**
 * Bulk SMS (scope `operate`): `POST /admin/sms/bulk` to a segment (a school's guardians, a
 * chama's members, every customer). Without `confirm: true` it previews (recipients,
 * opted-out numbers, parts per language, an estimated cost) and writes nothing but its
 * audit row; with it, it records the send and writes one outbox row per recipient, and
 * needs an Idempotency-Key (a repeat returns the first answer and writes nothing again).
 */
import { IdempotencyKeyError } from '../errors.js';
import { previewBulkSms, sendBulkSms, type BulkSegment } from '../../sms/index.js';
import { defineRoute, schemas, type AdminRoute } from '../route.js';
import { objectSchema } from '../validate.js';

/** Longest text per language: 6 GSM-7 parts (918 characters). */
const MAX_TEXT = 918;
const text = { type: 'string', minLength: 1, maxLength: MAX_TEXT, pattern: '\\S' };
/** Schools and chamas have int4 ids. */
const rowId = { ...schemas.id, maximum: 2_147_483_647 };

const segmentSchema = {
  oneOf: [
    objectSchema({ type: { const: 'school_guardians' }, schoolId: rowId }, ['type', 'schoolId']),
    objectSchema({ type: { const: 'chama_members' }, chamaId: rowId }, ['type', 'chamaId']),
    objectSchema({ type: { const: 'all_customers' } }, ['type']),
  ],
};

const parts = { type: 'object', properties: { encoding: { enum: ['GSM-7', 'UCS-2'] }, characters: { type: 'integer' }, parts: { type: 'integer' } } };

/** The audit's view of a segment: what it names, not who is in it. */
function segmentTarget(s: BulkSegment): string {
  if (s.type === 'school_guardians') return `sms-bulk:school:${s.schoolId}`;
  if (s.type === 'chama_members') return `sms-bulk:chama:${s.chamaId}`;
  return 'sms-bulk:all_customers';
}

export const smsBulkRoutes: AdminRoute[] = [
  defineRoute({
    method: 'post',
    path: '/sms/bulk',
    scope: 'operate',
    summary: 'Bulk SMS to a segment (school_guardians, chama_members, all_customers), in each recipient\'s language. Without confirm: a preview (recipients, opted-out numbers left out, SMS parts per language, an estimated cost at AT\'s Kenya list price) that sends nothing. With confirm: true (and an Idempotency-Key): 202 with the send\'s id and the rows queued; opt-outs and quiet hours apply, and the SMS queue\'s rate limit paces them',
    body: objectSchema({
      segment: segmentSchema,
      message: objectSchema({ en: text, sw: text }, ['en', 'sw']),
      confirm: { type: 'boolean', default: false },
    }, ['segment', 'message']),
    response: {
      type: 'object',
      properties: {
        confirm: { type: 'boolean', description: 'False: a preview, nothing was written' },
        id: { type: 'string', description: 'The bulk send (confirm only)' },
        queued: { type: 'integer', description: 'Outbox rows written (confirm only)' },
        recipients: { type: 'integer' }, optedOut: { type: 'integer' },
        byLanguage: { type: 'object', properties: { en: { type: 'integer' }, sw: { type: 'integer' } } },
        parts: { type: 'object', properties: { en: parts, sw: parts } },
        totalParts: { type: 'integer' }, pricePerPartCents: { type: 'integer' }, estimatedCostCents: { type: 'integer' },
        costIsEstimate: { const: true },
      },
    },
    handler: async ({ body }, { db, key, idempotencyKey }) => {
      const segment = body.segment as BulkSegment;
      if (!body.confirm) {
        const preview = await previewBulkSms(db, segment, body.message);
        return { body: { confirm: false, ...preview }, audit: { target: segmentTarget(segment), after: { preview: true, recipients: preview.recipients } } };
      }
      if (!idempotencyKey) throw new IdempotencyKeyError('a bulk send (confirm: true) needs an Idempotency-Key header', 400);
      const sent = await sendBulkSms(db, segment, body.message, { keyId: key.id, keyName: key.name });
      return {
        status: 202,
        body: { confirm: true, id: sent.id, queued: sent.queued, ...sent.preview },
        audit: { target: `sms-bulk:${sent.id}`, after: { segment, recipients: sent.preview.recipients, queued: sent.queued, optedOut: sent.preview.optedOut } },
      };
    },
  }),
];
