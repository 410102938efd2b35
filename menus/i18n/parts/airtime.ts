/**
 * The words of the Airtime menu, per language (merged into the catalogues by render.ts).
 * Each screen fits 182 GSM-7 characters with the longest amounts (test/airtime-menu.test.ts).
 */
import type { CataloguePart } from '../catalogue.js';

export const airtimeWords: { en: CataloguePart; sw: CataloguePart } = {
  en: {
    screens: {
      'airtime.whom': () => 'Buy Airtime\n1 My number\n2 Other number',
      'airtime.number': () => 'Buy Airtime\nEnter phone number',
      'airtime.amount': (c, f) => `Airtime for ${f.phone(c.recipientMsisdn)}\nEnter amount (KES 5 - 10,000)`,
      'airtime.confirm': (c, f) => `Buy ${f.kes(c.amountCents)} airtime for ${f.phone(c.recipientMsisdn)}?\n1 Confirm`,
      'airtime.pin': (c, f) => `Enter PIN to buy ${f.kes(c.amountCents)} airtime for ${f.phone(c.recipientMsisdn)}`,
    },
    finals: {
      airtimeRequested: (c, f) =>
        `${c.receipt?.code} Confirmed. ${f.kes(c.receipt?.amountCents)} airtime for ${f.phone(c.receipt?.recipientMsisdn)}. ` +
        `You will receive your airtime shortly. New balance ${f.kes(c.receipt?.balanceCents)}.`,
      airtimeInsufficientFunds: (c, f) => `Failed. You do not have enough money to buy ${f.kes(c.amountCents)} airtime. Nothing was bought.`,
    },
    errors: {
      'airtime.amountRange': () => 'Airtime is KES 5 to KES 10,000.',
    },
  },
  sw: {
    screens: {
      'airtime.whom': () => 'Nunua Muda wa Maongezi\n1 Nambari yangu\n2 Nambari nyingine',
      'airtime.number': () => 'Nunua Muda wa Maongezi\nWeka nambari ya simu',
      'airtime.amount': (c, f) => `Muda wa maongezi kwa ${f.phone(c.recipientMsisdn)}\nWeka kiasi (KES 5 - 10,000)`,
      'airtime.confirm': (c, f) => `Nunua muda wa maongezi wa ${f.kes(c.amountCents)} kwa ${f.phone(c.recipientMsisdn)}?\n1 Thibitisha`,
      'airtime.pin': (c, f) => `Weka PIN kununua muda wa maongezi wa ${f.kes(c.amountCents)} kwa ${f.phone(c.recipientMsisdn)}`,
    },
    finals: {
      airtimeRequested: (c, f) =>
        `${c.receipt?.code} Imethibitishwa. Muda wa maongezi wa ${f.kes(c.receipt?.amountCents)} kwa ${f.phone(c.receipt?.recipientMsisdn)}. ` +
        `Utaupokea hivi punde. Salio jipya ${f.kes(c.receipt?.balanceCents)}.`,
      airtimeInsufficientFunds: (c, f) =>
        `Imeshindwa. Huna pesa za kutosha kununua muda wa maongezi wa ${f.kes(c.amountCents)}. Hakuna kilichonunuliwa.`,
    },
    errors: {
      'airtime.amountRange': () => 'Muda wa maongezi ni KES 5 hadi KES 10,000.',
    },
  },
};
