/**
 * School Fees (home item 5): which school and student, then the student's fees, then pay.
 *
 * School: the schools where the caller is a guardian (numbered, at most FEES_LIST_MAX) and
 * `Enter paybill number` after them; a caller who is nobody's guardian is asked the paybill
 * straight away (a paybill typed at the list works too). Student: the caller's students at
 * that school (numbered) and `Enter admission number`, or straight to the admission number
 * (any case; an unknown one is asked again, naming it). Then the statement (latest term,
 * invoiced, paid, balance or credit) with `1 Pay from Simu wallet` and `2 Pay with M-PESA`.
 *
 * The payment states live in ./fees-pay.ts.
 */
import { assign } from 'xstate';
import { menuSetup, reask } from './setup.js';
import type { InputEvent, MenuContext } from './types.js';
import type { FeesItem } from './fees-actors.js';
import { feesPayStates } from './fees-pay.js';

/** Schools or students listed on one screen; more are reached by paybill or admission number. */
export const FEES_LIST_MAX = 4;

/** A school's own paybill: 5 to 7 digits. */
const PAYBILL = /^[0-9]{5,7}$/;
/** An admission number as typed: 1-20 letters, digits, `/` or `-` (spaces ignored), any case. */
const ADMISSION = /^[A-Za-z0-9][A-Za-z0-9/-]{0,19}$/;

type Args = { context: MenuContext; event: InputEvent };
type List = (c: MenuContext) => FeesItem[] | undefined;
const schools: List = (c) => c.fees?.schools;
const students: List = (c) => c.fees?.students;
const has = (list: List) => (c: MenuContext) => (list(c)?.length ?? 0) > 0;

/** The item `event.value` names in `list` (1-based), or undefined. */
function picked(list: List, { context, event }: Args): FeesItem | undefined {
  return /^[1-9]$/.test(event.value) ? list(context)?.[Number(event.value) - 1] : undefined;
}

/** The choice after the list: `Enter paybill number` / `Enter admission number`. */
const isOther = (list: List) => ({ context, event }: Args) => event.value === String((list(context)?.length ?? 0) + 1);

/**
 * `00 Home`, and `0 Back` to the first of `backs` whose condition holds (the screen the
 * caller came from: lists are skipped when they were not shown).
 */
function navTo(...backs: Array<[((c: MenuContext) => boolean) | null, string]>) {
  return [
    { guard: 'isHome' as const, target: '#menu.start', actions: 'clearError' as const },
    ...backs.map(([cond, target]) => ({
      guard: ({ context, event }: Args) => event.value === '0' && (cond === null || cond(context)),
      target,
      actions: 'clearError' as const,
    })),
  ];
}

const failed = { target: '#menu.failed', actions: 'recordFailure' as const };
const on = (codes: string[]) => ({ type: 'failedWith' as const, params: { codes } });

/** The School Fees states (`fees.*`), entered from home item 5. */
export const feesStates = menuSetup.createStateConfig({
  initial: 'loading',
  states: {
    loading: {
      invoke: {
        src: 'guardianSchools',
        input: ({ context }) => ({ msisdn: context.msisdn }),
        onDone: [
          {
            guard: ({ event }) => event.output.schools.length > 0,
            target: 'school',
            actions: assign({ fees: ({ event }) => ({ schools: event.output.schools.slice(0, FEES_LIST_MAX) }) }),
          },
          { target: 'paybill', actions: assign({ fees: { schools: [] } }) },
        ],
        onError: failed,
      },
    },
    school: {
      tags: ['input'],
      on: {
        INPUT: [
          ...navTo([null, '#menu.home']),
          {
            guard: (a) => picked(schools, a) !== undefined,
            target: 'findingSchool',
            actions: ['clearError', assign({ fees: ({ context, event }) => ({ schools: context.fees?.schools, school: picked(schools, { context, event }) }) })],
          },
          { guard: isOther(schools), target: 'paybill', actions: 'clearError' },
          { guard: ({ event }) => PAYBILL.test(event.value), target: 'findingSchool', actions: ['clearError', assign({ fees: ({ context, event }) => ({ schools: context.fees?.schools, paybill: event.value }) })] },
          reask('invalidChoice'),
        ],
      },
    },
    paybill: {
      tags: ['input'],
      on: {
        INPUT: [
          ...navTo([has(schools), 'school'], [null, '#menu.home']),
          { guard: ({ event }) => PAYBILL.test(event.value), target: 'findingSchool', actions: ['clearError', assign({ fees: ({ context, event }) => ({ schools: context.fees?.schools, paybill: event.value }) })] },
          reask('fees.invalidPaybill'),
        ],
      },
    },
    findingSchool: {
      invoke: {
        src: 'feesSchool',
        input: ({ context }) => (context.fees?.school ? { msisdn: context.msisdn, schoolId: context.fees.school.id } : { msisdn: context.msisdn, paybill: context.fees?.paybill }),
        onDone: [
          {
            guard: ({ event }) => event.output.students.length > 0,
            target: 'student',
            actions: assign({ fees: ({ context, event }) => ({ schools: context.fees?.schools, school: event.output.school, students: event.output.students.slice(0, FEES_LIST_MAX) }) }),
          },
          { target: 'admission', actions: assign({ fees: ({ context, event }) => ({ schools: context.fees?.schools, school: event.output.school, students: [] }) }) },
        ],
        onError: [
          { guard: on(['school_not_found']), target: 'paybill', ...reask('fees.noSchool') },
          { guard: on(['school_inactive']), target: 'paybill', ...reask('fees.schoolInactive') },
          failed,
        ],
      },
    },
    student: {
      tags: ['input'],
      on: {
        INPUT: [
          ...navTo([has(schools), 'school'], [null, 'paybill']),
          {
            guard: (a) => picked(students, a) !== undefined,
            target: 'loadingStatement',
            actions: ['clearError', assign({ fees: ({ context, event }) => ({ ...context.fees, admissionNo: undefined, studentId: picked(students, { context, event })!.id }) })],
          },
          { guard: isOther(students), target: 'admission', actions: 'clearError' },
          reask('invalidChoice'),
        ],
      },
    },
    admission: {
      tags: ['input'],
      on: {
        INPUT: [
          ...navTo([has(students), 'student'], [has(schools), 'school'], [null, 'paybill']),
          {
            guard: ({ event }) => ADMISSION.test(event.value.replace(/\s+/g, '')),
            target: 'loadingStatement',
            actions: ['clearError', assign({ fees: ({ context, event }) => ({ ...context.fees, studentId: undefined, admissionNo: event.value.replace(/\s+/g, '').toUpperCase() }) })],
          },
          reask('fees.invalidAdmission'),
        ],
      },
    },
    loadingStatement: {
      invoke: {
        src: 'feeStatement',
        input: ({ context }) => ({ schoolId: context.fees!.school!.id, studentId: context.fees?.studentId, admissionNo: context.fees?.admissionNo }),
        onDone: { target: 'statement', actions: assign({ fees: ({ context, event }) => ({ ...context.fees, statement: event.output.feeStatement }) }) },
        onError: [
          {
            guard: on(['student_not_found']),
            target: 'admission',
            actions: assign({
              error: ({ context }) => ({ key: 'fees.noStudent', params: { admissionNo: context.fees?.admissionNo ?? '' } }),
              invalidCount: ({ context }) => (context.invalidCount ?? 0) + 1,
            }),
          },
          failed,
        ],
      },
    },
    statement: {
      tags: ['input'],
      on: {
        INPUT: [
          ...navTo([has(students), 'student'], [null, 'admission']),
          { guard: { type: 'isChoice', params: { choice: '1' } }, target: 'walletAmount', actions: 'clearError' },
          { guard: { type: 'isChoice', params: { choice: '2' } }, target: 'mpesaAmount', actions: 'clearError' },
          reask('invalidChoice'),
        ],
      },
    },
    ...feesPayStates,
  },
});

/** Top-level END states of School Fees (spread into the machine's states). */
export const feesFinals = {
  feesPaid: { type: 'final' as const },
  feesInsufficientFunds: { type: 'final' as const },
  feesMpesaRequested: { type: 'final' as const },
  feesMpesaUnavailable: { type: 'final' as const },
  feesSchoolUnavailable: { type: 'final' as const },
};
