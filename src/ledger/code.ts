import { randomInt } from 'node:crypto';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALPHABET = LETTERS + '0123456789';
const SHAPE = /^[A-Z][A-Z0-9]{9}$/;

/**
 * A transaction code as users know them from mobile money: 10 upper-case letters and
 * digits, starting with a letter (`SKL4Q2M7XP`). Random (36^9·26 ≈ 2.6e15 codes); the
 * unique index on journal_entries.code catches the rare collision: transfer() retries
 * with another code, or refuses when the caller chose the code (TransactionCodeTakenError).
 */
export function newTransactionCode(): string {
  let code = LETTERS[randomInt(LETTERS.length)];
  for (let i = 1; i < 10; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** Whether `value` has the shape newTransactionCode() makes: a letter, then 9 letters or digits, upper case. */
export function isTransactionCode(value: unknown): value is string {
  return typeof value === 'string' && SHAPE.test(value);
}
