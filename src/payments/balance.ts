/** Wallet balance, after a PIN check. */
import { db as defaultDb, type Db } from '../db/index.js';
import { verifyPin } from '../customers/index.js';
import { displayBalance, getAccount } from '../ledger/index.js';

/**
 * The customer's wallet balance in cents, after checking the PIN (counts toward the lockout).
 *
 * @throws WrongPinError, PinLockedError, CustomerNotFoundError
 */
export async function checkBalance(msisdn: string, pin: string, db: Db = defaultDb): Promise<{ balance: bigint; at: Date }> {
  const customer = await verifyPin(msisdn, pin, db);
  const account = await getAccount(db, customer.walletAccountId);
  return { balance: displayBalance(account), at: new Date() };
}
