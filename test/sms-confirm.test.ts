/**
 * Money by SMS, staged (src/sms/confirm stageMoneyCommand): each kind is checked as its
 * menu checks it, kept for 5 minutes under a 4-digit code, and answered with the dial
 * string in the customer's language. Refusals store nothing and move nothing.
 */
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { nationalFormat } from '../src/phone/index.js';
import { stageMoneyCommand, type MoneyCommand } from '../src/sms/confirm/index.js';
import { AppError } from '../src/errors/index.js';
import { assertLedgerSound, makeCustomer, randomMsisdn } from './helpers/customers.js';
import { makeGroup, makeMember, makeChama } from './helpers/chama.js';
import { giveLoan, makeMerchant, requestsOf, walletOf } from './helpers/sms-confirm.js';

const KES = 100n;
const TAIL = 'The code works for 5 minutes. Never send your PIN by SMS.';

/** The AppError code `stageMoneyCommand` refuses with. */
async function refusal(msisdn: string, command: MoneyCommand): Promise<string> {
  try {
    await stageMoneyCommand(db, msisdn, command);
  } catch (err) {
    expect(err).to.be.instanceOf(AppError);
    return (err as AppError).code;
  }
  throw new Error('staged, but a refusal was expected');
}

describe('SMS money commands: staging', () => {
  afterEach(assertLedgerSound);

  it('a send is checked, stored with its quote for 5 minutes, and answered with the dial string; nothing moves', async () => {
    const amina = await makeCustomer(1000);
    const brian = await makeCustomer(0, { firstName: 'Brian' });
    const staged = await stageMoneyCommand(db, amina.msisdn, { kind: 'send', recipient: nationalFormat(brian.msisdn), amount: 500n * KES });
    expect(staged.code).to.match(/^[0-9]{4}$/);
    expect(staged.reply).to.equal(`To confirm KES 500 to BRIAN CUSTOMER, dial *384*${staged.code}#. ${TAIL}`);
    const [row] = await requestsOf(amina.msisdn);
    expect(row.code).to.equal(staged.code);
    expect(row.command).to.deep.equal({ kind: 'send', recipient: nationalFormat(brian.msisdn), amount: '50000' });
    expect(row.quote).to.include({ kind: 'send', amountCents: '50000', chargeCents: '500', recipientMsisdn: brian.msisdn, recipientName: 'BRIAN CUSTOMER' });
    expect(row.used_at).to.equal(null);
    const minutes = (new Date(row.expires_at).getTime() - new Date(row.created_at).getTime()) / 60_000;
    expect(minutes).to.be.closeTo(5, 0.05);
    expect(await walletOf(amina)).to.equal(1000n * KES);
    expect(await walletOf(brian)).to.equal(0n);
  });

  it('a paybill and a till name the business; the account number is kept upper-case', async () => {
    const c = await makeCustomer(1000);
    const paybill = await makeMerchant({ name: 'Kenya Power' });
    const till = await makeMerchant({ kind: 'till', name: 'Mama Mboga Store' });
    const bill = await stageMoneyCommand(db, c.msisdn, { kind: 'paybill', paybill: paybill.shortCode, account: 'acc-12', amount: 500n * KES });
    expect(bill.reply).to.equal(`To confirm paying KES 500 to Kenya Power account ACC-12, dial *384*${bill.code}#. ${TAIL}`);
    const goods = await stageMoneyCommand(db, c.msisdn, { kind: 'till', till: till.shortCode, amount: 250n * KES });
    expect(goods.reply).to.equal(`To confirm paying KES 250 to Mama Mboga Store till ${till.shortCode}, dial *384*${goods.code}#. ${TAIL}`);
    expect((await requestsOf(c.msisdn)).map((r) => r.quote.kind)).to.deep.equal(['paybill', 'till']);
  });

  it('a contribution names the chama by its code; a repayment picks the open loan', async () => {
    const { chama, chair } = await makeGroup();
    const contribution = await stageMoneyCommand(db, chair.customer.msisdn, { kind: 'contribute', chamaCode: chama.code.toLowerCase(), amount: 500n * KES });
    expect(contribution.reply).to.equal(`To confirm paying KES 500 to ${chama.name}, dial *384*${contribution.code}#. ${TAIL}`);
    expect((await requestsOf(chair.customer.msisdn))[0].quote).to.include({ kind: 'contribute', chamaId: chama.id });

    const borrower = await makeCustomer(100);
    const { loan } = await giveLoan(borrower, 1000);
    const repay = await stageMoneyCommand(db, borrower.msisdn, { kind: 'repay', amount: 200n * KES });
    expect(repay.reply).to.equal(`To confirm repaying KES 200 on your Simu Advance loan, dial *384*${repay.code}#. ${TAIL}`);
    expect((await requestsOf(borrower.msisdn))[0].quote).to.include({ kind: 'repay', loanId: loan.id.toString() });
  });

  it('answers in Kiswahili to a customer who speaks it', async () => {
    const c = await makeCustomer(1000);
    const b = await makeCustomer(0, { firstName: 'Brian' });
    await db('customers').where({ id: c.id }).update({ language: 'sw' });
    const staged = await stageMoneyCommand(db, c.msisdn, { kind: 'send', recipient: b.msisdn, amount: 100n * KES });
    expect(staged.reply).to.equal(
      `Ili kuthibitisha kutuma KES 100 kwa BRIAN CUSTOMER, piga *384*${staged.code}#. Nambari hii inafanya kazi kwa dakika 5. Usitume PIN yako kwa SMS.`,
    );
  });

  it('a second request while one is pending gets its own code; both stay live', async () => {
    const c = await makeCustomer(1000);
    const b = await makeCustomer(0);
    const codes = new Set<string>();
    for (let i = 0; i < 5; i++) codes.add((await stageMoneyCommand(db, c.msisdn, { kind: 'send', recipient: b.msisdn, amount: 10n * KES })).code);
    expect(codes.size).to.equal(5);
    const rows = await requestsOf(c.msisdn);
    expect(rows).to.have.length(5);
    expect(rows.every((r) => r.used_at === null && new Date(r.expires_at) > new Date())).to.equal(true);
  });

  it('refuses, storing and moving nothing: unregistered, suspended, unknown recipient, self, over balance, over the limit, unknown business', async () => {
    const c = await makeCustomer(500);
    const b = await makeCustomer(0);
    const till = await makeMerchant({ kind: 'till' });
    const suspended = await makeCustomer(100);
    await db('customers').where({ id: suspended.id }).update({ status: 'suspended' });
    const send = (recipient: string, kes: bigint): MoneyCommand => ({ kind: 'send', recipient, amount: kes * KES });
    expect(await refusal(randomMsisdn(), send(b.msisdn, 10n))).to.equal('customer_not_found');
    expect(await refusal(suspended.msisdn, send(b.msisdn, 10n))).to.equal('customer_inactive');
    expect(await refusal(c.msisdn, send(randomMsisdn(), 10n))).to.equal('recipient_not_found');
    expect(await refusal(c.msisdn, send('not a phone', 10n))).to.equal('recipient_not_found');
    expect(await refusal(c.msisdn, send(c.msisdn, 10n))).to.equal('self_transfer');
    expect(await refusal(c.msisdn, send(b.msisdn, 500n))).to.equal('insufficient_funds'); // the amount fits, not the charge
    expect(await refusal(c.msisdn, send(b.msisdn, 0n))).to.equal('invalid_amount');
    expect(await refusal(c.msisdn, { kind: 'till', till: till.shortCode, amount: 1_000_000n * KES })).to.equal('limit_exceeded');
    expect(await refusal(c.msisdn, { kind: 'till', till: '999999', amount: 10n * KES })).to.equal('merchant_not_found');
    expect(await refusal(c.msisdn, { kind: 'paybill', paybill: till.shortCode, account: 'no spaces!', amount: 10n * KES })).to.equal('validation_failed');
    for (const who of [c, suspended]) expect(await requestsOf(who.msisdn)).to.have.length(0);
    expect(await walletOf(c)).to.equal(500n * KES);
  });

  it('refuses a chama or loan command that its menu would refuse, storing nothing', async () => {
    const { chama, chair } = await makeGroup();
    const outsider = await makeCustomer(10_000);
    const other = await makeChama();
    await makeMember(other);
    expect(await refusal(outsider.msisdn, { kind: 'contribute', chamaCode: chama.code, amount: 500n * KES })).to.equal('not_a_member');
    expect(await refusal(chair.customer.msisdn, { kind: 'contribute', chamaCode: 'NOSUCH', amount: 500n * KES })).to.equal('chama_not_found');
    expect(await refusal(chair.customer.msisdn, { kind: 'contribute', chamaCode: chama.code, amount: 9_000_000n * KES })).to.equal('contribution_too_large');
    expect(await refusal(outsider.msisdn, { kind: 'repay', amount: 100n * KES })).to.equal('no_open_loan');
    await giveLoan(outsider, 1000);
    expect(await refusal(outsider.msisdn, { kind: 'repay', amount: 5000n * KES })).to.equal('loan_overpayment');
    expect(await requestsOf(outsider.msisdn)).to.have.length(0);
    expect(await requestsOf(chair.customer.msisdn)).to.have.length(0);
  });
});
