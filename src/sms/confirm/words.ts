/**
 * The SMS reply to a staged money command, in the customer's language: what it will do,
 * the dial string that confirms it (`*384*4821#` from the configured service code), how
 * long the code works, and never to send the PIN by SMS.
 */
import { config } from '../../config/index.js';
import { formatKes } from '../../money/index.js';
import type { StagedQuote } from './quote.js';
import { CONFIRM_MINUTES } from './store.js';

/** `*384#` and `4821` → `*384*4821#`. */
export function dialString(code: string, serviceCode = config.ussdServiceCode): string {
  return `${serviceCode.replace(/#$/, '')}*${code}#`;
}

/** What the request does, as the reply names it. */
function what(q: StagedQuote, lang: 'en' | 'sw'): string {
  const kes = formatKes(BigInt(q.amountCents));
  if (lang === 'sw') {
    switch (q.kind) {
      case 'send': return `kutuma ${kes} kwa ${q.recipientName}`;
      case 'paybill': return `kulipa ${kes} kwa ${q.merchantName} akaunti ${q.accountRef}`;
      case 'till': return `kulipa ${kes} kwa ${q.merchantName} till ${q.shortCode}`;
      case 'contribute': return `kuchanga ${kes} kwa ${q.chamaName}`;
      case 'repay': return `kulipa ${kes} kwa mkopo wako wa ${q.productName}`;
    }
  }
  switch (q.kind) {
    case 'send': return `${kes} to ${q.recipientName}`;
    case 'paybill': return `paying ${kes} to ${q.merchantName} account ${q.accountRef}`;
    case 'till': return `paying ${kes} to ${q.merchantName} till ${q.shortCode}`;
    case 'contribute': return `paying ${kes} to ${q.chamaName}`;
    case 'repay': return `repaying ${kes} on your ${q.productName} loan`;
  }
}

/** The reply that tells the customer how to confirm request `code`. */
export function stagedReply(q: StagedQuote, code: string, lang: 'en' | 'sw'): string {
  const dial = dialString(code);
  return lang === 'sw'
    ? `Ili kuthibitisha ${what(q, 'sw')}, piga ${dial}. Nambari hii inafanya kazi kwa dakika ${CONFIRM_MINUTES}. Usitume PIN yako kwa SMS.`
    : `To confirm ${what(q, 'en')}, dial ${dial}. The code works for ${CONFIRM_MINUTES} minutes. Never send your PIN by SMS.`;
}
