/** Kiswahili. Each screen fits 182 GSM-7 characters with the longest names and amounts. */
import { statementScreen, type Catalogue } from './catalogue.js';
import { STATEMENT_PAGE } from '../account.js';
import { LANGUAGE_CHOICE } from './en.js';

const LIMIT_WORDS: Record<string, string> = {
  per_transaction: 'kwa muamala',
  per_day: 'kwa siku',
  per_month: 'kwa mwezi',
  max_balance: 'cha salio la mpokeaji',
};

const statement = statementScreen('Taarifa fupi (KES)', 'Hakuna miamala bado.', '98 Zaidi', STATEMENT_PAGE);

export const sw: Catalogue = {
  footer: '0 Rudi 00 Mwanzo',
  screens: {
    home: () =>
      'Simu\n1 Tuma Pesa\n2 Toa Pesa\n3 Nunua Airtime\n4 Lipa Bili / Nunua Bidhaa (Lipa)\n5 Ada za Shule\n6 Chama\n7 Mikopo\n8 Akaunti Yangu',
    'sendMoney.recipient': () => 'Tuma Pesa\nWeka nambari ya simu',
    'sendMoney.amount': (c, f) => `Tuma kwa ${f.name(c.recipientName)} ${f.phone(c.recipientMsisdn)}\nWeka kiasi (KES)`,
    'sendMoney.confirm': (c, f) =>
      `Tuma ${f.kes(c.amountCents)} kwa ${f.name(c.recipientName)} ${f.phone(c.recipientMsisdn)}?\nAda ${f.kes(c.chargeCents)}\n1 Thibitisha`,
    'sendMoney.pin': (c, f) => `Weka PIN kutuma ${f.kes(c.amountCents)} kwa ${f.name(c.recipientName)}`,
    'account.menu': () => 'Akaunti Yangu\n1 Salio\n2 Badilisha PIN\n3 Lugha / Language\n4 Taarifa fupi\n5 Vikomo vyangu\n6 Umesahau PIN\n7 Weka pesa kutoka M-PESA',
    'account.balancePin': () => 'Weka PIN',
    'account.currentPin': () => 'Weka PIN ya sasa',
    'account.newPin': () => 'Weka PIN mpya ya tarakimu 4',
    'account.confirmNewPin': () => 'Weka PIN mpya tena',
    'account.language': () => LANGUAGE_CHOICE,
    'account.statement': statement,
    'account.statementPin': () => 'Weka PIN kuona taarifa fupi',
    'account.forgotId': () => 'Umesahau PIN\nWeka nambari yako ya kitambulisho',
    'account.resetCode': () => 'Tumekutumia nambari ya tarakimu 6 kwa SMS. Iweke hapa',
    'account.resetNewPin': () => 'Chagua PIN mpya ya tarakimu 4',
    'account.confirmResetPin': () => 'Weka PIN mpya tena',
    'register.language': () => LANGUAGE_CHOICE,
    'register.intro': () => 'Karibu Simu.\nNambari hii haijasajiliwa.\n1 Jisajili\n2 Ondoka',
    'register.firstName': () => 'Usajili\nWeka jina lako la kwanza',
    'register.lastName': () => 'Weka jina lako la mwisho',
    'register.nationalId': () => 'Weka nambari ya kitambulisho chako',
    'register.newPin': () => 'Chagua PIN ya tarakimu 4',
    'register.confirmPin': () => 'Weka PIN tena',
  },
  finals: {
    exited: () => 'Asante. Piga tena wakati wowote kujisajili na Simu.',
    sent: (c, f) =>
      `${c.receipt?.code} Imethibitishwa. ${f.kes(c.receipt?.amountCents)} imetumwa kwa ${f.name(c.receipt?.recipientName)} ${f.phone(c.receipt?.recipientMsisdn)}. ` +
      `Salio jipya ${f.kes(c.receipt?.balanceCents)}. Ada ${f.kes(c.receipt?.chargeCents)}.`,
    balanceShown: (c, f) => `Salio lako la Simu ni ${f.kes(c.balanceCents)}.`,
    pinChanged: () => 'PIN yako imebadilishwa. Utapokea SMS.',
    registered: (c, f) => `Karibu Simu, ${f.name(c.customer?.firstName)}! Akaunti yako iko tayari. Piga tena kutuma pesa.`,
    pinLocked: (c) => `PIN yako imefungwa baada ya majaribio 3 yasiyo sahihi. Jaribu tena baada ya dakika ${c.failure?.minutesLeft ?? 30}, au ibadilishe: Akaunti Yangu > 6 Umesahau PIN.`,
    pinReset: () => 'PIN yako mpya iko tayari kutumika. Utapokea SMS.',
    resetLocked: (c) => `Umesahau PIN imefungwa baada ya majibu 3 yasiyo sahihi. Jaribu tena baada ya dakika ${c.failure?.minutesLeft ?? 30} au piga huduma kwa wateja 100.`,
    resetExpired: () => 'Nambari yako imeisha muda. Piga tena uchague Akaunti Yangu > 6 Umesahau PIN upate nambari mpya.',
    insufficientFunds: (c, f) =>
      `Imeshindikana. Huna pesa za kutosha kutuma ${f.kes(c.amountCents)} pamoja na ada ${f.kes(c.chargeCents)}. Hakuna kilichotumwa.`,
    limitExceeded: (c, f) =>
      `Imeshindikana. Kikomo ${LIMIT_WORDS[c.failure?.limitName ?? ''] ?? ''} ni ${f.kes(c.failure?.limitCents)}. Hakuna kilichotumwa.`,
    statementShown: statement,
    limitsShown: (c, f) => `Vikomo vyako: ${f.kes(c.limitsLeft?.perTransactionCents)} kwa muamala, ${f.kes(c.limitsLeft?.perDayCents)} kwa siku (${f.kes(c.limitsLeft?.leftTodayCents)} imebaki leo), ${f.kes(c.limitsLeft?.perMonthCents)} kwa mwezi (${f.kes(c.limitsLeft?.leftThisMonthCents)} imebaki).`,
    languageSet: () => 'Lugha yako sasa ni Kiswahili.',
    tooManyInvalid: () => 'Majibu mengi yasiyo sahihi. Tafadhali piga tena ukiwa tayari.',
    suspended: () => 'Akaunti yako ya Simu imesimamishwa. Tafadhali piga huduma kwa wateja 100.',
    failed: () => 'Samahani, Simu haikuweza kukamilisha hili sasa. Tafadhali jaribu tena baadaye.',
  },
  errors: {
    invalidChoice: () => 'Chaguo si sahihi.',
    invalidPhone: () => 'Nambari ya simu si sahihi.',
    recipientNotFound: () => 'Nambari hiyo haijasajiliwa na Simu.',
    selfTransfer: () => 'Huwezi kutuma pesa kwa nambari yako mwenyewe.',
    invalidAmount: () => 'Weka kiasi kamili kwa KES.',
    'limit.per_transaction': (p, f) => `Kiwango cha juu kwa muamala mmoja ni ${f.kes(String(p.limitCents))}.`,
    'limit.min_amount': (p, f) => `Kiwango cha chini ni ${f.kes(String(p.limitCents))}.`,
    invalidPin: () => 'PIN ni tarakimu 4.',
    wrongPin: (p) => `PIN si sahihi. Majaribio ${p.left} yamebaki.`,
    pinMismatch: () => 'PIN hazikulingana. Jaribu tena.',
    samePin: () => 'PIN mpya lazima iwe tofauti na ya zamani.',
    invalidName: () => 'Tumia herufi pekee.',
    invalidNationalId: () => 'Weka tarakimu 6 hadi 10.',
    wrongNationalId: (p) => `Kitambulisho hicho hakilingani na nambari hii. Majaribio ${p.left} yamebaki.`,
    invalidResetCode: () => 'Nambari ni tarakimu 6.',
    wrongResetCode: (p) => `Nambari si sahihi. Majaribio ${p.left} yamebaki.`,
  },
};
