/**
 * Drives the real app over HTTP exactly as Africa's Talking does: form-encoded posts to
 * /ussd with `text` accumulating every input joined by `*`.
 */
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { createApp } from '../../src/http/app.js';
import { db } from '../../src/db/index.js';
import { redis } from '../../src/redis/index.js';
import { closeAtEnd } from './resources.js';

let baseUrl: Promise<string> | undefined;

/** The base URL of one app server shared by the test run (closed at the end). */
export function appUrl(): Promise<string> {
  baseUrl ??= new Promise((resolve) => {
    const server = createApp({ db, redis }).listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
    closeAtEnd(async () => {
      await new Promise((r) => server.close(r));
      await redis.quit();
    });
  });
  return baseUrl;
}

/** Posts one raw AT hop; returns status and body text. */
export async function postUssd(fields: Record<string, string>): Promise<{ status: number; body: string }> {
  const res = await fetch(`${await appUrl()}/ussd`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, body: await res.text() };
}

/** One phone's USSD session, as AT relays it. */
export class Dial {
  readonly sessionId = `ATUid_${randomUUID().replace(/-/g, '')}`;
  readonly inputs: string[] = [];

  constructor(readonly msisdn: string, readonly serviceCode = '*384#') {}

  /** The first hop (empty text, or the inline inputs of the service code). */
  async open(): Promise<string> {
    return this.hop();
  }

  /** Types one input and returns the screen (`CON ...` / `END ...`). */
  async type(input: string): Promise<string> {
    this.inputs.push(input);
    return this.hop();
  }

  /** Types several inputs, one hop each; returns the last screen. */
  async typeAll(...inputs: string[]): Promise<string> {
    let screen = '';
    for (const i of inputs) screen = await this.type(i);
    return screen;
  }

  /** Sends the current text again (a telco retry). */
  async hop(): Promise<string> {
    const { status, body } = await postUssd({
      sessionId: this.sessionId, serviceCode: this.serviceCode, phoneNumber: this.msisdn, networkCode: '63902', text: this.inputs.join('*'),
    });
    if (status !== 200) throw new Error(`USSD hop answered ${status}: ${body}`);
    return body;
  }
}
