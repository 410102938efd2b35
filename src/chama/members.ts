/**
 * Members of a chama: adding one by phone number, roles, the rotation (the merry-go-round
 * queue: the lowest `rotationPosition` is paid next), and reading who belongs where.
 */
import { inTransaction, nextSerialId, type Db } from '../db/index.js';
import { findCustomer } from '../customers/index.js';
import { ValidationError } from '../errors/index.js';
import { normalizeMsisdn } from '../phone/index.js';
import { openMemberAccounts } from './books.js';
import { getChama, toChama, CHAMA_COLUMNS, type Chama } from './chamas.js';
import { AlreadyAMemberError, NotAMemberError, OfficeTakenError } from './errors.js';

/** A member's role. Officials are the chairperson, the treasurer and the secretary. */
export type ChamaRole = 'chairperson' | 'treasurer' | 'secretary' | 'member';
/** The roles, in the order screens list them. */
export const CHAMA_ROLES: readonly ChamaRole[] = ['chairperson', 'treasurer', 'secretary', 'member'];

/** A member of a chama, with their customer's name and MSISDN. */
export interface Member {
  id: number;
  chamaId: number;
  customerId: number;
  name: string;
  msisdn: string;
  language: 'en' | 'sw';
  role: ChamaRole;
  rotationPosition: number;
  status: 'active' | 'left';
  /** Their savings in the chama's book (liability: a credit balance). */
  savingsAccountId: number;
  /** The fines they owe, in the chama's book (asset). */
  finesAccountId: number;
  joinedAt: Date;
}

/** Whether `role` is an official's. */
export function isOfficial(role: ChamaRole): boolean {
  return role !== 'member';
}

const MEMBER_COLUMNS = "chama_members.*, customers.msisdn, customers.language, trim(coalesce(customers.first_name, '') || ' ' || coalesce(customers.last_name, '')) AS full_name";

/** Maps a chama_members row joined with its customer. */
function toMember(r: Record<string, unknown>): Member {
  return {
    id: r.id as number, chamaId: r.chama_id as number, customerId: r.customer_id as number,
    name: (r.full_name as string) || (r.msisdn as string), msisdn: r.msisdn as string, language: (String(r.language ?? 'en').trim() === 'sw' ? 'sw' : 'en'),
    role: r.role as ChamaRole, rotationPosition: r.rotation_position as number, status: r.status as Member['status'],
    savingsAccountId: r.savings_account_id as number, finesAccountId: r.fines_account_id as number, joinedAt: r.joined_at as Date,
  };
}

const members = (db: Db) => db('chama_members').join('customers', 'customers.id', 'chama_members.customer_id').select(db.raw(MEMBER_COLUMNS));

/** Member `id` (active or not), locked FOR UPDATE when `lock`. @throws NotAMemberError */
export async function getMember(db: Db, id: number, lock = false): Promise<Member> {
  const q = members(db).where('chama_members.id', id).first();
  const row = Number.isSafeInteger(id) ? await (lock ? q.forUpdate('chama_members') : q) : undefined;
  if (!row) throw new NotAMemberError(`member ${id}`);
  return toMember(row);
}

/** The active members of chama `chamaId`, in rotation order. */
export async function membersOf(db: Db, chamaId: number): Promise<Member[]> {
  return (await members(db).where({ 'chama_members.chama_id': chamaId, 'chama_members.status': 'active' })
    .orderBy('chama_members.rotation_position').orderBy('chama_members.id')).map(toMember);
}

/** The customer's active membership of chama `chamaId`. @throws NotAMemberError */
export async function membershipOf(db: Db, chamaId: number, customerId: number): Promise<Member> {
  const row = await members(db).where({ 'chama_members.chama_id': chamaId, 'chama_members.customer_id': customerId, 'chama_members.status': 'active' }).first();
  if (!row) throw new NotAMemberError('you');
  return toMember(row);
}

/** The chamas customer `customerId` is an active member of, by name, with their membership. */
export async function chamasOf(db: Db, customerId: number): Promise<{ chama: Chama; member: Member }[]> {
  const rows = await db('chama_members').join('chamas', 'chamas.id', 'chama_members.chama_id')
    .where({ 'chama_members.customer_id': customerId, 'chama_members.status': 'active' })
    .select(db.raw(CHAMA_COLUMNS), db.raw('chama_members.id AS member_id')).orderBy('chamas.name');
  const out: { chama: Chama; member: Member }[] = [];
  for (const r of rows) out.push({ chama: toChama(r), member: await getMember(db, r.member_id as number) });
  return out;
}

/**
 * Adds the Simu customer with `msisdn` (any format libphonenumber-js reads) to chama
 * `chamaId` with `role`, at the back of the rotation, and opens their accounts in the
 * chama's book. One transaction (the caller's, when `db` is one).
 *
 * @throws ValidationError a bad number or role; NotAMemberError (no Simu customer with that number);
 *   AlreadyAMemberError; OfficeTakenError (another member holds that office); ChamaNotFoundError
 */
export async function addMember(db: Db, chamaId: number, msisdn: string, role: ChamaRole = 'member'): Promise<Member> {
  const number = normalizeMsisdn(String(msisdn ?? ''));
  if (!number) throw new ValidationError('msisdn: a Kenyan phone number', 'msisdn');
  if (!CHAMA_ROLES.includes(role)) throw new ValidationError(`role: one of ${CHAMA_ROLES.join(', ')}`, 'role');
  return inTransaction(db, async (trx) => {
    const chama = await getChama(trx, chamaId);
    await trx('chamas').where({ id: chama.id }).forUpdate().first('id');
    const customer = await findCustomer(number, trx);
    if (!customer) throw new NotAMemberError(`${number} (not registered with Simu)`);
    if (await trx('chama_members').where({ chama_id: chama.id, customer_id: customer.id, status: 'active' }).first('id')) throw new AlreadyAMemberError();
    if (role !== 'member' && await trx('chama_members').where({ chama_id: chama.id, role, status: 'active' }).first('id')) throw new OfficeTakenError(role);
    const id = await nextSerialId(trx, 'chama_members');
    const label = `${chama.name}: ${[customer.firstName, customer.lastName].filter(Boolean).join(' ') || number}`;
    const accounts = await openMemberAccounts(trx, chama.id, id, label);
    const { max } = await trx('chama_members').where({ chama_id: chama.id }).max('rotation_position as max').first() as { max: number | null };
    await trx('chama_members').insert({
      id, chama_id: chama.id, customer_id: customer.id, role, rotation_position: (max ?? 0) + 1,
      savings_account_id: accounts.savings.id, fines_account_id: accounts.fines.id,
    });
    return getMember(trx, id);
  });
}

/**
 * Gives member `memberId` a new role. An office held by another active member must be freed first.
 *
 * @throws ValidationError, NotAMemberError, OfficeTakenError
 */
export async function setRole(db: Db, memberId: number, role: ChamaRole): Promise<Member> {
  if (!CHAMA_ROLES.includes(role)) throw new ValidationError(`role: one of ${CHAMA_ROLES.join(', ')}`, 'role');
  return inTransaction(db, async (trx) => {
    const member = await getMember(trx, memberId, true);
    if (member.status !== 'active') throw new NotAMemberError(`member ${memberId}`);
    if (member.role === role) return member;
    await trx('chamas').where({ id: member.chamaId }).forUpdate().first('id');
    const holder = role === 'member' ? null : await trx('chama_members').where({ chama_id: member.chamaId, role, status: 'active' }).first('id');
    if (holder) throw new OfficeTakenError(role);
    await trx('chama_members').where({ id: member.id }).update({ role });
    return getMember(trx, member.id);
  });
}

/**
 * Sets the rotation: `memberIds` lists every active member of the chama once, the next to
 * be paid first.
 *
 * @throws ValidationError the list is not exactly the active members; ChamaNotFoundError
 */
export async function setRotation(db: Db, chamaId: number, memberIds: number[]): Promise<Member[]> {
  return inTransaction(db, async (trx) => {
    await getChama(trx, chamaId);
    await trx('chamas').where({ id: chamaId }).forUpdate().first('id');
    const active = (await membersOf(trx, chamaId)).map((m) => m.id);
    const given = Array.isArray(memberIds) ? memberIds : [];
    const same = given.length === active.length && new Set(given).size === given.length && given.every((id) => active.includes(id));
    if (!same) throw new ValidationError('rotation: every active member id once', 'rotation');
    const { max } = await trx('chama_members').where({ chama_id: chamaId }).max('rotation_position as max').first() as { max: number | null };
    // Past every position in use, so no two members ever share one mid-update.
    for (const [i, id] of given.entries()) await trx('chama_members').where({ id }).update({ rotation_position: (max ?? 0) + 1 + i });
    return membersOf(trx, chamaId);
  });
}

/** Moves member `memberId` to the back of the rotation (after a payout, or when skipped for arrears). */
export async function sendToBack(db: Db, chamaId: number, memberId: number): Promise<void> {
  const { max } = await db('chama_members').where({ chama_id: chamaId }).max('rotation_position as max').first() as { max: number | null };
  await db('chama_members').where({ id: memberId }).update({ rotation_position: (max ?? 0) + 1 });
}
