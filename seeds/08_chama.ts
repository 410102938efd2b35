import type { Knex } from 'knex';
import { nairobiDay } from '../src/calendar/index.js';
import { addMember, createChama, findChamaByCode } from '../src/chama/index.js';
import { findCustomer } from '../src/customers/index.js';
import { addMonths, ensureProduct, type NewLoanProduct } from '../src/loans/index.js';

/** Umoja's group loan: 10 % flat per month over 3 months, no fee (amounts in cents, rates in basis points). */
export const UMOJA_LOAN: NewLoanProduct = {
  code: 'umoja-loan', name: 'Umoja Group Loan', principalMin: 50_000n, principalMax: 10_000_000n, installments: 3, periodUnit: 'month', periodLength: 1,
  interestMethod: 'flat', rateBp: 1000, feeBp: 0, penaltyBp: 0, penaltyGraceDays: 0, sweep: false,
};

/** Rotation order: Brian, Chebet, Amina (seeds/03_demo_customers.ts). */
const MEMBERS = [
  { msisdn: '+254700000002', role: 'treasurer' },
  { msisdn: '+254700000003', role: 'secretary' },
  { msisdn: '+254700000001', role: 'chairperson' },
] as const;

/** The next 5th of a month on or after `day` (`YYYY-MM-DD`). */
export function nextFifth(day: string): string {
  const fifth = `${day.slice(0, 8)}05`;
  return fifth >= day ? fifth : addMonths(fifth, 1);
}

/**
 * Umoja Women Group (`UMOJA`, issue 9): KES 1,000 a month (800 merry-go-round, 200
 * savings) due on the 5th, a KES 100 fine after 3 days' grace, loans up to 3× own savings
 * on the Umoja Group Loan with 2 guarantors. Amina chairperson, Brian treasurer, Chebet
 * secretary. Its first cycle (the next 5th) starts empty: no contribution is seeded, so the
 * first slice's balances stand. Safe to run twice: the chama is looked up by code.
 */
export async function seed(knex: Knex): Promise<void> {
  await ensureProduct(knex, UMOJA_LOAN);
  if (await findChamaByCode(knex, 'UMOJA')) return;
  for (const m of MEMBERS) if (!(await findCustomer(m.msisdn, knex))) return;
  await knex.transaction(async (trx) => {
    const chama = await createChama(trx, {
      code: 'UMOJA', name: 'Umoja Women Group', contribution: 100_000n, merryGoRound: 80_000n, frequency: 'monthly',
      firstDueOn: nextFifth(nairobiDay()), fine: 10_000n, fineGraceDays: 3, loanProductCode: UMOJA_LOAN.code, loanMultiple: 3, loanGuarantors: 2,
    });
    for (const m of MEMBERS) await addMember(trx, chama.id, m.msisdn, m.role);
  });
}
