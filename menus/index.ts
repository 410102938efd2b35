/** Menus: pure XState machines for the *384# USSD service and their screens. */
export { mainMenu } from './machine.js';
export { renderScreen, statePath, type Screen, type RenderableSnapshot } from './render.js';
export { SCREEN_LIMIT, gsm7Length, toGsm7 } from './gsm7.js';
export type { MenuContext, MenuInput, InputEvent, MenuFailure, Effects, Lang } from './types.js';
