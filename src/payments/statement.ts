/**
 * My Account views: the mini statement (the wallet's last entries, after the PIN) and the
 * limits in force with what is left of them today and this month.
 */
import { db as defaultDb, type Db } from '../db/index.js';
import { findCustomer, verifyPin, CustomerNotFoundError } from '../customers/index.js';
import { nationalFormat } from '../phone/index.js';
import { loadLimits, sentSoFar, type Limits } from './limits.js';

/** One statement line: amounts in cents, signed as the owner reads them (money out negative). */
export interface StatementLine {
  code: string;
  at: Date;
  /** Who or what was on the other side, as short as a screen needs. */
  counterparty: string;
  amount: bigint;
}

/** Labels of entry kinds that have no person on the other side. */
const KIND_LABELS: Record<string, string> = {
  airtime: 'Airtime', paybill: 'Pay Bill', buy_goods: 'Buy Goods', reversal: 'Reversal', adjustment: 'Adjustment', seed: 'Deposit',
};

/**
 * The last `count` entries of the customer's wallet, newest first, after checking the PIN.
 *
 * @throws WrongPinError, PinLockedError, CustomerInactiveError (customers)
 */
export async function miniStatement(msisdn: string, pin: string, count = 5, db: Db = defaultDb): Promise<StatementLine[]> {
  const customer = await verifyPin(msisdn, pin, db);
  return walletLines(db, customer, count);
}

/**
 * The last `count` entries of a customer's wallet, newest first, WITHOUT a PIN: for the
 * callers that authenticate otherwise (an SMS command from the customer's own SIM).
 */
export async function walletLines(db: Db, customer: { msisdn: string; walletAccountId: number }, count = 5): Promise<StatementLine[]> {
  const rows = await db('postings as p')
    .join('journal_entries as e', 'e.id', 'p.journal_entry_id')
    .where('p.account_id', customer.walletAccountId)
    .orderBy('p.id', 'desc')
    .limit(count)
    .select('e.code', 'e.kind', 'e.metadata', 'p.amount', 'p.created_at');
  return rows.map((r) => ({ code: r.code, at: r.created_at, counterparty: counterparty(r.kind, r.metadata ?? {}, customer.msisdn), amount: -(r.amount as bigint) }));
}

function counterparty(kind: string, metadata: Record<string, unknown>, self: string): string {
  if (kind === 'p2p') {
    const other = metadata.payer === self ? metadata.recipient : metadata.payer;
    return typeof other === 'string' ? nationalFormat(other) : 'Transfer';
  }
  // Short as M-Pesa statements write them: a statement line has room for about 16 characters.
  if ((kind === 'paybill' || kind === 'buy_goods') && typeof metadata.shortCode === 'string') return `${kind === 'paybill' ? 'Paybill' : 'Till'} ${metadata.shortCode}`;
  if ((kind === 'withdrawal' || kind === 'deposit') && typeof metadata.agentNumber === 'string') return `Agent ${metadata.agentNumber}`;
  return KIND_LABELS[kind] ?? kind;
}

/** The limits in force and what is left of them (cents). */
export interface LimitsLeft {
  limits: Limits;
  leftToday: bigint;
  leftThisMonth: bigint;
}

/**
 * The customer's limits (tier plus overrides) and what they may still send today and this
 * month (Africa/Nairobi), counted as the send checks count them.
 *
 * @throws CustomerNotFoundError
 */
export async function limitsLeft(msisdn: string, db: Db = defaultDb): Promise<LimitsLeft> {
  const customer = await findCustomer(msisdn, db);
  if (!customer) throw new CustomerNotFoundError();
  const limits = await loadLimits(db, customer.id);
  const { today, month } = await sentSoFar(db, customer.walletAccountId);
  const floor = (v: bigint) => (v < 0n ? 0n : v);
  return { limits, leftToday: floor(limits.perDay - today), leftThisMonth: floor(limits.perMonth - month) };
}
