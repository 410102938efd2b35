/** USSD: Africa's Talking's protocol, Redis-backed sessions, and the runner of the menus. */
export { runHop, type HopResult } from './runner.js';
export { parseUssdHop, MAX_TEXT_LENGTH, type UssdHop } from './at-request.js';
export { SESSION_TTL_SECONDS } from './session-store.js';
