/** English. Each screen fits 182 GSM-7 characters with the longest names and amounts. */
import { statementScreen, type Catalogue } from './catalogue.js';
import { STATEMENT_PAGE } from '../account.js';

/** Shown before the caller's language is known, so in both. */
export const LANGUAGE_CHOICE = 'Choose language / Chagua lugha\n1 English\n2 Kiswahili';

const LIMIT_WORDS: Record<string, string> = {
  per_transaction: 'per transaction',
  per_day: 'per day',
  per_month: 'per month',
  max_balance: 'for the recipient\'s balance',
};

const statement = statementScreen('Mini statement (KES)', 'No transactions yet.', '98 More', STATEMENT_PAGE);

export const en: Catalogue = {
  footer: '0 Back 00 Home',
  screens: {
    home: () =>
      'Simu\n1 Send Money\n2 Withdraw Cash\n3 Buy Airtime\n4 Pay Bill / Buy Goods (Lipa)\n5 School Fees\n6 Chama\n7 Loans\n8 My Account',
    'sendMoney.recipient': () => 'Send Money\nEnter phone number',
    'sendMoney.amount': (c, f) => `Send to ${f.name(c.recipientName)} ${f.phone(c.recipientMsisdn)}\nEnter amount (KES)`,
    'sendMoney.confirm': (c, f) =>
      `Send ${f.kes(c.amountCents)} to ${f.name(c.recipientName)} ${f.phone(c.recipientMsisdn)}?\nCharge ${f.kes(c.chargeCents)}\n1 Confirm`,
    'sendMoney.pin': (c, f) => `Enter PIN to send ${f.kes(c.amountCents)} to ${f.name(c.recipientName)}`,
    'account.menu': () => 'My Account\n1 Balance\n2 Change PIN\n3 Language / Lugha\n4 Mini statement\n5 My limits\n6 Forgot PIN\n7 Top up from M-PESA',
    'account.balancePin': () => 'Enter PIN',
    'account.currentPin': () => 'Enter current PIN',
    'account.newPin': () => 'Enter new 4-digit PIN',
    'account.confirmNewPin': () => 'Enter new PIN again',
    'account.language': () => LANGUAGE_CHOICE,
    'account.statement': statement,
    'account.statementPin': () => 'Enter PIN for your mini statement',
    'account.forgotId': () => 'Forgot PIN\nEnter your national ID number',
    'account.resetCode': () => 'We have sent you a 6-digit code by SMS. Enter the code',
    'account.resetNewPin': () => 'Choose a new 4-digit PIN',
    'account.confirmResetPin': () => 'Enter the new PIN again',
    'register.language': () => LANGUAGE_CHOICE,
    'register.intro': () => 'Welcome to Simu.\nThis number is not registered.\n1 Register\n2 Exit',
    'register.firstName': () => 'Register\nEnter your first name',
    'register.lastName': () => 'Enter your last name',
    'register.nationalId': () => 'Enter your national ID number',
    'register.newPin': () => 'Choose a 4-digit PIN',
    'register.confirmPin': () => 'Enter the PIN again',
  },
  finals: {
    exited: () => 'Thank you. Dial again any time to register with Simu.',
    sent: (c, f) =>
      `${c.receipt?.code} Confirmed. ${f.kes(c.receipt?.amountCents)} sent to ${f.name(c.receipt?.recipientName)} ${f.phone(c.receipt?.recipientMsisdn)}. ` +
      `New balance ${f.kes(c.receipt?.balanceCents)}. Charge ${f.kes(c.receipt?.chargeCents)}.`,
    balanceShown: (c, f) => `Your Simu balance is ${f.kes(c.balanceCents)}.`,
    pinChanged: () => 'Your PIN has been changed. You will receive an SMS.',
    registered: (c, f) => `Welcome to Simu, ${f.name(c.customer?.firstName)}! Your account is ready. Dial again to send money.`,
    pinLocked: (c) => `Your PIN is locked after 3 wrong tries. Try again in ${c.failure?.minutesLeft ?? 30} minutes, or reset it: My Account > 6 Forgot PIN.`,
    pinReset: () => 'Your new PIN is set and ready to use. You will receive an SMS.',
    resetLocked: (c) => `Forgot PIN is locked after 3 wrong answers. Try again in ${c.failure?.minutesLeft ?? 30} minutes or call Simu care on 100.`,
    resetExpired: () => 'Your code has expired. Dial again and choose My Account > 6 Forgot PIN for a new code.',
    insufficientFunds: (c, f) =>
      `Failed. You do not have enough money to send ${f.kes(c.amountCents)} plus charge ${f.kes(c.chargeCents)}. Nothing was sent.`,
    limitExceeded: (c, f) =>
      `Failed. The limit ${LIMIT_WORDS[c.failure?.limitName ?? ''] ?? ''} is ${f.kes(c.failure?.limitCents)}. Nothing was sent.`,
    statementShown: statement,
    limitsShown: (c, f) => `Your limits: ${f.kes(c.limitsLeft?.perTransactionCents)} a transaction, ${f.kes(c.limitsLeft?.perDayCents)} a day (${f.kes(c.limitsLeft?.leftTodayCents)} left today), ${f.kes(c.limitsLeft?.perMonthCents)} a month (${f.kes(c.limitsLeft?.leftThisMonthCents)} left).`,
    languageSet: () => 'Your language is now English.',
    tooManyInvalid: () => 'Too many invalid entries. Please dial again when you are ready.',
    suspended: () => 'Your Simu account is suspended. Please call Simu care on 100 for help.',
    failed: () => 'Sorry, Simu could not complete this now. Please try again later.',
  },
  errors: {
    invalidChoice: () => 'Invalid choice.',
    invalidPhone: () => 'Invalid phone number.',
    recipientNotFound: () => 'That number is not registered with Simu.',
    selfTransfer: () => 'You cannot send money to your own number.',
    invalidAmount: () => 'Enter a whole amount in KES.',
    'limit.per_transaction': (p, f) => `The most you can send at once is ${f.kes(String(p.limitCents))}.`,
    'limit.min_amount': (p, f) => `The least you can send is ${f.kes(String(p.limitCents))}.`,
    invalidPin: () => 'A PIN is 4 digits.',
    wrongPin: (p) => `Wrong PIN. ${p.left} ${p.left === 1 ? 'try' : 'tries'} left.`,
    pinMismatch: () => 'The PINs did not match. Try again.',
    samePin: () => 'The new PIN must differ from the old one.',
    invalidName: () => 'Use letters only.',
    invalidNationalId: () => 'Enter 6 to 10 digits.',
    wrongNationalId: (p) => `That ID does not match this number. ${p.left} ${p.left === 1 ? 'try' : 'tries'} left.`,
    invalidResetCode: () => 'The code is 6 digits.',
    wrongResetCode: (p) => `Wrong code. ${p.left} ${p.left === 1 ? 'try' : 'tries'} left.`,
  },
};
