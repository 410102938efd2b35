import { expect } from 'chai';
import { carriesPin } from './helpers/pin.js';

describe('carriesPin() (test helper)', () => {
  it('finds a PIN typed as an input or stored in a field, and ignores longer random pieces and ignored keys', () => {
    expect(carriesPin({ text: '1*0712345678*10*1*7391' }, '7391')).to.equal(true);
    expect(carriesPin({ context: { pending: '7391' } }, '7391')).to.equal(true);
    expect(carriesPin({ text: '1*0712345678*10*1*[pin]', mac: 'ab7391cd', msisdn: '+254717391234' }, '7391')).to.equal(false);
    expect(carriesPin({ requestId: '1f2e-7391-aa' }, '7391', ['requestId'])).to.equal(false);
  });
});
