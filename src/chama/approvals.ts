/**
 * Officials' approvals (with their PIN) of a payout, a member's exit or a group loan. Two
 * officials sign a payout or an exit: the chairperson and the treasurer, and the secretary
 * signs in place of one of them who is the member concerned. A group loan is signed by the
 * treasurer (the chairperson when the treasurer is the borrower). Nobody signs for themself.
 */
import type { Db } from '../db/index.js';
import { resolveCaller, type Caller, type Customer } from '../customers/index.js';
import { ChamaStateError, NotAnOfficialError } from './errors.js';
import { membershipOf, type ChamaRole, type Member } from './members.js';

/** What an approval is of. */
export type ApprovalSubject = 'payout' | 'exit' | 'loan';

/** Who signs: by MSISDN with the PIN to check, or by customer id when the caller has checked the PIN already. */
export type Signer = Caller;

/** The roles whose signatures a subject concerning a member with `role` needs. */
export function requiredRoles(subject: ApprovalSubject, role: ChamaRole): ChamaRole[] {
  if (subject === 'loan') return [role === 'treasurer' ? 'chairperson' : 'treasurer'];
  return (['chairperson', 'treasurer'] as ChamaRole[]).map((r) => (r === role ? 'secretary' : r));
}

/** The signer as a customer, their PIN checked when given. @throws WrongPinError, PinLockedError, CustomerNotFoundError, CustomerInactiveError */
export function signerOf(db: Db, s: Signer): Promise<Customer> {
  return resolveCaller(db, s);
}

/**
 * Records official `signer`'s approval of `subject` `subjectId` concerning `concerned`, and
 * says whether every required role has now signed. Run in the transaction that acts on it.
 *
 * @throws NotAMemberError, NotAnOfficialError (not an official whose role this needs, or the member concerned),
 *   ChamaStateError `already_approved`
 */
export async function recordApproval(trx: Db, chamaId: number, subject: ApprovalSubject, subjectId: number, signer: Customer, concerned: Member): Promise<{ approver: Member; complete: boolean; signed: ChamaRole[] }> {
  const approver = await membershipOf(trx, chamaId, signer.id);
  const needed = requiredRoles(subject, concerned.role);
  if (approver.id === concerned.id) throw new NotAnOfficialError('you cannot approve what concerns you');
  if (!needed.includes(approver.role)) throw new NotAnOfficialError(`this needs the ${needed.join(' and the ')}`);
  const inserted = await trx('chama_approvals')
    .insert({ chama_id: chamaId, subject, subject_id: subjectId, member_id: approver.id, role: approver.role })
    .onConflict(['subject', 'subject_id', 'member_id']).ignore().returning('id');
  if (inserted.length === 0) throw new ChamaStateError('already_approved', 'you have approved this already');
  const signed = await signedRoles(trx, subject, subjectId);
  return { approver, complete: needed.every((r) => signed.includes(r)), signed };
}

/** The roles that have signed `subject` `subjectId` so far. */
export async function signedRoles(db: Db, subject: ApprovalSubject, subjectId: number): Promise<ChamaRole[]> {
  return (await db('chama_approvals').where({ subject, subject_id: subjectId }).orderBy('id').pluck('role')) as ChamaRole[];
}
