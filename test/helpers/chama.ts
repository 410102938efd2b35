/** Chama test data: each test makes its own chama (random short code) and members. */
import { randomInt } from 'node:crypto';
import { db } from '../../src/db/index.js';
import type { Customer } from '../../src/customers/index.js';
import { addMember, createChama, ChamaExistsError, type Chama, type ChamaRole, type Member, type NewChama } from '../../src/chama/index.js';
import { makeCustomer } from './customers.js';

/** KES → cents. */
export const kes = (shillings: number): bigint => BigInt(shillings) * 100n;

/** A chama like Umoja (KES 1,000 monthly: 800 merry-go-round, 200 savings; fine 100 after 3 days) with a random code. */
export async function makeChama(spec: Partial<NewChama> = {}): Promise<Chama> {
  for (;;) {
    const code = spec.code ?? `T${randomInt(1e9, 1e10)}`;
    try {
      return await createChama(db, {
        code, name: `Test Chama ${code}`, contribution: kes(1000), merryGoRound: kes(800), frequency: 'monthly',
        firstDueOn: '2027-01-05', fine: kes(100), fineGraceDays: 3, loanMultiple: 3, loanGuarantors: 2, ...spec,
      });
    } catch (err) {
      if (!(err instanceof ChamaExistsError) || spec.code) throw err;
    }
  }
}

/** A member: a new customer with `walletKes` shillings (PIN 1234) added with `role`. */
export async function makeMember(chama: Chama, role: ChamaRole = 'member', walletKes = 10_000, firstName = 'Member'): Promise<{ customer: Customer; member: Member }> {
  const customer = await makeCustomer(walletKes, { firstName });
  return { customer, member: await addMember(db, chama.id, customer.msisdn, role) };
}

/** A chama with a chairperson, a treasurer and a secretary (each with KES 10,000), in that rotation order. */
export async function makeGroup(spec: Partial<NewChama> = {}) {
  const chama = await makeChama(spec);
  const chair = await makeMember(chama, 'chairperson', 10_000, 'Chair');
  const treasurer = await makeMember(chama, 'treasurer', 10_000, 'Treasurer');
  const secretary = await makeMember(chama, 'secretary', 10_000, 'Secretary');
  return { chama, chair, treasurer, secretary };
}

let keySeq = 0;
/** A fresh idempotency key. */
export const chamaKey = (what = 'c'): string => `test:chama:${what}:${process.pid}:${++keySeq}:${randomInt(1e9)}`;
