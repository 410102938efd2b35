/**
 * The words of the Lipa menu, per language (merged into the catalogues by render.ts). Each
 * screen fits 182 GSM-7 characters with a 24-character business name, a 20-character
 * account number and a 9-digit amount (test/lipa-screens.test.ts).
 */
import type { CataloguePart, Formatters } from '../catalogue.js';
import type { MenuContext } from '../../types.js';

type Words = (c: MenuContext, f: Formatters) => string;

const name = (c: MenuContext, f: Formatters) => f.name(c.lipa?.merchantName);
const paybill = (c: MenuContext) => c.lipa?.kind === 'paybill';

/** Why a merchant refused, by Daraja ResultCode (C2B00011-16) or `timeout`. */
const REASONS: Record<'en' | 'sw', Record<string, string>> = {
  en: {
    C2B00011: 'did not accept payments from your number',
    C2B00012: 'did not accept the account number',
    C2B00013: 'did not accept the amount',
    C2B00014: 'could not confirm your details',
    C2B00015: 'did not accept the business number',
    timeout: 'did not answer in time',
  },
  sw: {
    C2B00011: 'haikukubali malipo kutoka nambari yako',
    C2B00012: 'haikukubali nambari ya akaunti',
    C2B00013: 'haikukubali kiasi',
    C2B00014: 'haikuweza kuthibitisha maelezo yako',
    C2B00015: 'haikukubali nambari ya biashara',
    timeout: 'haikujibu kwa wakati',
  },
};

const rejected = (lang: 'en' | 'sw'): Words => (c, f) => {
  const business = f.name(c.lipa?.merchantName) || (lang === 'sw' ? 'Biashara' : 'The business');
  if (c.failure?.code === 'merchant_not_found') {
    return lang === 'sw' ? 'Biashara hii haipokei malipo sasa. Hakuna kilicholipwa.' : 'This business is not taking payments now. Nothing was paid.';
  }
  const reason = REASONS[lang][c.failure?.resultCode ?? ''] ?? (lang === 'sw' ? 'haikukubali malipo haya' : 'did not accept this payment');
  return lang === 'sw' ? `${business} ${reason}. Hakuna kilicholipwa.` : `${business} ${reason}. Nothing was paid.`;
};

const en: CataloguePart = {
  screens: {
    'lipa.menu': () => 'Lipa na Simu\n1 Pay Bill\n2 Buy Goods',
    'lipa.business': (c) => (paybill(c) ? 'Pay Bill\nEnter business number' : 'Buy Goods\nEnter till number'),
    'lipa.account': (c, f) => `Pay ${name(c, f)}\nEnter account number`,
    'lipa.amount': (c, f) => `Pay ${name(c, f)}${paybill(c) ? ` account ${c.lipa?.accountRef}` : ''}\nEnter amount (KES)`,
    'lipa.confirm': (c, f) =>
      `Pay ${f.kes(c.amountCents)} to ${name(c, f)} ${paybill(c) ? `account ${c.lipa?.accountRef}` : `till ${c.lipa?.shortCode}`}?\nCharge KES 0\n1 Confirm`,
    'lipa.pin': (c, f) => `Enter PIN to pay ${f.kes(c.amountCents)} to ${name(c, f)}`,
  },
  finals: {
    lipaPaid: (c, f) => {
      const r = c.lipaReceipt;
      return `${r?.code} Confirmed. ${f.kes(r?.amountCents)} paid to ${f.name(r?.merchantName)}${r?.accountRef ? ` for account ${r.accountRef}` : ''}. ` +
        `New balance ${f.kes(r?.balanceCents)}. Charge KES 0.`;
    },
    lipaRejected: rejected('en'),
    lipaInsufficientFunds: (c, f) => `Failed. You do not have enough money to pay ${f.kes(c.amountCents)} to ${name(c, f)}. Nothing was paid.`,
  },
  errors: {
    'lipa.invalidNumber': () => 'Enter a number of 5 to 7 digits.',
    'lipa.notFound': () => 'No business has that number.',
    'lipa.invalidAccount': () => 'Use up to 20 letters or digits.',
    'lipa.rejectedAccount': (p, f) => `${f.name(String(p.name))} did not accept that account number.`,
    'lipa.rejectedAmount': (p, f) => `${f.name(String(p.name))} did not accept that amount.`,
    'lipa.limit.per_transaction': (p, f) => `The most you can pay at once is ${f.kes(String(p.limitCents))}.`,
  },
};

const sw: CataloguePart = {
  screens: {
    'lipa.menu': () => 'Lipa na Simu\n1 Lipa Bili\n2 Nunua Bidhaa',
    'lipa.business': (c) => (paybill(c) ? 'Lipa Bili\nWeka nambari ya biashara' : 'Nunua Bidhaa\nWeka nambari ya till'),
    'lipa.account': (c, f) => `Lipa ${name(c, f)}\nWeka nambari ya akaunti`,
    'lipa.amount': (c, f) => `Lipa ${name(c, f)}${paybill(c) ? ` akaunti ${c.lipa?.accountRef}` : ''}\nWeka kiasi (KES)`,
    'lipa.confirm': (c, f) =>
      `Lipa ${f.kes(c.amountCents)} kwa ${name(c, f)} ${paybill(c) ? `akaunti ${c.lipa?.accountRef}` : `till ${c.lipa?.shortCode}`}?\nAda KES 0\n1 Thibitisha`,
    'lipa.pin': (c, f) => `Weka PIN kulipa ${f.kes(c.amountCents)} kwa ${name(c, f)}`,
  },
  finals: {
    lipaPaid: (c, f) => {
      const r = c.lipaReceipt;
      return `${r?.code} Imethibitishwa. ${f.kes(r?.amountCents)} imelipwa kwa ${f.name(r?.merchantName)}${r?.accountRef ? ` akaunti ${r.accountRef}` : ''}. ` +
        `Salio jipya ${f.kes(r?.balanceCents)}. Ada KES 0.`;
    },
    lipaRejected: rejected('sw'),
    lipaInsufficientFunds: (c, f) => `Imeshindikana. Huna pesa za kutosha kulipa ${f.kes(c.amountCents)} kwa ${name(c, f)}. Hakuna kilicholipwa.`,
  },
  errors: {
    'lipa.invalidNumber': () => 'Weka nambari ya tarakimu 5 hadi 7.',
    'lipa.notFound': () => 'Hakuna biashara yenye nambari hiyo.',
    'lipa.invalidAccount': () => 'Tumia herufi au tarakimu zisizozidi 20.',
    'lipa.rejectedAccount': (p, f) => `${f.name(String(p.name))} haikukubali nambari hiyo ya akaunti.`,
    'lipa.rejectedAmount': (p, f) => `${f.name(String(p.name))} haikukubali kiasi hicho.`,
    'lipa.limit.per_transaction': (p, f) => `Kiwango cha juu cha malipo moja ni ${f.kes(String(p.limitCents))}.`,
  },
};

export const lipaWords: { en: CataloguePart; sw: CataloguePart } = { en, sw };
