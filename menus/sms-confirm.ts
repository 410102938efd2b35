/**
 * The confirmation of a money command sent by SMS (src/sms/confirm). The runner starts the
 * menu here, instead of at home, when the first hop's text is a live code of the caller
 * (`MenuInput.smsConfirmation`): one screen names the payment and its charge and asks for
 * the PIN; the money then moves through the same effect the payment's own menu uses
 * (sendMoney, payMerchant, contributeChama, payLoan) under the key `sms:<requestId>`, so
 * the request executes once however often it is dialled, and the session ends with that
 * menu's receipt. A wrong PIN is asked again with the tries left; the lockout applies.
 * `0`/`00` leave the confirmation for the home menu. A code of the caller that expired or
 * was used ends at `smsConfirmStale` (`MenuInput.smsConfirmationStale`).
 */
import { assign } from 'xstate';
import { menuSetup, pinFailures, reask } from './setup.js';
import type { InputEvent, MenuContext } from './types.js';
import type { SmsCommandKind } from './sms-confirm-actors.js';

type Ctx = { context: MenuContext };

const on = (codes: string[]) => ({ type: 'failedWith' as const, params: { codes } });
const failed = { target: '#menu.smsConfirmFailed', actions: 'recordFailure' as const };
const request = (c: MenuContext) => c.smsConfirmation!;
/** The idempotency key of the request: the same for every dial of its code. */
const requestKey = (c: MenuContext) => `sms:${request(c).requestId}`;
const pin = (event: unknown) => (event as InputEvent).value;
const kindIs = (...kinds: SmsCommandKind[]) => ({ context }: Ctx) => kinds.includes(context.smsConfirmation?.kind as SmsCommandKind);
const pinFor = (...kinds: SmsCommandKind[]) => ({ context, event }: Ctx & { event: InputEvent }) =>
  /^[0-9]{4}$/.test(event.value) && kindIs(...kinds)({ context });

/** The request's facts laid into the fields the payment menus' effects and receipts read. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const openRequest = assign<MenuContext, any, undefined, InputEvent, never>(({ context }: Ctx) => {
  const r = request(context);
  return {
    amountCents: r.amountCents,
    chargeCents: r.chargeCents,
    recipientMsisdn: r.recipientMsisdn,
    recipientName: r.recipientName,
    lipa: r.kind === 'paybill' || r.kind === 'till' ? { kind: r.kind, shortCode: r.shortCode, merchantName: r.merchantName, accountRef: r.accountRef } : undefined,
    chama: r.kind === 'contribute' ? { picked: { id: r.chamaId!, name: r.chamaName ?? '', role: 'member' as const } } : undefined,
  };
});

/** Where the session ends once the money moved: the payment menu's own receipt. */
const receipts = [
  { guard: kindIs('send'), target: '#menu.sent' },
  { guard: kindIs('paybill', 'till'), target: '#menu.lipaPaid' },
  { guard: kindIs('contribute'), target: '#menu.chamaContributed' },
  { target: '#menu.loanRepaid' },
];

export const smsConfirmStates = menuSetup.createStateConfig({
  initial: 'pin',
  entry: openRequest,
  states: {
    pin: {
      tags: ['input', 'pin'],
      on: {
        INPUT: [
          {
            guard: ({ event }) => event.value === '0' || event.value === '00',
            target: '#menu.start',
            actions: ['clearError', assign({ smsConfirmation: null, lipa: undefined, chama: undefined })],
          },
          { guard: pinFor('send'), target: 'sending', actions: 'clearError' },
          { guard: pinFor('paybill', 'till'), target: 'paying', actions: 'clearError' },
          { guard: pinFor('contribute'), target: 'contributing', actions: 'clearError' },
          { guard: pinFor('repay'), target: 'repaying', actions: 'clearError' },
          reask('invalidPin'),
        ],
      },
    },
    sending: {
      invoke: {
        src: 'sendMoney',
        input: ({ context, event }) => ({
          payerMsisdn: context.msisdn, recipientMsisdn: request(context).recipientMsisdn!, amountCents: request(context).amountCents, pin: pin(event),
          idempotencyKey: requestKey(context),
        }),
        onDone: { target: 'marking', actions: assign({ receipt: ({ event }) => event.output }) },
        onError: [
          ...pinFailures('pin'),
          { guard: on(['insufficient_funds']), target: '#menu.insufficientFunds', actions: 'recordFailure' },
          { guard: on(['limit_exceeded']), target: '#menu.limitExceeded', actions: 'recordFailure' },
          failed,
        ],
      },
    },
    paying: {
      invoke: {
        src: 'payMerchant',
        input: ({ context, event }) => ({
          payerMsisdn: context.msisdn, kind: request(context).kind as 'paybill' | 'till', shortCode: request(context).shortCode!,
          accountRef: request(context).accountRef ?? '', amountCents: request(context).amountCents, pin: pin(event), idempotencyKey: requestKey(context),
        }),
        onDone: { target: 'marking', actions: assign({ lipaReceipt: ({ event }) => event.output }) },
        onError: [
          ...pinFailures('pin'),
          { guard: on(['merchant_rejected', 'merchant_not_found']), target: '#menu.lipaRejected', actions: 'recordFailure' },
          { guard: on(['insufficient_funds']), target: '#menu.lipaInsufficientFunds', actions: 'recordFailure' },
          { guard: on(['limit_exceeded']), target: '#menu.limitExceeded', actions: 'recordFailure' },
          failed,
        ],
      },
    },
    contributing: {
      invoke: {
        src: 'contributeChama',
        input: ({ context, event }) => ({
          msisdn: context.msisdn, chamaId: request(context).chamaId!, amountCents: request(context).amountCents, pin: pin(event), idempotencyKey: requestKey(context),
        }),
        onDone: { target: 'marking', actions: assign({ chamaReceipt: ({ event }) => event.output.chamaReceipt }) },
        onError: [
          ...pinFailures('pin'),
          { guard: on(['limit_exceeded']), target: '#menu.limitExceeded', actions: 'recordFailure' },
          { target: '#menu.chamaRefused', actions: 'recordFailure' },
        ],
      },
    },
    repaying: {
      invoke: {
        src: 'payLoan',
        input: ({ context, event }) => ({
          msisdn: context.msisdn, loanId: request(context).loanId!, amountCents: request(context).amountCents, pin: pin(event), idempotencyKey: requestKey(context),
        }),
        onDone: { target: 'marking', actions: assign({ loanRepayment: ({ event }) => event.output.loanRepayment }) },
        onError: [
          ...pinFailures('pin'),
          { guard: on(['insufficient_funds']), target: '#menu.loanRepayShort', actions: 'recordFailure' },
          { guard: on(['loan_status', 'loan_not_found']), target: '#menu.noLoan' },
          failed,
        ],
      },
    },
    // The money moved: the request is marked used (a failure here changes nothing: its key already holds it to once).
    marking: {
      invoke: {
        src: 'markSmsConfirmationUsed',
        input: ({ context }) => ({ requestId: request(context).requestId, msisdn: context.msisdn }),
        onDone: receipts,
        onError: receipts,
      },
    },
  },
});

/** Top-level END states of the confirmation (spread into the machine's states). */
export const smsConfirmFinals = {
  smsConfirmStale: { type: 'final' as const },
  smsConfirmFailed: { type: 'final' as const },
};
