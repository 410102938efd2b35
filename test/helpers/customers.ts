/** Test data: each test makes its own customers with fresh random MSISDNs. */
import { randomInt } from 'node:crypto';
import { db } from '../../src/db/index.js';
import { registerCustomer, AlreadyRegisteredError, type Customer } from '../../src/customers/index.js';
import { systemAccount, transfer, checkLedger } from '../../src/ledger/index.js';

/** A random valid Safaricom-range MSISDN (`+2547…`) unlikely to exist. */
export function randomMsisdn(): string {
  return `+2547${randomInt(10, 99)}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}

/** Registers a customer (PIN 1234 unless given) holding `kes` shillings, funded from equity:opening. */
export async function makeCustomer(kes = 0, opts: { pin?: string; firstName?: string } = {}): Promise<Customer> {
  let customer: Customer | undefined;
  // Random numbers meet now and then across thousands of customers: draw again.
  while (!customer) {
    customer = await registerCustomer(
      { msisdn: randomMsisdn(), firstName: opts.firstName ?? 'Test', lastName: 'Customer', nationalId: String(randomInt(10_000_000, 99_999_999)), pin: opts.pin ?? '1234' },
      db,
      { welcomeSms: false },
    ).catch((err: unknown) => {
      if (err instanceof AlreadyRegisteredError) return undefined;
      throw err;
    });
  }
  if (kes > 0) await fund(customer, kes);
  return customer;
}

/** Moves `kes` shillings from equity:opening into the customer's wallet. */
export async function fund(customer: Customer, kes: number): Promise<void> {
  const opening = await systemAccount(db, 'opening');
  const cents = BigInt(kes) * 100n;
  await transfer({
    idempotencyKey: `test:fund:${customer.msisdn}:${Date.now()}:${randomInt(1e9)}`,
    kind: 'seed',
    amount: cents,
    postings: [
      { accountId: opening.id, amount: cents },
      { accountId: customer.walletAccountId, amount: -cents },
    ],
  });
}

/** Fails the test when any ledger invariant is broken. */
export async function assertLedgerSound(): Promise<void> {
  const breaches = await checkLedger(db);
  if (breaches.length) throw new Error(`ledger invariants broken: ${JSON.stringify(breaches.map((b) => b.invariant))}`);
}
