/** Errors of the M-Pesa rail (Daraja). */
import { AppError } from '../errors/index.js';

/** The rail's configuration is missing (credentials, shortcode, callback token or PUBLIC_URL). */
export class MpesaNotConfiguredError extends AppError {
  constructor(readonly missing: string[]) {
    super('mpesa_not_configured', `M-Pesa is not configured: set ${missing.join(', ')}`, 503, false);
  }
}

/** Daraja refused our consumer key and secret, or answered the token request with no token. */
export class DarajaAuthError extends AppError {
  constructor(readonly httpStatus: number, reason: string) {
    super('daraja_auth_failed', `Daraja OAuth failed (HTTP ${httpStatus}): ${reason}`, 502, false);
  }
}

/** Daraja answered an API call with an error (`errorCode`/`errorMessage`, or a non-zero ResponseCode). */
export class DarajaRequestError extends AppError {
  constructor(readonly httpStatus: number, readonly darajaCode: string, readonly darajaMessage: string) {
    super('daraja_error', `Daraja answered HTTP ${httpStatus} ${darajaCode}: ${darajaMessage}`.trim(), 502, false);
  }
}

/** Daraja did not answer in time, or could not be reached (network error, proxy refusal). */
export class DarajaUnreachableError extends AppError {
  constructor(reason: string) {
    super('daraja_unreachable', `Daraja did not answer: ${reason}`, 504, false);
  }
}

/** No M-Pesa receipt with that transaction id (admin allocation). */
export class ReceiptNotFoundError extends AppError {
  constructor(readonly transId: string) {
    super('receipt_not_found', `no M-Pesa receipt ${transId}`, 404, true);
  }
}

/** The receipt is not in suspense: allocated already, or posted to a wallet when it came. */
export class ReceiptNotInSuspenseError extends AppError {
  constructor(readonly transId: string, readonly receiptStatus: string) {
    super('receipt_not_in_suspense', `M-Pesa receipt ${transId} is ${receiptStatus}, not in suspense`, 409, true);
  }
}

/** No STK or B2C request with that id (admin actions): 404. */
export class MpesaRequestNotFoundError extends AppError {
  constructor(readonly kind: 'stk' | 'b2c', readonly id: string) {
    super(`${kind}_request_not_found`, `no ${kind.toUpperCase()} request ${id}`, 404, true);
  }
}

/** The request is not in a status the operator's action applies to (settled already, say): 409. */
export class MpesaRequestStateError extends AppError {
  constructor(readonly kind: 'stk' | 'b2c', readonly id: string, readonly requestStatus: string, allowed: readonly string[]) {
    super(`${kind}_request_state`, `${kind.toUpperCase()} request ${id} is ${requestStatus}; this applies only to ${allowed.join(', ')}`, 409, true);
    this.details = { requestStatus };
  }
}

/** The M-Pesa receipt number an operator gave belongs to another request or customer, or to another amount: 409. */
export class ReceiptConflictError extends AppError {
  constructor(readonly receipt: string, why: string) {
    super('receipt_conflict', `M-Pesa receipt ${receipt} ${why}`, 409, true);
  }
}
