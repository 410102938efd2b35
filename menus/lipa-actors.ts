/**
 * The effects of the Lipa menu, declared for the setup (implemented in
 * src/ussd/effects-lipa.ts). Amounts are cents as decimal strings (JSON context).
 */
export const lipaActors = {};
