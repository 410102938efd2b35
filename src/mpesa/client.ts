/**
 * The Daraja (Safaricom M-Pesa API) client: OAuth access token, cached in memory until
 * shortly before it expires (concurrent callers share one fetch), and `darajaPost()` with
 * the bearer token for every API call. C2B URL registration is built on it; STK push, STK
 * query and B2C are each one more `darajaPost()` (next session).
 *
 * Formats follow Safaricom's Daraja pages:
 * - Authorization: https://developer.safaricom.co.ke/APIs/Authorization —
 *   `GET /oauth/v1/generate?grant_type=client_credentials`, Basic base64(key:secret),
 *   answers `{ "access_token": "...", "expires_in": "3599" }` (a string).
 * - C2B register URL: https://developer.safaricom.co.ke/APIs/CustomerToBusinessRegisterURL —
 *   `POST /mpesa/c2b/v2/registerurl` `{ ShortCode, ResponseType, ConfirmationURL, ValidationURL }`,
 *   answers `{ OriginatorCoversationID, ResponseCode: "0", ResponseDescription: "success" }`.
 * - Errors: `{ requestId, errorCode: "401.003.01", errorMessage: "Error Occurred - Invalid Access Token - ..." }`.
 */
import { config } from '../config/index.js';
import { logger } from '../logger/index.js';
import { DarajaAuthError, DarajaRequestError, MpesaNotConfiguredError } from './errors.js';
import { darajaHttp, type DarajaAnswer } from './transport.js';

const log = logger.child({ component: 'mpesa' });

/** Daraja's hosts per environment. */
export const DARAJA_HOSTS = {
  sandbox: 'https://sandbox.safaricom.co.ke',
  production: 'https://api.safaricom.co.ke',
} as const;

/** A token is refetched this long before Daraja says it expires (clock skew, requests in flight). */
export const TOKEN_MARGIN_MS = 60_000;
/** Default timeout of one Daraja request (the whole exchange). */
export const DARAJA_TIMEOUT_MS = 15_000;

/** How a client is made; `now` is injectable so tests expire the cache without waiting. */
export interface DarajaClientOptions {
  environment: 'sandbox' | 'production';
  consumerKey: string;
  consumerSecret: string;
  timeoutMs?: number;
  /** Milliseconds since the epoch; `Date.now` unless a test gives its own clock. */
  now?: () => number;
}

/** What M-Pesa does when the validation URL does not answer in time (Daraja's sentence case). */
export type C2bResponseType = 'Completed' | 'Cancelled';

/** A C2B register URL request (Daraja field names). */
export interface C2bRegisterRequest {
  ShortCode: string;
  ResponseType: C2bResponseType;
  ConfirmationURL: string;
  ValidationURL: string;
}

/** Daraja's answer to a register URL request (note Safaricom's spelling `OriginatorCoversationID`). */
export interface C2bRegisterAnswer {
  OriginatorCoversationID?: string;
  ResponseCode?: string;
  ResponseDescription?: string;
  [field: string]: unknown;
}

/** A Daraja API client for one set of credentials. */
export class DarajaClient {
  /** `https://sandbox.safaricom.co.ke` or `https://api.safaricom.co.ke`. */
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private token: { value: string; refreshAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(private readonly opts: DarajaClientOptions) {
    this.baseUrl = DARAJA_HOSTS[opts.environment];
    this.timeoutMs = opts.timeoutMs ?? DARAJA_TIMEOUT_MS;
    this.now = opts.now ?? Date.now;
  }

  /**
   * A valid access token: the cached one until TOKEN_MARGIN_MS before it expires, else a new
   * one; concurrent callers wait on the same fetch.
   *
   * @throws DarajaAuthError, DarajaUnreachableError
   */
  async accessToken(): Promise<string> {
    if (this.token && this.now() < this.token.refreshAt) return this.token.value;
    this.pending ??= this.fetchToken().finally(() => { this.pending = null; });
    return this.pending;
  }

  /** Forgets the cached token (Daraja refused it): the next call fetches a new one. */
  expireToken(): void {
    this.token = null;
  }

  /**
   * POSTs `body` as JSON to `path` (e.g. `/mpesa/c2b/v2/registerurl`) with the bearer token.
   * A 401 (token revoked early) expires the cached token and tries once more with a new one.
   * Answers the JSON body of a 2xx.
   *
   * @throws DarajaRequestError (non-2xx, or not JSON), DarajaAuthError, DarajaUnreachableError
   */
  async darajaPost<T = Record<string, unknown>>(path: string, body: unknown): Promise<T> {
    let answer = await this.postOnce(path, body);
    if (answer.status === 401) {
      this.expireToken();
      answer = await this.postOnce(path, body);
    }
    if (answer.status < 200 || answer.status >= 300 || !answer.body) throw requestError(answer);
    return answer.body as T;
  }

  /**
   * Registers Simu's C2B validation and confirmation URLs for a shortcode (v2: masked MSISDN).
   *
   * @throws DarajaRequestError when Daraja refuses (say the URLs are registered already in production)
   */
  async registerC2bUrls(req: C2bRegisterRequest): Promise<C2bRegisterAnswer> {
    const answer = await this.darajaPost<C2bRegisterAnswer>('/mpesa/c2b/v2/registerurl', req);
    if (answer.ResponseCode !== undefined && String(answer.ResponseCode) !== '0') {
      throw new DarajaRequestError(200, String(answer.ResponseCode), String(answer.ResponseDescription ?? ''));
    }
    return answer;
  }

  private async postOnce(path: string, body: unknown): Promise<DarajaAnswer> {
    const token = await this.accessToken();
    return darajaHttp('POST', `${this.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` }, body, timeoutMs: this.timeoutMs });
  }

  private async fetchToken(): Promise<string> {
    const basic = Buffer.from(`${this.opts.consumerKey}:${this.opts.consumerSecret}`).toString('base64');
    const answer = await darajaHttp('GET', `${this.baseUrl}/oauth/v1/generate?grant_type=client_credentials`, {
      headers: { authorization: `Basic ${basic}` }, timeoutMs: this.timeoutMs,
    });
    const value = answer.body?.access_token;
    if (answer.status !== 200 || typeof value !== 'string' || value === '') {
      throw new DarajaAuthError(answer.status, String(answer.body?.errorMessage ?? 'no access_token in the answer'));
    }
    // `expires_in` is a string of seconds ("3599"); anything unreadable counts as the usual hour.
    const seconds = /^[0-9]{1,7}$/.test(String(answer.body?.expires_in ?? '')) ? Number(answer.body!.expires_in) : 3599;
    this.token = { value, refreshAt: this.now() + Math.max(0, seconds * 1000 - TOKEN_MARGIN_MS) };
    log.info('daraja token fetched', { environment: this.opts.environment, expiresInSeconds: seconds });
    return value;
  }
}

function requestError(answer: DarajaAnswer): DarajaRequestError {
  const b = answer.body ?? {};
  const code = String(b.errorCode ?? b.ResponseCode ?? '');
  const message = String(b.errorMessage ?? b.ResponseDescription ?? (answer.body ? '' : 'not a JSON answer'));
  return new DarajaRequestError(answer.status, code, message);
}

let shared: DarajaClient | null = null;

/**
 * The process's client, from config (one token cache per process).
 *
 * @throws MpesaNotConfiguredError when MPESA_CONSUMER_KEY or MPESA_CONSUMER_SECRET is unset
 */
export function darajaClient(): DarajaClient {
  const { environment, consumerKey, consumerSecret } = config.mpesa;
  const missing = [!consumerKey && 'MPESA_CONSUMER_KEY', !consumerSecret && 'MPESA_CONSUMER_SECRET'].filter(Boolean) as string[];
  if (missing.length) throw new MpesaNotConfiguredError(missing);
  shared ??= new DarajaClient({ environment, consumerKey: consumerKey!, consumerSecret: consumerSecret! });
  return shared;
}

/** The C2B callback URLs Simu registers: `${PUBLIC_URL}/mpesa/<token>/c2b/{validation,confirmation}`. */
export function c2bCallbackUrls(publicUrl: string, callbackToken: string): { validationUrl: string; confirmationUrl: string } {
  const base = `${publicUrl.replace(/\/+$/, '')}/mpesa/${callbackToken}/c2b`;
  return { validationUrl: `${base}/validation`, confirmationUrl: `${base}/confirmation` };
}
