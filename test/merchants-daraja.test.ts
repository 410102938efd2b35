/** Pure parts of Lipa: the commission's rounding, the Daraja C2B formats and the merchant's SMS. */
import { expect } from 'chai';
import { toGsm7 } from '../menus/gsm7.js';
import { commissionFor, maskedMsisdn, merchantNotice, readValidationAnswer, shillings, transTime } from '../src/merchants/index.js';

describe('commissionFor() and the Daraja C2B formats', () => {
  it('commissionFor() at 50 bp takes 0.5 % of the cents, rounded half-up to the cent', () => {
    const cases: Array<[bigint, bigint]> = [[100_100n, 501n], [100_000n, 500n], [100n, 1n], [99n, 0n], [300n, 2n], [700_000_000n, 3_500_000n], [0n, 0n]];

    expect(cases.map(([amount]) => commissionFor(amount, 50))).to.deep.equal(cases.map(([, commission]) => commission));
  });

  it('commissionFor() takes any rate from 0 to 1000 bp, half-up on the cent, in bigint beyond 2^53, and refuses other rates', () => {
    const cases: Array<[bigint, number, bigint]> = [
      [100_000n, 100, 1_000n], [50n, 100, 1n], [49n, 100, 0n], [150n, 100, 2n], [100_000n, 0, 0n], [100_000n, 1000, 10_000n],
      [3_334n, 15, 5n], [10_000n, 15, 15n], [90_071_992_547_409_935n, 1000, 9_007_199_254_740_994n],
    ];

    expect(cases.map(([amount, bp]) => commissionFor(amount, bp))).to.deep.equal(cases.map(([, , commission]) => commission));
    for (const bad of [-1, 1001, 12.5, Number.NaN]) expect(() => commissionFor(100n, bad), String(bad)).to.throw(RangeError);
  });

  it('transTime() is yyyyMMddHHmmss in Africa/Nairobi (UTC+3), across midnight', () => {
    expect(transTime(new Date('2026-11-23T22:15:07Z'))).to.equal('20261124011507');
  });

  it('shillings() writes cents as shillings with two decimals; maskedMsisdn() masks as C2B v2 does', () => {
    expect([shillings(100_050n), shillings(5n), shillings(0n)]).to.deep.equal(['1000.50', '0.05', '0.00']);
    expect(maskedMsisdn('+254712345126')).to.equal('2547 ***** 126');
  });

  it('readValidationAnswer() accepts ResultCode 0 (number or string), rejects C2B000xx, and leaves anything else to the default', () => {
    expect(readValidationAnswer(200, { ResultCode: 0, ResultDesc: 'Accepted' })).to.deep.equal({ accepted: true });
    expect(readValidationAnswer(200, { ResultCode: '0', ThirdPartyTransID: 'INV-9' })).to.deep.equal({ accepted: true, thirdPartyTransId: 'INV-9' });
    expect(readValidationAnswer(200, { ResultCode: 'C2B00013', ResultDesc: 'Invalid Amount' })).to.deep.equal({ accepted: false, resultCode: 'C2B00013', resultDesc: 'Invalid Amount' });
    expect(readValidationAnswer(200, { ResultCode: 1, ResultDesc: 'Rejected' })).to.include({ accepted: false, resultCode: 'C2B00016' });
    expect(readValidationAnswer(500, { ResultCode: 0 })).to.equal(null);
    expect(readValidationAnswer(200, null)).to.equal(null);
  });

  it('merchantNotice() speaks the merchant\'s language, English or Kiswahili, in GSM-7 alone', () => {
    const paybill = {
      code: 'SKL4Q2M7XP', amount: 100_050n, merchantName: 'Kenya Power', accountRef: 'ACC-1', at: new Date('2026-11-23T12:15:07Z'),
      payerName: 'AMINA WANJIRU', payerMsisdn: '0712***126', commission: 500n,
    };
    const till = { ...paybill, accountRef: '' };

    const texts = [merchantNotice('en', paybill), merchantNotice('sw', paybill), merchantNotice('en', till), merchantNotice('sw', till)];

    expect(texts).to.deep.equal([
      'SKL4Q2M7XP Confirmed. You have received KES 1,000.50 from AMINA WANJIRU 0712***126 for account ACC-1 on 23/11/26 at 3:15 PM. Commission KES 5.',
      'SKL4Q2M7XP Imethibitishwa. Umepokea KES 1,000.50 kutoka kwa AMINA WANJIRU 0712***126 kwa akaunti ACC-1 tarehe 23/11/26 saa 3:15 PM. Kamisheni KES 5.',
      'SKL4Q2M7XP Confirmed. You have received KES 1,000.50 from AMINA WANJIRU 0712***126 on 23/11/26 at 3:15 PM. Commission KES 5.',
      'SKL4Q2M7XP Imethibitishwa. Umepokea KES 1,000.50 kutoka kwa AMINA WANJIRU 0712***126 tarehe 23/11/26 saa 3:15 PM. Kamisheni KES 5.',
    ]);
    for (const text of texts) expect(toGsm7(text), text).to.equal(text);
  });
});
