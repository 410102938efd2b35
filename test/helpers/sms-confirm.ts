/** SMS confirmation test data: merchants, a borrower with a loan, and the stored requests of a number. */
import { randomInt } from 'node:crypto';
import { db } from '../../src/db/index.js';
import type { Customer } from '../../src/customers/index.js';
import { createMerchant, type Merchant, type NewMerchant } from '../../src/merchants/index.js';
import { disburseLoan } from '../../src/loans/index.js';
import { displayBalance, getAccount } from '../../src/ledger/index.js';
import { randomMsisdn } from './customers.js';
import { loanKey } from './loans.js';

/** A merchant without validation or confirmation URL (nothing to intercept). */
export async function makeMerchant(spec: Partial<NewMerchant> = {}): Promise<Merchant> {
  return db.transaction((trx) => createMerchant(trx, {
    kind: 'paybill', shortCode: String(randomInt(1_000_000, 10_000_000)), name: 'Kenya Power', smsMsisdn: randomMsisdn(), ...spec,
  }));
}

/** A Simu Advance of `principalKes` disbursed to `c` today. */
export async function giveLoan(c: Customer, principalKes = 1000) {
  return disburseLoan(db, { customerId: c.id, productCode: 'advance', principal: BigInt(principalKes) * 100n, idempotencyKey: loanKey('sms-confirm') });
}

/** The wallet balance of `c`, in cents. */
export const walletOf = async (c: Customer): Promise<bigint> => displayBalance(await getAccount(db, c.walletAccountId));

/** Every stored request of `msisdn`, oldest first. */
export const requestsOf = (msisdn: string) => db('sms_confirmations').where({ msisdn }).orderBy('id');
