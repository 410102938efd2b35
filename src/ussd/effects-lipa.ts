/** The lipa menu's effects, implemented with the domain (see menus/lipa-actors.ts). */
import { fromPromise } from 'xstate';
import type { LipaEffects } from '../../menus/lipa-actors.js';
import { lookupMerchantName, payMerchant, quoteLipa, MerchantRejectedError } from '../merchants/index.js';
import { domainEffect, toMenuFailure } from './effect.js';

function effect<K extends keyof LipaEffects>(run: (input: LipaEffects[K]['input']) => Promise<LipaEffects[K]['output']>) {
  return domainEffect<LipaEffects[K]['input'], LipaEffects[K]['output']>(run);
}

/** Like domainEffect, but a merchant's refusal also carries its Daraja ResultCode to the menu. */
function payEffect(run: (input: LipaEffects['payMerchant']['input']) => Promise<LipaEffects['payMerchant']['output']>) {
  return fromPromise<LipaEffects['payMerchant']['output'], LipaEffects['payMerchant']['input']>(async ({ input }) => {
    try {
      return await run(input);
    } catch (err) {
      const failure = toMenuFailure(err);
      if (err instanceof MerchantRejectedError) failure.resultCode = err.resultCode;
      throw failure;
    }
  });
}

export const lipaEffects = {
  lookupMerchant: effect<'lookupMerchant'>(async (i) => ({ merchantName: await lookupMerchantName(i.kind, i.shortCode) })),
  quoteLipa: effect<'quoteLipa'>(async (i) => quoteLipa(i.payerMsisdn, i.kind, i.shortCode, BigInt(i.amountCents))),
  payMerchant: payEffect(async (i) => {
    const r = await payMerchant({
      payerMsisdn: i.payerMsisdn, kind: i.kind, shortCode: i.shortCode, accountRef: i.accountRef, amount: BigInt(i.amountCents), pin: i.pin, idempotencyKey: i.idempotencyKey,
    });
    return { code: r.code, merchantName: r.merchantName, accountRef: r.accountRef, amountCents: r.amount.toString(), balanceCents: r.balance.toString() };
  }),
};
