/**
 * Chama → the officials' items (states inside `chama.*`; the menu offers them to the
 * chairperson, the treasurer and the secretary only, and the domain checks again).
 *
 * 8 Approve payouts: the next payout (cycle, recipient, amount, and who was skipped for
 * arrears with `2 Pay <them> instead`); `1 Approve` → PIN → END "Approved, waiting for …"
 * or "Paid …" when this approval was the second.
 *
 * 7 Members: the members (paged) with `9 Add member` (phone number → the name to confirm →
 * added); a member picked → the new role → PIN → END.
 *
 * 9 Approve requests: exits and loans awaiting this official; one picked → `1 Approve`
 * (and `2 Decline` for a loan) → PIN → END with the outcome.
 */
import { assign } from 'xstate';
import { normalizeMsisdn } from '../src/phone/index.js';
import { confirmInput, menuSetup, nav, pinFailures, pinInput, reask } from './setup.js';
import type { InputEvent, MenuContext } from './types.js';
import type { ChamaRoleView } from './chama-actors.js';
import { caller, keep, pickList, refused } from './chama-list.js';

type Args = { context: MenuContext; event: InputEvent };

/** The roles in the order the role screen numbers them. */
export const ROLE_CHOICES: ChamaRoleView[] = ['chairperson', 'treasurer', 'secretary', 'member'];

const choice = (c: string) => ({ type: 'isChoice' as const, params: { choice: c } });
const pin = (event: unknown) => (event as InputEvent).value;
const chama = (c: MenuContext) => c.chama!;

/** The Approve payouts, Members and Approve requests states, spread into Chama's states. */
export const chamaOfficialStates = {
  loadingPayout: menuSetup.createStateConfig({
    invoke: {
      src: 'chamaPayout',
      input: caller,
      onDone: { target: 'payoutReview', actions: keep(({ event }) => ({ payout: event.output.chamaPayout, override: false })) },
      onError: refused,
    },
  }),
  payoutReview: menuSetup.createStateConfig({
    tags: ['input'],
    on: {
      INPUT: [
        ...nav('menu'),
        { guard: choice('1'), target: 'payoutPin', actions: ['clearError', keep(() => ({ override: false }))] },
        { guard: ({ context, event }: Args) => event.value === '2' && !!context.chama?.payout?.skipped, target: 'payoutPin', actions: ['clearError', keep(() => ({ override: true }))] },
        reask('invalidChoice'),
      ],
    },
  }),
  payoutPin: pinInput('payoutReview', 'approvingPayout'),
  approvingPayout: menuSetup.createStateConfig({
    invoke: {
      src: 'approveChamaPayout',
      input: ({ context, event }) => ({
        ...caller({ context }), cycleNo: chama(context).payout!.cycleNo, override: chama(context).override === true, pin: pin(event),
      }),
      onDone: { target: '#menu.chamaPayoutApproved', actions: assign({ chamaApproval: ({ event }) => event.output.chamaApproval }) },
      onError: [...pinFailures('payoutPin'), refused],
    },
  }),

  loadingMembers: menuSetup.createStateConfig({
    invoke: {
      src: 'chamaMembers',
      input: caller,
      onDone: { target: 'members', actions: [keep(({ event }) => ({ members: event.output.chamaMembers })), assign({ chamaPage: 0 })] },
      onError: refused,
    },
  }),
  members: pickList('menu', (c) => c.chama?.members, 'memberRole', (m) => ({ member: m }), [
    { guard: choice('9'), target: 'newMemberPhone', actions: 'clearError' },
  ]),
  newMemberPhone: menuSetup.createStateConfig({
    tags: ['input'],
    on: {
      INPUT: [
        ...nav('members'),
        { guard: 'isPhone', target: 'findingMember', actions: ['clearError', assign({ recipientMsisdn: ({ event }) => normalizeMsisdn(event.value)! })] },
        reask('invalidPhone'),
      ],
    },
  }),
  findingMember: menuSetup.createStateConfig({
    invoke: {
      src: 'findChamaMember',
      input: ({ context }) => ({ ...caller({ context }), newMsisdn: context.recipientMsisdn! }),
      onDone: { target: 'newMemberConfirm', actions: keep(({ event }) => ({ newMember: event.output.chamaNewMember })) },
      onError: refused,
    },
  }),
  newMemberConfirm: confirmInput('newMemberPhone', 'addingMember'),
  addingMember: menuSetup.createStateConfig({
    invoke: {
      src: 'addChamaMember',
      input: ({ context }) => ({ ...caller({ context }), newMsisdn: context.recipientMsisdn! }),
      onDone: { target: '#menu.chamaMemberAdded', actions: keep(({ event }) => ({ newMember: event.output.chamaNewMember })) },
      onError: refused,
    },
  }),
  memberRole: menuSetup.createStateConfig({
    tags: ['input'],
    on: {
      INPUT: [
        ...nav('members'),
        {
          guard: ({ event }: Args) => /^[1-4]$/.test(event.value),
          target: 'rolePin',
          actions: ['clearError', keep(({ event }) => ({ role: ROLE_CHOICES[Number(event.value) - 1] }))],
        },
        reask('invalidChoice'),
      ],
    },
  }),
  rolePin: pinInput('memberRole', 'settingRole'),
  settingRole: menuSetup.createStateConfig({
    invoke: {
      src: 'setChamaRole',
      input: ({ context, event }) => ({ ...caller({ context }), memberId: chama(context).member!.id, role: chama(context).role!, pin: pin(event) }),
      onDone: { target: '#menu.chamaRoleSet' },
      onError: [...pinFailures('rolePin'), refused],
    },
  }),

  loadingRequests: menuSetup.createStateConfig({
    invoke: {
      src: 'chamaRequests',
      input: caller,
      onDone: [
        { guard: ({ event }) => event.output.chamaRequests.length === 0, target: '#menu.chamaNoRequests' },
        { target: 'requests', actions: [keep(({ event }) => ({ requests: event.output.chamaRequests })), assign({ chamaPage: 0 })] },
      ],
      onError: refused,
    },
  }),
  requests: pickList('menu', (c) => c.chama?.requests, 'requestReview', (r) => ({ request: r })),
  requestReview: menuSetup.createStateConfig({
    tags: ['input'],
    on: {
      INPUT: [
        ...nav('requests'),
        { guard: choice('1'), target: 'requestPin', actions: ['clearError', keep(() => ({ approve: true }))] },
        {
          guard: ({ context, event }: Args) => event.value === '2' && context.chama?.request?.kind === 'loan',
          target: 'requestPin',
          actions: ['clearError', keep(() => ({ approve: false }))],
        },
        reask('invalidChoice'),
      ],
    },
  }),
  requestPin: pinInput('requestReview', 'deciding'),
  deciding: menuSetup.createStateConfig({
    invoke: {
      src: 'decideChamaRequest',
      input: ({ context, event }) => ({
        ...caller({ context }), kind: chama(context).request!.kind, id: chama(context).request!.id, approve: chama(context).approve === true, pin: pin(event),
      }),
      onDone: { target: '#menu.chamaRequestDecided', actions: assign({ chamaDecision: ({ event }) => event.output.chamaDecision }) },
      onError: [...pinFailures('requestPin'), refused],
    },
  }),
};
