/**
 * Opt-outs from scheduled SMS (reminders, invoices, bulk sends): the `sms_opt_outs` table
 * (migrations/20261206000030_sms_scheduled.ts). `enqueueSms` is the one place that reads
 * it; receipts and security notices still go to an opted-out number. Written by the STOP
 * command (`source` `sms`) and by AT's opt-out callback (`source` `at`: the subscriber
 * opted out at the network, e.g. by replying STOP to a premium or bulk sender id).
 */
import type { Db } from '../../db/index.js';

/** Where an opt-out came from. */
export type OptOutSource = 'sms' | 'at';

/** Puts `msisdn` (E.164) on the opt-out list; true when it was not on it already. */
export async function optOut(db: Db, msisdn: string, source: OptOutSource): Promise<boolean> {
  const rows = await db('sms_opt_outs').insert({ msisdn, source }).onConflict('msisdn').ignore().returning('msisdn');
  return rows.length > 0;
}

/** Takes `msisdn` (E.164) off the opt-out list; true when it was on it. */
export async function optIn(db: Db, msisdn: string): Promise<boolean> {
  return (await db('sms_opt_outs').where({ msisdn }).delete()) > 0;
}

/** Whether `msisdn` (E.164) is on the opt-out list. */
export async function isOptedOut(db: Db, msisdn: string): Promise<boolean> {
  return (await db('sms_opt_outs').where({ msisdn }).first('msisdn')) !== undefined;
}
