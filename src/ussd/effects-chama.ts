/**
 * The Chama effects of a member (home item 6), implemented with src/chama (see
 * menus/chama-actors.ts): the caller's chamas, Contribute, My standing, Group balance,
 * Next payout, Leave and group loans. The officials' effects are in
 * ./effects-chama-officials.ts. The caller is named by MSISDN; the domain checks that they
 * belong to the chama, and every PIN is checked by the domain call that acts on it.
 */
import { fromPromise } from 'xstate';
import type { ChamaEffects, ChamaPayoutView, ChamaRoleView, LoanView } from '../../menus/index.js';
import { db } from '../db/index.js';
import { CustomerNotFoundError, findCustomer, verifyPin, type Customer } from '../customers/index.js';
import { displayBalance, getAccount } from '../ledger/index.js';
import { getProduct, loanStatement, showDay } from '../loans/index.js';
import {
  applyGroupLoan, chamasOf, contribute, contributionQuote, decideGuarantee, exitQuote, getChama, getMember, groupLoanLimit, groupLoansOf, groupSummary,
  guaranteeRequestsFor, guaranteesHeld, membershipOf, nextPayout, requestExit, ChamaLoanLimitError, ChamaStateError, ContributionTooLargeError,
  type NextPayout,
} from '../chama/index.js';
import { toMenuFailure } from './effect.js';

/** As domainEffect, and a refused amount carries the most allowed (`maxCents`). */
export function chamaEffect<K extends keyof ChamaEffects>(run: (input: ChamaEffects[K]['input']) => Promise<ChamaEffects[K]['output']>) {
  return fromPromise<ChamaEffects[K]['output'], ChamaEffects[K]['input']>(async ({ input }) => {
    try {
      return await run(input);
    } catch (err) {
      const failure = toMenuFailure(err);
      if (err instanceof ContributionTooLargeError || err instanceof ChamaLoanLimitError) failure.maxCents = err.max.toString();
      throw failure;
    }
  });
}

/** The registered customer dialling from `msisdn`. @throws CustomerNotFoundError */
export async function customerOf(msisdn: string): Promise<Customer> {
  const customer = await findCustomer(msisdn, db);
  if (!customer) throw new CustomerNotFoundError();
  return customer;
}

const balanceOf = async (accountId: number) => displayBalance(await getAccount(db, accountId));
const s = (n: bigint) => n.toString();

/** The next payout as the menu shows it: the roles still to approve, and whether anyone has. */
export function payoutView(p: NextPayout): ChamaPayoutView {
  return {
    cycleNo: p.cycleNo, dueOn: showDay(p.dueOn), payable: p.payable, recipient: p.recipient.name, skipped: p.skipped?.name ?? null, amountCents: s(p.amount),
    waiting: p.needed.filter((r) => !p.signed.includes(r)) as ChamaRoleView[], started: p.signed.length > 0,
  };
}

/** Member effects of Chama, for `mainMenu.provide({ actors })`. */
export const chamaEffects = {
  myChamas: chamaEffect<'myChamas'>(async (i) => ({
    chamas: (await chamasOf(db, (await customerOf(i.msisdn)).id)).map(({ chama, member }) => ({ id: chama.id, name: chama.name, role: member.role })),
  })),
  chamaDues: chamaEffect<'chamaDues'>(async (i) => {
    const { dues } = await contributionQuote(db, i.chamaId, (await customerOf(i.msisdn)).id);
    return { chamaDues: { dueCents: s(dues.due), maxCents: s(dues.max), finesCents: s(dues.fines), arrearsCents: s(dues.arrears), currentCents: s(dues.currentDue) } };
  }),
  /** Pays under `ussd:<sessionId>:<n>` (the PIN checked by contribute); a replay answers with the first receipt. */
  contributeChama: chamaEffect<'contributeChama'>(async (i) => {
    const r = await contribute(db, { payerMsisdn: i.msisdn, pin: i.pin, chamaId: i.chamaId, amount: BigInt(i.amountCents), idempotencyKey: i.idempotencyKey });
    return {
      chamaReceipt: {
        code: r.code, amountCents: s(r.amount), finesPaidCents: s(r.allocation.fines), stillDueCents: s(r.dues.due), savedCents: s(r.saved), walletBalanceCents: s(r.walletBalance),
      },
    };
  }),
  chamaStanding: chamaEffect<'chamaStanding'>(async (i) => {
    const customer = await customerOf(i.msisdn);
    const { chama, member, dues } = await contributionQuote(db, i.chamaId, customer.id);
    const loans = await groupLoansOf(db, chama.id, customer.id);
    const guarantees = await guaranteesHeld(db, chama.id, customer.id);
    return {
      chamaStanding: {
        paidThisCycleCents: s(dues.paidThisCycle), arrearsCents: s(dues.arrears), finesCents: s(dues.fines), savedCents: s(await balanceOf(member.savingsAccountId)),
        loansCents: s(loans.reduce((t, l) => t + l.outstanding, 0n)), guarantees: guarantees.length, guaranteedCents: s(guarantees.reduce((t, g) => t + g.amount, 0n)),
      },
    };
  }),
  chamaBalance: chamaEffect<'chamaBalance'>(async (i) => {
    await membershipOf(db, i.chamaId, (await customerOf(i.msisdn)).id);
    const g = await groupSummary(db, await getChama(db, i.chamaId));
    return { chamaBalance: { savingsCents: s(g.savings), potCents: s(g.pot), loansOutCents: s(g.loansOut), collectedCents: s(g.collected), expectedCents: s(g.expected) } };
  }),
  chamaPayout: chamaEffect<'chamaPayout'>(async (i) => {
    await membershipOf(db, i.chamaId, (await customerOf(i.msisdn)).id);
    const p = await nextPayout(db, i.chamaId);
    if (!p) throw new ChamaStateError('nothing_to_pay', 'the chama has no members');
    return { chamaPayout: payoutView(p) };
  }),
  chamaExitQuote: chamaEffect<'chamaExitQuote'>(async (i) => {
    const member = await membershipOf(db, i.chamaId, (await customerOf(i.msisdn)).id);
    const q = await exitQuote(db, member);
    return { chamaExit: { savingsCents: s(q.savings), finesCents: s(q.fines), amountCents: s(q.amount) } };
  }),
  requestChamaExit: chamaEffect<'requestChamaExit'>(async (i) => {
    const customer = await verifyPin(i.msisdn, i.pin, db);
    const member = await membershipOf(db, i.chamaId, customer.id);
    await requestExit(db, { chamaId: i.chamaId, memberId: member.id, requesterCustomerId: customer.id });
    return {};
  }),
  chamaLoanLimit: chamaEffect<'chamaLoanLimit'>(async (i) => {
    const { chama, member } = await contributionQuote(db, i.chamaId, (await customerOf(i.msisdn)).id);
    const l = await groupLoanLimit(db, chama, member);
    return { chamaLoanLimit: { maxCents: s(l.max), minCents: s(l.product?.principalMin ?? 0n), reason: l.reason, guarantors: chama.loanGuarantors } };
  }),
  /** Asks for a group loan under `ussd:<sessionId>:<n>` (a replay returns the first request). */
  applyChamaLoan: chamaEffect<'applyChamaLoan'>(async (i) => {
    const customer = await verifyPin(i.msisdn, i.pin, db);
    await applyGroupLoan(db, { chamaId: i.chamaId, customerId: customer.id, amount: BigInt(i.amountCents), guarantorMsisdns: i.guarantors, idempotencyKey: i.idempotencyKey });
    return {};
  }),
  chamaGuarantees: chamaEffect<'chamaGuarantees'>(async (i) => {
    const requests = await guaranteeRequestsFor(db, i.chamaId, (await customerOf(i.msisdn)).id);
    const out = [];
    for (const r of requests) out.push({ kind: 'loan' as const, id: r.id, name: (await getMember(db, r.memberId)).name, amountCents: s(r.amount) });
    return { chamaGuarantees: out };
  }),
  /** Accepting needs the PIN; declining does not (it commits the guarantor to nothing). */
  decideChamaGuarantee: chamaEffect<'decideChamaGuarantee'>(async (i) => {
    const customer = await customerOf(i.msisdn);
    const signer = i.accept ? { msisdn: i.msisdn, pin: i.pin ?? '' } : { customerId: customer.id, pinVerified: true as const };
    await decideGuarantee(db, { requestId: i.requestId, signer, accept: i.accept });
    return {};
  }),
  chamaGroupLoans: chamaEffect<'chamaGroupLoans'>(async (i) => {
    const loans: LoanView[] = [];
    for (const l of await groupLoansOf(db, i.chamaId, (await customerOf(i.msisdn)).id)) {
      const st = await loanStatement(db, l.loanId);
      const product = await getProduct(db, st.productId);
      loans.push({
        id: s(st.loanId), productName: product.name, outstandingCents: s(st.outstanding.total), payoffCents: s(st.payoff), dueNowCents: s(st.dueNow),
        suggestedCents: s(st.payoff), overdueCents: s(st.overdue.amount),
        nextDue: st.nextDue ? { date: showDay(st.nextDue.dueDate), amountCents: s(st.nextDue.amount) } : null,
      });
    }
    return { chamaLoans: loans };
  }),
};
