/**
 * Chamas: creating one (with its ledger accounts), reading it, and changing its policy.
 * Amounts are KES cents (`bigint`); days are `YYYY-MM-DD` in Africa/Nairobi.
 */
import { inTransaction, nextSerialId, type Db } from '../db/index.js';
import { isCalendarDate } from '../calendar/index.js';
import { ValidationError } from '../errors/index.js';
import { chamaBook, openChamaAccounts } from './books.js';
import { ChamaExistsError, ChamaNotFoundError } from './errors.js';

/** How often members contribute. */
export type ChamaFrequency = 'weekly' | 'monthly';
/** A chama's status: a suspended chama takes no money and pays none out. */
export type ChamaStatus = 'active' | 'suspended';

/** A chama and its rules (amounts in cents). */
export interface Chama {
  id: number;
  /** The short code members text (`UMOJA`): 2-12 capital letters or digits, starting with a letter. */
  code: string;
  name: string;
  status: ChamaStatus;
  /** What each member owes each cycle. */
  contribution: bigint;
  /** The part of `contribution` paid out each cycle; the rest (`savings`) is kept. */
  merryGoRound: bigint;
  savings: bigint;
  frequency: ChamaFrequency;
  /** The due day of cycle 1; cycle n is due `n-1` weeks or months later. */
  firstDueOn: string;
  /** The fine for a cycle not fully paid `fineGraceDays` days after its due day. */
  fine: bigint;
  fineGraceDays: number;
  /** The loan engine's product for group loans (null: the group does not lend). */
  loanProductCode: string | null;
  /** A member may borrow up to this multiple of their own savings. */
  loanMultiple: number;
  /** How many members must guarantee a loan. */
  loanGuarantors: number;
  book: string;
  potAccountId: number;
  savingsAccountId: number;
  loansAccountId: number;
  finesLeviedAccountId: number;
  finesCollectedAccountId: number;
  savingsHeldAccountId: number;
}

/** What creating a chama takes (amounts in cents). */
export interface NewChama {
  code: string;
  name: string;
  contribution: bigint;
  merryGoRound: bigint;
  frequency: ChamaFrequency;
  firstDueOn: string;
  fine?: bigint;
  fineGraceDays?: number;
  loanProductCode?: string | null;
  loanMultiple?: number;
  loanGuarantors?: number;
}

/** The policy fields an admin may change after creation (fields left out keep their value). */
export type ChamaPolicy = Partial<Pick<NewChama, 'name' | 'contribution' | 'merryGoRound' | 'fine' | 'fineGraceDays' | 'loanProductCode' | 'loanMultiple' | 'loanGuarantors'>> & { status?: ChamaStatus };

const CODE = /^[A-Z][A-Z0-9]{1,11}$/;

/** Maps a chamas row. */
export function toChama(r: Record<string, unknown>): Chama {
  const contribution = BigInt(r.contribution_amount as string | bigint);
  const merryGoRound = BigInt(r.merry_go_round_amount as string | bigint);
  return {
    id: r.id as number, code: r.code as string, name: r.name as string, status: r.status as ChamaStatus,
    contribution, merryGoRound, savings: contribution - merryGoRound,
    frequency: r.frequency as ChamaFrequency, firstDueOn: r.first_due_on_text as string,
    fine: BigInt(r.fine_amount as string | bigint), fineGraceDays: r.fine_grace_days as number,
    loanProductCode: (r.loan_product_code as string | null) ?? null, loanMultiple: r.loan_multiple as number, loanGuarantors: r.loan_guarantors as number,
    book: chamaBook(r.id as number),
    potAccountId: r.pot_account_id as number, savingsAccountId: r.savings_account_id as number, loansAccountId: r.loans_account_id as number,
    finesLeviedAccountId: r.fines_levied_account_id as number, finesCollectedAccountId: r.fines_collected_account_id as number,
    savingsHeldAccountId: r.savings_held_account_id as number,
  };
}

/** The columns a Chama is read from (the due day as text). */
export const CHAMA_COLUMNS = "chamas.*, to_char(chamas.first_due_on, 'YYYY-MM-DD') AS first_due_on_text";

function checkAmounts(contribution: bigint, merryGoRound: bigint, fine: bigint, graceDays: number): void {
  if (typeof contribution !== 'bigint' || contribution <= 0n) throw new ValidationError('contribution: positive cents', 'contribution');
  if (typeof merryGoRound !== 'bigint' || merryGoRound < 0n || merryGoRound > contribution) {
    throw new ValidationError('merryGoRound: cents from 0 to the contribution', 'merryGoRound');
  }
  if (typeof fine !== 'bigint' || fine < 0n) throw new ValidationError('fine: cents, 0 or more', 'fine');
  if (!Number.isInteger(graceDays) || graceDays < 0 || graceDays > 60) throw new ValidationError('fineGraceDays: 0-60', 'fineGraceDays');
}

function checkLoanPolicy(multiple: number, guarantors: number): void {
  if (!Number.isInteger(multiple) || multiple < 0 || multiple > 20) throw new ValidationError('loanMultiple: 0-20', 'loanMultiple');
  if (!Number.isInteger(guarantors) || guarantors < 0 || guarantors > 5) throw new ValidationError('loanGuarantors: 0-5', 'loanGuarantors');
}

/**
 * Creates a chama and opens its accounts (src/chama/books.ts) in one transaction (the
 * caller's, when `db` is one). It has no members yet (members.ts).
 *
 * @throws ValidationError a bad code, name, amount, frequency or due day (a monthly due day is the 1st-28th)
 * @throws ChamaExistsError the short code is taken
 */
export async function createChama(db: Db, spec: NewChama): Promise<Chama> {
  const code = String(spec.code ?? '').trim().toUpperCase();
  const name = String(spec.name ?? '').trim();
  if (!CODE.test(code)) throw new ValidationError('code: 2-12 letters or digits, starting with a letter', 'code');
  if (!name || name.length > 60) throw new ValidationError('name: 1-60 characters', 'name');
  const fine = spec.fine ?? 0n;
  const graceDays = spec.fineGraceDays ?? 0;
  checkAmounts(spec.contribution, spec.merryGoRound, fine, graceDays);
  checkLoanPolicy(spec.loanMultiple ?? 3, spec.loanGuarantors ?? 2);
  if (spec.frequency !== 'weekly' && spec.frequency !== 'monthly') throw new ValidationError('frequency: weekly or monthly', 'frequency');
  if (!isCalendarDate(spec.firstDueOn)) throw new ValidationError('firstDueOn: a day written YYYY-MM-DD', 'firstDueOn');
  if (spec.frequency === 'monthly' && Number(spec.firstDueOn.slice(8)) > 28) {
    throw new ValidationError('firstDueOn: a monthly due day is the 1st to the 28th', 'firstDueOn');
  }
  return inTransaction(db, async (trx) => {
    if (await trx('chamas').where({ code }).first('id')) throw new ChamaExistsError(code);
    const id = await nextSerialId(trx, 'chamas');
    const a = await openChamaAccounts(trx, id, name);
    const rows = await trx('chamas').insert({
      id, code, name, contribution_amount: spec.contribution.toString(), merry_go_round_amount: spec.merryGoRound.toString(),
      frequency: spec.frequency, first_due_on: spec.firstDueOn, fine_amount: fine.toString(), fine_grace_days: graceDays,
      loan_product_code: spec.loanProductCode ?? null, loan_multiple: spec.loanMultiple ?? 3, loan_guarantors: spec.loanGuarantors ?? 2,
      pot_account_id: a.pot.id, savings_account_id: a.savings.id, loans_account_id: a.loans.id,
      fines_levied_account_id: a.finesLevied.id, fines_collected_account_id: a.finesCollected.id, savings_held_account_id: a.savingsHeld.id,
    }).onConflict('code').ignore().returning('id');
    if (rows.length === 0) throw new ChamaExistsError(code);
    return getChama(trx, id);
  });
}

/** Chama `id`. @throws ChamaNotFoundError */
export async function getChama(db: Db, id: number): Promise<Chama> {
  const row = Number.isSafeInteger(id) ? await db('chamas').where({ id }).first(db.raw(CHAMA_COLUMNS)) : undefined;
  if (!row) throw new ChamaNotFoundError(`with id ${id}`);
  return toChama(row);
}

/** The chama with short code `code` (any case), or null. */
export async function findChamaByCode(db: Db, code: string): Promise<Chama | null> {
  const row = await db('chamas').where({ code: code.trim().toUpperCase() }).first(db.raw(CHAMA_COLUMNS));
  return row ? toChama(row) : null;
}

/** Every chama, by name (admin). */
export async function listChamas(db: Db): Promise<Chama[]> {
  return (await db('chamas').select(db.raw(CHAMA_COLUMNS)).orderBy('name')).map(toChama);
}

/**
 * Changes a chama's policy or status. The merry-go-round part cannot exceed the
 * contribution; a change applies to cycles paid from now on (what was paid stays as split).
 *
 * @throws ChamaNotFoundError, ValidationError
 */
export async function updateChamaPolicy(db: Db, id: number, policy: ChamaPolicy): Promise<Chama> {
  return inTransaction(db, async (trx) => {
    const current = await getChama(trx, id);
    const contribution = policy.contribution ?? current.contribution;
    const merryGoRound = policy.merryGoRound ?? current.merryGoRound;
    const fine = policy.fine ?? current.fine;
    const graceDays = policy.fineGraceDays ?? current.fineGraceDays;
    checkAmounts(contribution, merryGoRound, fine, graceDays);
    checkLoanPolicy(policy.loanMultiple ?? current.loanMultiple, policy.loanGuarantors ?? current.loanGuarantors);
    if (policy.status !== undefined && policy.status !== 'active' && policy.status !== 'suspended') throw new ValidationError('status: active or suspended', 'status');
    const name = policy.name === undefined ? current.name : String(policy.name).trim();
    if (!name || name.length > 60) throw new ValidationError('name: 1-60 characters', 'name');
    await trx('chamas').where({ id }).update({
      name, contribution_amount: contribution.toString(), merry_go_round_amount: merryGoRound.toString(),
      fine_amount: fine.toString(), fine_grace_days: graceDays,
      loan_product_code: policy.loanProductCode === undefined ? current.loanProductCode : policy.loanProductCode,
      loan_multiple: policy.loanMultiple ?? current.loanMultiple, loan_guarantors: policy.loanGuarantors ?? current.loanGuarantors,
      status: policy.status ?? current.status, updated_at: trx.fn.now(),
    });
    return getChama(trx, id);
  });
}
