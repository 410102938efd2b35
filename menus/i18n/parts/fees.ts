/**
 * The words of School Fees, per language (merged into the catalogues by render.ts). Each
 * screen fits 182 GSM-7 characters with four 20-character list names, 24-character school
 * and student names, a 20-character admission number and 9-digit amounts, with an error
 * line above (test/menus-graph.test.ts).
 */
import type { CataloguePart, Formatters } from '../catalogue.js';
import type { MenuContext } from '../../types.js';

/** List items are cut to this many characters, so four of them fit with the title, the last choice and an error line. */
const LIST_NAME = 20;

/** `1 Name` lines, then `n+1 <other>`. */
function list(items: Array<{ name: string }> | undefined, other: string): string {
  const lines = (items ?? []).map((it, i) => `${i + 1} ${it.name.slice(0, LIST_NAME)}`);
  return [...lines, `${lines.length + 1} ${other}`].join('\n');
}

const st = (c: MenuContext) => c.fees?.statement;
const school = (c: MenuContext, f: Formatters) => f.name(c.fees?.school?.name ?? st(c)?.schoolName);
/** The student's line: name cut so that name and admission number take at most WHO_WIDTH characters. */
const WHO_WIDTH = 26;
function who(c: MenuContext, f: Formatters): string {
  const adm = st(c)?.admissionNo ?? '';
  return `${f.name(st(c)?.name).slice(0, Math.max(8, WHO_WIDTH - 1 - adm.length)).trim()} ${adm}`;
}
/** An amount without `KES ` (the statement says KES once). */
const bare = (cents: string | undefined, f: Formatters) => f.kes(cents).replace('KES ', '');
/** The term line of the statement: at most 18 characters of the term name, then `(KES)`. */
const termLine = (c: MenuContext, none: string) => `${(st(c)?.termName ?? none).slice(0, 18)} (KES)`;
/** `Balance KES 1,000` when owed, `Credit KES 500` when overpaid (words per language). */
function owed(cents: string | undefined, f: Formatters, balance: string, credit: string, noKes = false): string {
  const value = BigInt(cents ?? '0');
  const amount = (v: bigint) => (noKes ? bare(v.toString(), f) : f.kes(v.toString()));
  return value < 0n ? `${credit} ${amount(-value)}` : `${balance} ${amount(value)}`;
}

const en: CataloguePart = {
  screens: {
    'fees.school': (c) => `School Fees\n${list(c.fees?.schools, 'Enter paybill number')}`,
    'fees.paybill': () => 'School Fees\nEnter the school\'s paybill number',
    'fees.student': (c) => `Pick a student\n${list(c.fees?.students, 'Enter admission number')}`,
    'fees.admission': (c, f) => `${school(c, f)}\nEnter admission number`,
    'fees.statement': (c, f) => {
      const s = st(c);
      return `${who(c, f)}\n${termLine(c, 'No invoice yet')}\nInvoiced ${bare(s?.invoicedCents, f)}\nPaid ${bare(s?.paidCents, f)}\n` +
        `${owed(s?.balanceCents, f, 'Balance', 'Credit', true)}\n1 Pay from wallet\n2 Pay by M-PESA`;
    },
    'fees.walletAmount': (c, f) => `Pay fees for ${who(c, f)} from your Simu wallet\nEnter amount (KES)`,
    'fees.confirm': (c, f) => `Pay ${f.kes(c.amountCents)} school fees to ${f.name(st(c)?.schoolName)} for ${who(c, f)}?\nNo charge\n1 Confirm`,
    'fees.pin': (c, f) => `Enter PIN to pay ${f.kes(c.amountCents)} to ${f.name(st(c)?.schoolName)}`,
    'fees.mpesaAmount': (c, f) => `Pay fees for ${who(c, f)} with M-PESA\nEnter amount (KES 10 - 150,000)`,
  },
  finals: {
    feesPaid: (c, f) => {
      const r = c.feeReceipt;
      return `${r?.code} Confirmed. ${f.kes(r?.amountCents)} paid to ${f.name(r?.schoolName)} for ${f.name(r?.studentName)}. ` +
        `Fee ${owed(r?.feeBalanceCents, f, 'balance', 'credit')}. Wallet balance ${f.kes(r?.walletBalanceCents)}.`;
    },
    feesInsufficientFunds: (c, f) => `Failed. You do not have enough money in your Simu wallet to pay ${f.kes(c.amountCents)}. Nothing was paid.`,
    feesMpesaRequested: (c, f) =>
      `You will receive an M-PESA prompt on your phone. Enter your M-PESA PIN to pay ${f.kes(c.amountCents)} for ${who(c, f)}.`,
    feesMpesaUnavailable: () => 'Sorry, paying with M-PESA is not available on Simu right now. Nothing was charged. Please pay from your Simu wallet or try again later.',
    feesSchoolUnavailable: () => 'This school cannot take payments on Simu right now. Nothing was paid. Please contact the school.',
  },
  errors: {
    'fees.invalidPaybill': () => 'A paybill number is 5 to 7 digits.',
    'fees.noSchool': () => 'No school on Simu has that paybill.',
    'fees.schoolInactive': () => 'That school cannot take payments now.',
    'fees.invalidAdmission': () => 'Use letters and digits only.',
    'fees.noStudent': (p) => `No student ${String(p.admissionNo).slice(0, 20)} at this school.`,
    'fees.mpesaRange': () => 'With M-PESA you can pay KES 10 to KES 150,000.',
  },
};

const sw: CataloguePart = {
  screens: {
    'fees.school': (c) => `Ada za Shule\n${list(c.fees?.schools, 'Weka nambari ya paybill')}`,
    'fees.paybill': () => 'Ada za Shule\nWeka nambari ya paybill ya shule',
    'fees.student': (c) => `Chagua mwanafunzi\n${list(c.fees?.students, 'Weka nambari ya usajili')}`,
    'fees.admission': (c, f) => `${school(c, f)}\nWeka nambari ya usajili`,
    'fees.statement': (c, f) => {
      const s = st(c);
      return `${who(c, f)}\n${termLine(c, 'Hakuna ankara')}\nAnkara ${bare(s?.invoicedCents, f)}\nLipwa ${bare(s?.paidCents, f)}\n` +
        `${owed(s?.balanceCents, f, 'Deni', 'Ziada', true)}\n1 Lipa kwa Simu\n2 Lipa kwa M-PESA`;
    },
    'fees.walletAmount': (c, f) => `Lipa ada ya ${who(c, f)} kutoka Simu\nWeka kiasi (KES)`,
    'fees.confirm': (c, f) => `Lipa ${f.kes(c.amountCents)} ada kwa ${f.name(st(c)?.schoolName)} kwa ${who(c, f)}?\nHakuna ada ya huduma\n1 Thibitisha`,
    'fees.pin': (c, f) => `Weka PIN kulipa ${f.kes(c.amountCents)} kwa ${f.name(st(c)?.schoolName)}`,
    'fees.mpesaAmount': (c, f) => `Lipa ada ya ${who(c, f)} kwa M-PESA\nWeka kiasi (KES 10 - 150,000)`,
  },
  finals: {
    feesPaid: (c, f) => {
      const r = c.feeReceipt;
      return `${r?.code} Imethibitishwa. ${f.kes(r?.amountCents)} zimelipwa ${f.name(r?.schoolName)} kwa ${f.name(r?.studentName)}. ` +
        `${owed(r?.feeBalanceCents, f, 'Salio la karo', 'Salio la ziada')}. Salio la Simu ${f.kes(r?.walletBalanceCents)}.`;
    },
    feesInsufficientFunds: (c, f) => `Imeshindikana. Huna pesa za kutosha kwenye Simu kulipa ${f.kes(c.amountCents)}. Hakuna kilicholipwa.`,
    feesMpesaRequested: (c, f) =>
      `Utapokea ombi la M-PESA kwenye simu yako. Weka PIN yako ya M-PESA kulipa ${f.kes(c.amountCents)} kwa ${who(c, f)}.`,
    feesMpesaUnavailable: () => 'Samahani, kulipa kwa M-PESA hakupatikani kwenye Simu sasa. Hujatozwa chochote. Tafadhali lipa kutoka Simu au jaribu tena baadaye.',
    feesSchoolUnavailable: () => 'Shule hii haiwezi kupokea malipo kwenye Simu sasa. Hakuna kilicholipwa. Tafadhali wasiliana na shule.',
  },
  errors: {
    'fees.invalidPaybill': () => 'Nambari ya paybill ni tarakimu 5 hadi 7.',
    'fees.noSchool': () => 'Hakuna shule kwenye Simu yenye paybill hiyo.',
    'fees.schoolInactive': () => 'Shule hiyo haiwezi kupokea malipo sasa.',
    'fees.invalidAdmission': () => 'Tumia herufi na tarakimu pekee.',
    'fees.noStudent': (p) => `Hakuna mwanafunzi ${String(p.admissionNo).slice(0, 20)} katika shule hii.`,
    'fees.mpesaRange': () => 'Kwa M-PESA unaweza kulipa KES 10 hadi KES 150,000.',
  },
};

export const feesWords: { en: CataloguePart; sw: CataloguePart } = { en, sw };
