import { AppError } from '../errors/index.js';

/** No active merchant holds that paybill or till number. */
export class MerchantNotFoundError extends AppError {
  constructor(readonly kind: string, readonly shortCode: string) {
    super('merchant_not_found', `no active ${kind} ${shortCode}`, 404, true);
  }
}

/** A merchant with that kind and number exists already (admin create). */
export class MerchantExistsError extends AppError {
  constructor(readonly kind: string, readonly shortCode: string) {
    super('merchant_exists', `a ${kind} ${shortCode} exists already`, 409, true);
  }
}

/**
 * The merchant's validation URL refused the payment (Daraja `C2B000xx`), or did not answer
 * in time and the merchant's default is to reject (`timeout`). Nothing moved.
 */
export class MerchantRejectedError extends AppError {
  constructor(readonly resultCode: string, readonly resultDesc: string) {
    super('merchant_rejected', `the merchant refused the payment: ${resultCode} ${resultDesc}`.trim(), 422, true);
  }
}
