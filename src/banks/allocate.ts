/**
 * Allocating a bank payment held on suspense:bank: an operator names the customer it was
 * meant for, and the money moves from suspense:bank to that wallet in one journal entry,
 * with the customer's receipt SMS, in the caller's transaction (the admin router's, which
 * also writes the audit row).
 */
import type { Knex } from '../db/index.js';
import { findCustomer } from '../customers/index.js';
import { systemAccount, transfer } from '../ledger/index.js';
import { checkMaxBalance, limitsInForce, RecipientNotFoundError } from '../payments/index.js';
import { enqueueSms } from '../sms/index.js';
import { BankPaymentNotFoundError, NotInSuspenseError } from './errors.js';
import { BANKS, type BankCode } from './payloads.js';
import { findBankPayment, type BankPaymentRecord } from './repository.js';
import { receiptSms } from './receive.js';
import { sweepAfterCredit } from '../loans/sweep.js';

/** An allocation request. */
export interface AllocationRequest {
  bank: BankCode;
  transactionId: string;
  /** The customer's MSISDN, E.164 (the caller normalises what the operator typed). */
  msisdn: string;
  /** Why: kept on the payment and as the entry memo. */
  reason: string;
  /** The ledger key: `admin:<Idempotency-Key>`. */
  idempotencyKey: string;
  /** Who allocates (the admin key's name). */
  allocatedBy: string;
}

/** The payment before and after an allocation (amounts in KES cents). */
export interface AllocationOutcome {
  before: BankPaymentRecord;
  after: BankPaymentRecord;
}

/**
 * Moves a suspense payment's amount from suspense:bank to the customer's wallet (the
 * wallet's maximum balance applies), marks the payment `allocated` and writes the
 * receipt SMS, all in `trx`. The payment's row is locked, so two allocations of one
 * payment apply one after the other and the second is refused.
 *
 * @throws BankPaymentNotFoundError, NotInSuspenseError (already allocated, or posted),
 *   RecipientNotFoundError (no active customer holds `msisdn`), LimitExceededError (max balance)
 */
export async function allocateBankPayment(trx: Knex.Transaction, req: AllocationRequest): Promise<AllocationOutcome> {
  const locked = await trx('bank_payments').where({ bank: req.bank, transaction_id: req.transactionId }).forUpdate().first('id');
  if (!locked) throw new BankPaymentNotFoundError(req.bank, req.transactionId);
  const before = (await findBankPayment(trx, req.bank, req.transactionId))!;
  if (before.status !== 'suspense') throw new NotInSuspenseError(before.status);
  const customer = await findCustomer(req.msisdn, trx);
  if (!customer) throw new RecipientNotFoundError();
  const limits = await limitsInForce(trx, customer.id, () => new RecipientNotFoundError());
  const suspense = await systemAccount(trx, 'suspenseBank');
  const bankName = BANKS[req.bank].name;
  const result = await transfer(
    {
      idempotencyKey: req.idempotencyKey,
      kind: 'bank_allocation',
      amount: before.amount,
      postings: [
        { accountId: suspense.id, amount: before.amount },
        { accountId: customer.walletAccountId, amount: -before.amount },
      ],
      memo: `${bankName} ${req.transactionId} allocated to ${customer.msisdn}: ${req.reason}`,
      metadata: { bank: req.bank, transactionId: req.transactionId, customer: customer.msisdn, allocatedBy: req.allocatedBy },
    },
    { guard: async (_t, state) => checkMaxBalance(limits, -state.balancesAfter.get(customer.walletAccountId)!) },
    trx,
  );
  await trx('bank_payments').where({ id: locked.id }).update({
    status: 'allocated', customer_id: customer.id, msisdn: customer.msisdn, allocation_entry_id: result.entryId,
    allocation_reason: req.reason, allocated_by: req.allocatedBy, allocated_at: trx.fn.now(), updated_at: trx.fn.now(),
  });
  await enqueueSms(trx, [receiptSms(customer, result, bankName, req.transactionId)]);
  await sweepAfterCredit(trx, customer, result); // an overdue swept loan is repaid first (src/loans/sweep.ts)
  return { before, after: (await findBankPayment(trx, req.bank, req.transactionId))! };
}
