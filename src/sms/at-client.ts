/**
 * Africa's Talking, as far as sending one SMS goes: one SDK instance (`africastalking` 0.8,
 * CommonJS, untyped, hence the local types below) and the sorting of its answers into
 * accepted, refused for good, or worth another try.
 *
 * The SDK posts form-encoded `username, to, message, from, bulkSMSMode=1` with an `apikey`
 * header to `https://api.africastalking.com/version1/messaging` (node_modules/africastalking/
 * lib/sms.js), through axios, which honours HTTPS_PROXY / NO_PROXY. Note that the SDK switches
 * the whole process to the sandbox host when the username is `sandbox`.
 */
import { createRequire } from 'node:module';
import { config } from '../config/index.js';
import { installAtProxyTunnel } from './at-transport.js';

/**
 * One recipient of AT's answer, e.g. `{"statusCode":101,"number":"+254711XXXYYY",
 * "status":"Success","cost":"KES 0.8000","messageId":"ATPid_..."}`.
 */
export interface AtRecipient {
  statusCode: number;
  number: string;
  status: string;
  cost?: string;
  messageId?: string;
}

/** The JSON body AT answers a send with (HTTP 201); `Message` is e.g. `Sent to 1/1 Total Cost: KES 0.8000`. */
export interface AtSendResponse {
  SMSMessageData: { Message: string; Recipients: AtRecipient[] };
}

interface AtSdk {
  SMS: { send(params: { to: string; message: string; from?: string }): Promise<AtSendResponse> };
}

/** What became of one send: AT took it, refused it for good, or may take it on another try. */
export type AtSendResult =
  | { outcome: 'accepted'; messageId: string | null; status: string; statusCode: number }
  | { outcome: 'permanent' | 'transient'; status: string; statusCode?: number; reason: string };

/**
 * Recipient statusCodes, from AT's SMS docs (developers.africastalking.com/docs/sms/sending):
 * 100 Processed, 101 Sent, 102 Queued mean AT took the message.
 */
const ACCEPTED = new Set([100, 101, 102]);

/**
 * Refusals that the same request will meet again, so retrying only costs money and time:
 * 402 InvalidSenderId (our AT_SENDER_ID is not approved: fix the configuration, then set the
 * rows back to pending), 403 InvalidPhoneNumber, 404 UnsupportedNumberType, 406 UserInBlacklist
 * (the user opted out), 409 DoNotDisturbRejection, 502 RejectedByGateway (the telco refused
 * the content or sender). The rest (401 RiskHold, 405 InsufficientBalance, 407 CouldNotRoute,
 * 500 InternalServerError, 501 GatewayError, and any code AT adds later) may clear: a
 * top-up, a route coming back.
 */
const PERMANENT = new Set([402, 403, 404, 406, 409, 502]);
const PERMANENT_NAMES = new Set(['InvalidSenderId', 'InvalidPhoneNumber', 'UnsupportedNumberType', 'UserInBlacklist', 'DoNotDisturbRejection', 'RejectedByGateway']);

/** How long one send may take before it counts as a transient failure. Keep it well under
 * the 2 minutes after which another job may reclaim a row left in `sending`. */
export const AT_SEND_TIMEOUT_MS = 30_000;

let sdk: AtSdk | undefined;

/**
 * The process's one SDK instance, built on first use from config.at. Behind an HTTPS_PROXY
 * its SMS requests share kept-alive CONNECT tunnels (./at-transport.ts), not one per SMS.
 */
function atSdk(): AtSdk {
  if (!sdk) {
    const require = createRequire(import.meta.url);
    const africastalking = require('africastalking') as (o: { username: string; apiKey: string }) => AtSdk;
    sdk = africastalking({ username: config.at.username, apiKey: config.at.apiKey });
    // The SDK's URLs, after it has switched to the sandbox host or not.
    const common = createRequire(require.resolve('africastalking'))('./lib/common') as { SMS_URL: string };
    installAtProxyTunnel(common.SMS_URL);
  }
  return sdk;
}

/** Sorts AT's 201 answer for a single recipient. */
export function classifyAtResponse(data: AtSendResponse): AtSendResult {
  const recipient = data?.SMSMessageData?.Recipients?.[0];
  if (!recipient) {
    // A refusal of the whole request comes back as a bare Message ("InvalidSenderId").
    const message = String(data?.SMSMessageData?.Message ?? 'no recipients in answer').slice(0, 200);
    return { outcome: PERMANENT_NAMES.has(message) ? 'permanent' : 'transient', status: message, reason: message };
  }
  const { statusCode, status } = recipient;
  if (ACCEPTED.has(statusCode)) {
    const messageId = recipient.messageId && recipient.messageId !== 'None' ? recipient.messageId : null;
    return { outcome: 'accepted', messageId, status, statusCode };
  }
  return { outcome: PERMANENT.has(statusCode) ? 'permanent' : 'transient', status, statusCode, reason: `${statusCode} ${status}` };
}

interface HttpishError {
  isAxiosError?: boolean;
  code?: string;
  message?: string;
  response?: { status: number; data?: unknown };
}

/** Sorts what the SDK rejected with: an axios error, its own validation Error, or a body. */
export function classifyAtError(err: unknown): AtSendResult {
  const e = (err ?? {}) as HttpishError;
  if (e.response) {
    const body = typeof e.response.data === 'string' ? e.response.data : JSON.stringify(e.response.data ?? '');
    return { outcome: 'transient', status: `HTTP ${e.response.status}`, reason: `HTTP ${e.response.status}: ${body.slice(0, 200)}` };
  }
  if (e.isAxiosError || e.code) {
    return { outcome: 'transient', status: e.code ?? 'network', reason: `${e.code ?? 'network'}: ${String(e.message).slice(0, 200)}` };
  }
  // The SDK checks `to` with google-libphonenumber (Joi) before any HTTP: a number it
  // refuses will be refused again.
  if (err instanceof Error && /valid phone number|failed custom validation|is required/.test(err.message)) {
    return { outcome: 'permanent', status: 'InvalidPhoneNumber', reason: `refused by the SDK: ${err.message.slice(0, 200)}` };
  }
  // The SDK rejects with the body itself when AT answers 2xx but not 201.
  const text = err instanceof Error ? err.message : JSON.stringify(err ?? null);
  return { outcome: 'transient', status: 'unexpected answer', reason: String(text).slice(0, 200) };
}

/**
 * Sends one SMS through AT (not idempotent: each call may send a copy; callers de-duplicate
 * through the outbox). Never throws: every answer, HTTP error, network error and the
 * `timeoutMs` timeout (milliseconds) comes back as an `AtSendResult`. A send that times out
 * may still reach AT; its retry can then deliver a second copy, like any at-least-once send.
 * `senderId` overrides `AT_SENDER_ID` (AT's `from`) for this one SMS.
 */
export async function sendViaAt(to: string, message: string, timeoutMs = AT_SEND_TIMEOUT_MS, senderId?: string): Promise<AtSendResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
  });
  try {
    const from = senderId || config.at.senderId || undefined;
    const data = await Promise.race([atSdk().SMS.send({ to, message, from }), timeout]);
    return classifyAtResponse(data);
  } catch (err) {
    return classifyAtError(err);
  } finally {
    clearTimeout(timer);
  }
}
