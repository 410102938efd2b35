import { AppError } from '../errors/index.js';

/** No loan product with that code (or id). */
export class LoanProductNotFoundError extends AppError {
  constructor(readonly product: string) {
    super('loan_product_not_found', `no loan product ${product}`, 404, true);
  }
}

/** A product with that code exists already. */
export class LoanProductExistsError extends AppError {
  constructor(readonly productCode: string) {
    super('loan_product_exists', `a loan product ${productCode} exists already`, 409, true);
  }
}

/** The product is retired: it lends no more. */
export class LoanProductRetiredError extends AppError {
  constructor(readonly productCode: string) {
    super('loan_product_retired', `loan product ${productCode} is retired`, 409, true);
  }
}

/** No loan with that id. */
export class LoanNotFoundError extends AppError {
  constructor(readonly loanId: bigint) {
    super('loan_not_found', `no loan ${loanId}`, 404, true);
  }
}

/** The principal is outside the product's bounds (`min`, `max` in cents). */
export class LoanAmountOutOfRangeError extends AppError {
  constructor(readonly min: bigint, readonly max: bigint) {
    super('loan_amount_out_of_range', `the principal must be between ${min} and ${max} cents`, 400, true);
    this.details = { min: min.toString(), max: max.toString() };
  }
}

/** The loan's life does not allow the step (repaying a repaid loan, writing off an active one). */
export class LoanStatusError extends AppError {
  constructor(readonly loanStatus: string, readonly event: string) {
    super('loan_status', `a loan that is ${loanStatus} cannot take ${event}`, 409, true);
  }
}

/** A repayment larger than what settles the loan today (`payoff`, cents): refused, nothing moves. */
export class LoanOverpaymentError extends AppError {
  constructor(readonly payoff: bigint) {
    super('loan_overpayment', `the loan is settled by ${payoff} cents`, 409, true);
    this.details = { payoff: payoff.toString() };
  }
}

/** A write-off before the oldest unpaid installment has been overdue 90 days (`overdueDays` so far). */
export class WriteOffTooEarlyError extends AppError {
  constructor(readonly overdueDays: number) {
    super('write_off_too_early', `a loan may be written off after 90 days overdue, not ${overdueDays}`, 409, true);
  }
}
