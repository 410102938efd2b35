import type { Knex } from 'knex';
import { findAgent, registerAgent, DEFAULT_COMMISSION_RATES, type AgentRegistration } from '../src/agents/index.js';
import { systemAccount, transfer } from '../src/ledger/index.js';

const KES = 100n;

/** Withdrawal charge by amount band (KES, inclusive), issue 5. */
export const WITHDRAWAL_BANDS: Array<[number, number, number]> = [
  [50, 100, 10],
  [101, 2_500, 27],
  [2_501, 5_000, 50],
  [5_001, 20_000, 75],
  [20_001, 70_000, 100],
];

/** The demo super agent and agent (PIN 1234), with the float each opens with, KES. */
export const DEMO_AGENTS: Array<AgentRegistration & { floatKes: bigint }> = [
  { agentNumber: '900900', name: 'Mwangi Super Agent', msisdn: '+254700000020', kind: 'super_agent', pin: '1234', stores: [{ storeNumber: '1', name: 'Head office' }], floatKes: 1_000_000n },
  { agentNumber: '100200', name: 'Daniel Mwangi Shop', msisdn: '+254700000010', kind: 'agent', superAgentNumber: '900900', pin: '1234', stores: [{ storeNumber: '1', name: 'Main store' }], floatKes: 50_000n },
];

/**
 * The withdrawal tariff, the commission rates and the demo agents. Safe to run twice: bands
 * go in only when the type has none, rates and agents only when missing, and the opening
 * float is keyed `seed:float:<agent number>`.
 */
export async function seed(knex: Knex): Promise<void> {
  if (!(await knex('tariffs').where({ kind: 'withdrawal' }).first('id'))) {
    await knex('tariffs').insert(WITHDRAWAL_BANDS.map(([min, max, charge]) => ({ kind: 'withdrawal', min_amount: BigInt(min) * KES, max_amount: BigInt(max) * KES + 99n, charge: BigInt(charge) * KES })));
  }
  await knex('commission_rates')
    .insert(DEFAULT_COMMISSION_RATES.map((r) => ({ kind: r.kind, base: r.base, rate_bp: r.rateBp, min_commission: r.minCommission })))
    .onConflict('kind')
    .ignore();
  const opening = await systemAccount(knex, 'opening');
  for (const { floatKes, ...reg } of DEMO_AGENTS) {
    const agent = (await findAgent(reg.agentNumber, knex)) ?? (await registerAgent(reg, knex));
    await transfer(
      {
        idempotencyKey: `seed:float:${reg.agentNumber}`, kind: 'seed', amount: floatKes * KES, memo: 'demo opening float',
        postings: [
          { accountId: opening.id, amount: floatKes * KES },
          { accountId: agent.floatAccountId, amount: -floatKes * KES },
        ],
      },
      {},
      knex,
    );
  }
}
