/**
 * The menus' effects, implemented with the domain. Each turns a domain refusal (an
 * AppError) into the plain `MenuFailure` the pure machine reads, and logs anything else
 * once, as the bug or outage it is.
 */
import { fromPromise } from 'xstate';
import type { Effects, MenuFailure } from '../../menus/index.js';
import { AppError } from '../errors/index.js';
import { logger } from '../logger/index.js';
import { PinLockedError, WrongPinError, registerCustomer, sealMatches, sealPin, setPin, verifyPin, InvalidPinError } from '../customers/index.js';
import { checkBalance, lookupRecipient, quoteSendMoney, sendMoney, LimitExceededError } from '../payments/index.js';

import { airtimeEffects } from './effects-airtime.js';
import { lipaEffects } from './effects-lipa.js';

const log = logger.child({ component: 'ussd' });

/** The MenuFailure for any error thrown by the domain. */
export function toMenuFailure(err: unknown): MenuFailure {
  if (!(err instanceof AppError)) {
    log.error('menu effect failed', { error: (err as Error)?.message, stack: (err as Error)?.stack });
    return { code: 'unexpected' };
  }
  const failure: MenuFailure = { code: err.code };
  if (err instanceof WrongPinError) failure.attemptsLeft = err.attemptsLeft;
  if (err instanceof PinLockedError) failure.minutesLeft = Math.max(1, Math.ceil((err.until.getTime() - Date.now()) / 60_000));
  if (err instanceof LimitExceededError) {
    failure.limitName = err.limitName;
    failure.limitCents = err.limit.toString();
  }
  return failure;
}

/** Wraps a domain call as a menu effect taking `I` and giving `O`: refusals become MenuFailures. */
export function domainEffect<I, O>(run: (input: I) => Promise<O>) {
  return fromPromise<O, I>(async ({ input }) => {
    try {
      return await run(input);
    } catch (err) {
      throw toMenuFailure(err);
    }
  });
}

function effect<K extends keyof Effects>(run: (input: Effects[K]['input']) => Promise<Effects[K]['output']>) {
  return domainEffect<Effects[K]['input'], Effects[K]['output']>(run);
}

/** Every effect the main menu names, for `mainMenu.provide({ actors })`. */
export const menuEffects = {
  lookupRecipient: effect<'lookupRecipient'>(async (i) => ({ recipientName: await lookupRecipient(i.payerMsisdn, i.recipientMsisdn) })),
  quoteSendMoney: effect<'quoteSendMoney'>(async (i) => {
    const quote = await quoteSendMoney(i.payerMsisdn, i.recipientMsisdn, BigInt(i.amountCents));
    return { chargeCents: quote.charge.toString() };
  }),
  sendMoney: effect<'sendMoney'>(async (i) => {
    const r = await sendMoney({ payerMsisdn: i.payerMsisdn, recipientMsisdn: i.recipientMsisdn, amount: BigInt(i.amountCents), pin: i.pin, idempotencyKey: i.idempotencyKey });
    return {
      code: r.code,
      amountCents: r.amount.toString(),
      chargeCents: r.charge.toString(),
      recipientName: r.recipientName,
      recipientMsisdn: r.recipientMsisdn,
      balanceCents: r.balance.toString(),
    };
  }),
  checkBalance: effect<'checkBalance'>(async (i) => ({ balanceCents: (await checkBalance(i.msisdn, i.pin)).balance.toString() })),
  verifyPin: effect<'verifyPin'>(async (i) => {
    await verifyPin(i.msisdn, i.pin);
    return {};
  }),
  sealPin: effect<'sealPin'>(async (i) => ({ seal: sealPin(i.pin, i.sessionId) })),
  setPin: effect<'setPin'>(async (i) => {
    if (!sealMatches(i.pin, i.sessionId, i.seal)) throw new InvalidPinError('pin_mismatch', 'the PINs did not match');
    await setPin(i.msisdn, i.pin);
    return {};
  }),
  register: effect<'register'>(async (i) => {
    if (!sealMatches(i.pin, i.sessionId, i.seal)) throw new InvalidPinError('pin_mismatch', 'the PINs did not match');
    const c = await registerCustomer({ msisdn: i.msisdn, firstName: i.firstName, lastName: i.lastName, nationalId: i.nationalId, pin: i.pin });
    return { firstName: c.firstName };
  }),
  ...airtimeEffects,
  ...lipaEffects,
};
