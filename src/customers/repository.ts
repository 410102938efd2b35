/** Customers: looking them up and registering them (with their wallet account). */
import { db as defaultDb, type Db } from '../db/index.js';
import { openAccount } from '../ledger/index.js';
import { config } from '../config/index.js';
import { enqueueSms } from '../sms/outbox.js';
import { sms } from '../sms/messages.js';
import { hashPin, isPinFormat } from './pin.js';
import { AlreadyRegisteredError, InvalidPinError } from './errors.js';

/** A customer as the domain sees it (no PIN hash). */
export interface Customer {
  id: number;
  /** E.164. */
  msisdn: string;
  firstName: string;
  lastName: string;
  walletAccountId: number;
  language: 'en' | 'sw';
  status: 'active' | 'suspended' | 'closed';
}

/** What registration asks for. */
export interface Registration {
  msisdn: string;
  firstName: string;
  lastName: string;
  nationalId: string;
  pin: string;
  language?: 'en' | 'sw';
}

/** Maps a customers row. */
export function toCustomer(row: Record<string, unknown>): Customer {
  return {
    id: row.id as number,
    msisdn: row.msisdn as string,
    firstName: row.first_name as string,
    lastName: row.last_name as string,
    walletAccountId: row.wallet_account_id as number,
    language: ((row.language as string) ?? 'en').trim() as 'en' | 'sw',
    status: row.status as Customer['status'],
  };
}

/** The customer holding `msisdn` (E.164), or null. */
export async function findCustomer(msisdn: string, db: Db = defaultDb): Promise<Customer | null> {
  const row = await db('customers').where({ msisdn }).first();
  return row ? toCustomer(row) : null;
}

/**
 * Registers a customer: opens a no-overdraft wallet (`wallet:<msisdn>`), stores a keyed
 * hash of the PIN and writes a welcome SMS to the outbox (unless `welcomeSms: false`, as
 * seeds do), in one transaction.
 *
 * @throws AlreadyRegisteredError the MSISDN holds an account already
 * @throws InvalidPinError the PIN is not 4 digits
 */
export async function registerCustomer(reg: Registration, db: Db = defaultDb, opts: { welcomeSms?: boolean } = {}): Promise<Customer> {
  if (!isPinFormat(reg.pin)) throw new InvalidPinError('invalid_pin', 'PIN must be 4 digits');
  return db.transaction(async (trx) => {
    const wallet = await openAccount(trx, {
      code: `wallet:${reg.msisdn}`,
      name: `${reg.firstName} ${reg.lastName}`,
      type: 'liability',
      noOverdraft: true,
    });
    const rows = await trx('customers')
      .insert({
        msisdn: reg.msisdn,
        first_name: reg.firstName,
        last_name: reg.lastName,
        national_id: reg.nationalId,
        pin_hash: hashPin(reg.pin, reg.msisdn, config.pinSecret),
        wallet_account_id: wallet.id,
        language: reg.language ?? 'en',
      })
      .onConflict('msisdn')
      .ignore()
      .returning('*');
    if (rows.length === 0) throw new AlreadyRegisteredError();
    const customer = toCustomer(rows[0]);
    if (opts.welcomeSms === false) return customer;
    await enqueueSms(trx, [{ msisdn: customer.msisdn, kind: 'welcome', message: sms(customer.language).welcome(customer.firstName), dedupeKey: `welcome:${customer.msisdn}` }]);
    return customer;
  });
}
