/**
 * Africa's Talking's USSD callback: AT posts form-encoded `sessionId`, `serviceCode`,
 * `phoneNumber`, `networkCode` and `text` (every input so far joined by `*`), and expects
 * plain text starting `CON ` or `END `. (AT docs: USSD, "Handling the USSD session".)
 */
import { Ajv } from 'ajv';
import { ValidationError } from '../errors/index.js';
import { normalizeMsisdn } from '../phone/index.js';

/** A validated hop. */
export interface UssdHop {
  sessionId: string;
  serviceCode: string;
  /** E.164. */
  msisdn: string;
  networkCode: string;
  /** Every input of the session, including any dialled inline with the service code. */
  inputs: string[];
  /** `text` as AT sent it (after inline inputs are prepended). */
  text: string;
}

/** The longest `text` accepted: far beyond any real session, short of abuse. */
export const MAX_TEXT_LENGTH = 500;

const schema = {
  type: 'object',
  properties: {
    sessionId: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$' },
    serviceCode: { type: 'string', minLength: 2, maxLength: 50, pattern: '^\\*[0-9*#]+$' },
    phoneNumber: { type: 'string', minLength: 6, maxLength: 20 },
    networkCode: { type: 'string', maxLength: 10 },
    text: { type: 'string', maxLength: MAX_TEXT_LENGTH },
  },
  required: ['sessionId', 'serviceCode', 'phoneNumber'],
} as const;

const validate = new Ajv({ allErrors: false, strict: false }).compile(schema);

// AT sends the same few phoneNumbers hop after hop; parsing one with libphonenumber costs
// more than the rest of the request's validation. A pure function, so a bounded memo.
const MSISDN_MEMO_SIZE = 10_000;
const msisdnMemo = new Map<string, string | null>();
function msisdnOf(phoneNumber: string): string | null {
  let msisdn = msisdnMemo.get(phoneNumber);
  if (msisdn === undefined) {
    if (msisdnMemo.size >= MSISDN_MEMO_SIZE) msisdnMemo.clear();
    msisdn = normalizeMsisdn(phoneNumber);
    msisdnMemo.set(phoneNumber, msisdn);
  }
  return msisdn;
}

/**
 * Validates and normalises an AT USSD request body. A service code dialled with inputs
 * (`*384*1*0712345678#` when the shortcode is `*384#`) contributes them ahead of `text`.
 *
 * @throws ValidationError naming the failing field
 */
export function parseUssdHop(body: unknown, configuredCode: string): UssdHop {
  if (!validate(body)) {
    const e = validate.errors![0];
    const field = e.instancePath.slice(1) || String(e.params.missingProperty ?? 'body');
    throw new ValidationError(`${field}: ${e.message}`, field);
  }
  const b = body as { sessionId: string; serviceCode: string; phoneNumber: string; networkCode?: string; text?: string };
  const msisdn = msisdnOf(b.phoneNumber);
  if (!msisdn) throw new ValidationError('phoneNumber: not a valid mobile number', 'phoneNumber');
  const base = configuredCode.slice(0, -1); // '*384'
  const dialled = b.serviceCode.replace(/#$/, '');
  if (dialled !== base && !dialled.startsWith(`${base}*`)) throw new ValidationError('serviceCode: not this service', 'serviceCode');
  const inline = dialled === base ? [] : dialled.slice(base.length + 1).split('*');
  const typed = b.text ? b.text.split('*') : [];
  const inputs = [...inline, ...typed];
  return { sessionId: b.sessionId, serviceCode: b.serviceCode, msisdn, networkCode: b.networkCode ?? '', inputs, text: inputs.join('*') };
}
