/**
 * Money by SMS, confirmed over USSD (issue 10): a money command is checked and kept as a
 * pending request for 5 minutes under a dial code; dialling `*384*<code>#` from the same
 * phone opens its confirmation screen and asks for the PIN. PLACEHOLDER: the signatures
 * the inbound dispatcher calls; the implementation lands with the confirmation work.
 */
import type { Db } from '../../db/index.js';

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
 * keeps it as a pending request for 5 minutes. Moves nothing.
 *
 * @throws AppError subclasses with a `code` the inbound dispatcher words for the user
 */
export async function stageMoneyCommand(_db: Db, _msisdn: string, _command: MoneyCommand): Promise<StagedCommand> {
  throw new Error('money commands by SMS are not built yet');
}
