/**
 * The words of Chama's officials' screens (Approve payouts, Members, Approve requests) and
 * of every refusal (`chamaRefused`, worded per failure code), per language. Each screen fits
 * 182 GSM-7 characters with 24-character names and 9-digit amounts (8-digit in lists).
 */
import type { CataloguePart, Formatters } from '../catalogue.js';
import type { MenuContext } from '../../types.js';
import type { ChamaRequestView } from '../../chama-actors.js';
import { CHAMA_NAME, ROLES, bare, chamaName, listScreen } from './chama.js';

const ch = (c: MenuContext) => c.chama;
/** A name cut to `n`. */
const cut = (name: string | undefined, n: number) => (name ?? '').slice(0, n).trim();

type Texts = Record<string, (c: MenuContext, f: Formatters) => string>;

/** Refusals by failure code; `failed` for anything else. */
function refusal(texts: Texts, failed: string) {
  return (c: MenuContext, f: Formatters) => texts[c.failure?.code ?? '']?.(c, f) ?? failed;
}

const enRefusals: Texts = {
  contribution_too_large: (c, f) => `Sorry, you can pay at most ${f.kes(c.failure?.maxCents)} now (what is due and 12 cycles ahead). Nothing was paid.`,
  insufficient_funds: (c, f) => `Failed. You do not have enough money in your Simu wallet for ${f.kes(c.amountCents)}. Nothing was paid.`,
  not_an_official: () => 'Sorry, this needs a different official: the chairperson and the treasurer (or the secretary for one of them), never the member concerned.',
  already_approved: () => 'You have approved this already. It is waiting for the other official.',
  not_due: (c) => `This payout is not due yet. Officials can approve it from ${ch(c)?.payout?.dueOn ?? 'its due day'}.`,
  nothing_to_pay: () => 'Nothing has been collected for this payout yet. Members must contribute first.',
  payout_changed: () => 'The payout changed while you were approving. Dial again to see it.',
  nothing_to_override: () => 'No member was skipped for this payout.',
  limit_exceeded: () => 'The recipient\'s Simu wallet cannot hold this payout. Nothing was paid.',
  chama_loan_limit: (c, f) => `Sorry, you can borrow at most ${f.kes(c.failure?.maxCents)} from the group now. Nothing was requested.`,
  loan_outstanding: () => 'You cannot leave while you owe a group loan. Repay it first: Loans > 3 Repay.',
  guaranteeing: () => 'You cannot leave while you guarantee a loan that is not repaid.',
  fines_exceed_savings: () => 'Your fines are more than your savings. Pay your fines first: 1 Contribute.',
  office_taken: () => 'Another member holds that office. Change their role to Member first.',
  already_a_member: () => 'That number is already a member of this chama.',
  not_a_member: () => 'That number is not a member of this chama. Guarantors must be members.',
  not_active: () => 'That member has left the chama.',
  recipient_not_found: () => 'That number is not registered with Simu. Ask them to register first.',
  validation_failed: () => 'Check the numbers: guarantors must be different members of the chama, not you.',
  chama_inactive: () => 'This chama is suspended. Please call Simu care on 100.',
  exit_not_pending: () => 'This request is no longer waiting for approval.',
  not_awaiting: () => 'This loan is no longer waiting for approval.',
  not_asked: () => 'This request is no longer waiting for you.',
  loan_status: () => 'This loan is already repaid.',
  loan_overpayment: () => 'That is more than you owe on the loan. Nothing was paid.',
};

const swRefusals: Texts = {
  contribution_too_large: (c, f) => `Samahani, unaweza kulipa hadi ${f.kes(c.failure?.maxCents)} sasa (deni na mizunguko 12 ijayo). Hakuna kilicholipwa.`,
  insufficient_funds: (c, f) => `Imeshindikana. Huna pesa za kutosha kwenye Simu kulipa ${f.kes(c.amountCents)}. Hakuna kilicholipwa.`,
  not_an_official: () => 'Samahani, hii inahitaji kiongozi mwingine: mwenyekiti na mweka hazina (au katibu kwa mmoja wao), si mwanachama anayehusika.',
  already_approved: () => 'Tayari umeidhinisha hii. Inasubiri kiongozi mwingine.',
  not_due: (c) => `Mgao huu bado haujafika. Viongozi wanaweza kuuidhinisha kuanzia ${ch(c)?.payout?.dueOn ?? 'siku yake'}.`,
  nothing_to_pay: () => 'Bado hakuna kilichokusanywa kwa mgao huu. Wanachama wachangie kwanza.',
  payout_changed: () => 'Mgao umebadilika ulipokuwa ukiidhinisha. Piga tena kuuona.',
  nothing_to_override: () => 'Hakuna mwanachama aliyerukwa kwa mgao huu.',
  limit_exceeded: () => 'Simu ya mpokeaji haiwezi kupokea mgao huu. Hakuna kilicholipwa.',
  chama_loan_limit: (c, f) => `Samahani, unaweza kukopa hadi ${f.kes(c.failure?.maxCents)} kutoka kikundi sasa. Hakuna ombi lililotumwa.`,
  loan_outstanding: () => 'Huwezi kuondoka ukiwa na deni la mkopo wa kikundi. Lipa kwanza: Mikopo > 3 Lipa.',
  guaranteeing: () => 'Huwezi kuondoka ukiwa mdhamini wa mkopo ambao haujalipwa.',
  fines_exceed_savings: () => 'Faini zako ni zaidi ya akiba yako. Lipa faini kwanza: 1 Changia.',
  office_taken: () => 'Mwanachama mwingine ana cheo hicho. Mbadilishe awe Mwanachama kwanza.',
  already_a_member: () => 'Nambari hiyo tayari ni mwanachama wa kikundi hiki.',
  not_a_member: () => 'Nambari hiyo si ya mwanachama wa kikundi hiki. Wadhamini lazima wawe wanachama.',
  not_active: () => 'Mwanachama huyo ameshaondoka kikundini.',
  recipient_not_found: () => 'Nambari hiyo haijasajiliwa na Simu. Mwombe ajisajili kwanza.',
  validation_failed: () => 'Angalia nambari: wadhamini lazima wawe wanachama tofauti, si wewe.',
  chama_inactive: () => 'Kikundi hiki kimesimamishwa. Tafadhali piga Simu care 100.',
  exit_not_pending: () => 'Ombi hili halisubiri idhini tena.',
  not_awaiting: () => 'Mkopo huu hausubiri idhini tena.',
  not_asked: () => 'Ombi hili halikusubiri tena.',
  loan_status: () => 'Mkopo huu umeshalipwa.',
  loan_overpayment: () => 'Ni zaidi ya deni la mkopo. Hakuna kilicholipwa.',
};

interface Words {
  lang: 'en' | 'sw';
  more: string;
  and: string;
  payoutReview: (c: MenuContext, f: Formatters) => string;
  approved: (c: MenuContext, f: Formatters) => string;
  membersTitle: string;
  addMember: string;
  request: (r: ChamaRequestView, f: Formatters) => string;
  requestsTitle: string;
  texts: Texts;
}

function part(w: Words, refusals: Texts, failed: string): CataloguePart {
  const t = w.texts;
  return {
    screens: {
      'chama.payoutReview': w.payoutReview,
      'chama.members': (c) => listScreen(w.membersTitle, ch(c)?.members, c.chamaPage, (m) => cut(m.name, CHAMA_NAME), w.more, w.addMember),
      'chama.requests': (c, f) => listScreen(w.requestsTitle, ch(c)?.requests, c.chamaPage, (r) => w.request(r, f), w.more),
      ...Object.fromEntries(['payoutPin', 'newMemberPhone', 'newMemberConfirm', 'memberRole', 'rolePin', 'requestReview', 'requestPin'].map((k) => [`chama.${k}`, t[k]])),
    },
    finals: {
      chamaRefused: refusal(refusals, failed),
      chamaPayoutApproved: w.approved,
      ...Object.fromEntries(['chamaMemberAdded', 'chamaRoleSet', 'chamaNoRequests', 'chamaRequestDecided'].map((k) => [k, t[k]])),
    },
  };
}

const roleList = (lang: 'en' | 'sw') => ['chairperson', 'treasurer', 'secretary', 'member'].map((r, i) => `${i + 1} ${ROLES[lang][r as 'member']}`).join('\n');
const role = (lang: 'en' | 'sw', r: string | undefined) => ROLES[lang][(r ?? 'member') as 'member'];
const req = (c: MenuContext) => ch(c)?.request;
const dec = (c: MenuContext) => c.chamaDecision;

const en = part({
  lang: 'en', more: '98 More', and: ' and the ',
  payoutReview: (c, f) => {
    const p = ch(c)?.payout;
    const skipped = p?.skipped ? `\nSkipped for arrears: ${cut(p.skipped, 16)}\n2 Pay ${cut(p.skipped, 16)} instead` : '';
    return `Payout cycle ${p?.cycleNo}, due ${p?.dueOn}\nTo ${cut(p?.recipient, 16)}: ${f.kes(p?.amountCents)}\n1 Approve${skipped}`;
  },
  approved: (c, f) => {
    const a = c.chamaApproval;
    return a?.paidCents ? `Paid ${f.kes(a.paidCents)} to ${f.name(a.recipient)}. Every member gets an SMS.` : `Approved. Waiting for the ${(a?.waiting ?? []).map((r) => role('en', r)).join(' and the ')}.`;
  },
  membersTitle: 'Members', addMember: '9 Add member',
  request: (r, f) => `${r.kind === 'loan' ? 'Loan' : 'Leave'} ${cut(r.name, 10)} ${bare(r.amountCents, f)}`,
  requestsTitle: 'Requests (KES)',
  texts: {
    payoutPin: (c, f) => `Enter PIN to approve ${f.kes(ch(c)?.payout?.amountCents)} to ${f.name(ch(c)?.override ? ch(c)?.payout?.skipped ?? '' : ch(c)?.payout?.recipient)}`,
    newMemberPhone: (c) => `Add a member to ${chamaName(c)}\nEnter their phone number`,
    newMemberConfirm: (c, f) => `Add ${f.name(ch(c)?.newMember?.name)} ${f.phone(ch(c)?.newMember?.msisdn)} to ${chamaName(c)}?\n1 Confirm`,
    chamaMemberAdded: (c, f) => `${f.name(ch(c)?.newMember?.name)} is now a member of ${chamaName(c, 24)}. They join the end of the payout rotation.`,
    memberRole: (c) => `${cut(ch(c)?.member?.name, 24)} is ${role('en', ch(c)?.member?.role)}\nNew role:\n${roleList('en')}`,
    rolePin: (c) => `Enter PIN to make ${cut(ch(c)?.member?.name, 24)} ${role('en', ch(c)?.role)}`,
    chamaRoleSet: (c) => `${cut(ch(c)?.member?.name, 24)} is now ${role('en', ch(c)?.role)} of ${chamaName(c, 24)}.`,
    requestReview: (c, f) => (req(c)?.kind === 'loan'
      ? `${f.name(req(c)?.name)} asks for a group loan of ${f.kes(req(c)?.amountCents)}\n1 Approve\n2 Decline`
      : `${f.name(req(c)?.name)} asks to leave. Savings less fines: ${f.kes(req(c)?.amountCents)}\n1 Approve`),
    requestPin: (c) => `Enter PIN to ${ch(c)?.approve ? 'approve' : 'decline'}`,
    chamaNoRequests: () => 'No requests are waiting for your approval.',
    chamaRequestDecided: (c, f) => {
      const d = dec(c);
      if (d?.kind === 'loan') return d.approved ? `Approved. ${f.kes(d.amountCents)} lent to ${f.name(d.name)}, who gets an SMS.` : `Declined. ${f.name(d?.name)} gets an SMS.`;
      return d?.complete ? `Approved. ${f.name(d.name)} has left and ${f.kes(d.amountCents)} was paid to their wallet.` : 'Approved. Waiting for the other official.';
    },
  },
}, enRefusals, 'Sorry, Simu could not complete this now. Please try again later.');

const sw = part({
  lang: 'sw', more: '98 Zaidi', and: ' na ',
  payoutReview: (c, f) => {
    const p = ch(c)?.payout;
    const skipped = p?.skipped ? `\nAmerukwa kwa deni: ${cut(p.skipped, 16)}\n2 Mlipe ${cut(p.skipped, 16)}` : '';
    return `Mgao mzunguko ${p?.cycleNo}, ${p?.dueOn}\nKwa ${cut(p?.recipient, 16)}: ${f.kes(p?.amountCents)}\n1 Idhinisha${skipped}`;
  },
  approved: (c, f) => {
    const a = c.chamaApproval;
    return a?.paidCents ? `${f.kes(a.paidCents)} zimelipwa kwa ${f.name(a.recipient)}. Kila mwanachama atapata SMS.` : `Umeidhinisha. Inasubiri ${(a?.waiting ?? []).map((r) => role('sw', r)).join(' na ')}.`;
  },
  membersTitle: 'Wanachama', addMember: '9 Ongeza mwanachama',
  request: (r, f) => `${r.kind === 'loan' ? 'Mkopo' : 'Ondoka'} ${cut(r.name, 10)} ${bare(r.amountCents, f)}`,
  requestsTitle: 'Maombi (KES)',
  texts: {
    payoutPin: (c, f) => `Weka PIN kuidhinisha ${f.kes(ch(c)?.payout?.amountCents)} kwa ${f.name(ch(c)?.override ? ch(c)?.payout?.skipped ?? '' : ch(c)?.payout?.recipient)}`,
    newMemberPhone: (c) => `Ongeza mwanachama ${chamaName(c)}\nWeka nambari yake ya simu`,
    newMemberConfirm: (c, f) => `Ongeza ${f.name(ch(c)?.newMember?.name)} ${f.phone(ch(c)?.newMember?.msisdn)} kwa ${chamaName(c)}?\n1 Thibitisha`,
    chamaMemberAdded: (c, f) => `${f.name(ch(c)?.newMember?.name)} sasa ni mwanachama wa ${chamaName(c, 24)}. Atapata mgao baada ya wote waliopo.`,
    memberRole: (c) => `${cut(ch(c)?.member?.name, 24)} ni ${role('sw', ch(c)?.member?.role)}\nCheo kipya:\n${roleList('sw')}`,
    rolePin: (c) => `Weka PIN kumfanya ${cut(ch(c)?.member?.name, 24)} ${role('sw', ch(c)?.role)}`,
    chamaRoleSet: (c) => `${cut(ch(c)?.member?.name, 24)} sasa ni ${role('sw', ch(c)?.role)} wa ${chamaName(c, 24)}.`,
    requestReview: (c, f) => (req(c)?.kind === 'loan'
      ? `${f.name(req(c)?.name)} anaomba mkopo wa kikundi wa ${f.kes(req(c)?.amountCents)}\n1 Idhinisha\n2 Kataa`
      : `${f.name(req(c)?.name)} anaomba kuondoka. Akiba toa faini: ${f.kes(req(c)?.amountCents)}\n1 Idhinisha`),
    requestPin: (c) => `Weka PIN ${ch(c)?.approve ? 'kuidhinisha' : 'kukataa'}`,
    chamaNoRequests: () => 'Hakuna maombi yanayosubiri idhini yako.',
    chamaRequestDecided: (c, f) => {
      const d = dec(c);
      if (d?.kind === 'loan') return d.approved ? `Umeidhinisha. ${f.kes(d.amountCents)} zimekopeshwa kwa ${f.name(d.name)}, atapata SMS.` : `Umekataa. ${f.name(d?.name)} atapata SMS.`;
      return d?.complete ? `Umeidhinisha. ${f.name(d.name)} ameondoka na ${f.kes(d.amountCents)} zimelipwa kwenye Simu yake.` : 'Umeidhinisha. Inasubiri kiongozi mwingine.';
    },
  },
}, swRefusals, 'Samahani, Simu haikuweza kukamilisha hili sasa. Tafadhali jaribu tena baadaye.');

/** Chama's officials' screens and refusals in English and Kiswahili. */
export const chamaOfficialWords: { en: CataloguePart; sw: CataloguePart } = { en, sw };
