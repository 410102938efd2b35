/** The language a customer's menus and SMS speak, remembered per customer. */
import { db as defaultDb, type Db } from '../db/index.js';
import { CustomerNotFoundError } from './errors.js';

/** Languages Simu speaks. */
export type Language = 'en' | 'sw';

/**
 * Remembers `language` for the customer holding `msisdn`.
 *
 * @throws CustomerNotFoundError
 */
export async function setLanguage(msisdn: string, language: Language, db: Db = defaultDb): Promise<void> {
  const updated = await db('customers').where({ msisdn }).update({ language, updated_at: db.fn.now() });
  if (updated === 0) throw new CustomerNotFoundError();
}
