/**
 * Merchants as data: a paybill (customers add an account number) or a till, each with a
 * settlement account in the ledger (`merchant:<kind>:<number>`, a no-overdraft liability).
 */
import type { Db, Knex } from '../db/index.js';
import { NotFoundError } from '../errors/index.js';
import { openAccount } from '../ledger/index.js';
import { MerchantExistsError, MerchantNotFoundError } from './errors.js';

/** Paybill (with account numbers) or till (Buy Goods). */
export type MerchantKind = 'paybill' | 'till';
export const MERCHANT_KINDS: readonly MerchantKind[] = ['paybill', 'till'];
/** What a payment does when the validation URL does not answer in time. */
export type ValidationDefault = 'accept' | 'reject';
export type MerchantStatus = 'active' | 'suspended';
/** The language of a merchant's payment SMS. */
export type MerchantLanguage = 'en' | 'sw';
export const MERCHANT_LANGUAGES: readonly MerchantLanguage[] = ['en', 'sw'];

/** A merchant row. */
export interface Merchant {
  id: number;
  kind: MerchantKind;
  /** The paybill or till number. */
  shortCode: string;
  name: string;
  settlementAccountId: number;
  /** E.164: where the payment SMS go. */
  smsMsisdn: string;
  validationUrl: string | null;
  confirmationUrl: string | null;
  validationDefault: ValidationDefault;
  validationTimeoutMs: number;
  /** Commission on each payment in basis points of the amount (50 = 0.5 %), 0-1000. */
  commissionBp: number;
  /** What its payment SMS speak. */
  language: MerchantLanguage;
  status: MerchantStatus;
  createdAt: Date;
  updatedAt: Date;
}

/** What creating a merchant takes. */
export interface NewMerchant {
  kind: MerchantKind;
  shortCode: string;
  name: string;
  smsMsisdn: string;
  validationUrl?: string | null;
  confirmationUrl?: string | null;
  validationDefault?: ValidationDefault;
  validationTimeoutMs?: number;
  /** Default 50 (0.5 %). */
  commissionBp?: number;
  /** Default 'en'. */
  language?: MerchantLanguage;
}

/** What an update may change (the kind and number stay: they name the settlement account). */
export type MerchantChanges = Partial<Omit<NewMerchant, 'kind' | 'shortCode'>> & { status?: MerchantStatus };

const COLUMNS: Record<keyof MerchantChanges, string> = {
  name: 'name',
  smsMsisdn: 'sms_msisdn',
  validationUrl: 'validation_url',
  confirmationUrl: 'confirmation_url',
  validationDefault: 'validation_default',
  validationTimeoutMs: 'validation_timeout_ms',
  commissionBp: 'commission_bp',
  language: 'language',
  status: 'status',
};

/** Maps a merchants row. */
export function toMerchant(r: Record<string, unknown>): Merchant {
  return {
    id: r.id as number,
    kind: r.kind as MerchantKind,
    shortCode: r.short_code as string,
    name: r.name as string,
    settlementAccountId: r.settlement_account_id as number,
    smsMsisdn: r.sms_msisdn as string,
    validationUrl: (r.validation_url as string | null) ?? null,
    confirmationUrl: (r.confirmation_url as string | null) ?? null,
    validationDefault: r.validation_default as ValidationDefault,
    validationTimeoutMs: r.validation_timeout_ms as number,
    commissionBp: r.commission_bp as number,
    language: r.language as MerchantLanguage,
    status: r.status as MerchantStatus,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

/** The settlement account code of a merchant. */
export function settlementAccountCode(kind: MerchantKind, shortCode: string): string {
  return `merchant:${kind}:${shortCode}`;
}

/** The merchant with that kind and number, or null. */
export async function findMerchant(db: Db, kind: MerchantKind, shortCode: string): Promise<Merchant | null> {
  const row = await db('merchants').where({ kind, short_code: shortCode }).first();
  return row ? toMerchant(row) : null;
}

/** @throws MerchantNotFoundError when there is no such merchant or it is suspended. */
export async function activeMerchant(db: Db, kind: MerchantKind, shortCode: string): Promise<Merchant> {
  const merchant = await findMerchant(db, kind, shortCode);
  if (!merchant || merchant.status !== 'active') throw new MerchantNotFoundError(kind, shortCode);
  return merchant;
}

/** @throws NotFoundError */
export async function getMerchant(db: Db, id: number): Promise<Merchant> {
  const row = await db('merchants').where({ id }).first();
  if (!row) throw new NotFoundError(`no merchant ${id}`);
  return toMerchant(row);
}

/** The merchants query for a listing (not ordered or limited: the admin pager does that). */
export function merchantsQuery(db: Db, filter: { kind?: MerchantKind; q?: string } = {}): Knex.QueryBuilder {
  const query = db('merchants').select('*');
  if (filter.kind) query.where({ kind: filter.kind });
  if (filter.q) query.where((w) => w.where('short_code', filter.q!).orWhereILike('name', `%${filter.q!.replace(/[%_\\]/g, '\\$&')}%`));
  return query;
}

/**
 * Creates a merchant and opens its settlement account, in the caller's transaction.
 *
 * @throws MerchantExistsError the kind and number are taken
 */
export async function createMerchant(trx: Db, spec: NewMerchant): Promise<Merchant> {
  const account = await openAccount(trx, {
    code: settlementAccountCode(spec.kind, spec.shortCode),
    name: `${spec.name} (${spec.kind} ${spec.shortCode})`,
    type: 'liability',
    noOverdraft: true,
  });
  const rows = await trx('merchants')
    .insert({
      kind: spec.kind,
      short_code: spec.shortCode,
      name: spec.name,
      settlement_account_id: account.id,
      sms_msisdn: spec.smsMsisdn,
      validation_url: spec.validationUrl ?? null,
      confirmation_url: spec.confirmationUrl ?? null,
      validation_default: spec.validationDefault ?? 'accept',
      validation_timeout_ms: spec.validationTimeoutMs ?? 3000,
      // Left out when not given: the columns' defaults (50 bp, 'en') apply.
      ...(spec.commissionBp === undefined ? {} : { commission_bp: spec.commissionBp }),
      ...(spec.language === undefined ? {} : { language: spec.language }),
    })
    .onConflict(['kind', 'short_code'])
    .ignore()
    .returning('*');
  if (rows.length === 0) throw new MerchantExistsError(spec.kind, spec.shortCode);
  return toMerchant(rows[0]);
}

/**
 * Applies `changes` to merchant `id` in the caller's transaction; returns it before and after.
 *
 * @throws NotFoundError
 */
export async function updateMerchant(trx: Db, id: number, changes: MerchantChanges): Promise<{ before: Merchant; after: Merchant }> {
  const row = await trx('merchants').where({ id }).forUpdate().first();
  if (!row) throw new NotFoundError(`no merchant ${id}`);
  const update: Record<string, unknown> = { updated_at: trx.fn.now() };
  for (const [field, column] of Object.entries(COLUMNS)) {
    const value = changes[field as keyof MerchantChanges];
    if (value !== undefined) update[column] = value;
  }
  const [after] = await trx('merchants').where({ id }).update(update).returning('*');
  return { before: toMerchant(row), after: toMerchant(after) };
}
