/** The airtime menu's effects, implemented with the domain (see menus/airtime-actors.ts). */
export const airtimeEffects = {};
