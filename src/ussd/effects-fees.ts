/** The School Fees effects, implemented with src/fees and src/mpesa (see menus/fees-actors.ts). */
import type { FeesEffects, FeesItem } from '../../menus/index.js';
import { db } from '../db/index.js';
import {
  findSchoolByPaybill, findStudent, getSchool, payFeesFromWallet, quoteFeesFromWallet, schoolsForGuardian, studentsForGuardian, studentStatement,
  SchoolInactiveError, SchoolNotFoundError, StudentNotFoundError,
} from '../fees/index.js';
import { requestFeesStk } from '../mpesa/stk-fees.js';
import { domainEffect } from './effect.js';

function effect<K extends keyof FeesEffects>(run: (input: FeesEffects[K]['input']) => Promise<FeesEffects[K]['output']>) {
  return domainEffect<FeesEffects[K]['input'], FeesEffects[K]['output']>(run);
}

const item = (x: { id: number; name: string }): FeesItem => ({ id: x.id, name: x.name });

/** School Fees effects, for `mainMenu.provide({ actors })`. */
export const feesEffects = {
  guardianSchools: effect<'guardianSchools'>(async (i) => ({ schools: (await schoolsForGuardian(db, i.msisdn)).map(item) })),
  /** The school (active only) by id or paybill, with the caller's active students there. */
  feesSchool: effect<'feesSchool'>(async (i) => {
    const school = i.schoolId !== undefined ? await getSchool(db, i.schoolId) : await findSchoolByPaybill(db, i.paybill ?? '');
    if (!school) throw new SchoolNotFoundError(i.paybill ?? '');
    if (school.status !== 'active') throw new SchoolInactiveError(school.id);
    return { school: item(school), students: (await studentsForGuardian(db, school.id, i.msisdn)).map(item) };
  }),
  /** By the id picked (which must be the school's) or the admission number typed (any case). */
  feeStatement: effect<'feeStatement'>(async (i) => {
    const student = i.studentId !== undefined ? { id: i.studentId } : await findStudent(db, i.schoolId, i.admissionNo ?? '');
    if (!student) throw new StudentNotFoundError(i.admissionNo ?? '');
    const s = await studentStatement(db, student.id);
    if (s.school.id !== i.schoolId) throw new StudentNotFoundError(String(student.id));
    return {
      feeStatement: {
        studentId: s.student.id, name: s.student.name, admissionNo: s.student.admissionNo, schoolName: s.school.name, termName: s.term?.name ?? null,
        invoicedCents: s.invoiced.toString(), paidCents: s.paid.toString(), balanceCents: s.balance.toString(),
      },
    };
  }),
  quoteFeesWallet: effect<'quoteFeesWallet'>(async (i) => {
    await quoteFeesFromWallet(db, i.msisdn, i.studentId, BigInt(i.amountCents));
    return {};
  }),
  /** Pays from the wallet (key `ussd:<sessionId>:<n>`): one entry moves both books. */
  payFeesWallet: effect<'payFeesWallet'>(async (i) => {
    const r = await payFeesFromWallet(db, { payerMsisdn: i.msisdn, pin: i.pin, studentId: i.studentId, amount: BigInt(i.amountCents), idempotencyKey: i.idempotencyKey });
    return {
      feeReceipt: {
        code: r.code, schoolName: r.schoolName, studentName: r.studentName, admissionNo: r.admissionNo, amountCents: r.amount.toString(),
        feeBalanceCents: r.feeBalance.toString(), walletBalanceCents: r.walletBalance.toString(),
      },
    };
  }),
  /** Records the fee push (key `ussd:<sessionId>:<n>`); the worker pushes it after the session ends. */
  requestFeesMpesa: effect<'requestFeesMpesa'>(async (i) => {
    const r = await requestFeesStk({ msisdn: i.msisdn, studentId: i.studentId, amount: BigInt(i.amountCents), idempotencyKey: i.idempotencyKey });
    return { amountCents: r.amount.toString() };
  }),
};
