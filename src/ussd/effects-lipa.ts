/** The lipa menu's effects, implemented with the domain (see menus/lipa-actors.ts). */
export const lipaEffects = {};
