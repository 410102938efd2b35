/**
 * Receiving a bank payment: the account the payer typed (Equity `studentId`, KCB
 * `accountNumber`) that is an active customer's phone number, in any Kenyan form, credits
 * that wallet from `clearing:bank` with a receipt SMS; anything else (no such customer, a
 * suspended or closed one, a wallet that would pass its maximum balance) is held on
 * `suspense:bank` until an operator allocates it. Never lost, posted once: the ledger key
 * is `bank:<bank>:<transaction id>`, and the `bank_payments` row is written with the entry.
 */
import { db as defaultDb, type Knex } from '../db/index.js';
import { findCustomer, type Customer } from '../customers/index.js';
import { IdempotencyConflictError, systemAccount, transfer, type TransferResult } from '../ledger/index.js';
import { checkMaxBalance, limitsInForce, LimitExceededError } from '../payments/index.js';
import { normalizeMsisdn } from '../phone/index.js';
import { enqueueSms } from '../sms/index.js';
import { logger, maskMsisdn } from '../logger/index.js';
import { AppError } from '../errors/index.js';
import { BankPaymentConflictError } from './errors.js';
import { sweepAfterCredit } from '../loans/sweep.js';
import { bankSms } from './messages.js';
import { BANKS, type BankPayment } from './payloads.js';
import { findBankPayment, insertBankPayment, type BankPaymentRecord, type SuspenseReason } from './repository.js';

const log = logger.child({ component: 'banks' });

/** What the bank is answered (HTTP 200), the same for a payment and its replays. */
export interface BankAck {
  status: 'accepted';
  /** The bank's transaction id, echoed. */
  transactionId: string;
  /** Simu's transaction code of the entry that received the money. */
  reference: string;
}

/** The outcome of receiving a payment. */
export interface ReceivedBankPayment {
  ack: BankAck;
  record: BankPaymentRecord;
  /** True when this payment had been received before (nothing moved this time). */
  replayed: boolean;
}

/** The ledger key of a bank payment (DESIGN.md, Money). */
export function bankLedgerKey(payment: Pick<BankPayment, 'bank' | 'transactionId'>): string {
  return `bank:${payment.bank}:${payment.transactionId}`;
}

/** The customer turned out not to be active inside the transaction. */
class InactiveCustomer extends AppError {
  constructor() {
    super('customer_inactive', 'customer is not active', 409, true);
  }
}

/**
 * Records and posts one bank payment, once: to the customer's wallet (with a receipt SMS
 * through the outbox, in the same transaction) or to suspense:bank. A replay with the
 * same account and amount answers the first outcome and moves nothing, also when replays
 * arrive together.
 *
 * @throws BankPaymentConflictError the transaction id came before with another account or amount
 */
export async function receiveBankPayment(payment: BankPayment, db: Knex = defaultDb): Promise<ReceivedBankPayment> {
  const existing = await findBankPayment(db, payment.bank, payment.transactionId);
  if (existing) return replayOf(existing, payment);
  try {
    return await postOnce(payment, db);
  } catch (err) {
    // A concurrent twin took the other route (wallet vs suspense) under the same key.
    if (err instanceof IdempotencyConflictError) {
      const row = await findBankPayment(db, payment.bank, payment.transactionId);
      if (row) return replayOf(row, payment);
    }
    throw err;
  }
}

async function postOnce(payment: BankPayment, db: Knex): Promise<ReceivedBankPayment> {
  const msisdn = normalizeMsisdn(payment.account);
  const customer = msisdn ? await findCustomer(msisdn, db) : null;
  let reason: SuspenseReason = customer ? 'inactive_customer' : 'unknown_account';
  if (customer?.status === 'active') {
    try {
      return await creditWallet(payment, customer, db);
    } catch (err) {
      if (err instanceof LimitExceededError) reason = 'max_balance';
      else if (!(err instanceof InactiveCustomer)) throw err;
    }
  }
  return holdInSuspense(payment, reason, customer, db);
}

async function creditWallet(payment: BankPayment, customer: Customer, db: Knex): Promise<ReceivedBankPayment> {
  const clearing = await systemAccount(db, 'bank');
  const bank = BANKS[payment.bank];
  return db.transaction(async (trx) => {
    const limits = await limitsInForce(trx, customer.id, () => new InactiveCustomer());
    const result = await transfer(
      {
        idempotencyKey: bankLedgerKey(payment),
        kind: 'bank_deposit',
        amount: payment.amount,
        postings: [
          { accountId: clearing.id, amount: payment.amount },
          { accountId: customer.walletAccountId, amount: -payment.amount },
        ],
        memo: `${bank.name} ${payment.transactionId}`,
        metadata: { bank: payment.bank, transactionId: payment.transactionId, account: payment.account, customer: customer.msisdn },
      },
      {
        guard: async (_t, state) => checkMaxBalance(limits, -state.balancesAfter.get(customer.walletAccountId)!),
        afterPost: async (t, r) => {
          await insertBankPayment(t, payment, { status: 'posted', suspenseReason: null, customerId: customer.id, msisdn: customer.msisdn, journalEntryId: r.entryId });
          await enqueueSms(t, [receiptSms(customer, r, bank.name, payment.transactionId)]);
        },
      },
      trx,
    );
    await sweepAfterCredit(trx, customer, result); // an overdue swept loan is repaid first (src/loans/sweep.ts)
    return outcome(trx, payment, result);
  });
}

async function holdInSuspense(payment: BankPayment, reason: SuspenseReason, customer: Customer | null, db: Knex): Promise<ReceivedBankPayment> {
  const clearing = await systemAccount(db, 'bank');
  const suspense = await systemAccount(db, 'suspenseBank');
  return db.transaction(async (trx) => {
    const result = await transfer(
      {
        idempotencyKey: bankLedgerKey(payment),
        kind: 'bank_suspense',
        amount: payment.amount,
        postings: [
          { accountId: clearing.id, amount: payment.amount },
          { accountId: suspense.id, amount: -payment.amount },
        ],
        memo: `${BANKS[payment.bank].name} ${payment.transactionId} for ${payment.account} (${reason})`,
        metadata: { bank: payment.bank, transactionId: payment.transactionId, account: payment.account, reason },
      },
      {
        afterPost: async (t, r) => {
          await insertBankPayment(t, payment, { status: 'suspense', suspenseReason: reason, customerId: customer?.id ?? null, msisdn: customer?.msisdn ?? null, journalEntryId: r.entryId });
        },
      },
      trx,
    );
    return outcome(trx, payment, result);
  });
}

/** The answer after transfer(): a fresh posting, or a twin's that committed first. */
async function outcome(trx: Knex.Transaction, payment: BankPayment, result: TransferResult): Promise<ReceivedBankPayment> {
  const record = (await findBankPayment(trx, payment.bank, payment.transactionId))!;
  if (result.replayed) return replayOf(record, payment);
  log.info('bank payment received', {
    bank: payment.bank, transactionId: payment.transactionId, amount: String(payment.amount), status: record.status,
    reason: record.suspenseReason ?? undefined, msisdn: record.msisdn ? maskMsisdn(record.msisdn) : undefined, code: record.reference,
  });
  return { ack: ackOf(record), record, replayed: false };
}

function replayOf(record: BankPaymentRecord, payment: BankPayment): ReceivedBankPayment {
  if (record.amount !== payment.amount || record.account !== payment.account) throw new BankPaymentConflictError(payment.transactionId);
  return { ack: ackOf(record), record, replayed: true };
}

function ackOf(record: BankPaymentRecord): BankAck {
  return { status: 'accepted', transactionId: record.transactionId, reference: record.reference };
}

/** The receipt a credited customer gets (also used when an operator allocates a payment). */
export function receiptSms(customer: Customer, r: TransferResult, bankName: string, bankRef: string) {
  const leg = r.postings.find((p) => p.accountId === customer.walletAccountId)!;
  return {
    msisdn: customer.msisdn, kind: 'receipt' as const, journalEntryId: r.entryId, dedupeKey: `receipt:${r.code}:customer`,
    message: bankSms(customer.language).received({ code: r.code, amount: r.amount, bank: bankName, bankRef, at: r.createdAt, balance: -leg.balanceAfter }),
  };
}
