/**
 * Group loans: a member borrows the group's savings through the loan engine. The member
 * applies (up to `loanMultiple` × their own savings, less their group loans outstanding,
 * within what the group's savings hold and the product's bounds) naming `loanGuarantors`
 * fellow members; each guarantor accepts (with their PIN) or declines; then the treasurer
 * (the chairperson when the treasurer borrows) approves with their PIN, and the engine
 * disburses from the group's savings (a funded loan: src/loans; key `chama-loan:<requestId>`).
 * Repayments return to the group's savings with the interest. A guarantee is held while its
 * request is open or its loan unpaid, and released when the loan is repaid. Amounts in cents.
 */
import { inTransaction, type Db } from '../db/index.js';
import { ValidationError } from '../errors/index.js';
import { displayBalance, getAccount } from '../ledger/index.js';
import { disburseLoan, findProductByCode, loanDisbursedSms, type Disbursement, type LoanProduct } from '../loans/index.js';
import { normalizeMsisdn } from '../phone/index.js';
import { enqueueSms } from '../sms/index.js';
import { recordApproval, requiredRoles, signerOf, type Signer } from './approvals.js';
import { getChama, type Chama } from './chamas.js';
import { ChamaInactiveError, ChamaLoanLimitError, ChamaStateError, NotAMemberError } from './errors.js';
import { guaranteeAskedSms, loanDeclinedSms, loanToApproveSms } from './messages-loans.js';
import { getMember, membershipOf, membersOf, type Member } from './members.js';

/** A loan request as it stands. */
export interface LoanRequest {
  id: number;
  chamaId: number;
  memberId: number;
  amount: bigint;
  status: 'guarantors' | 'treasurer' | 'disbursed' | 'declined';
  loanId: bigint | null;
  guarantors: { memberId: number; name: string; status: 'pending' | 'accepted' | 'declined' }[];
}

/** What a member may borrow now, and why not more. */
export interface GroupLoanLimit {
  product: LoanProduct | null;
  /** 0 when they may not borrow; `reason` says why. */
  max: bigint;
  reason: 'ok' | 'no_loans' | 'open_loan' | 'no_savings' | 'group_funds' | 'below_minimum';
  saved: bigint;
  outstanding: bigint;
  groupFunds: bigint;
}

async function toRequest(db: Db, r: Record<string, unknown>): Promise<LoanRequest> {
  const rows = await db('chama_guarantors').where({ request_id: r.id as number }).orderBy('member_id');
  const guarantors = [];
  for (const g of rows) guarantors.push({ memberId: g.member_id as number, name: (await getMember(db, g.member_id)).name, status: g.status });
  return {
    id: r.id as number, chamaId: r.chama_id as number, memberId: r.member_id as number, amount: BigInt(r.amount as string),
    status: r.status as LoanRequest['status'], loanId: r.loan_id === null ? null : BigInt(r.loan_id as string), guarantors,
  };
}

/** Loan request `id`. @throws ChamaStateError `no_request` */
export async function getLoanRequest(db: Db, id: number): Promise<LoanRequest> {
  const row = Number.isSafeInteger(id) ? await db('chama_loan_requests').where({ id }).first() : undefined;
  if (!row) throw new ChamaStateError('no_request', 'no such loan request');
  return toRequest(db, row);
}

/** What group loans member `member` owes in chama `chama` (cents: the receivables of their live loans). */
async function outstandingOf(db: Db, member: Member): Promise<{ total: bigint; open: boolean }> {
  const rows = await db('chama_loan_requests').join('loans', 'loans.id', 'chama_loan_requests.loan_id')
    .join('accounts', 'accounts.id', 'loans.receivable_account_id')
    .where({ 'chama_loan_requests.member_id': member.id }).whereIn('loans.status', ['active', 'overdue']).select('accounts.balance');
  const pending = await db('chama_loan_requests').where({ member_id: member.id }).whereIn('status', ['guarantors', 'treasurer']).first('id');
  return { total: rows.reduce((s, r) => s + BigInt(r.balance), 0n), open: rows.length > 0 || Boolean(pending) };
}

/** What `member` may borrow from `chama` now. */
export async function groupLoanLimit(db: Db, chama: Chama, member: Member): Promise<GroupLoanLimit> {
  const product = chama.loanProductCode ? await findProductByCode(db, chama.loanProductCode) : null;
  const saved = displayBalance(await getAccount(db, member.savingsAccountId));
  const groupFunds = displayBalance(await getAccount(db, chama.savingsAccountId));
  const { total: outstanding, open } = await outstandingOf(db, member);
  const base = { product, saved, outstanding, groupFunds };
  if (!product || product.status !== 'active' || chama.loanMultiple === 0) return { ...base, max: 0n, reason: 'no_loans' };
  if (open) return { ...base, max: 0n, reason: 'open_loan' };
  if (saved <= 0n) return { ...base, max: 0n, reason: 'no_savings' };
  let max = BigInt(chama.loanMultiple) * saved;
  if (max > product.principalMax) max = product.principalMax;
  if (groupFunds < max) max = groupFunds;
  if (max < product.principalMin) return { ...base, max: 0n, reason: groupFunds < product.principalMin ? 'group_funds' : 'below_minimum' };
  return { ...base, max, reason: 'ok' };
}

/**
 * Member (customer `customerId`) applies for `amount` cents, naming guarantors by phone
 * number. The guarantors are asked by SMS. A replay of `idempotencyKey` returns the first request.
 *
 * @throws ChamaNotFoundError, ChamaInactiveError, NotAMemberError (the applicant or a guarantor), ValidationError
 *   (guarantors: not the number the policy asks, repeated, or the applicant), ChamaLoanLimitError
 */
export async function applyGroupLoan(db: Db, req: { chamaId: number; customerId: number; amount: bigint; guarantorMsisdns: string[]; idempotencyKey: string }): Promise<LoanRequest> {
  const earlier = await db('chama_loan_requests').where({ idempotency_key: req.idempotencyKey }).first();
  if (earlier) return toRequest(db, earlier);
  return inTransaction(db, async (trx) => {
    const chama = await getChama(trx, req.chamaId);
    if (chama.status !== 'active') throw new ChamaInactiveError(chama.id);
    const applicant = await getMember(trx, (await membershipOf(trx, chama.id, req.customerId)).id, true);
    const limit = await groupLoanLimit(trx, chama, applicant);
    if (typeof req.amount !== 'bigint' || req.amount <= 0n) throw new ValidationError('amount: positive cents', 'amount');
    if (limit.max === 0n || req.amount > limit.max || (limit.product && req.amount < limit.product.principalMin)) {
      throw new ChamaLoanLimitError(limit.max, limit.reason);
    }
    const guarantors = await guarantorsOf(trx, chama, applicant, req.guarantorMsisdns);
    const status = guarantors.length === 0 ? 'treasurer' : 'guarantors';
    const [row] = await trx('chama_loan_requests').insert({
      chama_id: chama.id, member_id: applicant.id, amount: req.amount.toString(), status, idempotency_key: req.idempotencyKey,
    }).returning('*');
    if (guarantors.length > 0) await trx('chama_guarantors').insert(guarantors.map((g) => ({ request_id: row.id, member_id: g.id })));
    await enqueueSms(trx, guarantors.map((g) => ({
      msisdn: g.msisdn, kind: 'notice' as const, dedupeKey: `chama-guarantee:${row.id}:${g.id}`,
      message: guaranteeAskedSms(g.language, { chama: chama.name, applicant: applicant.name, amount: req.amount }),
    })));
    if (status === 'treasurer') await askApprover(trx, chama, applicant, req.amount);
    return toRequest(trx, row);
  });
}

async function guarantorsOf(db: Db, chama: Chama, applicant: Member, msisdns: string[]): Promise<Member[]> {
  const numbers = (Array.isArray(msisdns) ? msisdns : []).map((m) => normalizeMsisdn(String(m)));
  if (numbers.length !== chama.loanGuarantors) throw new ValidationError(`guarantors: ${chama.loanGuarantors} members' phone numbers`, 'guarantors');
  if (numbers.some((n) => !n) || new Set(numbers).size !== numbers.length) throw new ValidationError('guarantors: different valid phone numbers', 'guarantors');
  const members = await membersOf(db, chama.id);
  return numbers.map((n) => {
    const m = members.find((x) => x.msisdn === n);
    if (!m) throw new NotAMemberError(n!);
    if (m.id === applicant.id) throw new ValidationError('guarantors: not yourself', 'guarantors');
    return m;
  });
}

async function askApprover(db: Db, chama: Chama, applicant: Member, amount: bigint): Promise<void> {
  const role = requiredRoles('loan', applicant.role)[0];
  const approver = (await membersOf(db, chama.id)).find((m) => m.role === role);
  if (!approver) return;
  await enqueueSms(db, [{ msisdn: approver.msisdn, kind: 'notice', message: loanToApproveSms(approver.language, { chama: chama.name, applicant: applicant.name, amount }) }]);
}

/** The open requests in chama `chamaId` that member (customer `customerId`) is asked to guarantee. */
export async function guaranteeRequestsFor(db: Db, chamaId: number, customerId: number): Promise<LoanRequest[]> {
  const me = await membershipOf(db, chamaId, customerId);
  const rows = await db('chama_loan_requests').join('chama_guarantors', 'chama_guarantors.request_id', 'chama_loan_requests.id')
    .where({ 'chama_guarantors.member_id': me.id, 'chama_guarantors.status': 'pending', 'chama_loan_requests.status': 'guarantors' })
    .select('chama_loan_requests.*').orderBy('chama_loan_requests.id');
  return Promise.all(rows.map((r) => toRequest(db, r)));
}

/** The requests in chama `chamaId` waiting for this official's approval (the treasurer's, or the chairperson's when the treasurer borrows). */
export async function loansToApprove(db: Db, chamaId: number, customerId: number): Promise<LoanRequest[]> {
  const me = await membershipOf(db, chamaId, customerId);
  const rows = await db('chama_loan_requests').where({ chama_id: chamaId, status: 'treasurer' }).orderBy('id');
  const out: LoanRequest[] = [];
  for (const r of rows) {
    const applicant = await getMember(db, r.member_id);
    if (applicant.id !== me.id && requiredRoles('loan', applicant.role).includes(me.role)) out.push(await toRequest(db, r));
  }
  return out;
}

/**
 * A guarantor accepts (PIN checked) or declines request `requestId`. When every guarantor
 * has accepted, the request goes to the treasurer; one decline ends it (the applicant is told).
 *
 * @throws WrongPinError, PinLockedError, NotAMemberError, ChamaStateError `not_asked` (not a pending guarantor of an open request)
 */
export async function decideGuarantee(db: Db, req: { requestId: number; signer: Signer; accept: boolean }): Promise<LoanRequest> {
  const signer = await signerOf(db, req.signer);
  return inTransaction(db, async (trx) => {
    const row = await trx('chama_loan_requests').where({ id: req.requestId }).forUpdate().first();
    if (!row || row.status !== 'guarantors') throw new ChamaStateError('not_asked', 'no such request to guarantee');
    const me = await membershipOf(trx, row.chama_id, signer.id);
    const updated = await trx('chama_guarantors').where({ request_id: row.id, member_id: me.id, status: 'pending' })
      .update({ status: req.accept ? 'accepted' : 'declined', decided_at: trx.fn.now() });
    if (updated === 0) throw new ChamaStateError('not_asked', 'you are not asked to guarantee this request');
    const chama = await getChama(trx, row.chama_id);
    const applicant = await getMember(trx, row.member_id);
    const amount = BigInt(row.amount);
    if (!req.accept) {
      await trx('chama_loan_requests').where({ id: row.id }).update({ status: 'declined', decided_at: trx.fn.now() });
      await enqueueSms(trx, [{ msisdn: applicant.msisdn, kind: 'notice', message: loanDeclinedSms(applicant.language, { chama: chama.name, amount, by: me.name }) }]);
    } else if (!(await trx('chama_guarantors').where({ request_id: row.id }).whereNot({ status: 'accepted' }).first('member_id'))) {
      await trx('chama_loan_requests').where({ id: row.id }).update({ status: 'treasurer' });
      await askApprover(trx, chama, applicant, amount);
    }
    return getLoanRequest(trx, row.id);
  });
}

/**
 * The treasurer (or the chairperson when the treasurer borrows) approves (PIN checked) or
 * declines request `requestId`. Approval checks the applicant's limit again and disburses
 * from the group's savings at once.
 *
 * @throws WrongPinError, PinLockedError, NotAMemberError, NotAnOfficialError, ChamaStateError `not_awaiting`,
 *   ChamaLoanLimitError (the limit fell meanwhile), InsufficientFundsError, and the loan engine's refusals
 */
export async function approveGroupLoan(db: Db, req: { requestId: number; signer: Signer; approve: boolean }): Promise<{ request: LoanRequest; disbursement: Disbursement | null }> {
  const signer = await signerOf(db, req.signer);
  return inTransaction(db, async (trx) => {
    const row = await trx('chama_loan_requests').where({ id: req.requestId }).forUpdate().first();
    if (!row || row.status !== 'treasurer') throw new ChamaStateError('not_awaiting', 'no such loan awaiting approval');
    const chama = await getChama(trx, row.chama_id);
    if (chama.status !== 'active') throw new ChamaInactiveError(chama.id);
    const applicant = await getMember(trx, row.member_id);
    const amount = BigInt(row.amount);
    await recordApproval(trx, chama.id, 'loan', row.id, signer, applicant);
    if (!req.approve) {
      await trx('chama_loan_requests').where({ id: row.id }).update({ status: 'declined', decided_at: trx.fn.now() });
      const by = (await membershipOf(trx, chama.id, signer.id)).name;
      await enqueueSms(trx, [{ msisdn: applicant.msisdn, kind: 'notice', message: loanDeclinedSms(applicant.language, { chama: chama.name, amount, by }) }]);
      return { request: await getLoanRequest(trx, row.id), disbursement: null };
    }
    // The request itself holds the applicant's open-loan slot: check the rest of the limit.
    await trx('chama_loan_requests').where({ id: row.id }).update({ status: 'disbursed' });
    const limit = await groupLoanLimit(trx, chama, applicant);
    if (limit.max < amount) throw new ChamaLoanLimitError(limit.max, limit.reason);
    const d = await disburseLoan(trx, {
      customerId: applicant.customerId, productCode: chama.loanProductCode!, principal: amount, idempotencyKey: `chama-loan:${row.id}`,
      funder: { fundAccountId: chama.savingsAccountId, claimsAccountId: chama.loansAccountId },
    });
    await trx('chama_loan_requests').where({ id: row.id }).update({ loan_id: d.loan.id, decided_at: trx.fn.now() });
    const balance = displayBalance(await getAccount(trx, (await trx('customers').where({ id: applicant.customerId }).first('wallet_account_id')).wallet_account_id));
    await enqueueSms(trx, [{
      msisdn: applicant.msisdn, kind: 'receipt', dedupeKey: `chama-loan:${row.id}`,
      message: loanDisbursedSms(applicant.language, {
        code: d.code, product: `${chama.name} loan`, principal: amount, fee: d.loan.fee, total: d.loan.principal + d.loan.fee + d.loan.interest,
        installments: d.schedule.map((i) => ({ dueDate: i.dueDate, total: i.total })), balance,
      }),
    }]);
    return { request: await getLoanRequest(trx, row.id), disbursement: d };
  });
}

/** Member (customer `customerId`)'s group loans in chama `chamaId` still owed, as loan ids with what is left (cents). */
export async function groupLoansOf(db: Db, chamaId: number, customerId: number): Promise<{ loanId: bigint; requestId: number; outstanding: bigint }[]> {
  const me = await membershipOf(db, chamaId, customerId);
  const rows = await db('chama_loan_requests').join('loans', 'loans.id', 'chama_loan_requests.loan_id')
    .join('accounts', 'accounts.id', 'loans.receivable_account_id')
    .where({ 'chama_loan_requests.member_id': me.id }).whereIn('loans.status', ['active', 'overdue'])
    .select('loans.id as loan_id', 'chama_loan_requests.id as request_id', 'accounts.balance').orderBy('loans.id');
  return rows.map((r) => ({ loanId: BigInt(r.loan_id), requestId: r.request_id as number, outstanding: BigInt(r.balance) }));
}

/** The guarantees member (customer `customerId`) holds in chama `chamaId`: open requests and unpaid loans they accepted or are asked for. */
export async function guaranteesHeld(db: Db, chamaId: number, customerId: number): Promise<{ requestId: number; applicant: string; amount: bigint }[]> {
  const me = await membershipOf(db, chamaId, customerId);
  const rows = await db('chama_guarantors').join('chama_loan_requests as r', 'r.id', 'chama_guarantors.request_id').leftJoin('loans', 'loans.id', 'r.loan_id')
    .where({ 'chama_guarantors.member_id': me.id, 'chama_guarantors.status': 'accepted' })
    .where((q) => q.where('r.status', 'treasurer').orWhereIn('loans.status', ['active', 'overdue']))
    .select('r.id', 'r.member_id', 'r.amount').orderBy('r.id');
  const out = [];
  for (const r of rows) out.push({ requestId: r.id as number, applicant: (await getMember(db, r.member_id)).name, amount: BigInt(r.amount) });
  return out;
}
