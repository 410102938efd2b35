/** Airtime: not built yet; the home menu item answers "coming soon". */
import { menuSetup } from './setup.js';

export const airtimeStates = menuSetup.createStateConfig({
  initial: 'soon',
  states: { soon: { always: { target: '#menu.comingSoon' } } },
});

/** Top-level END states of this menu (spread into the machine's states). */
export const airtimeFinals = {};
