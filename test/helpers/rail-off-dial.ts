/**
 * Run as a child process by test/mpesa-rail-off.test.ts, with the M-Pesa rail switched off
 * in its environment (config is read once per process): a customer dials Top up from
 * M-PESA and Withdraw Cash → To M-PESA. Prints one JSON line: the screens, the wallet
 * before and after, and how many requests were recorded.
 */
import { db } from '../../src/db/index.js';
import { displayBalance, getAccount } from '../../src/ledger/index.js';
import { makeCustomer } from './customers.js';
import { closeTestResources } from './resources.js';
import { Dial } from './ussd.js';

const customer = await makeCustomer(1_000);
const wallet = async () => String(displayBalance(await getAccount(db, customer.walletAccountId)));
const before = await wallet();
const topUp = new Dial(customer.msisdn);
await topUp.open();
const topUpScreen = await topUp.typeAll('8', '7', '100');
const withdraw = new Dial(customer.msisdn);
await withdraw.open();
const withdrawScreen = await withdraw.typeAll('2', '2', '500');
const stk = await db('stk_requests').where({ customer_id: customer.id }).count<{ n: string }[]>({ n: '*' });
const b2c = await db('b2c_requests').where({ customer_id: customer.id }).count<{ n: string }[]>({ n: '*' });
process.stdout.write(JSON.stringify({ topUpScreen, withdrawScreen, before, after: await wallet(), stk: Number(stk[0].n), b2c: Number(b2c[0].n) }) + '\n');
await closeTestResources();
