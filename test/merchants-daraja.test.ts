/** Pure parts of Lipa: the commission's rounding and the Daraja C2B formats. */
import { expect } from 'chai';
import { commissionFor, maskedMsisdn, readValidationAnswer, shillings, transTime } from '../src/merchants/index.js';

describe('commissionFor() and the Daraja C2B formats', () => {
  it('commissionFor() takes 0.5 % of the cents, rounded half-up to the cent', () => {
    const cases: Array<[bigint, bigint]> = [[100_100n, 501n], [100_000n, 500n], [100n, 1n], [99n, 0n], [300n, 2n], [700_000_000n, 3_500_000n], [0n, 0n]];

    expect(cases.map(([amount]) => commissionFor(amount))).to.deep.equal(cases.map(([, commission]) => commission));
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
});
