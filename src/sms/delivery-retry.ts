/**
 * What to do with an SMS that AT's delivery report says did not reach the phone: send it
 * again later, or give up at once. AT's `failureReason` values (docs: SMS → Notifications →
 * Delivery reports; `failureReason` comes only with Rejected or Failed, and not every telco
 * sends one):
 *
 * - may clear, so the row is sent again with backoff: DeliveryFailure (the telco gave no
 *   better reason; AT's catch-all), AbsentSubscriber (phone off or out of coverage), a
 *   `Failed` without a reason (AT calls that DeliveryFailure), an `Expired` message (the
 *   telco held it until its validity ran out), and any reason AT adds later (the limit caps
 *   what a wrong guess costs);
 * - will not clear, so the row is final at once and the person on call is told:
 *   InsufficientCredit, InvalidLinkId, UserIsInactive (deactivated by the telco),
 *   UserInBlackList, UserAccountSuspended, NotNetworkSubscriber (AT's docs spell it
 *   NotNetworkSubcriber too), UserNotSubscribedToProduct, UserDoesNotExist, and a
 *   `Rejected` without a reason.
 *
 * AT documents InsufficientCredit as the subscriber's airtime running short for a premium
 * (subscription) message. Simu sends bulk SMS, whose cost is taken from Simu's own AT
 * balance, so on Simu's account it means that balance (or the product's setup) is wrong:
 * it is logged as an alert for the person on call, not retried.
 */
import { nextSendableAt } from './quiet-hours.js';
import { SCHEDULED_KINDS, type SmsKind } from './outbox.js';

/** Minutes before the 1st, 2nd and 3rd redelivery; its length is the limit of redeliveries. */
export const DR_RETRY_BACKOFF_MINUTES: readonly number[] = [5, 30, 120];

/** Reasons worth another send. */
export const RETRIABLE_FAILURE_REASONS: ReadonlySet<string> = new Set(['DeliveryFailure', 'AbsentSubscriber', 'Expired']);

/** Reasons that another send will meet again. */
export const FINAL_FAILURE_REASONS: ReadonlySet<string> = new Set([
  'InsufficientCredit', 'InvalidLinkId', 'UserIsInactive', 'UserInBlackList', 'UserAccountSuspended',
  'NotNetworkSubscriber', 'NotNetworkSubcriber', 'UserNotSubscribedToProduct', 'UserDoesNotExist', 'Rejected',
]);

/** The report statuses that end a send without delivery. */
export const FAILED_STATUSES: ReadonlySet<string> = new Set(['Failed', 'Rejected', 'Expired']);

/**
 * The failure reason of a failed report: AT's `failureReason` when given, else what its
 * status implies (`Failed` → DeliveryFailure, as AT's docs say; `Rejected`, `Expired` → themselves).
 */
export function failureReasonOf(status: string, failureReason?: string): string {
  if (failureReason) return failureReason;
  return status === 'Failed' ? 'DeliveryFailure' : status;
}

/** True when a failure for `reason` may clear: the SMS is worth sending again. */
export function isRetriableFailure(reason: string): boolean {
  if (RETRIABLE_FAILURE_REASONS.has(reason)) return true;
  return !FINAL_FAILURE_REASONS.has(reason); // a reason AT adds later: try, within the limit
}

/** Settings of the redelivery policy; tests shorten the backoff. */
export interface RedeliveryOptions {
  /** Minutes before each redelivery; its length is the limit. Default DR_RETRY_BACKOFF_MINUTES. */
  backoffMinutes?: readonly number[];
  /** The clock. Default: now. */
  now?: Date;
}

/**
 * When the `retry`-th redelivery (1-based) of an SMS of `kind` may go: now + its backoff,
 * and for scheduled kinds (invoices, reminders, bulk) not during quiet hours. Null when
 * `retry` is past the limit.
 */
export function redeliveryAt(retry: number, kind: string, opts: RedeliveryOptions = {}): Date | null {
  const backoff = opts.backoffMinutes ?? DR_RETRY_BACKOFF_MINUTES;
  if (retry < 1 || retry > backoff.length) return null;
  const due = new Date((opts.now ?? new Date()).getTime() + backoff[retry - 1] * 60_000);
  return SCHEDULED_KINDS.has(kind as SmsKind) ? nextSendableAt(due) : due;
}
