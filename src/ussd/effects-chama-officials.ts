/**
 * The Chama effects of its officials (Approve payouts, Members, Approve requests),
 * implemented with src/chama (see menus/chama-actors.ts). Adding a member and changing a
 * role are refused (`not_an_official`) unless the caller is the chama's chairperson,
 * treasurer or secretary (the domain's addMember/setRole leave that check to their
 * callers); approvals are checked by the domain (the right officials, never the member
 * concerned), each with the official's PIN.
 */
import type { ChamaRequestView, ChamaRoleView } from '../../menus/index.js';
import { db } from '../db/index.js';
import { findCustomer, verifyPin } from '../customers/index.js';
import { RecipientNotFoundError } from '../payments/index.js';
import { normalizeMsisdn } from '../phone/index.js';
import {
  addMember, approveExit, approveGroupLoan, approvePayout, exitQuote, getMember, isOfficial, loansToApprove, membershipOf, membersOf, pendingExits,
  requiredRoles, setRole, signedRoles, AlreadyAMemberError, NotAMemberError, NotAnOfficialError,
} from '../chama/index.js';
import { chamaEffect, customerOf } from './effects-chama.js';

const s = (n: bigint) => n.toString();

/** The caller's membership of chama `chamaId` when they hold an office. @throws NotAMemberError, NotAnOfficialError */
async function officialOf(chamaId: number, customerId: number) {
  const me = await membershipOf(db, chamaId, customerId);
  if (!isOfficial(me.role)) throw new NotAnOfficialError('only the chama\'s officials may do this');
  return me;
}

/** The customer with `msisdn`, to be added: registered and active, and not a member yet. */
async function newcomer(chamaId: number, msisdn: string) {
  const number = normalizeMsisdn(msisdn);
  const customer = number ? await findCustomer(number, db) : null;
  if (!customer || customer.status !== 'active') throw new RecipientNotFoundError();
  if (await membershipOf(db, chamaId, customer.id).catch((err) => (err instanceof NotAMemberError ? null : Promise.reject(err)))) throw new AlreadyAMemberError();
  return { msisdn: customer.msisdn, name: [customer.firstName, customer.lastName].filter(Boolean).join(' ') || customer.msisdn };
}

/** Officials' effects of Chama, for `mainMenu.provide({ actors })`. */
export const chamaOfficialEffects = {
  approveChamaPayout: chamaEffect<'approveChamaPayout'>(async (i) => {
    const a = await approvePayout(db, { chamaId: i.chamaId, cycleNo: i.cycleNo, signer: { msisdn: i.msisdn, pin: i.pin }, override: i.override });
    return {
      chamaApproval: {
        recipient: a.next.recipient.name, paidCents: a.paid ? s(a.paid.amount) : null,
        waiting: a.next.needed.filter((r) => !a.next.signed.includes(r)) as ChamaRoleView[],
      },
    };
  }),
  chamaMembers: chamaEffect<'chamaMembers'>(async (i) => {
    await officialOf(i.chamaId, (await customerOf(i.msisdn)).id);
    return { chamaMembers: (await membersOf(db, i.chamaId)).map((m) => ({ id: m.id, name: m.name, role: m.role })) };
  }),
  findChamaMember: chamaEffect<'findChamaMember'>(async (i) => {
    await officialOf(i.chamaId, (await customerOf(i.msisdn)).id);
    return { chamaNewMember: await newcomer(i.chamaId, i.newMsisdn) };
  }),
  addChamaMember: chamaEffect<'addChamaMember'>(async (i) => {
    await officialOf(i.chamaId, (await customerOf(i.msisdn)).id);
    const found = await newcomer(i.chamaId, i.newMsisdn);
    const m = await addMember(db, i.chamaId, found.msisdn);
    return { chamaNewMember: { msisdn: m.msisdn, name: m.name } };
  }),
  setChamaRole: chamaEffect<'setChamaRole'>(async (i) => {
    const customer = await verifyPin(i.msisdn, i.pin, db);
    await officialOf(i.chamaId, customer.id);
    const member = await getMember(db, i.memberId);
    if (member.chamaId !== i.chamaId || member.status !== 'active') throw new NotAMemberError(`member ${i.memberId}`);
    await setRole(db, member.id, i.role);
    return {};
  }),
  /** The exits this official may sign and has not, then the loans awaiting them. */
  chamaRequests: chamaEffect<'chamaRequests'>(async (i) => {
    const customer = await customerOf(i.msisdn);
    const me = await membershipOf(db, i.chamaId, customer.id);
    const out: ChamaRequestView[] = [];
    for (const { exit, member } of await pendingExits(db, i.chamaId)) {
      if (member.id === me.id || !requiredRoles('exit', member.role).includes(me.role)) continue;
      if ((await signedRoles(db, 'exit', exit.id)).includes(me.role)) continue;
      out.push({ kind: 'exit', id: exit.id, name: member.name, amountCents: s((await exitQuote(db, member)).amount) });
    }
    for (const r of await loansToApprove(db, i.chamaId, customer.id)) {
      out.push({ kind: 'loan', id: r.id, name: (await getMember(db, r.memberId)).name, amountCents: s(r.amount) });
    }
    return { chamaRequests: out };
  }),
  decideChamaRequest: chamaEffect<'decideChamaRequest'>(async (i) => {
    const signer = { msisdn: i.msisdn, pin: i.pin };
    if (i.kind === 'exit') {
      const { exit, complete } = await approveExit(db, { exitId: i.id, signer });
      const member = await getMember(db, exit.memberId);
      const amount = exit.amount ?? (await exitQuote(db, member)).amount;
      return { chamaDecision: { kind: 'exit' as const, approved: true, complete, name: member.name, amountCents: s(amount) } };
    }
    const { request, disbursement } = await approveGroupLoan(db, { requestId: i.id, signer, approve: i.approve });
    const applicant = await getMember(db, request.memberId);
    return { chamaDecision: { kind: 'loan' as const, approved: i.approve, complete: disbursement !== null, name: applicant.name, amountCents: s(request.amount) } };
  }),
};
