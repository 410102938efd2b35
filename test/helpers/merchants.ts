/** A merchant's own HTTP server, as tests intercept it with nock (validation and confirmation URLs). */
import nock from 'nock';

/** Where test merchants' validation and confirmation URLs point. */
export const MERCHANT_HOST = 'https://merchant.example.test';

/** Answers the next POSTs to `path` with `statuses`, one each, keeping their bodies in `seen`. */
export function merchantAnswers(path: string, statuses: number[], seen: Array<Record<string, unknown>> = []) {
  for (const status of statuses) {
    nock(MERCHANT_HOST).post(path).reply((_uri, body) => {
      seen.push(body as Record<string, unknown>);
      return [status, JSON.stringify({ ResultCode: status === 200 ? 0 : 1, ResultDesc: status === 200 ? 'Success' : 'Busy' })];
    });
  }
  return seen;
}
