/**
 * Pay Bill and Buy Goods (Lipa): a customer pays a merchant from their wallet. The customer
 * pays no charge; the merchant pays its commission (`commission_bp`, 0.5 % unless set),
 * taken at posting into `revenue:charges`. One journal entry: wallet debit amount,
 * settlement credit amount − commission, revenue credit commission. Limits apply as for
 * Send Money. The entry's code is chosen before the merchant's validation URL is asked, so
 * that validation, confirmation and both SMS carry the one TransID, as on M-Pesa.
 */
import { db as defaultDb, type Db } from '../db/index.js';
import { CustomerInactiveError, CustomerNotFoundError, findCustomer, verifyPin, type Customer } from '../customers/index.js';
import { ValidationError } from '../errors/index.js';
import {
  displayBalance, entryIdForKey, getAccount, loadEntry, newTransactionCode, systemAccount, transfer, InsufficientFundsError, type PostingInput, type TransferResult,
} from '../ledger/index.js';
// Not (yet) on src/payments' public surface; the same checks Send Money runs, so that a
// customer's limits count Lipa payments and transfers alike.
import { checkOutgoingLimits, checkPerTransaction } from '../payments/index.js';
import { displayName, loadLimits, limitsInForce } from '../payments/index.js';
import { maskedNational } from '../phone/index.js';
import { enqueueSms } from '../sms/index.js';
import { commissionFor } from './commission.js';
import { c2bRequest, type C2bFacts } from './daraja.js';
import { merchantNotice, payerReceipt } from './messages.js';
import { activeMerchant, type Merchant, type MerchantKind } from './repository.js';
import { validatePayment, type ValidationOutcome } from './validation.js';

/** A paybill account number as customers type it (Daraja's BillRefNumber holds up to 20). */
export const ACCOUNT_REF = /^[A-Za-z0-9-]{1,20}$/;

/** A Lipa payment request. */
export interface LipaRequest {
  payerMsisdn: string;
  kind: MerchantKind;
  shortCode: string;
  /** The paybill account number; ignored for a till. */
  accountRef?: string;
  /** Cents. */
  amount: bigint;
  pin: string;
  /** `ussd:<sessionId>:<n>` from USSD. */
  idempotencyKey: string;
}

/** The outcome of a Lipa payment (cents; `balance` is the payer's after). */
export interface LipaReceipt {
  code: string;
  merchantName: string;
  kind: MerchantKind;
  shortCode: string;
  accountRef: string;
  amount: bigint;
  commission: bigint;
  balance: bigint;
  at: Date;
  replayed: boolean;
}

/** The name of the active merchant, as the confirmation screen shows it. @throws MerchantNotFoundError */
export async function lookupMerchantName(kind: MerchantKind, shortCode: string, db: Db = defaultDb): Promise<string> {
  return (await activeMerchant(db, kind, shortCode)).name;
}

/**
 * Checks the payer's per-transaction limit for `amount` cents to an active merchant. Moves nothing.
 *
 * @throws MerchantNotFoundError, LimitExceededError, CustomerNotFoundError
 */
export async function quoteLipa(payerMsisdn: string, kind: MerchantKind, shortCode: string, amount: bigint, db: Db = defaultDb): Promise<{ merchantName: string }> {
  const merchant = await activeMerchant(db, kind, shortCode);
  const payer = await findCustomer(payerMsisdn, db);
  if (!payer) throw new CustomerNotFoundError();
  checkPerTransaction(await loadLimits(db, payer.id), amount);
  return { merchantName: merchant.name };
}

/**
 * Pays a merchant `amount` cents after checking the PIN and, when the merchant has a
 * validation URL, asking it first (outside the transaction, with the merchant's deadline),
 * with the transaction code the entry will carry as `TransID`. Then, in one transaction,
 * idempotent by `idempotencyKey`: the entry under that code, the payer's receipt and the
 * merchant's SMS (SMS outbox), and the confirmation to deliver (merchant_confirmations,
 * when the merchant has a confirmation URL), all with the same code. A replay of a key that
 * posted already asks the merchant nothing and returns the first payment, with its code
 * and the commission it was charged (even if the merchant's rate changed since).
 *
 * @throws WrongPinError, PinLockedError, CustomerInactiveError, MerchantNotFoundError,
 *   MerchantRejectedError, LimitExceededError, InsufficientFundsError, IdempotencyConflictError, ValidationError,
 *   TransactionCodeTakenError (the chosen code collided with another entry's: vanishingly rare)
 */
export async function payMerchant(req: LipaRequest, db: Db = defaultDb): Promise<LipaReceipt> {
  const accountRef = req.kind === 'paybill' ? (req.accountRef ?? '') : '';
  if (req.kind === 'paybill' && !ACCOUNT_REF.test(accountRef)) throw new ValidationError('accountRef: 1-20 letters, digits or dashes', 'accountRef');
  if (req.amount <= 0n) throw new ValidationError('amount: must be positive', 'amount');
  const payer = await verifyPin(req.payerMsisdn, req.pin, db);
  const merchant = await activeMerchant(db, req.kind, req.shortCode);
  let validation: ValidationOutcome = { by: 'no_url' };
  const code = newTransactionCode();
  const posted = await postedUnder(db, req.idempotencyKey);
  if (!posted) {
    // Refusals the payment would meet anyway come before troubling the merchant; the
    // transfer checks both again under its locks.
    checkPerTransaction(await loadLimits(db, payer.id), req.amount);
    if (displayBalance(await getAccount(db, payer.walletAccountId)) < req.amount) throw new InsufficientFundsError(payer.walletAccountId);
    validation = await validatePayment(merchant, facts(merchant, payer, req.amount, accountRef, code, new Date()));
  }
  const revenue = await systemAccount(db, 'charges');
  // A replay is charged what the first call was (its postings must match to replay), not
  // what the merchant's rate says now.
  const commission = posted?.commission ?? commissionFor(req.amount, merchant.commissionBp);
  return db.transaction(async (trx) => {
    const limits = await limitsInForce(trx, payer.id, () => new CustomerInactiveError());
    checkPerTransaction(limits, req.amount);
    const postings: PostingInput[] = [
      { accountId: payer.walletAccountId, amount: req.amount },
      { accountId: merchant.settlementAccountId, amount: -(req.amount - commission) },
    ];
    if (commission > 0n) postings.push({ accountId: revenue.id, amount: -commission });
    const result = await transfer(
      {
        idempotencyKey: req.idempotencyKey,
        code,
        kind: req.kind === 'paybill' ? 'paybill' : 'buy_goods',
        amount: req.amount,
        postings,
        metadata: { payer: payer.msisdn, merchantId: merchant.id, shortCode: merchant.shortCode, accountRef, commission: Number(commission), commissionBp: merchant.commissionBp }, // cents
      },
      {
        guard: (t) => checkOutgoingLimits(t, limits, payer.walletAccountId, req.amount),
        afterPost: (t, r) => writeOutbox(t, r, { payer, merchant, accountRef, commission, thirdPartyTransId: validation.thirdPartyTransId }),
      },
      trx,
    );
    return {
      code: result.code, merchantName: merchant.name, kind: merchant.kind, shortCode: merchant.shortCode, accountRef,
      amount: req.amount, commission, balance: balanceOf(result, payer.walletAccountId), at: result.createdAt, replayed: result.replayed,
    };
  });
}

/**
 * What was posted under `key` already, or null: a session replayed from the top (DESIGN.md,
 * USSD) reaches the same key, and must neither ask the merchant again (it might now say no
 * to a payment that went through) nor move money again. `commission` is what that entry
 * took (cents), so that the replay's postings match the first call's.
 */
async function postedUnder(db: Db, key: string): Promise<{ commission?: bigint } | null> {
  const entryId = await entryIdForKey(db, key);
  if (entryId === null) return null;
  const { metadata } = await loadEntry(db, entryId);
  const commission = metadata.commission;
  // Not a Lipa entry (another request used the key): transfer() refuses the replay.
  return typeof commission === 'number' && Number.isSafeInteger(commission) ? { commission: BigInt(commission) } : {};
}

function facts(merchant: Merchant, payer: Customer, amount: bigint, accountRef: string, transId: string, at: Date, extra: Partial<C2bFacts> = {}): C2bFacts {
  return {
    kind: merchant.kind, shortCode: merchant.shortCode, transId, at, amount, accountRef,
    msisdn: payer.msisdn, firstName: payer.firstName.toUpperCase(), lastName: payer.lastName.toUpperCase(), ...extra,
  };
}

function balanceOf(result: TransferResult, accountId: number): bigint {
  const leg = result.postings.find((p) => p.accountId === accountId);
  return leg ? displayBalance({ balance: leg.balanceAfter, normalSide: 'credit' }) : 0n;
}

interface OutboxFacts {
  payer: Customer;
  merchant: Merchant;
  accountRef: string;
  commission: bigint;
  thirdPartyTransId?: string;
}

/** The payment's SMS (payer and merchant) and its confirmation row, in the payment's transaction. */
async function writeOutbox(trx: Db, r: TransferResult, o: OutboxFacts): Promise<void> {
  const { payer, merchant, accountRef } = o;
  const common = { code: r.code, amount: r.amount, merchantName: merchant.name, accountRef, at: r.createdAt };
  await enqueueSms(trx, [
    {
      msisdn: payer.msisdn, kind: 'receipt', journalEntryId: r.entryId, dedupeKey: `receipt:${r.code}:payer`,
      message: payerReceipt(payer.language, { ...common, balance: balanceOf(r, payer.walletAccountId) }),
    },
    {
      msisdn: merchant.smsMsisdn, kind: 'receipt', journalEntryId: r.entryId, dedupeKey: `receipt:${r.code}:merchant`,
      message: merchantNotice(merchant.language, { ...common, payerName: displayName(payer), payerMsisdn: maskedNational(payer.msisdn), commission: o.commission }),
    },
  ]);
  if (!merchant.confirmationUrl) return;
  const settlement = r.postings.find((p) => p.accountId === merchant.settlementAccountId);
  const orgBalance = settlement ? displayBalance({ balance: settlement.balanceAfter, normalSide: 'credit' }) : undefined;
  const payload = c2bRequest(facts(merchant, payer, r.amount, accountRef, r.code, r.createdAt, { orgBalance, thirdPartyTransId: o.thirdPartyTransId }));
  await trx('merchant_confirmations').insert({ merchant_id: merchant.id, journal_entry_id: r.entryId, url: merchant.confirmationUrl, payload: JSON.stringify(payload) });
}
