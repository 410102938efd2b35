/**
 * Disbursement: a loan is made and paid into the customer's wallet in one transaction.
 *
 * The loan's receivable (`loan:<id>`, an asset in the platform book, no-overdraft) is
 * debited with everything the schedule says the customer owes: the principal (credited to
 * the wallet), the facilitation fee (credited to `revenue:loan-fees`: earned at
 * disbursement, owed with the first installment) and the scheduled interest (credited to
 * `revenue:loan-interest`; an early repayment of a declining-balance loan gives back what
 * is no longer owed). So the receivable's balance is what the installments say is
 * outstanding, from the first instant.
 *
 * A funded loan (`funder`: a group's money, see Funder) touches no revenue account: the
 * principal leaves the group's fund (debited; InsufficientFundsError when the fund holds
 * less, it is no-overdraft) and the whole receivable is credited to the group's claims
 * account, so the claims account's balance is minus the receivables of the group's live
 * loans, and fund plus claims is what the group owns. Amounts are KES cents (bigint).
 */
import { inTransaction, type Db, type Knex } from '../db/index.js';
import { CustomerInactiveError, CustomerNotFoundError } from '../customers/index.js';
import { IdempotencyConflictError, getAccount, openAccount, transfer } from '../ledger/index.js';
import { ValidationError } from '../errors/index.js';
import { checkMaxBalance, limitsInForce } from '../payments/index.js';
import { LoanAmountOutOfRangeError, LoanProductNotFoundError, LoanProductRetiredError } from './errors.js';
import { isDay, nairobiDay } from './dates.js';
import { nextStatus } from './machine.js';
import { findProductByCode, type LoanProduct } from './products.js';
import { incomeAccountId, mergePostings } from './income.js';
import { findLoanByKey, loadInstallments, loadLoan, type Funder, type Loan } from './repository.js';
import { computeSchedule, type ScheduledInstallment } from './schedule.js';

/** A disbursement request; `idempotencyKey` comes from the source (`ussd:<sessionId>:<n>`, `admin:<header>`). */
export interface DisbursementRequest {
  customerId: number;
  productCode: string;
  /** Cents, within the product's bounds. */
  principal: bigint;
  idempotencyKey: string;
  /** The disbursement day, `YYYY-MM-DD` (Nairobi); defaults to today in Nairobi. */
  on?: string;
  /**
   * The group whose money this loan lends (a chama's fund and claims accounts, both of the
   * platform book); absent for the platform's own loans. Part of the request: a replay with
   * another funder is refused.
   */
  funder?: Funder;
}

/** A disbursed loan, its schedule, and the transaction code of the disbursement. */
export interface Disbursement {
  loan: Loan;
  schedule: ScheduledInstallment[];
  code: string;
  replayed: boolean;
}

/**
 * Lends `principal` cents to a customer on a product: stores the loan and its schedule and
 * moves the money with ONE transfer (key `loan:<id>:disburse`), all in one transaction.
 * A second call with the same `idempotencyKey` returns the first loan (`replayed: true`).
 * It checks no loan limit: callers (the USSD menu) check the customer's loan limit first.
 * The wallet's maximum balance is checked under the transfer's locks.
 *
 * @throws LoanProductNotFoundError, LoanProductRetiredError, LoanAmountOutOfRangeError, ValidationError (bad `on`;
 *   a funder that is not two distinct liability accounts of the platform book, or is the borrower's wallet),
 *   InsufficientFundsError (the funder's fund holds less than the principal), CustomerNotFoundError,
 *   CustomerInactiveError, LimitExceededError (`max_balance`: the wallet would hold more than the customer's maximum
 *   balance), IdempotencyConflictError (the key made a different loan, or was used with another funder or none)
 */
export async function disburseLoan(db: Db, req: DisbursementRequest): Promise<Disbursement> {
  const product = await findProductByCode(db, req.productCode);
  if (!product) throw new LoanProductNotFoundError(req.productCode);
  const on = req.on ?? nairobiDay();
  if (!isDay(on)) throw new ValidationError('on must be a day written YYYY-MM-DD', 'on');
  if (req.funder) checkFunderShape(req.funder);
  const earlier = await findLoanByKey(db, req.idempotencyKey);
  if (earlier) return replay(db, earlier, req, product);
  if (product.status !== 'active') throw new LoanProductRetiredError(product.code);
  if (req.principal < product.principalMin || req.principal > product.principalMax) {
    throw new LoanAmountOutOfRangeError(product.principalMin, product.principalMax);
  }
  const schedule = computeSchedule(product, req.principal, on);
  try {
    return await inTransaction(db, (trx) => disburseIn(trx, req, product, on, schedule));
  } catch (err) {
    // A concurrent twin with the same key won the unique index: answer as it did.
    const { code, constraint } = err as { code?: string; constraint?: string };
    if (code !== '23505' || constraint !== 'loans_idempotency_key_unique') throw err;
    return replay(db, (await findLoanByKey(db, req.idempotencyKey))!, req, product);
  }
}

async function disburseIn(trx: Knex.Transaction, req: DisbursementRequest, product: LoanProduct, on: string, schedule: ScheduledInstallment[]): Promise<Disbursement> {
  const customer = await trx('customers').where({ id: req.customerId }).first('id', 'wallet_account_id');
  if (!customer) throw new CustomerNotFoundError();
  // Read in this transaction: a suspension committed after the menu's checks still stops the loan.
  const limits = await limitsInForce(trx, customer.id, () => new CustomerInactiveError());
  const funder = req.funder ?? null;
  if (funder) await checkFunderAccounts(trx, funder, customer.wallet_account_id as number);
  const interest = schedule.reduce((s, i) => s + i.interest, 0n);
  const fee = schedule.reduce((s, i) => s + i.fee, 0n);
  const [{ id }] = await trx('loans').insert({
    customer_id: customer.id, product_id: product.id, principal: req.principal.toString(), fee: fee.toString(), interest: interest.toString(),
    interest_method: product.interestMethod, rate_bp: product.rateBp, penalty_bp: product.penaltyBp, penalty_grace_days: product.penaltyGraceDays,
    period_unit: product.periodUnit, period_length: product.periodLength, status: 'applied', disbursed_on: on, idempotency_key: req.idempotencyKey,
    funder_account_id: funder?.fundAccountId ?? null, claims_account_id: funder?.claimsAccountId ?? null,
  }).returning('id');
  const receivable = await openAccount(trx, { code: `loan:${id}`, name: `Loan ${id} (${product.name})`, type: 'asset', noOverdraft: true });
  await trx('loan_installments').insert(schedule.map((i) => ({
    loan_id: id, seq: i.seq, due_date: i.dueDate, principal: i.principal.toString(), interest: i.interest.toString(), fee: i.fee.toString(),
  })));
  const [feeIncome, interestIncome] = [await incomeAccountId(trx, { funder }, 'loanFees'), await incomeAccountId(trx, { funder }, 'loanInterest')];
  const wallet = customer.wallet_account_id as number;
  const result = await transfer({
    idempotencyKey: `loan:${id}:disburse`,
    kind: 'loan_disbursement',
    amount: req.principal,
    memo: `${product.name} disbursed`,
    metadata: { loanId: String(id), product: product.code, fee: fee.toString(), interest: interest.toString(), funded: funder !== null },
    postings: mergePostings([
      { accountId: receivable.id, amount: req.principal + fee + interest },
      { accountId: wallet, amount: -req.principal },
      // A group's loan: its cash goes out, and the group (not the platform) is owed the principal.
      ...(funder ? [{ accountId: funder.fundAccountId, amount: req.principal }, { accountId: funder.claimsAccountId, amount: -req.principal }] : []),
      { accountId: feeIncome, amount: -fee },
      { accountId: interestIncome, amount: -interest },
    ]),
  }, { guard: async (_t, state) => checkMaxBalance(limits, -state.balancesAfter.get(wallet)!) }, trx);
  await trx('loans').where({ id }).update({
    receivable_account_id: receivable.id, status: nextStatus('applied', 'DISBURSE'),
    disbursed_at: result.createdAt, disbursement_entry_id: result.entryId, updated_at: trx.fn.now(),
  });
  return { loan: await loadLoan(trx, id), schedule, code: result.code, replayed: false };
}

/**
 * The loan first made under the request's key, if the request is the same one; its
 * schedule as it stands now (an early repayment may have lowered later interest since).
 *
 * @throws IdempotencyConflictError
 */
async function replay(db: Db, loan: Loan, req: DisbursementRequest, product: LoanProduct): Promise<Disbursement> {
  const funder = req.funder ?? null;
  const same = loan.customerId === req.customerId && loan.productId === product.id && loan.principal === req.principal
    && (req.on === undefined || req.on === loan.disbursedOn)
    && loan.funder?.fundAccountId === funder?.fundAccountId && loan.funder?.claimsAccountId === funder?.claimsAccountId;
  if (!same) throw new IdempotencyConflictError(req.idempotencyKey);
  const schedule = (await loadInstallments(db, loan.id)).map((i) => ({
    seq: i.seq, dueDate: i.dueDate, principal: i.principal, interest: i.interest, fee: i.fee, total: i.principal + i.interest + i.fee,
  }));
  const entry = await db('journal_entries').join('loans', 'loans.disbursement_entry_id', 'journal_entries.id').where({ 'loans.id': loan.id }).first('journal_entries.code');
  return { loan, schedule, code: entry.code as string, replayed: true };
}

const FUNDER_MESSAGE = 'funder must name two distinct liability accounts of the platform book';

/** @throws ValidationError a funder whose ids are not two distinct positive integers */
function checkFunderShape(funder: Funder): void {
  const { fundAccountId: fund, claimsAccountId: claims } = funder;
  if (!Number.isInteger(fund) || !Number.isInteger(claims) || fund <= 0 || claims <= 0 || fund === claims) {
    throw new ValidationError(FUNDER_MESSAGE, 'funder');
  }
}

/** @throws ValidationError a funder account that is missing, not a liability of the platform book, or the borrower's wallet */
async function checkFunderAccounts(trx: Knex.Transaction, funder: Funder, walletAccountId: number): Promise<void> {
  for (const id of [funder.fundAccountId, funder.claimsAccountId]) {
    const account = id === walletAccountId ? null : await getAccount(trx, id).catch(() => null);
    if (!account || account.type !== 'liability' || account.book !== 'platform') throw new ValidationError(FUNDER_MESSAGE, 'funder');
  }
}
