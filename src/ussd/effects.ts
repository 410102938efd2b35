/**
 * The menus' effects, implemented with the domain (see ./effect.ts for how refusals
 * reach the menu). Each menu's own effects live in effects-<menu>.ts.
 */
import type { Effects } from '../../menus/index.js';
import {
  completePinReset, registerCustomer, requestPinReset, sealMatches, sealPin, setLanguage, setPin, verifyPin, verifyPinResetCode, InvalidPinError,
} from '../customers/index.js';
import { checkBalance, limitsLeft, lookupRecipient, miniStatement, quoteSendMoney, sendMoney } from '../payments/index.js';
import { domainEffect } from './effect.js';
import { airtimeEffects } from './effects-airtime.js';
import { lipaEffects } from './effects-lipa.js';
import { agentEffects, withdrawEffects } from './effects-agents.js';
import { b2cEffects } from './effects-b2c.js';
import { topUpEffects } from './effects-topup.js';
import { feesEffects } from './effects-fees.js';
import { loansEffects } from './effects-loans.js';
import { chamaEffects } from './effects-chama.js';
import { chamaOfficialEffects } from './effects-chama-officials.js';
import { smsConfirmEffects } from './effects-sms-confirm.js';

// Built once: statement dates as `dd/mm` in Africa/Nairobi.
const DAY_MONTH = new Intl.DateTimeFormat('en-GB', { timeZone: 'Africa/Nairobi', day: '2-digit', month: '2-digit' });

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
    const c = await registerCustomer({ msisdn: i.msisdn, firstName: i.firstName, lastName: i.lastName, nationalId: i.nationalId, pin: i.pin, language: i.language });
    return { firstName: c.firstName };
  }),
  miniStatement: effect<'miniStatement'>(async (i) => ({
    lines: (await miniStatement(i.msisdn, i.pin)).map((l) => ({ code: l.code, date: DAY_MONTH.format(l.at), party: l.counterparty, amountCents: l.amount.toString() })),
  })),
  limitsLeft: effect<'limitsLeft'>(async (i) => {
    const { limits, leftToday, leftThisMonth } = await limitsLeft(i.msisdn);
    return {
      perTransactionCents: limits.perTransaction.toString(), perDayCents: limits.perDay.toString(), leftTodayCents: leftToday.toString(),
      perMonthCents: limits.perMonth.toString(), leftThisMonthCents: leftThisMonth.toString(),
    };
  }),
  setLanguage: effect<'setLanguage'>(async (i) => {
    await setLanguage(i.msisdn, i.language);
    return {};
  }),
  requestPinReset: effect<'requestPinReset'>(async (i) => {
    await requestPinReset(i.msisdn, i.nationalId);
    return {};
  }),
  verifyPinResetCode: effect<'verifyPinResetCode'>(async (i) => {
    await verifyPinResetCode(i.msisdn, i.code, i.sessionId);
    return {};
  }),
  completePinReset: effect<'completePinReset'>(async (i) => {
    if (!sealMatches(i.pin, i.sessionId, i.seal)) throw new InvalidPinError('pin_mismatch', 'the PINs did not match');
    await completePinReset(i.msisdn, i.sessionId, i.pin);
    return {};
  }),
  ...airtimeEffects,
  ...lipaEffects,
  ...withdrawEffects,
  ...b2cEffects,
  ...agentEffects,
  ...topUpEffects,
  ...feesEffects,
  ...loansEffects,
  ...chamaEffects,
  ...chamaOfficialEffects,
  ...smsConfirmEffects,
};
