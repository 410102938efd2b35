/**
 * The words of Chama's member screens (list, menu, Contribute, My standing, Group
 * balance, Next payout, Loans, Leave), per language (merged into the catalogues by
 * render.ts). Each screen fits 182 GSM-7 characters with 24-character names, 9-digit
 * amounts and an error line above (test/menus-graph.test.ts). The officials' screens and
 * the refusals are in ./chama-officials.ts.
 */
import type { CataloguePart, Formatters } from '../catalogue.js';
import type { MenuContext } from '../../types.js';
import type { ChamaLoanReason, ChamaRoleView } from '../../chama-actors.js';
import { hasMore, pageOf } from '../../chama-list.js';

/** Names in lists and headings are cut to this many characters. */
export const CHAMA_NAME = 20;

const ch = (c: MenuContext) => c.chama;
/** The chama picked, its name cut to `n`. */
export const chamaName = (c: MenuContext, n = CHAMA_NAME) => (ch(c)?.picked?.name ?? '').slice(0, n).trim();
const positive = (cents: string | undefined) => BigInt(cents ?? '0') > 0n;
/** An amount without `KES `. */
export const bare = (cents: string | undefined, f: Formatters) => f.kes(cents).replace('KES ', '');

/** A page of a list: `title`, the numbered items of the page, `more` when pages follow. */
export function listScreen<T>(title: string, items: T[] | undefined, page: number | undefined, line: (item: T) => string, more: string, extra = ''): string {
  const lines = pageOf(items, page).map((item, i) => `${i + 1} ${line(item)}`);
  return [title, ...lines, extra, hasMore(items, page) ? more : ''].filter(Boolean).join('\n');
}

/** Role names per language. */
export const ROLES: Record<'en' | 'sw', Record<ChamaRoleView, string>> = {
  en: { chairperson: 'Chairperson', treasurer: 'Treasurer', secretary: 'Secretary', member: 'Member' },
  sw: { chairperson: 'Mwenyekiti', treasurer: 'Mweka hazina', secretary: 'Katibu', member: 'Mwanachama' },
};

const official = (c: MenuContext) => (ch(c)?.picked?.role ?? 'member') !== 'member';

interface Words {
  title: string;
  more: string;
  items: string;
  officialItems: string;
  dueLines: (c: MenuContext, f: Formatters) => string;
  aheadLine: string;
  notInChama: string;
}

const enW: Words = {
  title: 'My chamas',
  more: '98 More',
  items: '1 Contribute\n2 My standing\n3 Group balance\n4 Next payout\n5 Loans\n6 Leave chama',
  officialItems: '\n7 Members\n8 Approve payouts\n9 Approve requests',
  dueLines: (c, f) => {
    const d = ch(c)?.dues;
    return `Due ${f.kes(d?.dueCents)}\nFines ${bare(d?.finesCents, f)} Arrears ${bare(d?.arrearsCents, f)}\nThis cycle ${bare(d?.currentCents, f)}\n1 Pay all due\nOr enter amount (KES)`;
  },
  aheadLine: 'Nothing is due now.\nEnter an amount to pay ahead (KES)',
  notInChama: 'You are not in a chama. Ask your chama\'s chairperson to add your number.',
};

const swW: Words = {
  title: 'Vikundi vyangu',
  more: '98 Zaidi',
  items: '1 Changia\n2 Hali yangu\n3 Salio la kikundi\n4 Mgao ujao\n5 Mikopo\n6 Ondoka',
  officialItems: '\n7 Wanachama\n8 Idhinisha mgao\n9 Idhinisha maombi',
  dueLines: (c, f) => {
    const d = ch(c)?.dues;
    return `Unadaiwa ${f.kes(d?.dueCents)}\nFaini ${bare(d?.finesCents, f)} Madeni ${bare(d?.arrearsCents, f)}\nMzunguko huu ${bare(d?.currentCents, f)}\n1 Lipa yote\nAu weka kiasi (KES)`;
  },
  aheadLine: 'Hakuna deni sasa.\nWeka kiasi cha kulipa mapema (KES)',
  notInChama: 'Huko kwenye kikundi chochote. Mwombe mwenyekiti wa kikundi chako aongeze nambari yako.',
};

/** Why the group lends nothing to the caller now. */
type LoanRefusals = Record<Exclude<ChamaLoanReason, 'ok'>, string>;
const enLoan: LoanRefusals = {
  no_loans: 'Your chama does not give loans on Simu.',
  open_loan: 'You already have a group loan or a request open. Repay it (Loans > 3 Repay) to borrow again.',
  no_savings: 'You have no savings in the group yet. Contribute first: you can borrow a multiple of your savings.',
  group_funds: 'The group\'s savings are too low to lend now. Try again after members contribute.',
  below_minimum: 'Your limit is below the smallest loan. Save more in the group to borrow.',
};
const swLoan: LoanRefusals = {
  no_loans: 'Kikundi chako hakitoi mikopo kwenye Simu.',
  open_loan: 'Tayari una mkopo au ombi la mkopo kikundini. Lipa (Mikopo > 3 Lipa) ili ukope tena.',
  no_savings: 'Bado huna akiba kikundini. Changia kwanza: unaweza kukopa mara kadhaa ya akiba yako.',
  group_funds: 'Akiba ya kikundi ni ndogo mno kukopesha sasa. Jaribu tena wanachama wakichangia.',
  below_minimum: 'Kikomo chako ni chini ya mkopo mdogo kabisa. Weka akiba zaidi kikundini ili ukope.',
};

function part(w: Words, lang: 'en' | 'sw', loan: LoanRefusals, t: Record<string, (c: MenuContext, f: Formatters) => string>): CataloguePart {
  return {
    screens: {
      'chama.list': (c) => listScreen(w.title, ch(c)?.list, c.chamaPage, (i) => i.name.slice(0, CHAMA_NAME), w.more),
      'chama.menu': (c) => `${chamaName(c, 18)}\n${w.items}${official(c) ? w.officialItems : ''}`,
      'chama.contributeAmount': (c, f) => (positive(ch(c)?.dues?.dueCents) ? w.dueLines(c, f) : w.aheadLine),
      'chama.loansMenu': t.loansMenu,
      'chama.loanAmount': t.loanAmount,
      'chama.guarantor': t.guarantor,
      'chama.loanConfirm': t.loanConfirm,
      'chama.guarantees': (c, f) => listScreen(t.guaranteesTitle(c, f), ch(c)?.requests, c.chamaPage, (r) => `${r.name.slice(0, 14)} ${bare(r.amountCents, f)}`, w.more),
      'chama.groupLoans': (c, f) => listScreen(t.groupLoansTitle(c, f), ch(c)?.loans, c.chamaPage, (l) => f.kes(l.outstandingCents), w.more),
      ...Object.fromEntries(['contributeConfirm', 'contributePin', 'loanPin', 'guaranteeReview', 'guaranteePin', 'groupRepayAmount', 'groupRepayPin', 'leaveConfirm', 'leavePin']
        .map((k) => [`chama.${k}`, t[k]])),
    },
    finals: {
      notInChama: () => w.notInChama,
      chamaNoLoanLimit: (c) => loan[(ch(c)?.limit?.reason ?? 'no_loans') as Exclude<ChamaLoanReason, 'ok'>] ?? loan.no_loans,
      ...Object.fromEntries(['chamaContributed', 'chamaStandingShown', 'chamaBalanceShown', 'chamaPayoutShown', 'chamaLoanRequested', 'chamaNoGuarantees',
        'chamaGuaranteeDecided', 'chamaNoGroupLoan', 'chamaLeaveRequested'].map((k) => [k, t[k]])),
    },
    errors: lang === 'en'
      ? {
        'chama.overMax': () => 'That is more than you can pay now.',
        'chama.loanRange': () => 'Enter an amount within your limit.',
        'chama.selfGuarantor': () => 'You cannot guarantee yourself.',
        'chama.sameGuarantor': () => 'Name a different member.',
        'chama.overPayoff': () => 'That is more than you owe.',
      }
      : {
        'chama.overMax': () => 'Ni zaidi ya unachoweza kulipa sasa.',
        'chama.loanRange': () => 'Weka kiasi kilicho ndani ya kikomo.',
        'chama.selfGuarantor': () => 'Huwezi kujidhamini.',
        'chama.sameGuarantor': () => 'Taja mwanachama mwingine.',
        'chama.overPayoff': () => 'Ni zaidi ya deni lako.',
      },
  };
}

const roles = (lang: 'en' | 'sw', rs: ChamaRoleView[] | undefined, and: string) => (rs ?? []).map((r) => ROLES[lang][r]).join(and);
const phones = (c: MenuContext, f: Formatters) => (ch(c)?.guarantors ?? []).map((m) => f.phone(m)).join(', ');

const en = part(enW, 'en', enLoan, {
  contributeConfirm: (c, f) => `Pay ${f.kes(c.amountCents)} to ${chamaName(c, 24)}?\n1 Confirm`,
  contributePin: (c, f) => `Enter PIN to pay ${f.kes(c.amountCents)} to ${chamaName(c, 24)}`,
  chamaContributed: (c, f) => {
    const r = c.chamaReceipt;
    const fines = positive(r?.finesPaidCents) ? ` Fines paid ${f.kes(r?.finesPaidCents)}.` : '';
    return `${r?.code} Confirmed. ${f.kes(r?.amountCents)} paid to ${chamaName(c, 24)}.${fines} Still due ${f.kes(r?.stillDueCents)}. Savings ${f.kes(r?.savedCents)}. Balance ${f.kes(r?.walletBalanceCents)}.`;
  },
  chamaStandingShown: (c, f) => {
    const s = c.chamaStanding;
    return `${chamaName(c)} (KES)\nPaid this cycle ${bare(s?.paidThisCycleCents, f)}\nArrears ${bare(s?.arrearsCents, f)}\nFines ${bare(s?.finesCents, f)}\nSaved ${bare(s?.savedCents, f)}\nLoans ${bare(s?.loansCents, f)}\nGuaranteeing ${s?.guarantees ?? 0}: ${bare(s?.guaranteedCents, f)}`;
  },
  chamaBalanceShown: (c, f) => {
    const b = c.chamaBalance;
    return `${chamaName(c, 24)}\nSavings ${f.kes(b?.savingsCents)}\nPayout pot ${f.kes(b?.potCents)}\nLoans out ${f.kes(b?.loansOutCents)}\nThis cycle ${f.kes(b?.collectedCents)} of ${f.kes(b?.expectedCents)}`;
  },
  chamaPayoutShown: (c, f) => {
    const p = ch(c)?.payout;
    const waiting = p && (p.started || p.payable) && p.waiting.length ? ` Waiting for approvals: ${roles('en', p.waiting, ', ')}.` : '';
    return `Next payout (cycle ${p?.cycleNo}): ${f.name(p?.recipient)} on ${p?.dueOn}. ${f.kes(p?.amountCents)} collected for it so far.${waiting}`;
  },
  loansMenu: () => 'Group loans\n1 Apply\n2 Guarantee requests\n3 Repay',
  loanAmount: (c, f) => {
    const l = ch(c)?.limit;
    return `Borrow from ${chamaName(c)}\nYour limit ${f.kes(l?.maxCents)}\nEnter amount (KES ${bare(l?.minCents, f)} - ${bare(l?.maxCents, f)})`;
  },
  guarantor: (c) => `Guarantor ${(ch(c)?.guarantors?.length ?? 0) + 1} of ${ch(c)?.limit?.guarantors ?? 0}\nEnter a member's phone number`,
  loanConfirm: (c, f) => `Borrow ${f.kes(c.amountCents)} from ${chamaName(c)}${phones(c, f) ? `\nGuarantors ${phones(c, f)}` : ''}\n1 Confirm`,
  loanPin: (c, f) => `Enter PIN to ask for a loan of ${f.kes(c.amountCents)}`,
  chamaLoanRequested: (c, f) => ((ch(c)?.guarantors?.length ?? 0) > 0
    ? `Request for ${f.kes(c.amountCents)} sent to your guarantors. When they accept, the treasurer approves it and you get an SMS.`
    : `Request for ${f.kes(c.amountCents)} sent to the treasurer. You will get an SMS when it is approved.`),
  guaranteesTitle: () => 'Guarantee requests (KES)',
  guaranteeReview: (c, f) => `${f.name(ch(c)?.request?.name)} asks you to guarantee a loan of ${f.kes(ch(c)?.request?.amountCents)}\n1 Accept\n2 Decline`,
  guaranteePin: (c, f) => `Enter PIN to guarantee ${f.kes(ch(c)?.request?.amountCents)} for ${f.name(ch(c)?.request?.name)}`,
  chamaNoGuarantees: () => 'No one has asked you to guarantee a loan.',
  chamaGuaranteeDecided: (c) => (ch(c)?.approve ? 'You have accepted. The loan goes to the treasurer when every guarantor accepts.' : 'You have declined. The member will get an SMS.'),
  groupLoansTitle: () => 'Pick a loan',
  groupRepayAmount: (c, f) => `Repay group loan\nYou owe ${f.kes(ch(c)?.loan?.payoffCents)}\nEnter amount, or 1 for all`,
  groupRepayPin: (c, f) => `Enter PIN to repay ${f.kes(c.amountCents)} of your group loan`,
  chamaNoGroupLoan: () => 'You have no group loan to repay.',
  leaveConfirm: (c, f) => {
    const e = ch(c)?.exit;
    return `Leave ${chamaName(c)}?\nSavings ${f.kes(e?.savingsCents)}\nLess fines ${f.kes(e?.finesCents)}\nYou get ${f.kes(e?.amountCents)}\n1 Confirm`;
  },
  leavePin: () => 'Enter PIN to ask to leave',
  chamaLeaveRequested: (c, f) => `Your request to leave is with the officials. When two of them approve, ${f.kes(ch(c)?.exit?.amountCents)} goes to your Simu wallet.`,
});

const sw = part(swW, 'sw', swLoan, {
  contributeConfirm: (c, f) => `Lipa ${f.kes(c.amountCents)} kwa ${chamaName(c, 24)}?\n1 Thibitisha`,
  contributePin: (c, f) => `Weka PIN kulipa ${f.kes(c.amountCents)} kwa ${chamaName(c, 24)}`,
  chamaContributed: (c, f) => {
    const r = c.chamaReceipt;
    const fines = positive(r?.finesPaidCents) ? ` Faini ${f.kes(r?.finesPaidCents)}.` : '';
    return `${r?.code} Imethibitishwa. ${f.kes(r?.amountCents)} kwa ${chamaName(c, 24)}.${fines} Deni ${f.kes(r?.stillDueCents)}. Akiba ${f.kes(r?.savedCents)}. Salio ${f.kes(r?.walletBalanceCents)}.`;
  },
  chamaStandingShown: (c, f) => {
    const s = c.chamaStanding;
    return `${chamaName(c)} (KES)\nMzunguko huu ${bare(s?.paidThisCycleCents, f)}\nMadeni ${bare(s?.arrearsCents, f)}\nFaini ${bare(s?.finesCents, f)}\nAkiba ${bare(s?.savedCents, f)}\nMikopo ${bare(s?.loansCents, f)}\nUdhamini ${s?.guarantees ?? 0}: ${bare(s?.guaranteedCents, f)}`;
  },
  chamaBalanceShown: (c, f) => {
    const b = c.chamaBalance;
    return `${chamaName(c, 24)}\nAkiba ${f.kes(b?.savingsCents)}\nMgao ${f.kes(b?.potCents)}\nMikopo ${f.kes(b?.loansOutCents)}\nMzunguko huu ${f.kes(b?.collectedCents)} kati ya ${f.kes(b?.expectedCents)}`;
  },
  chamaPayoutShown: (c, f) => {
    const p = ch(c)?.payout;
    const waiting = p && (p.started || p.payable) && p.waiting.length ? ` Unasubiri idhini ya: ${roles('sw', p.waiting, ', ')}.` : '';
    return `Mgao ujao (mzunguko ${p?.cycleNo}): ${f.name(p?.recipient)} tarehe ${p?.dueOn}. ${f.kes(p?.amountCents)} zimekusanywa hadi sasa.${waiting}`;
  },
  loansMenu: () => 'Mikopo ya kikundi\n1 Omba\n2 Maombi ya udhamini\n3 Lipa',
  loanAmount: (c, f) => {
    const l = ch(c)?.limit;
    return `Kopa kutoka ${chamaName(c)}\nKikomo chako ${f.kes(l?.maxCents)}\nWeka kiasi (KES ${bare(l?.minCents, f)} - ${bare(l?.maxCents, f)})`;
  },
  guarantor: (c) => `Mdhamini ${(ch(c)?.guarantors?.length ?? 0) + 1} kati ya ${ch(c)?.limit?.guarantors ?? 0}\nWeka nambari ya simu ya mwanachama`,
  loanConfirm: (c, f) => `Kopa ${f.kes(c.amountCents)} kutoka ${chamaName(c)}${phones(c, f) ? `\nWadhamini ${phones(c, f)}` : ''}\n1 Thibitisha`,
  loanPin: (c, f) => `Weka PIN kuomba mkopo wa ${f.kes(c.amountCents)}`,
  chamaLoanRequested: (c, f) => ((ch(c)?.guarantors?.length ?? 0) > 0
    ? `Ombi la ${f.kes(c.amountCents)} limetumwa kwa wadhamini wako. Wakikubali, mweka hazina ataidhinisha na utapata SMS.`
    : `Ombi la ${f.kes(c.amountCents)} limetumwa kwa mweka hazina. Utapata SMS likiidhinishwa.`),
  guaranteesTitle: () => 'Maombi ya udhamini (KES)',
  guaranteeReview: (c, f) => `${f.name(ch(c)?.request?.name)} anakuomba udhamini wa mkopo wa ${f.kes(ch(c)?.request?.amountCents)}\n1 Kubali\n2 Kataa`,
  guaranteePin: (c, f) => `Weka PIN kudhamini ${f.kes(ch(c)?.request?.amountCents)} za ${f.name(ch(c)?.request?.name)}`,
  chamaNoGuarantees: () => 'Hakuna aliyekuomba udhamini wa mkopo.',
  chamaGuaranteeDecided: (c) => (ch(c)?.approve ? 'Umekubali. Mkopo utaenda kwa mweka hazina wadhamini wote wakikubali.' : 'Umekataa. Mwanachama atapata SMS.'),
  groupLoansTitle: () => 'Chagua mkopo',
  groupRepayAmount: (c, f) => `Lipa mkopo wa kikundi\nUnadaiwa ${f.kes(ch(c)?.loan?.payoffCents)}\nWeka kiasi, au 1 kulipa wote`,
  groupRepayPin: (c, f) => `Weka PIN kulipa ${f.kes(c.amountCents)} za mkopo wa kikundi`,
  chamaNoGroupLoan: () => 'Huna mkopo wa kikundi wa kulipa.',
  leaveConfirm: (c, f) => {
    const e = ch(c)?.exit;
    return `Ondoka ${chamaName(c)}?\nAkiba ${f.kes(e?.savingsCents)}\nToa faini ${f.kes(e?.finesCents)}\nUtapata ${f.kes(e?.amountCents)}\n1 Thibitisha`;
  },
  leavePin: () => 'Weka PIN kuomba kuondoka',
  chamaLeaveRequested: (c, f) => `Ombi lako la kuondoka liko kwa viongozi. Wawili wakiidhinisha, ${f.kes(ch(c)?.exit?.amountCents)} zitatumwa kwenye Simu yako.`,
});

/** Chama's member screens in English and Kiswahili. */
export const chamaWords: { en: CataloguePart; sw: CataloguePart } = { en, sw };
