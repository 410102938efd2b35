/** The refusals of chamas, each with its HTTP status (AppError) and a menu screen keyed by `code`. */
import { AppError } from '../errors/index.js';

/** No chama with that id or short code (404). */
export class ChamaNotFoundError extends AppError {
  constructor(what: string) {
    super('chama_not_found', `no chama ${what}`, 404, true);
  }
}

/** A chama with that short code exists already (409). */
export class ChamaExistsError extends AppError {
  constructor(readonly code_: string) {
    super('chama_exists', `the short code ${code_} is taken`, 409, true);
  }
}

/** The chama is suspended: it takes no money and pays none out (409). */
export class ChamaInactiveError extends AppError {
  constructor(readonly chamaId: number) {
    super('chama_inactive', `chama ${chamaId} is suspended`, 409, true);
  }
}

/** The customer is not an active member of the chama (403 from the menu's point of view; 404 over HTTP). */
export class NotAMemberError extends AppError {
  constructor(what: string) {
    super('not_a_member', `${what} is not a member of this chama`, 404, true);
  }
}

/** The customer is a member already (409). */
export class AlreadyAMemberError extends AppError {
  constructor() {
    super('already_a_member', 'already a member of this chama', 409, true);
  }
}

/** Only an official (chairperson, treasurer, secretary) may do this, or not this official (403). */
export class NotAnOfficialError extends AppError {
  constructor(what: string) {
    super('not_an_official', what, 403, true);
  }
}

/** The office (chairperson, treasurer, secretary) is held by another member (409). */
export class OfficeTakenError extends AppError {
  constructor(readonly role: string) {
    super('office_taken', `the ${role} is another member: change their role first`, 409, true);
  }
}

/** The contribution is more than what is owed plus the cycles that may be paid ahead (400). */
export class ContributionTooLargeError extends AppError {
  constructor(readonly max: bigint) {
    super('contribution_too_large', `at most ${max} cents may be paid now`, 400, true);
    this.details = { max: max.toString() };
  }
}

/** Nothing to do: no cycle due for payout, no request to approve, and the like (409). */
export class ChamaStateError extends AppError {
  constructor(code: string, message: string) {
    super(code, message, 409, true);
  }
}

/** A group loan asked for more than the member may borrow (400); `max` in cents. */
export class ChamaLoanLimitError extends AppError {
  constructor(readonly max: bigint, readonly reason: string) {
    super('chama_loan_limit', `at most ${max} cents: ${reason}`, 400, true);
    this.details = { max: max.toString(), reason };
  }
}
