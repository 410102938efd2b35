/**
 * Ledger accounts: creating them and reading balances. Balances change only through
 * `transfer()`; nothing here writes one.
 */
import type { Db } from '../db/index.js';
import { InvalidEntryError } from './errors.js';

/** What an account is: its type fixes its normal side. */
export type AccountType = 'asset' | 'liability' | 'equity' | 'revenue' | 'expense';

/** An account row. `balance` is the signed sum of postings (debit positive), in cents. */
export interface Account {
  id: number;
  code: string;
  name: string;
  book: string;
  type: AccountType;
  normalSide: 'debit' | 'credit';
  noOverdraft: boolean;
  currency: string;
  balance: bigint;
}

/** What it takes to open an account. */
export interface NewAccount {
  /** Unique code, e.g. `wallet:42`, `revenue:charges`, `clearing:mpesa`. */
  code: string;
  name: string;
  type: AccountType;
  book?: string;
  /** When true the database refuses any posting that would take it below zero. */
  noOverdraft?: boolean;
}

const NORMAL_SIDE: Record<AccountType, 'debit' | 'credit'> = {
  asset: 'debit',
  expense: 'debit',
  liability: 'credit',
  equity: 'credit',
  revenue: 'credit',
};

/** Maps a database row to an Account. */
export function toAccount(row: Record<string, unknown>): Account {
  return {
    id: row.id as number,
    code: row.code as string,
    name: row.name as string,
    book: row.book as string,
    type: row.type as AccountType,
    normalSide: row.normal_side as 'debit' | 'credit',
    noOverdraft: row.no_overdraft as boolean,
    currency: row.currency as string,
    balance: row.balance as bigint,
  };
}

/** Opens an account, or returns the existing one with that code (safe to run twice). */
export async function openAccount(db: Db, spec: NewAccount): Promise<Account> {
  await db('accounts')
    .insert({
      code: spec.code,
      name: spec.name,
      type: spec.type,
      book: spec.book ?? 'platform',
      normal_side: NORMAL_SIDE[spec.type],
      no_overdraft: spec.noOverdraft ?? false,
    })
    .onConflict('code')
    .ignore();
  return getAccountByCode(db, spec.code);
}

/** The account with `code`; throws InvalidEntryError when there is none. */
export async function getAccountByCode(db: Db, code: string): Promise<Account> {
  const row = await db('accounts').where({ code }).first();
  if (!row) throw new InvalidEntryError(`no account ${code}`);
  return toAccount(row);
}

/** The account with `id`; throws InvalidEntryError when there is none. */
export async function getAccount(db: Db, id: number): Promise<Account> {
  const row = await db('accounts').where({ id }).first();
  if (!row) throw new InvalidEntryError(`no account ${id}`);
  return toAccount(row);
}

/**
 * The balance as its owner reads it, in cents: a credit-normal account (a wallet) shows
 * its credit balance as positive.
 */
export function displayBalance(account: Pick<Account, 'balance' | 'normalSide'>): bigint {
  return account.normalSide === 'credit' ? -account.balance : account.balance;
}
