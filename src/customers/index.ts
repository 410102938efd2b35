/** Customers: registration, lookup, PINs and the wrong-PIN lockout. */
export { findCustomer, registerCustomer, type Customer, type Registration } from './repository.js';
export { verifyPin, changePin, setPin, MAX_PIN_ATTEMPTS, PIN_LOCK_MINUTES } from './pin-check.js';
export { isPinFormat, hashPin } from './pin.js';
export { sealPin, sealMatches } from './seal.js';
export {
  PinLockedError, WrongPinError, CustomerNotFoundError, AlreadyRegisteredError, CustomerInactiveError, InvalidPinError,
} from './errors.js';
