/**
 * Loan products: data (DESIGN.md: tariffs and terms are data), created by seeds and the
 * admin API, read by the engine. Rates are basis points per period (1 % = 100 bp).
 */
import type { Db } from '../db/index.js';
import { ValidationError } from '../errors/index.js';
import { LoanProductExistsError, LoanProductNotFoundError } from './errors.js';
import type { ScheduleTerms } from './schedule.js';

/** A loan product. Amounts in KES cents; `rateBp`, `feeBp`, `penaltyBp` in basis points. */
export interface LoanProduct extends ScheduleTerms {
  id: number;
  code: string;
  name: string;
  principalMin: bigint;
  principalMax: bigint;
  /** Penalty per period on an installment's overdue amount, after `penaltyGraceDays`. */
  penaltyBp: number;
  penaltyGraceDays: number;
  /** Whether money arriving in the wallet repays an overdue loan of this product first. */
  sweep: boolean;
  status: 'active' | 'retired';
}

/** What creating a product takes (`status` defaults to active). */
export type NewLoanProduct = Omit<LoanProduct, 'id' | 'status'> & { status?: LoanProduct['status'] };

/** Maps a loan_products row. */
export function toLoanProduct(r: Record<string, unknown>): LoanProduct {
  return {
    id: r.id as number, code: r.code as string, name: r.name as string,
    principalMin: r.principal_min as bigint, principalMax: r.principal_max as bigint,
    installments: r.installments as number, periodUnit: r.period_unit as LoanProduct['periodUnit'], periodLength: r.period_length as number,
    interestMethod: r.interest_method as LoanProduct['interestMethod'], rateBp: r.rate_bp as number, feeBp: r.fee_bp as number,
    penaltyBp: r.penalty_bp as number, penaltyGraceDays: r.penalty_grace_days as number, sweep: r.sweep as boolean,
    status: r.status as LoanProduct['status'],
  };
}

function toRow(p: NewLoanProduct): Record<string, unknown> {
  return {
    code: p.code, name: p.name, principal_min: p.principalMin.toString(), principal_max: p.principalMax.toString(),
    installments: p.installments, period_unit: p.periodUnit, period_length: p.periodLength, interest_method: p.interestMethod,
    rate_bp: p.rateBp, fee_bp: p.feeBp, penalty_bp: p.penaltyBp, penalty_grace_days: p.penaltyGraceDays, sweep: p.sweep,
    status: p.status ?? 'active',
  };
}

/** @throws ValidationError on a product the database would refuse, with the field named */
function validate(p: NewLoanProduct): void {
  const int = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;
  if (!/^[a-z0-9][a-z0-9_-]{0,39}$/.test(p.code)) throw new ValidationError('code must be 1-40 lower-case letters, digits, - or _', 'code');
  if (!p.name.trim()) throw new ValidationError('name must not be empty', 'name');
  if (p.principalMin <= 0n || p.principalMax < p.principalMin) throw new ValidationError('0 < principalMin <= principalMax', 'principalMin');
  if (!int(p.installments, 1, 360)) throw new ValidationError('installments must be 1-360', 'installments');
  if (!['day', 'week', 'month'].includes(p.periodUnit)) throw new ValidationError('periodUnit must be day, week or month', 'periodUnit');
  if (!int(p.periodLength, 1, 366)) throw new ValidationError('periodLength must be 1-366', 'periodLength');
  if (!['flat', 'declining'].includes(p.interestMethod)) throw new ValidationError('interestMethod must be flat or declining', 'interestMethod');
  if (!int(p.rateBp, 0, 100_000)) throw new ValidationError('rateBp must be 0-100000', 'rateBp');
  for (const f of ['feeBp', 'penaltyBp'] as const) if (!int(p[f], 0, 10_000)) throw new ValidationError(`${f} must be 0-10000`, f);
  if (!int(p.penaltyGraceDays, 0, 3650)) throw new ValidationError('penaltyGraceDays must be 0-3650', 'penaltyGraceDays');
}

/**
 * Creates a product.
 *
 * @throws ValidationError a bad field; LoanProductExistsError the code is taken
 */
export async function createProduct(db: Db, spec: NewLoanProduct): Promise<LoanProduct> {
  validate(spec);
  const rows = await db('loan_products').insert(toRow(spec)).onConflict('code').ignore().returning('*');
  if (!rows.length) throw new LoanProductExistsError(spec.code);
  return toLoanProduct(rows[0]);
}

/** Creates the product, or leaves an existing one with that code as it is (seeds: safe to run twice). */
export async function ensureProduct(db: Db, spec: NewLoanProduct): Promise<LoanProduct> {
  validate(spec);
  await db('loan_products').insert(toRow(spec)).onConflict('code').ignore();
  return (await findProductByCode(db, spec.code))!;
}

/** Changes a product's terms or status; loans already disbursed keep the terms they were made with. @throws LoanProductNotFoundError, ValidationError */
export async function updateProduct(db: Db, code: string, changes: Partial<Omit<NewLoanProduct, 'code'>>): Promise<LoanProduct> {
  const current = await findProductByCode(db, code);
  if (!current) throw new LoanProductNotFoundError(code);
  const next = { ...current, ...changes, code };
  validate(next);
  const [row] = await db('loan_products').where({ code }).update({ ...toRow(next), updated_at: db.fn.now() }).returning('*');
  return toLoanProduct(row);
}

/** The product with id `id`. @throws LoanProductNotFoundError */
export async function getProduct(db: Db, id: number): Promise<LoanProduct> {
  const row = await db('loan_products').where({ id }).first();
  if (!row) throw new LoanProductNotFoundError(String(id));
  return toLoanProduct(row);
}

/** The product with `code`, or null. */
export async function findProductByCode(db: Db, code: string): Promise<LoanProduct | null> {
  const row = await db('loan_products').where({ code }).first();
  return row ? toLoanProduct(row) : null;
}

/** Every product (only active ones unless `all`), by code. */
export async function listProducts(db: Db, opts: { all?: boolean } = {}): Promise<LoanProduct[]> {
  const q = db('loan_products').orderBy('code');
  if (!opts.all) q.where({ status: 'active' });
  return (await q).map(toLoanProduct);
}
