/**
 * The effects of the Airtime menu, declared for the setup (implemented in
 * src/ussd/effects-airtime.ts). Amounts are cents as decimal strings (JSON context).
 */
export const airtimeActors = {};
