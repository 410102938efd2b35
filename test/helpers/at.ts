/** Africa's Talking's SMS endpoint, intercepted with nock where the SDK really calls it. */
import nock from 'nock';

export const AT_HOST = 'https://api.africastalking.com';
export const AT_SMS_PATH = '/version1/messaging';

/** A request the SDK made: its form body and headers. */
export interface AtCall {
  body: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
}

/** AT's 201 answer for one recipient with `statusCode` / `status`. */
export function atAnswer(msisdn: string, statusCode = 101, status = 'Success', messageId = `ATXid_${Math.random().toString(36).slice(2)}`) {
  const sent = statusCode < 200;
  return {
    SMSMessageData: {
      Message: sent ? 'Sent to 1/1 Total Cost: KES 0.8000' : 'Sent to 0/1 Total Cost: 0',
      Recipients: [{ statusCode, number: msisdn, status, cost: sent ? 'KES 0.8000' : '0', messageId: sent ? messageId : 'None' }],
    },
  };
}

/**
 * Intercepts the next `times` SMS sends to `msisdn` (other recipients do not match) and
 * answers `status` with `body`. Every intercepted call is pushed onto `calls`.
 */
export function interceptAtSms(msisdn: string, status: number, body: unknown, calls: AtCall[] = [], times = 1): AtCall[] {
  nock(AT_HOST)
    .post(AT_SMS_PATH, (form: Record<string, string>) => form.to === msisdn)
    .times(times)
    .reply(function (_uri, requestBody) {
      calls.push({ body: new URLSearchParams(String(requestBody)), headers: this.req.headers });
      return [status, typeof body === 'string' ? body : JSON.stringify(body), { 'Content-Type': 'application/json' }];
    });
  return calls;
}

/** Lets only local connections (PostgreSQL, Redis, our own HTTP) through; call in `before`. */
export function blockOutboundHttp(): void {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
}
