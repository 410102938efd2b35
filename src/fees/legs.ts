/** The postings a fee payment is made of, shared by every payment path. */
import type { PostingInput } from '../ledger/index.js';
import type { School } from './schools.js';
import type { Student } from './students.js';

/** School book: the school has collected `amount` cents (collections debit) and the student owes that much less (receivable credit). */
export function schoolLeg(school: School, student: Student, amount: bigint): PostingInput[] {
  return [
    { accountId: school.collectionsAccountId, amount },
    { accountId: student.receivableAccountId, amount: -amount },
  ];
}

/** Platform book: `amount` cents leave `fromAccountId` (a wallet, a clearing account) for the school's settlement account. */
export function platformLeg(school: School, fromAccountId: number, amount: bigint): PostingInput[] {
  return [
    { accountId: fromAccountId, amount },
    { accountId: school.settlementAccountId, amount: -amount },
  ];
}
