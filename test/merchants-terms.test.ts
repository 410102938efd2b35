/**
 * A merchant's terms as data: its commission rate (basis points) and the language of its
 * payment SMS, applied by payMerchant() to money in PostgreSQL and to the SMS outbox.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { displayBalance, getAccount, systemAccount } from '../src/ledger/index.js';
import { createMerchant, payMerchant, updateMerchant, type Merchant, type NewMerchant } from '../src/merchants/index.js';
import { assertLedgerSound, makeCustomer, randomMsisdn } from './helpers/customers.js';

async function makeMerchant(spec: Partial<NewMerchant> = {}): Promise<Merchant> {
  return db.transaction((trx) => createMerchant(trx, {
    kind: 'till', shortCode: String(randomInt(1_000_000, 10_000_000)), name: 'Duka La Mama', smsMsisdn: randomMsisdn(), ...spec,
  }));
}

const balanceOf = async (accountId: number) => displayBalance(await getAccount(db, accountId));
const revenueBalance = async () => balanceOf((await systemAccount(db, 'charges')).id);

async function pay(merchant: Merchant, cents: bigint) {
  const payer = await makeCustomer(5_000, { firstName: 'Amina' });
  return payMerchant({
    payerMsisdn: payer.msisdn, kind: merchant.kind, shortCode: merchant.shortCode, accountRef: 'ACC-7', amount: cents, pin: '1234', idempotencyKey: `ussd:${randomUUID()}:6`,
  });
}

const merchantSms = async (code: string) => (await db('sms_outbox').where({ dedupe_key: `receipt:${code}:merchant` }).first()).message as string;

describe('merchant terms: commission rate and SMS language', () => {
  afterEach(assertLedgerSound);

  it('a merchant created without terms pays 50 bp (0.5 %) and gets English SMS', async () => {
    const merchant = await makeMerchant();

    const receipt = await pay(merchant, 100_100n);

    expect(merchant).to.include({ commissionBp: 50, language: 'en' });
    expect(receipt.commission).to.equal(501n);
    expect(await merchantSms(receipt.code)).to.match(new RegExp(`^${receipt.code} Confirmed\\. You have received KES 1,001 from AMINA CUSTOMER .+ Commission KES 5\\.01\\.$`));
  });

  it('a merchant at 100 bp pays 1 %: its settlement account gets the amount less 1 %, revenue the 1 %', async () => {
    const merchant = await makeMerchant({ commissionBp: 100 });
    const revenueBefore = await revenueBalance();

    const receipt = await pay(merchant, 250_050n); // KES 2,500.50: 1 % is 2 500.5 cents → 2 501

    expect(receipt.commission).to.equal(2_501n);
    expect(await balanceOf(merchant.settlementAccountId)).to.equal(250_050n - 2_501n);
    expect((await revenueBalance()) - revenueBefore).to.equal(2_501n);
    const entry = await db('journal_entries').where({ code: receipt.code }).first();
    expect(entry.metadata).to.include({ commission: 2_501, commissionBp: 100 });
  });

  it('a merchant at 0 bp pays no commission: no revenue leg is posted', async () => {
    const merchant = await makeMerchant({ commissionBp: 0 });

    const receipt = await pay(merchant, 10_000n);

    expect(receipt.commission).to.equal(0n);
    expect(await balanceOf(merchant.settlementAccountId)).to.equal(10_000n);
    const entry = await db('journal_entries').where({ code: receipt.code }).first();
    expect(await db('postings').where({ journal_entry_id: entry.id })).to.have.length(2);
  });

  it('a new rate applies to the next payment', async () => {
    const merchant = await makeMerchant();

    const before = await pay(merchant, 100_000n);
    await db.transaction((trx) => updateMerchant(trx, merchant.id, { commissionBp: 200 }));
    const after = await pay(merchant, 100_000n);

    expect([before.commission, after.commission]).to.deep.equal([500n, 2_000n]);
  });

  it('a merchant whose language is sw gets its payment SMS in Kiswahili; the payer still gets theirs in English', async () => {
    const merchant = await makeMerchant({ kind: 'paybill', language: 'sw', name: 'Maji Safi' });

    const receipt = await pay(merchant, 20_000n);

    expect(await merchantSms(receipt.code)).to.match(new RegExp(
      `^${receipt.code} Imethibitishwa\\. Umepokea KES 200 kutoka kwa AMINA CUSTOMER 07\\d\\d\\*\\*\\*\\d{3} kwa akaunti ACC-7 tarehe \\d\\d/\\d\\d/\\d\\d saa .+\\. Kamisheni KES 1\\.$`,
    ));
    const payer = await db('sms_outbox').where({ dedupe_key: `receipt:${receipt.code}:payer` }).first();
    expect(payer.message).to.match(new RegExp(`^${receipt.code} Confirmed\\. KES 200 paid to Maji Safi for account ACC-7 `));
  });

  it('the database refuses a rate outside 0-1000 bp and a language other than en or sw', async () => {
    const merchant = await makeMerchant();

    const errors = await Promise.all([
      db('merchants').where({ id: merchant.id }).update({ commission_bp: 1001 }).catch((e: { constraint?: string }) => e.constraint),
      db('merchants').where({ id: merchant.id }).update({ commission_bp: -1 }).catch((e: { constraint?: string }) => e.constraint),
      db('merchants').where({ id: merchant.id }).update({ language: 'fr' }).catch((e: { constraint?: string }) => e.constraint),
    ]);

    expect(errors).to.deep.equal(['merchants_commission_bp_check', 'merchants_commission_bp_check', 'merchants_language_check']);
  });
});
