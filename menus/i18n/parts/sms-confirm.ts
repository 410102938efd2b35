/**
 * The words of the confirmation of a money command sent by SMS (menus/sms-confirm.ts), per
 * language. The receipts are the payment menus' own. Each screen fits 182 GSM-7 characters
 * with a 24-character name, a 20-character account number, a 9-digit amount, an error line
 * and the footer (test/sms-confirm-menu.test.ts).
 */
import type { CataloguePart, Formatters } from '../catalogue.js';
import type { MenuContext } from '../../types.js';

const r = (c: MenuContext) => c.smsConfirmation;

/** `Send KES 500 to BRIAN OTIENO? Charge KES 7.` and its kin, per language. */
function question(c: MenuContext, f: Formatters, lang: 'en' | 'sw'): string {
  const q = r(c);
  const kes = f.kes(q?.amountCents);
  const charge = f.kes(q?.chargeCents);
  const [to, ada] = lang === 'sw' ? ['kwa', 'Ada'] : ['to', 'Charge'];
  const what = (() => {
    switch (q?.kind) {
      case 'send': return lang === 'sw' ? `Tuma ${kes} kwa ${f.name(q.recipientName)}` : `Send ${kes} to ${f.name(q.recipientName)}`;
      case 'paybill': return `${lang === 'sw' ? 'Lipa' : 'Pay'} ${kes} ${to} ${f.name(q.merchantName)} ${lang === 'sw' ? 'akaunti' : 'account'} ${q.accountRef}`;
      case 'till': return `${lang === 'sw' ? 'Lipa' : 'Pay'} ${kes} ${to} ${f.name(q.merchantName)} till ${q.shortCode}`;
      case 'contribute': return lang === 'sw' ? `Changa ${kes} kwa ${f.name(q.chamaName)}` : `Pay ${kes} to ${f.name(q.chamaName)}`;
      default: return lang === 'sw' ? `Lipa ${kes} kwa mkopo wa ${f.name(q?.productName)}` : `Repay ${kes} on your ${f.name(q?.productName)} loan`;
    }
  })();
  return `${what}? ${ada} ${charge}.\n${lang === 'sw' ? 'Weka PIN' : 'Enter PIN'}`;
}

const en: CataloguePart = {
  screens: { 'smsConfirm.pin': (c, f) => question(c, f, 'en') },
  finals: {
    smsConfirmStale: () => 'That code has expired or was used. Send your request again by SMS.',
    smsConfirmFailed: (c) => (c.failure?.code === 'loan_overpayment'
      ? 'That is more than your loan balance now. Nothing was paid. Send your request again by SMS.'
      : 'Sorry, Simu could not complete this request. Nothing was paid. Send your request again by SMS.'),
  },
};

const sw: CataloguePart = {
  screens: { 'smsConfirm.pin': (c, f) => question(c, f, 'sw') },
  finals: {
    smsConfirmStale: () => 'Nambari hiyo imeisha muda au imetumika. Tuma ombi lako tena kwa SMS.',
    smsConfirmFailed: (c) => (c.failure?.code === 'loan_overpayment'
      ? 'Kiasi hicho ni zaidi ya deni lako sasa. Hakuna kilicholipwa. Tuma ombi lako tena kwa SMS.'
      : 'Samahani, Simu haikuweza kukamilisha ombi hili. Hakuna kilicholipwa. Tuma ombi lako tena kwa SMS.'),
  },
};

export const smsConfirmWords: { en: CataloguePart; sw: CataloguePart } = { en, sw };
