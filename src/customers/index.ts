/** Customers: registration, lookup, status, PINs and the wrong-PIN lockout. */
export { findCustomer, registerCustomer, toCustomer, type Customer, type Registration } from './repository.js';
export { verifyPin, verifyPinOnRow, changePin, setPin, MAX_PIN_ATTEMPTS, PIN_LOCK_MINUTES } from './pin-check.js';
export { isPinFormat, hashPin, pinMatches } from './pin.js';
export { checkPinOnRow, throwRefusal, type PinOutcome, type PinRow } from './lockout.js';
export { sealPin, sealMatches } from './seal.js';
export {
  searchCustomers, toCustomerSummary, loadCustomerRecord, toPinState, type CustomerSummary, type CustomerRecord, type PinState,
} from './lookup.js';
export { setCustomerStatus, SETTABLE_STATUSES, CustomerClosedError, type SettableStatus, type StatusWithReason } from './status.js';
export { unlockPin } from './pin-unlock.js';
export {
  requestPinReset, verifyPinResetCode, completePinReset, isResetCodeFormat, RESET_CODE_MINUTES, MAX_RESET_ATTEMPTS, RESET_LOCK_MINUTES, MAX_RESET_CODES,
} from './pin-reset.js';
export {
  PinLockedError, WrongPinError, CustomerNotFoundError, AlreadyRegisteredError, CustomerInactiveError, InvalidPinError,
  WrongResetAnswerError, ResetLockedError, ResetExpiredError,
} from './errors.js';
export { setLanguage, type Language } from './language.js';
export { resolveCaller, type Caller } from './caller.js';
