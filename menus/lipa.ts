/**
 * Lipa (home item 4): Pay Bill (business number, account number, amount, confirmation
 * naming the business, PIN) and Buy Goods (till number, amount, confirmation, PIN). The
 * customer pays no charge. A merchant's validation URL may refuse the payment: a refused
 * account number or amount is asked again with the reason, anything else ends the session.
 */
import { assign } from 'xstate';
import { parseWholeShillings } from '../src/money/index.js';
import { failureOf, menuSetup, nav, pinFailures, pinInput, reask, confirmInput, paymentKey } from './setup.js';
import type { InputEvent, MenuContext } from './types.js';
import type { LipaKind } from './lipa-actors.js';

/** Paybill and till numbers: 5 to 7 digits (M-Pesa's are 5 to 7). */
const SHORT_CODE = /^[0-9]{5,7}$/;
/** A paybill account number: what Daraja's BillRefNumber holds (src/merchants ACCOUNT_REF). */
const ACCOUNT_REF = /^[A-Za-z0-9-]{1,20}$/;

const isPaybill = ({ context }: { context: MenuContext }) => context.lipa?.kind === 'paybill';

/** The merchant refused with `resultCode`; `paybillOnly` narrows it to the account number a paybill asks for. */
function rejectedWith(resultCode: string, paybillOnly = false) {
  return ({ context, event }: { context: MenuContext; event: unknown }) => {
    const failure = failureOf(event);
    return failure.code === 'merchant_rejected' && failure.resultCode === resultCode && (!paybillOnly || context.lipa?.kind === 'paybill');
  };
}

/** Re-ask at `target` with the error `key`, naming the business. */
function reaskNaming(target: string, key: string) {
  return {
    target,
    actions: assign<MenuContext, any, undefined, InputEvent, never>({ // eslint-disable-line @typescript-eslint/no-explicit-any
      error: ({ context }) => ({ key, params: { name: context.lipa?.merchantName ?? '' } }),
    }),
  };
}

export const lipaStates = menuSetup.createStateConfig({
  initial: 'menu',
  states: {
    menu: {
      tags: ['input'],
      on: {
        INPUT: [
          ...nav('#menu.home'),
          { guard: { type: 'isChoice', params: { choice: '1' } }, target: 'business', actions: ['clearError', assign({ lipa: { kind: 'paybill' as LipaKind } })] },
          { guard: { type: 'isChoice', params: { choice: '2' } }, target: 'business', actions: ['clearError', assign({ lipa: { kind: 'till' as LipaKind } })] },
          reask('invalidChoice'),
        ],
      },
    },
    business: {
      tags: ['input'],
      on: {
        INPUT: [
          ...nav('menu'),
          {
            guard: ({ event }) => SHORT_CODE.test(event.value),
            target: 'lookingUp',
            actions: ['clearError', assign({ lipa: ({ context, event }) => ({ kind: context.lipa?.kind ?? 'paybill', shortCode: event.value }) })],
          },
          reask('lipa.invalidNumber'),
        ],
      },
    },
    lookingUp: {
      invoke: {
        src: 'lookupMerchant',
        input: ({ context }) => ({ kind: context.lipa!.kind, shortCode: context.lipa!.shortCode! }),
        onDone: [
          { guard: isPaybill, target: 'account', actions: assign({ lipa: ({ context, event }) => ({ ...context.lipa!, merchantName: event.output.merchantName }) }) },
          { target: 'amount', actions: assign({ lipa: ({ context, event }) => ({ ...context.lipa!, merchantName: event.output.merchantName }) }) },
        ],
        onError: [
          { guard: { type: 'failedWith', params: { codes: ['merchant_not_found'] } }, target: 'business', ...reask('lipa.notFound') },
          { target: '#menu.failed', actions: 'recordFailure' },
        ],
      },
    },
    account: {
      tags: ['input'],
      on: {
        INPUT: [
          ...nav('business'),
          {
            guard: ({ event }) => ACCOUNT_REF.test(event.value),
            target: 'amount',
            actions: ['clearError', assign({ lipa: ({ context, event }) => ({ ...context.lipa!, accountRef: event.value.toUpperCase() }) })],
          },
          reask('lipa.invalidAccount'),
        ],
      },
    },
    amount: {
      tags: ['input'],
      on: {
        INPUT: [
          { guard: 'isHome', target: '#menu.start', actions: 'clearError' },
          { guard: ({ context, event }) => event.value === '0' && context.lipa?.kind === 'paybill', target: 'account', actions: 'clearError' },
          { guard: 'isBack', target: 'business', actions: 'clearError' },
          { guard: 'isAmount', target: 'quoting', actions: ['clearError', assign({ amountCents: ({ event }) => parseWholeShillings(event.value)!.toString() })] },
          reask('invalidAmount'),
        ],
      },
    },
    quoting: {
      invoke: {
        src: 'quoteLipa',
        input: ({ context }) => ({ payerMsisdn: context.msisdn, kind: context.lipa!.kind, shortCode: context.lipa!.shortCode!, amountCents: context.amountCents! }),
        onDone: { target: 'confirm' },
        onError: [
          {
            guard: { type: 'failedWith', params: { codes: ['limit_exceeded'] } },
            target: 'amount',
            actions: assign({ error: ({ event }) => ({ key: `lipa.limit.${failureOf(event).limitName}`, params: { limitCents: failureOf(event).limitCents ?? '0' } }) }),
          },
          { guard: { type: 'failedWith', params: { codes: ['merchant_not_found'] } }, target: 'business', ...reask('lipa.notFound') },
          { target: '#menu.failed', actions: 'recordFailure' },
        ],
      },
    },
    confirm: confirmInput('amount', 'pin'),
    pin: pinInput('confirm', 'paying'),
    paying: {
      invoke: {
        src: 'payMerchant',
        input: ({ context, event }) => ({
          payerMsisdn: context.msisdn,
          kind: context.lipa!.kind,
          shortCode: context.lipa!.shortCode!,
          accountRef: context.lipa!.accountRef ?? '',
          amountCents: context.amountCents!,
          pin: (event as InputEvent).value,
          idempotencyKey: paymentKey(context, event),
        }),
        onDone: { target: '#menu.lipaPaid', actions: assign({ lipaReceipt: ({ event }) => event.output }) },
        onError: [
          ...pinFailures('pin'),
          { guard: rejectedWith('C2B00012', true), ...reaskNaming('account', 'lipa.rejectedAccount') },
          { guard: rejectedWith('C2B00013'), ...reaskNaming('amount', 'lipa.rejectedAmount') },
          { guard: { type: 'failedWith', params: { codes: ['merchant_rejected', 'merchant_not_found'] } }, target: '#menu.lipaRejected', actions: 'recordFailure' },
          { guard: { type: 'failedWith', params: { codes: ['insufficient_funds'] } }, target: '#menu.lipaInsufficientFunds', actions: 'recordFailure' },
          { guard: { type: 'failedWith', params: { codes: ['limit_exceeded'] } }, target: '#menu.limitExceeded', actions: 'recordFailure' },
          { target: '#menu.failed', actions: 'recordFailure' },
        ],
      },
    },
  },
});

/** Top-level END states of this menu (spread into the machine's states). */
export const lipaFinals = {
  lipaPaid: { type: 'final' as const },
  lipaRejected: { type: 'final' as const },
  lipaInsufficientFunds: { type: 'final' as const },
};
