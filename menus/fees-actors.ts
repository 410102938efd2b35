/**
 * The effects of School Fees (home item 5), declared for the setup (implemented in
 * src/ussd/effects-fees.ts). Amounts are cents as decimal strings (JSON context).
 *
 * The menu's own context fields are added to the shared types here, by declaration
 * merging, as lipa-actors.ts does.
 */
import { effect } from './effect.js';

/** A school or a student as a list item (name as stored; the screens cut it to fit). */
export interface FeesItem {
  id: number;
  name: string;
}

/** A student's fees as the statement screen shows them (cents as strings; balance negative: in credit). */
export interface FeeStatementView {
  studentId: number;
  name: string;
  admissionNo: string;
  schoolName: string;
  /** The latest term invoiced, or null before any invoice. */
  termName: string | null;
  invoicedCents: string;
  paidCents: string;
  balanceCents: string;
}

/** The END screen's facts of a wallet fee payment (feeBalanceCents negative: in credit; walletBalanceCents after). */
export interface FeeReceiptView {
  code: string;
  schoolName: string;
  studentName: string;
  admissionNo: string;
  amountCents: string;
  feeBalanceCents: string;
  walletBalanceCents: string;
}

/** What School Fees keeps between hops. */
export interface FeesContext {
  /** The schools the caller is a guardian at (at most FEES_LIST_MAX). */
  schools?: FeesItem[];
  /** The school picked from the list, or the paybill typed (one or the other), then the school found. */
  school?: FeesItem;
  paybill?: string;
  /** The caller's students at that school (at most FEES_LIST_MAX). */
  students?: FeesItem[];
  /** The student picked from the list, or the admission number typed (upper case; named by the "not found" line). */
  studentId?: number;
  admissionNo?: string;
  statement?: FeeStatementView;
}

declare module './types.js' {
  interface MenuContext {
    fees?: FeesContext;
    feeReceipt?: FeeReceiptView;
  }
}

/** Inputs and outputs of the School Fees effects. */
export interface FeesEffects {
  /** The active schools where the caller is a guardian of an active student, by name. */
  guardianSchools: { input: { msisdn: string }; output: { schools: FeesItem[] } };
  /** A school by id (from the list) or by paybill, with the caller's students there. Fails `school_not_found`, `school_inactive`. */
  feesSchool: { input: { msisdn: string; schoolId?: number; paybill?: string }; output: { school: FeesItem; students: FeesItem[] } };
  /** A student's statement, by id or by admission number (any case) in the school. Fails `student_not_found`. */
  feeStatement: { input: { schoolId: number; studentId?: number; admissionNo?: string }; output: { feeStatement: FeeStatementView } };
  /** Checks a wallet payment can go ahead (school active, per-transaction limit). Moves nothing. */
  quoteFeesWallet: { input: { msisdn: string; studentId: number; amountCents: string }; output: Record<string, never> };
  /** Pays from the wallet (PIN checked), keyed `ussd:<sessionId>:<n>`. */
  payFeesWallet: {
    input: { msisdn: string; studentId: number; amountCents: string; pin: string; idempotencyKey: string };
    output: { feeReceipt: FeeReceiptView };
  };
  /** Records an STK push to Simu's paybill for the student; the worker pushes it after the session ends. */
  requestFeesMpesa: { input: { msisdn: string; studentId: number; amountCents: string; idempotencyKey: string }; output: { amountCents: string } };
}

function declare<K extends keyof FeesEffects>(name: K) {
  return effect<FeesEffects[K]['input'], FeesEffects[K]['output']>(name);
}

/** The School Fees effects, spread into the setup's actors. */
export const feesActors = {
  guardianSchools: declare('guardianSchools'),
  feesSchool: declare('feesSchool'),
  feeStatement: declare('feeStatement'),
  quoteFeesWallet: declare('quoteFeesWallet'),
  payFeesWallet: declare('payFeesWallet'),
  requestFeesMpesa: declare('requestFeesMpesa'),
};
