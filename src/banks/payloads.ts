/**
 * The banks Simu takes webhooks from and the payload each sends, validated with ajv.
 * Both follow /work/shared/reference/000_9f163036b5a0d679.txt ("Bank API endpoints"):
 *
 *   Equity: { "transactionId": "EQ123456789", "studentId": "MUT/2024/001", "amount": 50000.00,
 *             "timestamp": "2024-01-15T10:30:00Z", "merchantCode": "12345" }
 *           (its curl example leaves merchantCode out)
 *   KCB:    { "transactionRef": "KCB987654321", "accountNumber": "MUT/2024/001", "amount": 50000.00,
 *             "transactionDate": "2024-01-15T10:30:00Z" }
 *
 * Fields a bank adds beyond these are kept in the stored payload and otherwise ignored.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { config } from '../config/index.js';
import { ValidationError, assertStorableText } from '../errors/index.js';
import { parseShillingsExact, rawAmountText } from './amount.js';

/** A bank Simu takes webhooks from. */
export type BankCode = 'equity' | 'kcb';

/** The banks, in the order admin lists name them. */
export const BANK_CODES: readonly BankCode[] = ['equity', 'kcb'];

/** A bank payment as Simu records it, whichever bank sent it. */
export interface BankPayment {
  bank: BankCode;
  /** The bank's own id (Equity `transactionId`, KCB `transactionRef`). */
  transactionId: string;
  /** What the payer typed as the account (Equity `studentId`, KCB `accountNumber`). */
  account: string;
  /** KES cents, read exactly from the body's text. */
  amount: bigint;
  /** When the bank says the payment happened (its text, ISO 8601). */
  paidAt: string;
  /** The body as the bank sent it (parsed JSON). */
  payload: Record<string, unknown>;
}

/** How one bank signs and shapes its webhook. */
export interface BankSpec {
  code: BankCode;
  /** The bank's name as receipts print it. */
  name: string;
  /** The header carrying the hex HMAC-SHA256 of the raw body. */
  signatureHeader: string;
  /** The shared secret (BANK_EQUITY_SECRET / BANK_KCB_SECRET); unset turns the bank off. */
  secret: string | undefined;
  idField: string;
  accountField: string;
  dateField: string;
}

/** The specs of the banks (secrets from the configuration). */
export const BANKS: Readonly<Record<BankCode, BankSpec>> = Object.freeze({
  equity: {
    code: 'equity', name: 'Equity Bank', signatureHeader: 'X-Equity-Signature', secret: config.banks.equitySecret,
    idField: 'transactionId', accountField: 'studentId', dateField: 'timestamp',
  },
  kcb: {
    code: 'kcb', name: 'KCB Bank', signatureHeader: 'X-KCB-Signature', secret: config.banks.kcbSecret,
    idField: 'transactionRef', accountField: 'accountNumber', dateField: 'transactionDate',
  },
});

/**
 * The spec of `bank` when it is a known bank whose secret is set, else null (the webhook
 * answers 404). `banks` is for tests.
 */
export function enabledBank(bank: string, banks: Readonly<Record<BankCode, BankSpec>> = BANKS): BankSpec | null {
  if (!Object.hasOwn(banks, bank)) return null;
  const spec = banks[bank as BankCode];
  return spec.secret ? spec : null;
}

const transactionId = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]*$' };
const account = { type: 'string', minLength: 1, maxLength: 64, pattern: '\\S' };
const isoTime = { type: 'string', maxLength: 40, pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?$' };
const amount = { type: ['number', 'string'] };

const ajv = new Ajv({ allErrors: false, strict: false });
const validators: Record<BankCode, ValidateFunction> = {
  equity: ajv.compile({
    type: 'object',
    properties: { transactionId, studentId: account, amount, timestamp: isoTime, merchantCode: { type: 'string', maxLength: 32 } },
    required: ['transactionId', 'studentId', 'amount', 'timestamp'],
  }),
  kcb: ajv.compile({
    type: 'object',
    properties: { transactionRef: transactionId, accountNumber: account, amount, transactionDate: isoTime },
    required: ['transactionRef', 'accountNumber', 'amount', 'transactionDate'],
  }),
};

/**
 * Parses the raw body of `bank`'s webhook into a payment: JSON, the bank's schema, and the
 * amount from the body's own characters (parseShillingsExact).
 *
 * @throws ValidationError (HTTP 400) with the reason: not JSON, a missing or bad field, a bad amount
 */
export function parseBankPayload(bank: BankCode, rawBody: string): BankPayment {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new ValidationError('body: not JSON', 'body');
  }
  assertStorableText(body);
  const validate = validators[bank];
  if (!validate(body)) {
    const e = validate.errors![0];
    const missing = e.params && 'missingProperty' in e.params ? String(e.params.missingProperty) : '';
    const field = e.instancePath.slice(1).replace(/\//g, '.') || missing || 'body';
    throw new ValidationError(`${field}: ${e.message}`, field);
  }
  const spec = BANKS[bank];
  const payload = body as Record<string, unknown>;
  return {
    bank,
    transactionId: payload[spec.idField] as string,
    account: (payload[spec.accountField] as string).trim(),
    amount: parseShillingsExact(rawAmountText(rawBody)),
    paidAt: payload[spec.dateField] as string,
    payload,
  };
}
