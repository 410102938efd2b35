import { AppError } from '../errors/index.js';

/** Airtime comes in whole shillings from KES 5 to KES 10,000 (issue 4). */
export const MIN_AIRTIME_CENTS = 500n;
export const MAX_AIRTIME_CENTS = 1_000_000n;

/** The amount is not whole shillings within KES 5–10,000. */
export class AirtimeAmountError extends AppError {
  constructor() {
    super('airtime_amount', 'airtime is KES 5 to KES 10,000 in whole shillings', 422, true);
  }
}

/** True when `cents` is an amount of airtime one can buy. */
export function isAirtimeAmount(cents: bigint): boolean {
  return cents >= MIN_AIRTIME_CENTS && cents <= MAX_AIRTIME_CENTS && cents % 100n === 0n;
}

/** AT cannot be asked about this request: it is final, its reversal is owed, or AT never took it (HTTP 409). */
export class AirtimeNotCheckableError extends AppError {
  constructor(readonly airtimeId: string, reason: string) {
    super('airtime_not_checkable', `airtime request ${airtimeId} ${reason}`, 409, true);
  }
}
