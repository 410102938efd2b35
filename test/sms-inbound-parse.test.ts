/** Reading an inbound SMS as a command (pure): money commands, near misses, PINs. */
import { expect } from 'chai';
import { editDistance, nearestCommand, parseAmount, parseMoneyCommand, parseSms, replies } from '../src/sms/inbound/index.js';

describe('SMS command parser', () => {
  describe('money commands, English and Kiswahili', () => {
    const cases: Array<[string, string, unknown]> = [
      ['SEND 0712345678 500', 'tuma 0712345678 500', { name: 'send', money: { kind: 'send', recipient: '+254712345678', amount: 50_000n } }],
      ['PAY 888880 acc123 1,000', 'LIPA 888880 ACC123 1,000', { name: 'paybill', money: { kind: 'paybill', paybill: '888880', account: 'ACC123', amount: 100_000n } }],
      ['TILL 123456 250', 'Tili 123456 250', { name: 'till', money: { kind: 'till', till: '123456', amount: 25_000n } }],
      ['CONTRIB umoja 500', 'CHANGA UMOJA 500', { name: 'contribute', money: { kind: 'contribute', chamaCode: 'UMOJA', amount: 50_000n } }],
      ['REPAY 2,500', 'rejesha 2500', { name: 'repay', money: { kind: 'repay', amount: 250_000n } }],
    ];
    for (const [english, kiswahili, expected] of cases) {
      it(`"${english}" and "${kiswahili}" give the same command`, () => {
        const en = parseSms(english);
        const sw = parseSms(kiswahili);
        expect(en.command).to.deep.equal(expected);
        expect(sw.command).to.deep.equal(expected);
        expect(en.pinSuspected).to.equal(false);
      });
    }

    it('tolerates extra spaces, tabs and any case', () => {
      expect(parseSms('   sEnD \t 0712345678     500  ').command).to.deep.equal({ name: 'send', money: { kind: 'send', recipient: '+254712345678', amount: 50_000n } });
      expect(parseSms('Tuma +254712345678 500').command).to.deep.equal({ name: 'send', money: { kind: 'send', recipient: '+254712345678', amount: 50_000n } });
    });

    it('parseMoneyCommand refuses a bad phone, amount, paybill, account or chama code', () => {
      expect(parseMoneyCommand('send', ['0712', '500'])).to.equal(null);
      expect(parseMoneyCommand('send', ['0712345678', '0'])).to.equal(null);
      expect(parseMoneyCommand('send', ['0712345678', '50.5'])).to.equal(null);
      expect(parseMoneyCommand('paybill', ['88', 'ACC', '100'])).to.equal(null);
      expect(parseMoneyCommand('paybill', ['888880', 'A*C', '100'])).to.equal(null);
      expect(parseMoneyCommand('till', ['123456', '1,00'])).to.equal(null);
      expect(parseMoneyCommand('contribute', ['9UMOJA', '100'])).to.equal(null);
      expect(parseMoneyCommand('repay', ['-5'])).to.equal(null);
    });

    it('amounts: whole shillings with or without thousands commas, into cents', () => {
      expect(parseAmount('500')).to.equal(50_000n);
      expect(parseAmount('1,000')).to.equal(100_000n);
      expect(parseAmount('1,000,000')).to.equal(100_000_000n);
      expect(parseAmount('10,00')).to.equal(null);
      expect(parseAmount('0')).to.equal(null);
      expect(parseAmount('1e3')).to.equal(null);
    });
  });

  describe('malformed commands get the usage of the nearest command', () => {
    const cases: Array<[string, string]> = [
      ['SNED 0712 50', 'send'], ['SEND 0712 50', 'send'], ['tuma 500', 'send'], ['PYA 888880 ACC 100', 'paybill'],
      ['LIPA 888880 100', 'paybill'], ['TIL 123456 abc', 'till'], ['CONTRIB', 'contribute'], ['changa umoja', 'contribute'],
      ['REPAY lots', 'repay'], ['REJESA 100', 'repay'], ['BLA', 'balance'], ['SALO', 'balance'], ['LANG FR', 'lang'], ['KARO 123', 'fees'],
    ];
    for (const [text, name] of cases) {
      it(`"${text}" → ${name} usage`, () => {
        const parsed = parseSms(text);
        expect(parsed.command).to.equal(null);
        expect(parsed.name).to.equal(name);
        expect(replies('en').usage(parsed.name!)).to.be.a('string').and.not.be.empty;
      });
    }

    it('the SEND usage line shows how to send money, in both languages', () => {
      expect(replies('en').usage('send')).to.equal('To send money, send SEND <phone> <amount>, e.g. SEND 0712345678 500');
      expect(replies('sw').usage('send')).to.equal('Kutuma pesa, tuma TUMA <simu> <kiasi>, mfano TUMA 0712345678 500');
    });

    it('a word near no keyword names no command', () => {
      expect(parseSms('xyzzy').name).to.equal(null);
      expect(parseSms('').name).to.equal(null);
      expect(nearestCommand('QQQQQQ')).to.equal(null);
    });

    it('edit distance counts a swap of neighbours as one', () => {
      expect(editDistance('SNED', 'SEND')).to.equal(1);
      expect(editDistance('BAL', 'BAL')).to.equal(0);
      expect(editDistance('KITTEN', 'SITTING')).to.equal(3);
    });
  });

  describe('PINs', () => {
    it('a 4-digit token past the arguments is a PIN, redacted everywhere it appears', () => {
      const p = parseSms('BAL 4821');
      expect(p).to.include({ pinSuspected: true, redacted: 'BAL ****', name: 'balance' });
      const q = parseSms('SEND 0712345678 4821 4821');
      expect(q).to.include({ pinSuspected: true, redacted: 'SEND 0712345678 **** ****' });
    });

    it('a lone 4-digit message, or one naming no command, is a PIN', () => {
      expect(parseSms(' 4821 ')).to.include({ pinSuspected: true, redacted: '****' });
      expect(parseSms('my pin 4821')).to.include({ pinSuspected: true, redacted: 'my pin ****' });
    });

    it('a 4-digit amount is an argument, not a PIN', () => {
      const p = parseSms('SEND 0712345678 4821');
      expect(p.pinSuspected).to.equal(false);
      expect(p.redacted).to.equal('SEND 0712345678 4821');
      expect(p.command).to.deep.equal({ name: 'send', money: { kind: 'send', recipient: '+254712345678', amount: 482_100n } });
      expect(parseSms('REPAY 1500').pinSuspected).to.equal(false);
    });
  });

  describe('other commands', () => {
    it('reads every non-money keyword in both languages', () => {
      const pairs: Array<[string, string, unknown]> = [
        ['HELP', 'msaada', { name: 'help' }], ['bal', 'SALIO', { name: 'balance' }], ['STMT', 'taarifa', { name: 'statement' }],
        ['LOAN', 'Mkopo', { name: 'loan' }], ['STOP', 'simama', { name: 'stop' }], ['start', 'ANZA', { name: 'start' }],
        ['LANG SW', 'lugha sw', { name: 'lang', language: 'sw' }], ['FEES 1234567 adm001', 'KARO 1234567 adm001', { name: 'fees', paybill: '1234567', admissionNo: 'adm001' }],
      ];
      for (const [en, sw, expected] of pairs) {
        expect(parseSms(en).command, en).to.deep.equal(expected);
        expect(parseSms(sw).command, sw).to.deep.equal(expected);
      }
    });

    it('commands without arguments ignore extra words; LANG EN works', () => {
      expect(parseSms('BAL please').command).to.deep.equal({ name: 'balance' });
      expect(parseSms('lang en').command).to.deep.equal({ name: 'lang', language: 'en' });
    });
  });
});
