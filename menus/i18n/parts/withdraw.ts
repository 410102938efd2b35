/**
 * The words of Withdraw Cash, per language (merged into the catalogues by render.ts). Each
 * screen fits 182 GSM-7 characters with a 24-character agent name, a 6-digit store number
 * and a 9-digit amount (test/agent-screens.test.ts).
 */
import type { CataloguePart, Formatters } from '../catalogue.js';
import type { MenuContext } from '../../types.js';

const w = (c: MenuContext) => c.withdrawal;
const name = (c: MenuContext, f: Formatters) => f.name(c.withdrawal?.agentName);

const en: CataloguePart = {
  screens: {
    'withdraw.choose': () => 'Withdraw Cash\n1 At an agent\n2 To M-PESA',
    'withdraw.mpesaAmount': (c, f) => `Withdraw to M-PESA ${f.phone(c.msisdn)}\nEnter amount (KES)`,
    'withdraw.mpesaConfirm': (c, f) => `Withdraw ${f.kes(c.amountCents)} to M-PESA ${f.phone(c.msisdn)}?\nCharge ${f.kes(c.chargeCents)}\n1 Confirm`,
    'withdraw.mpesaPin': (c, f) => `Enter PIN to withdraw ${f.kes(c.amountCents)} to M-PESA`,
    'withdraw.agentNumber': () => 'Withdraw Cash\nEnter agent number',
    'withdraw.store': (c) => `Agent ${w(c)?.agentNumber}\nEnter store number`,
    'withdraw.amount': (c, f) => `Withdraw from ${name(c, f)} store ${w(c)?.storeNumber}\nEnter amount (KES)`,
    'withdraw.confirm': (c, f) =>
      `Withdraw ${f.kes(c.amountCents)} from agent ${w(c)?.agentNumber} ${name(c, f)} store ${w(c)?.storeNumber}?\nCharge ${f.kes(c.chargeCents)}\n1 Confirm`,
    'withdraw.pin': (c, f) => `Enter PIN to withdraw ${f.kes(c.amountCents)} from ${name(c, f)}`,
  },
  finals: {
    withdrawn: (c, f) => {
      const r = c.withdrawalReceipt;
      return `${r?.code} Confirmed. Withdraw ${f.kes(r?.amountCents)} from ${f.name(r?.agentName)} store ${r?.storeNumber}. ` +
        `Charge ${f.kes(r?.chargeCents)}. New balance ${f.kes(r?.balanceCents)}.`;
    },
    withdrawInsufficientFunds: (c, f) =>
      `Failed. You do not have enough money to withdraw ${f.kes(c.amountCents)} plus charge ${f.kes(c.chargeCents)}. Nothing was withdrawn.`,
    agentUnavailable: () => 'This agent is suspended and cannot pay out cash. Please use another agent.',
    mpesaWithdrawalRequested: (c, f) => {
      const r = c.mpesaWithdrawal;
      return `You will receive ${f.kes(r?.amountCents)} on M-PESA shortly. Ref ${r?.code}. Charge ${f.kes(r?.chargeCents)}. New balance ${f.kes(r?.balanceCents)}.`;
    },
  },
  errors: {
    'withdraw.invalidAgent': () => 'An agent number is 6 digits.',
    'withdraw.invalidStore': () => 'A store number is 1 to 6 digits.',
    'withdraw.noAgent': () => 'No agent with that number.',
    'withdraw.noStore': (p) => `That agent has no store ${p.store}.`,
    'withdraw.ownAgent': () => 'You cannot withdraw from your own agent number.',
    'withdraw.limit.min_amount': (p, f) => `The least you can withdraw is ${f.kes(String(p.limitCents))}.`,
    'withdraw.limit.per_transaction': (p, f) => `The most you can withdraw at once is ${f.kes(String(p.limitCents))}.`,
  },
};

const sw: CataloguePart = {
  screens: {
    'withdraw.choose': () => 'Toa Pesa\n1 Kwa wakala\n2 Kwenda M-PESA',
    'withdraw.mpesaAmount': (c, f) => `Toa kwenda M-PESA ${f.phone(c.msisdn)}\nWeka kiasi (KES)`,
    'withdraw.mpesaConfirm': (c, f) => `Toa ${f.kes(c.amountCents)} kwenda M-PESA ${f.phone(c.msisdn)}?\nAda ${f.kes(c.chargeCents)}\n1 Thibitisha`,
    'withdraw.mpesaPin': (c, f) => `Weka PIN kutoa ${f.kes(c.amountCents)} kwenda M-PESA`,
    'withdraw.agentNumber': () => 'Toa Pesa\nWeka nambari ya wakala',
    'withdraw.store': (c) => `Wakala ${w(c)?.agentNumber}\nWeka nambari ya duka`,
    'withdraw.amount': (c, f) => `Toa kwa ${name(c, f)} duka ${w(c)?.storeNumber}\nWeka kiasi (KES)`,
    'withdraw.confirm': (c, f) =>
      `Toa ${f.kes(c.amountCents)} kwa wakala ${w(c)?.agentNumber} ${name(c, f)} duka ${w(c)?.storeNumber}?\nAda ${f.kes(c.chargeCents)}\n1 Thibitisha`,
    'withdraw.pin': (c, f) => `Weka PIN kutoa ${f.kes(c.amountCents)} kwa ${name(c, f)}`,
  },
  finals: {
    withdrawn: (c, f) => {
      const r = c.withdrawalReceipt;
      return `${r?.code} Imethibitishwa. Umetoa ${f.kes(r?.amountCents)} kwa ${f.name(r?.agentName)} duka ${r?.storeNumber}. ` +
        `Ada ${f.kes(r?.chargeCents)}. Salio jipya ${f.kes(r?.balanceCents)}.`;
    },
    withdrawInsufficientFunds: (c, f) =>
      `Imeshindikana. Huna pesa za kutosha kutoa ${f.kes(c.amountCents)} pamoja na ada ${f.kes(c.chargeCents)}. Hakuna kilichotolewa.`,
    agentUnavailable: () => 'Wakala huyu amesimamishwa na hawezi kutoa pesa. Tafadhali tumia wakala mwingine.',
    mpesaWithdrawalRequested: (c, f) => {
      const r = c.mpesaWithdrawal;
      return `Utapokea ${f.kes(r?.amountCents)} kwenye M-PESA hivi karibuni. Kumb. ${r?.code}. Ada ${f.kes(r?.chargeCents)}. Salio jipya ${f.kes(r?.balanceCents)}.`;
    },
  },
  errors: {
    'withdraw.invalidAgent': () => 'Nambari ya wakala ni tarakimu 6.',
    'withdraw.invalidStore': () => 'Nambari ya duka ni tarakimu 1 hadi 6.',
    'withdraw.noAgent': () => 'Hakuna wakala mwenye nambari hiyo.',
    'withdraw.noStore': (p) => `Wakala huyo hana duka ${p.store}.`,
    'withdraw.ownAgent': () => 'Huwezi kutoa pesa kwa nambari yako ya wakala.',
    'withdraw.limit.min_amount': (p, f) => `Kiwango cha chini cha kutoa ni ${f.kes(String(p.limitCents))}.`,
    'withdraw.limit.per_transaction': (p, f) => `Kiwango cha juu cha kutoa kwa mara moja ni ${f.kes(String(p.limitCents))}.`,
  },
};

export const withdrawWords: { en: CataloguePart; sw: CataloguePart } = { en, sw };
