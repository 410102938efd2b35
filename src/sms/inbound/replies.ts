/**
 * The words of every reply to an SMS command, in English and Kiswahili. Amounts are KES
 * cents, shown with src/money formatKes; times are Africa/Nairobi (receiptTime). Replies
 * aim at one SMS part (160 GSM-7 characters) and never pass two.
 */
import { formatKes } from '../../money/index.js';
import { receiptTime } from '../messages.js';
import type { CommandName } from './parser.js';

/** One statement line of a reply (amount signed as the owner reads it: money out negative). */
export interface ReplyStatementLine {
  code: string;
  at: Date;
  counterparty: string;
  amount: bigint;
}

/** What a FEES reply says (cents; `balance` negative when the student is in credit). */
export interface FeesFacts {
  admissionNo: string;
  student: string;
  school: string;
  balance: bigint;
  term: { name: string; dueDate: string } | null;
}

/** One open loan as a LOAN reply shows it (cents; `dueDate` `YYYY-MM-DD`). */
export interface LoanLine {
  outstanding: bigint;
  nextDue: { dueDate: string; amount: bigint } | null;
  overdue: bigint;
}

/** Why a loan limit is zero (src/loans LoanLimitReason), or `no_product` when the advance product is not offered. */
export type LimitReason = 'overdue_loan' | 'no_history' | 'below_minimum' | 'no_product' | null;

/** `2027-01-31` → `31/01/2027`. */
const day = (iso: string) => iso.split('-').reverse().join('/');
/** `06/12/26 at 3:15 PM` → `06/12`: a statement line has little room. */
const shortDay = (at: Date) => receiptTime(at).slice(0, 5);

const en = {
  help: () =>
    'Simu SMS: BAL balance, STMT statement, LOAN loan limit, FEES <paybill> <adm no>, SEND <phone> <amount>, PAY <paybill> <account> <amount>, TILL <till> <amount>, CONTRIB <chama> <amount>, REPAY <amount>, LANG EN/SW, STOP, START',
  usage: (name: CommandName): string => ({
    help: 'Send HELP for the list of Simu SMS commands.',
    balance: 'To check your balance, send BAL',
    statement: 'For your last 5 transactions, send STMT',
    fees: 'For school fees, send FEES <school paybill> <admission no>, e.g. FEES 123456 ADM001',
    loan: 'For your loan limit and loans, send LOAN',
    lang: 'To change language, send LANG EN or LANG SW',
    stop: 'To stop reminders, send STOP',
    start: 'To get reminders again, send START',
    send: 'To send money, send SEND <phone> <amount>, e.g. SEND 0712345678 500',
    paybill: 'To pay a bill, send PAY <paybill> <account> <amount>, e.g. PAY 888880 ACC123 1,000',
    till: 'To buy goods, send TILL <till> <amount>, e.g. TILL 123456 250',
    contribute: 'To pay your chama, send CONTRIB <chama code> <amount>, e.g. CONTRIB UMOJA 500',
    repay: 'To repay your loan, send REPAY <amount>, e.g. REPAY 500',
  })[name],
  balance: (balance: bigint, at: Date) => `Your Simu balance is ${formatKes(balance)} on ${receiptTime(at)}.`,
  statement: (lines: ReplyStatementLine[]) => lines.length === 0
    ? 'You have no Simu transactions yet.'
    : `Last ${lines.length}: ${lines.map((l) => `${l.code} ${shortDay(l.at)} ${formatKes(l.amount)} ${l.counterparty}`).join('; ')}`,
  fees: (f: FeesFacts) => f.balance > 0n
    ? `${f.student} (${f.admissionNo}), ${f.school}: fee balance ${formatKes(f.balance)}${f.term ? `. ${f.term.name} due ${day(f.term.dueDate)}` : ''}.`
    : `${f.student} (${f.admissionNo}), ${f.school}: no fees due${f.balance < 0n ? `, in credit ${formatKes(-f.balance)}` : ''}.`,
  feesNotFound: () => 'No student found for that school paybill and admission number among the children you are a guardian of.',
  loan: (limit: bigint, reason: LimitReason, loans: LoanLine[]) => {
    const why: Record<Exclude<LimitReason, null>, string> = {
      overdue_loan: ' (you have an overdue loan)', no_history: ' (use Simu more to get a limit)', below_minimum: ' (use Simu more to get a limit)', no_product: ' (loans are not offered now)',
    };
    const head = `Your Simu Advance limit is ${formatKes(limit)}${reason ? why[reason] : ''}.`;
    if (loans.length === 0) return `${head} No open loans.`;
    return `${head} ${loans.map((l) => `Loan: ${formatKes(l.outstanding)} owed${l.overdue > 0n ? `, ${formatKes(l.overdue)} overdue` : ''}${l.nextDue ? `, next ${formatKes(l.nextDue.amount)} due ${day(l.nextDue.dueDate)}` : ''}.`).join(' ')}`;
  },
  langSet: () => 'Simu will now speak English to you.',
  stopped: () => 'You will no longer get Simu reminders. Receipts for your transactions will still come. Send START to get reminders again.',
  started: () => 'You will get Simu reminders again. Send STOP to stop them.',
  unregistered: (code: string) => `You are not registered with Simu. Dial ${code} to register, then send HELP for SMS commands.`,
  inactive: () => 'Your Simu account is not active. Call Simu care on 100.',
  pinWarning: () => 'Never send your PIN by SMS. Simu will never ask for it. Send the command again without it.',
  rateWarning: () => 'You have sent too many Simu SMS commands. Please wait an hour; messages sent before then will not be answered.',
  moneyError: (code: string): string => ({
    insufficient_funds: 'Failed: you do not have enough money in your Simu account.',
    recipient_not_found: 'Failed: that number is not registered with Simu.',
    self_transfer: 'Failed: you cannot send money to yourself.',
    limit_exceeded: 'Failed: this would pass your transaction limits.',
    merchant_not_found: 'Failed: no business with that paybill or till number.',
    chama_not_found: 'Failed: no chama with that code.',
    chama_inactive: 'Failed: that chama is not active.',
    not_a_member: 'Failed: you are not a member of that chama.',
    contribution_too_large: 'Failed: that is more than your chama contribution due.',
    loan_not_found: 'Failed: you have no loan to repay.',
    no_open_loan: 'Failed: you have no loan to repay.',
    invalid_amount: 'Failed: the amount must be more than KES 0.',
    too_many_pending: 'Failed: too many requests wait for confirmation. Dial a code you were sent, or wait 5 minutes.',
    loan_overpayment: 'Failed: that is more than you owe on your loan.',
    customer_inactive: 'Your Simu account is not active. Call Simu care on 100.',
    customer_closed: 'Your Simu account is not active. Call Simu care on 100.',
    pin_locked: 'Failed: your PIN is locked. Try again later.',
    school_not_found: 'Failed: no school with that paybill.',
    student_not_found: 'Failed: no student with that admission number.',
  } as Record<string, string>)[code] ?? 'Sorry, Simu could not do that. Please check and try again.',
  failed: () => 'Sorry, Simu could not do that now. Please try again later.',
};

const sw: typeof en = {
  help: () =>
    'Simu SMS: SALIO salio, TAARIFA taarifa, MKOPO kiwango cha mkopo, KARO <paybill> <nambari ya usajili>, TUMA <simu> <kiasi>, LIPA <paybill> <akaunti> <kiasi>, TILI <till> <kiasi>, CHANGA <chama> <kiasi>, REJESHA <kiasi>, LUGHA EN/SW, SIMAMA, ANZA',
  usage: (name: CommandName): string => ({
    help: 'Tuma MSAADA kupata orodha ya amri za SMS za Simu.',
    balance: 'Kuangalia salio, tuma SALIO',
    statement: 'Kupata miamala yako 5 ya mwisho, tuma TAARIFA',
    fees: 'Kwa karo ya shule, tuma KARO <paybill ya shule> <nambari ya usajili>, mfano KARO 123456 ADM001',
    loan: 'Kwa kiwango chako cha mkopo na mikopo yako, tuma MKOPO',
    lang: 'Kubadilisha lugha, tuma LUGHA EN au LUGHA SW',
    stop: 'Kusimamisha vikumbusho, tuma SIMAMA',
    start: 'Kupata vikumbusho tena, tuma ANZA',
    send: 'Kutuma pesa, tuma TUMA <simu> <kiasi>, mfano TUMA 0712345678 500',
    paybill: 'Kulipa bili, tuma LIPA <paybill> <akaunti> <kiasi>, mfano LIPA 888880 ACC123 1,000',
    till: 'Kununua bidhaa, tuma TILI <till> <kiasi>, mfano TILI 123456 250',
    contribute: 'Kulipa chama, tuma CHANGA <nambari ya chama> <kiasi>, mfano CHANGA UMOJA 500',
    repay: 'Kulipa mkopo, tuma REJESHA <kiasi>, mfano REJESHA 500',
  })[name],
  balance: (balance: bigint, at: Date) => `Salio lako la Simu ni ${formatKes(balance)} tarehe ${receiptTime(at, 'sw')}.`,
  statement: (lines: ReplyStatementLine[]) => lines.length === 0
    ? 'Huna miamala ya Simu bado.'
    : `Miamala ${lines.length} ya mwisho: ${lines.map((l) => `${l.code} ${shortDay(l.at)} ${formatKes(l.amount)} ${l.counterparty}`).join('; ')}`,
  fees: (f: FeesFacts) => f.balance > 0n
    ? `${f.student} (${f.admissionNo}), ${f.school}: salio la karo ${formatKes(f.balance)}${f.term ? `. ${f.term.name} mwisho ${day(f.term.dueDate)}` : ''}.`
    : `${f.student} (${f.admissionNo}), ${f.school}: hakuna karo inayodaiwa${f.balance < 0n ? `, ziada ${formatKes(-f.balance)}` : ''}.`,
  feesNotFound: () => 'Hakuna mwanafunzi aliyepatikana kwa paybill hiyo ya shule na nambari hiyo ya usajili kati ya watoto unaowalea.',
  loan: (limit: bigint, reason: LimitReason, loans: LoanLine[]) => {
    const why: Record<Exclude<LimitReason, null>, string> = {
      overdue_loan: ' (una mkopo uliopitwa na muda)', no_history: ' (tumia Simu zaidi upate kiwango)', below_minimum: ' (tumia Simu zaidi upate kiwango)', no_product: ' (mikopo haitolewi sasa)',
    };
    const head = `Kiwango chako cha Simu Advance ni ${formatKes(limit)}${reason ? why[reason] : ''}.`;
    if (loans.length === 0) return `${head} Huna mkopo unaoendelea.`;
    return `${head} ${loans.map((l) => `Mkopo: deni ${formatKes(l.outstanding)}${l.overdue > 0n ? `, ${formatKes(l.overdue)} imechelewa` : ''}${l.nextDue ? `, ${formatKes(l.nextDue.amount)} ifikapo ${day(l.nextDue.dueDate)}` : ''}.`).join(' ')}`;
  },
  langSet: () => 'Simu sasa itakuandikia kwa Kiswahili.',
  stopped: () => 'Hutapokea tena vikumbusho vya Simu. Risiti za miamala yako zitaendelea kuja. Tuma ANZA kupata vikumbusho tena.',
  started: () => 'Utapokea vikumbusho vya Simu tena. Tuma SIMAMA kuvisimamisha.',
  unregistered: (code: string) => `Hujasajiliwa na Simu. Piga ${code} kujisajili, kisha tuma MSAADA kupata amri za SMS.`,
  inactive: () => 'Akaunti yako ya Simu haiko hai. Piga huduma kwa wateja 100.',
  pinWarning: () => 'Usitume PIN yako kwa SMS kamwe. Simu haitakuuliza PIN yako kamwe. Tuma amri tena bila PIN.',
  rateWarning: () => 'Umetuma amri nyingi mno za SMS za Simu. Tafadhali subiri saa moja; ujumbe utakaotumwa kabla ya hapo hautajibiwa.',
  moneyError: (code: string): string => ({
    insufficient_funds: 'Imeshindikana: huna pesa za kutosha kwenye akaunti yako ya Simu.',
    recipient_not_found: 'Imeshindikana: nambari hiyo haijasajiliwa na Simu.',
    self_transfer: 'Imeshindikana: huwezi kujitumia pesa.',
    limit_exceeded: 'Imeshindikana: hii itapita kikomo chako cha miamala.',
    merchant_not_found: 'Imeshindikana: hakuna biashara yenye paybill au till hiyo.',
    chama_not_found: 'Imeshindikana: hakuna chama chenye nambari hiyo.',
    chama_inactive: 'Imeshindikana: chama hicho hakiko hai.',
    not_a_member: 'Imeshindikana: wewe si mwanachama wa chama hicho.',
    contribution_too_large: 'Imeshindikana: kiasi hicho ni zaidi ya mchango unaodaiwa.',
    loan_not_found: 'Imeshindikana: huna mkopo wa kulipa.',
    no_open_loan: 'Imeshindikana: huna mkopo wa kulipa.',
    invalid_amount: 'Imeshindikana: kiasi lazima kiwe zaidi ya KES 0.',
    too_many_pending: 'Imeshindikana: maombi mengi yanasubiri uthibitisho. Piga nambari uliyotumiwa, au subiri dakika 5.',
    loan_overpayment: 'Imeshindikana: kiasi hicho ni zaidi ya deni lako la mkopo.',
    customer_inactive: 'Akaunti yako ya Simu haiko hai. Piga huduma kwa wateja 100.',
    customer_closed: 'Akaunti yako ya Simu haiko hai. Piga huduma kwa wateja 100.',
    pin_locked: 'Imeshindikana: PIN yako imefungwa. Jaribu tena baadaye.',
    school_not_found: 'Imeshindikana: hakuna shule yenye paybill hiyo.',
    student_not_found: 'Imeshindikana: hakuna mwanafunzi mwenye nambari hiyo ya usajili.',
  } as Record<string, string>)[code] ?? 'Samahani, Simu haikuweza kufanya hivyo. Tafadhali angalia na ujaribu tena.',
  failed: () => 'Samahani, Simu haikuweza kufanya hivyo sasa. Tafadhali jaribu tena baadaye.',
};

/** The replies of a language. */
export function replies(lang: 'en' | 'sw'): typeof en {
  return lang === 'sw' ? sw : en;
}
