/**
 * A phone for development: a USSD session driven the way Africa's Talking drives Simu
 * (`POST /ussd`, form fields sessionId, serviceCode, phoneNumber, networkCode and `text`,
 * which carries every input so far joined by `*`; AT's USSD docs), and the SMS that Simu
 * writes to that number's outbox while the phone is open.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from '../db/index.js';
import { textToSend } from '../sms/secret.js';

/** One screen Simu answered. */
export interface PhoneScreen {
  /** True for `END` (the session is over). */
  end: boolean;
  /** The screen without its `CON `/`END ` prefix. */
  text: string;
}

/** A USSD session of one phone against one Simu. */
export class UssdSession {
  private readonly inputs: string[] = [];
  readonly sessionId = `phone-${randomUUID()}`;

  /**
   * @param url Simu's base URL (e.g. `http://127.0.0.1:3000`)
   * @param msisdn the caller, E.164
   * @param serviceCode what was dialled, e.g. `*384#` or `*384*4821#` (a dial code)
   */
  constructor(readonly url: string, readonly msisdn: string, readonly serviceCode: string) {}

  /** Dials (no input yet) and answers the first screen. */
  dial(): Promise<PhoneScreen> {
    return this.post();
  }

  /** Sends one input and answers the next screen. */
  reply(input: string): Promise<PhoneScreen> {
    this.inputs.push(input);
    return this.post();
  }

  private async post(): Promise<PhoneScreen> {
    const body = new URLSearchParams({
      sessionId: this.sessionId, serviceCode: this.serviceCode, phoneNumber: this.msisdn, networkCode: '63902', text: this.inputs.join('*'),
    });
    const res = await fetch(`${this.url}/ussd`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const text = await res.text();
    if (res.status !== 200) return { end: true, text: `(Simu answered HTTP ${res.status}: ${text.slice(0, 200)})` };
    return { end: !text.startsWith('CON '), text: text.replace(/^(CON|END) /, '') };
  }
}

/** One SMS Simu wrote for the phone's number. */
export interface PhoneSms {
  id: bigint;
  message: string;
}

/** Where the phone reads its number's SMS from: `start()` marks now, `poll()` gives what came since. */
export interface SmsSource {
  start(): Promise<void>;
  poll(): Promise<PhoneSms[]>;
  /** SMS for the number that are due but not yet readable here (a feed that shows them at once has none). */
  pending?(): Promise<number>;
}

/**
 * The SMS an embedded-mode Simu kept for `msisdn` instead of sending them, read from its
 * development-only `GET /dev/sms` (src/sms/embedded.ts).
 */
export class KeptSmsFeed implements SmsSource {
  private lastId = 0;

  constructor(readonly url: string, readonly msisdn: string) {}

  /**
   * Asks Simu where its kept SMS stand. False when Simu does not serve `/dev/sms` (it is
   * not in embedded mode); throws when Simu cannot be reached.
   */
  async available(): Promise<boolean> {
    const res = await fetch(this.endpoint(0));
    if (res.status === 404) return false;
    this.lastId = ((await res.json()) as { last: number }).last;
    return true;
  }

  async start(): Promise<void> {
    if (!(await this.available())) throw new Error('this Simu does not keep SMS (not in embedded mode)');
  }

  async pending(): Promise<number> {
    const res = await fetch(this.endpoint(this.lastId));
    return ((await res.json()) as { pending: number }).pending;
  }

  async poll(): Promise<PhoneSms[]> {
    const res = await fetch(this.endpoint(this.lastId));
    const { messages } = (await res.json()) as { messages: Array<{ id: number; message: string }> };
    if (messages.length) this.lastId = messages[messages.length - 1].id;
    return messages.map((m) => ({ id: BigInt(m.id), message: m.message }));
  }

  private endpoint(after: number): string {
    return `${this.url}/dev/sms?${new URLSearchParams({ to: this.msisdn, after: String(after) })}`;
  }
}

/**
 * The outbox rows for `msisdn` written after the feed started (read from Simu's database:
 * what Simu sends to this number, whether or not the worker has sent it yet).
 */
export class SmsFeed implements SmsSource {
  private lastId: bigint | undefined;

  constructor(private readonly db: Knex, readonly msisdn: string) {}

  /** Remembers where the outbox stands now; later `poll()`s return only newer rows. */
  async start(): Promise<void> {
    const row = await this.db('sms_outbox').max<{ max: bigint | null }>('id as max').first();
    this.lastId = row?.max ?? 0n;
  }

  /** The rows for this number written since the last poll, oldest first. */
  async poll(): Promise<PhoneSms[]> {
    const rows: Array<{ id: bigint; message: string; secret_sealed: string | null }> = await this.db('sms_outbox')
      .select('id', 'message', 'secret_sealed').where('msisdn', this.msisdn).andWhere('id', '>', String(this.lastId ?? 0n)).orderBy('id');
    if (rows.length) this.lastId = rows[rows.length - 1].id;
    return rows.map((r) => ({ id: r.id, message: textToSend(r.message, r.secret_sealed) }));
  }
}
