/**
 * The books of a chama (DESIGN.md, Money). In the platform book (what Simu holds for the
 * group, each a liability): `chama:<id>:pot` (merry-go-round money awaiting its payout,
 * no-overdraft), `chama:<id>:savings` (the group's cash: savings parts, paid fines, loan
 * repayments; group loans and leavers are paid from it; no-overdraft) and `chama:<id>:loans`
 * (what members owe the group on its loans: the offset of their loans' receivables, so the
 * group's worth is savings + loans + pot).
 *
 * In the chama's own book `chama:<id>` (memoranda: who in the group is owed or owes what):
 * per member `chama:<id>:member:<m>:savings` (a liability: what the member has saved) and
 * `chama:<id>:member:<m>:fines` (an asset: fines the member owes), with their offsets
 * `chama:<id>:savings-held` (asset), `chama:<id>:fines-levied` (revenue) and
 * `chama:<id>:fines-collected` (asset). The book's trial balance is zero.
 */
import type { Db } from '../db/index.js';
import { openAccount, type Account } from '../ledger/index.js';

/** The name of chama `chamaId`'s own book. */
export function chamaBook(chamaId: number): string {
  return `chama:${chamaId}`;
}

/** The accounts a chama opens, by role. */
export interface ChamaAccounts {
  pot: Account;
  savings: Account;
  loans: Account;
  finesLevied: Account;
  finesCollected: Account;
  savingsHeld: Account;
}

/** Opens (or finds: safe to run twice) the six accounts of chama `chamaId` named `name`. */
export async function openChamaAccounts(db: Db, chamaId: number, name: string): Promise<ChamaAccounts> {
  const c = `chama:${chamaId}`;
  const book = chamaBook(chamaId);
  // One at a time: `db` is usually a transaction, whose one connection runs queries in turn.
  const pot = await openAccount(db, { code: `${c}:pot`, name: `${name} merry-go-round pot`, type: 'liability', noOverdraft: true });
  const savings = await openAccount(db, { code: `${c}:savings`, name: `${name} savings`, type: 'liability', noOverdraft: true });
  const loans = await openAccount(db, { code: `${c}:loans`, name: `${name} loans to members`, type: 'liability' });
  const finesLevied = await openAccount(db, { code: `${c}:fines-levied`, name: `${name} fines levied`, type: 'revenue', book });
  const finesCollected = await openAccount(db, { code: `${c}:fines-collected`, name: `${name} fines collected`, type: 'asset', book });
  const savingsHeld = await openAccount(db, { code: `${c}:savings-held`, name: `${name} members' savings held`, type: 'asset', book });
  return { pot, savings, loans, finesLevied, finesCollected, savingsHeld };
}

/** Opens a member's two accounts in the chama's book: their savings (liability) and the fines they owe (asset). */
export async function openMemberAccounts(db: Db, chamaId: number, memberId: number, label: string): Promise<{ savings: Account; fines: Account }> {
  const c = `chama:${chamaId}:member:${memberId}`;
  const book = chamaBook(chamaId);
  const savings = await openAccount(db, { code: `${c}:savings`, name: `${label} savings`, type: 'liability', book, noOverdraft: true });
  const fines = await openAccount(db, { code: `${c}:fines`, name: `${label} fines owed`, type: 'asset', book, noOverdraft: true });
  return { savings, fines };
}
