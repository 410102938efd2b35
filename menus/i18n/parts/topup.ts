/**
 * The words of My Account → 7 Top up from M-PESA, per language (merged into the catalogues
 * by render.ts). Each screen fits 182 GSM-7 characters (test/mpesa-stk.test.ts).
 */
import type { CataloguePart } from '../catalogue.js';

export const topUpWords: { en: CataloguePart; sw: CataloguePart } = {
  en: {
    screens: {
      'account.topUpAmount': () => 'Top up from M-PESA\nEnter amount (KES 10 - 150,000)',
    },
    finals: {
      topUpRequested: (c, f) => `You will receive an M-PESA prompt on your phone. Enter your M-PESA PIN to top up ${f.kes(c.amountCents)}.`,
      mpesaUnavailable: () => 'Sorry, M-PESA top-up and withdrawal are not available on Simu right now. Nothing was charged. Please try again later.',
    },
    errors: {
      'topUp.amountRange': () => 'A top-up is KES 10 to KES 150,000.',
      'topUp.maxBalance': (p, f) => `That would take your balance over ${f.kes(String(p.limitCents))}.`,
    },
  },
  sw: {
    screens: {
      'account.topUpAmount': () => 'Weka pesa kutoka M-PESA\nWeka kiasi (KES 10 - 150,000)',
    },
    finals: {
      topUpRequested: (c, f) => `Utapokea ombi la M-PESA kwenye simu yako. Weka PIN yako ya M-PESA kuweka ${f.kes(c.amountCents)}.`,
      mpesaUnavailable: () => 'Samahani, kuweka na kutoa pesa kupitia M-PESA hakupatikani kwenye Simu sasa. Hujatozwa chochote. Tafadhali jaribu tena baadaye.',
    },
    errors: {
      'topUp.amountRange': () => 'Kiasi ni KES 10 hadi KES 150,000.',
      'topUp.maxBalance': (p, f) => `Salio lako lingezidi ${f.kes(String(p.limitCents))}.`,
    },
  },
};
