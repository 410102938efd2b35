/**
 * Reading Daraja's B2C result and queue-timeout bodies at the edge. Format: Safaricom's B2C
 * page (https://developer.safaricom.co.ke/APIs/BusinessToCustomer):
 *
 * `{ Result: { ResultType: 0, ResultCode: 0, ResultDesc, OriginatorConversationID,
 * ConversationID, TransactionID, ResultParameters: { ResultParameter: [ { Key:
 * "TransactionAmount", Value: 10 }, { Key: "TransactionReceipt", Value: "NLJ41HAY6Q" },
 * { Key: "ReceiverPartyPublicName", Value: "254708374149 - John Doe" }, ... ] },
 * ReferenceData: {...} } }`. A failure carries a non-zero ResultCode (say 2001 "The
 * initiator information is invalid.") and no ResultParameters. The queue-timeout
 * notification has the same `Result` envelope.
 */
import { ValidationError } from '../errors/index.js';
import { parseDecimalShillings } from '../money/index.js';

/** A B2C result or timeout body that passed the edge. */
export interface ParsedB2cResult {
  /** Ours (v3): the key the request is found by. */
  originatorConversationId: string;
  conversationId: string | null;
  /** "0" is success; anything else a failure. */
  resultCode: string;
  resultDesc: string;
  transactionId: string | null;
  /** TransactionReceipt (else TransactionID) of a success. */
  receipt: string | null;
  /** TransactionAmount in cents, when given. */
  amount: bigint | null;
  receiverName: string | null;
}

const ID = /^[A-Za-z0-9_-]{1,100}$/;

function text(v: unknown, max: number): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return typeof v === 'string' ? v.slice(0, max) : null;
}

/**
 * Checks a B2C result (or queue timeout) body and reads its facts.
 *
 * A queue timeout (`opts.timeout`) may come without a ResultCode: it reads as `timeout`.
 *
 * @throws ValidationError naming the field: no `Result` object, OriginatorConversationID
 *   missing or not an id, ResultCode missing, ResultParameters not a list of Key/Value,
 *   a success without a receipt
 */
export function parseB2cResult(body: unknown, opts: { timeout?: boolean } = {}): ParsedB2cResult {
  const root = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>).Result : undefined;
  if (!root || typeof root !== 'object' || Array.isArray(root)) throw new ValidationError('Result: expected a JSON object', 'Result');
  const r = root as Record<string, unknown>;
  const originator = r.OriginatorConversationID;
  if (typeof originator !== 'string' || !ID.test(originator)) throw new ValidationError('Result.OriginatorConversationID: expected an id', 'Result.OriginatorConversationID');
  const resultCode = text(r.ResultCode, 20) ?? (opts.timeout ? 'timeout' : null);
  if (resultCode === null || resultCode === '') throw new ValidationError('Result.ResultCode: expected a number', 'Result.ResultCode');
  const conversationId = typeof r.ConversationID === 'string' && ID.test(r.ConversationID) ? r.ConversationID : null;
  const params = new Map<string, unknown>();
  const holder = r.ResultParameters as { ResultParameter?: unknown } | undefined;
  if (holder !== undefined && holder !== null) {
    const list = typeof holder === 'object' ? holder.ResultParameter : undefined;
    const items = Array.isArray(list) ? list : list && typeof list === 'object' ? [list] : null;
    if (!items) throw new ValidationError('Result.ResultParameters.ResultParameter: expected a list of Key/Value', 'Result.ResultParameters');
    for (const p of items) {
      if (p && typeof p === 'object' && typeof (p as { Key?: unknown }).Key === 'string') params.set((p as { Key: string }).Key, (p as { Value?: unknown }).Value);
    }
  }
  const transactionId = text(r.TransactionID, 40);
  const receipt = text(params.get('TransactionReceipt'), 40) ?? transactionId;
  if (resultCode === '0' && (!receipt || !/^[A-Za-z0-9]{6,40}$/.test(receipt))) {
    throw new ValidationError('Result.ResultParameters: a success needs a TransactionReceipt', 'Result.ResultParameters');
  }
  const amountText = text(params.get('TransactionAmount'), 20);
  return {
    originatorConversationId: originator, conversationId, resultCode, resultDesc: text(r.ResultDesc, 200) ?? '',
    transactionId, receipt: resultCode === '0' ? receipt : null,
    amount: amountText === null ? null : parseDecimalShillings(amountText),
    receiverName: text(params.get('ReceiverPartyPublicName'), 100),
  };
}
