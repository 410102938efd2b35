import type { Knex } from 'knex';
import { nairobiDay } from '../src/calendar/index.js';
import { findCustomer } from '../src/customers/index.js';
import { systemAccount, transfer, type PostingInput } from '../src/ledger/index.js';
import { ensureProduct, type NewLoanProduct } from '../src/loans/index.js';

/** Issue 8's products (amounts in cents, rates in basis points). */
export const DEMO_LOAN_PRODUCTS: NewLoanProduct[] = [
  {
    code: 'advance', name: 'Simu Advance', principalMin: 10_000n, principalMax: 500_000n, installments: 1, periodUnit: 'day', periodLength: 30,
    interestMethod: 'flat', rateBp: 0, feeBp: 750, penaltyBp: 500, penaltyGraceDays: 3, sweep: true,
  },
  {
    code: 'biashara', name: 'Biashara Loan', principalMin: 100_000n, principalMax: 5_000_000n, installments: 3, periodUnit: 'month', periodLength: 1,
    interestMethod: 'declining', rateBp: 400, feeBp: 200, penaltyBp: 200, penaltyGraceDays: 0, sweep: false,
  },
];

/** Whose history is seeded: Amina Wanjiru (seeds/03_demo_customers.ts). */
export const HISTORY_MSISDN = '+254700000001';

type Outside = 'mpesa' | 'bank' | 'airtime';
/** One back-dated movement: `daysAgo` days before the seeding day, at `time` Nairobi; `kes` > 0 in, < 0 out. */
interface HistoryLine { daysAgo: number; time: string; kes: bigint; outside: Outside; memo: string }

/**
 * Amina's 90 days: a KES 12,000 bank transfer every 30 days and a KES 1,500 M-Pesa top-up
 * every week, each spent the next day (withdrawn to M-Pesa, airtime). In: 3 × 12,000 +
 * 12 × 1,500 = KES 54,000, out the same, so her balance stays KES 10,000 and her Simu
 * Advance limit is 54,000 / 3 × 20 % = KES 3,600. Every counterparty is an outside rail's
 * clearing account, never another customer. Oldest first, so ids follow the dates.
 */
export function aminaHistory(): HistoryLine[] {
  const lines: HistoryLine[] = [];
  for (const d of [70, 40, 10]) {
    lines.push({ daysAgo: d, time: '09:00', kes: 12_000n, outside: 'bank', memo: 'Bank transfer in (history)' });
    lines.push({ daysAgo: d - 1, time: '13:00', kes: -11_500n, outside: 'mpesa', memo: 'Withdrawal to M-Pesa (history)' });
    lines.push({ daysAgo: d - 1, time: '13:05', kes: -500n, outside: 'airtime', memo: 'Airtime (history)' });
  }
  for (let k = 11; k >= 0; k--) {
    const d = 2 + 7 * k;
    lines.push({ daysAgo: d, time: '10:00', kes: 1_500n, outside: 'mpesa', memo: 'M-Pesa top-up (history)' });
    lines.push({ daysAgo: d - 1, time: '14:00', kes: -1_400n, outside: 'mpesa', memo: 'Withdrawal to M-Pesa (history)' });
    lines.push({ daysAgo: d - 1, time: '14:05', kes: -100n, outside: 'airtime', memo: 'Airtime (history)' });
  }
  return lines.sort((a, b) => b.daysAgo - a.daysAgo || a.time.localeCompare(b.time));
}

/** `hh:mm` Nairobi time, `daysAgo` days before `now`'s Nairobi day. */
function nairobiAt(now: Date, daysAgo: number, time: string): Date {
  const day = nairobiDay(now);
  return new Date(new Date(`${day}T${time}:00+03:00`).getTime() - daysAgo * 86_400_000);
}

/**
 * The loan products, and Amina's back-dated history (the ledger's `effectiveAt`, seeds and
 * imports only). Safe to run twice: products are ensured by code, and each history line is
 * keyed `seed:history:<msisdn>:<n>`; `effectiveAt` is not part of a transfer's fingerprint,
 * so a later run replays the first (the dates stay those of the first seeding). The lines
 * sum to zero: the first slice's balances (Amina 10,000, Brian 2,000, Chebet 0) stand.
 */
export async function seed(knex: Knex): Promise<void> {
  for (const p of DEMO_LOAN_PRODUCTS) await ensureProduct(knex, p);
  const amina = await findCustomer(HISTORY_MSISDN, knex);
  if (!amina) return;
  const outside: Record<Outside, number> = {
    mpesa: (await systemAccount(knex, 'mpesa')).id, bank: (await systemAccount(knex, 'bank')).id, airtime: (await systemAccount(knex, 'airtime')).id,
  };
  const now = new Date();
  for (const [n, line] of aminaHistory().entries()) {
    const cents = line.kes * 100n;
    const postings: PostingInput[] = [
      { accountId: outside[line.outside], amount: cents },
      { accountId: amina.walletAccountId, amount: -cents },
    ];
    await transfer({
      idempotencyKey: `seed:history:${HISTORY_MSISDN}:${n}`,
      kind: 'import',
      amount: cents < 0n ? -cents : cents,
      memo: line.memo,
      metadata: { history: true },
      postings,
      effectiveAt: nairobiAt(now, line.daysAgo, line.time),
    }, {}, knex);
  }
}
