/**
 * Money by SMS, confirmed over USSD (issue 10): a money command is checked and kept as a
 * pending request for 5 minutes under a dial code; dialling `*384*<code>#` from the same
 * phone opens its confirmation screen and asks for the PIN (menus/sms-confirm.ts). Nothing
 * moves money on an SMS alone: the transfer happens only after the PIN, keyed
 * `sms:<requestId>` so that a request executes once however often its code is dialled.
 */
import type { Db } from '../../db/index.js';
import { CustomerInactiveError, CustomerNotFoundError, findCustomer } from '../../customers/index.js';
import { normalizeMsisdn } from '../../phone/index.js';
import { quoteCommand } from './quote.js';
import { storeRequest } from './store.js';
import { stagedReply } from './words.js';

export { findDialledCode, markRequestUsed, requestKey, CONFIRM_MINUTES, type DialledCode } from './store.js';
export { dialString } from './words.js';
export { SmsAmountError, NoOpenLoanError, TooManyPendingError } from './errors.js';

/** A money command parsed from an SMS (amounts in KES cents). */
export type MoneyCommand =
  | { kind: 'send'; recipient: string; amount: bigint }
  | { kind: 'paybill'; paybill: string; account: string; amount: bigint }
  | { kind: 'till'; till: string; amount: bigint }
  | { kind: 'contribute'; chamaCode: string; amount: bigint }
  | { kind: 'repay'; amount: bigint };

/** A staged request: its dial code and the reply to send (in the customer's language). */
export interface StagedCommand {
  code: string;
  reply: string;
}

/**
 * Checks `command` for the customer dialling from `msisdn` (recipient, limits, balance) and
 * keeps it as a pending request for 5 minutes. Moves nothing. A customer with a request
 * still pending gets a new code for the new one; each works once.
 *
 * @throws AppError subclasses with a `code` the inbound dispatcher words for the user:
 *   customer_not_found, customer_inactive, invalid_amount, recipient_not_found, self_transfer,
 *   merchant_not_found, limit_exceeded, chama_not_found, chama_inactive, not_a_member,
 *   contribution_too_large, no_open_loan, loan_overpayment, insufficient_funds, validation_failed
 */
export async function stageMoneyCommand(db: Db, msisdn: string, command: MoneyCommand): Promise<StagedCommand> {
  const customer = await findCustomer(normalizeMsisdn(msisdn) ?? msisdn, db);
  if (!customer) throw new CustomerNotFoundError();
  if (customer.status !== 'active') throw new CustomerInactiveError();
  const quote = await quoteCommand(db, customer, command);
  const stored = Object.fromEntries(Object.entries(command).map(([k, v]) => [k, String(v)]));
  const { code } = await storeRequest(db, { msisdn: customer.msisdn, customerId: customer.id, command: stored, quote });
  return { code, reply: stagedReply(quote, code, customer.language) };
}
