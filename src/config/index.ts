/**
 * Configuration, read once from the environment (and `.env` when present), validated with
 * ajv and frozen. Nothing else in Simu reads `process.env`. The variables are those listed
 * in ../shared/DESIGN.md; `.env.example` gives working development values.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import { embeddedPinSecret } from './embedded.js';

/** The validated, frozen configuration. */
export interface Config {
  readonly port: number;
  /** Where `npm run phone` dials Simu (default `http://127.0.0.1:<PORT>`). */
  readonly simuUrl: string;
  /** PostgreSQL's URL; empty in embedded mode. */
  readonly databaseUrl: string;
  /** Redis's URL; empty in embedded mode. */
  readonly redisUrl: string;
  /**
   * Set when neither DATABASE_URL nor REDIS_URL is: one process keeps everything itself
   * (PGlite on disk under `dataDir`, sessions, rate limits and queues in memory, SMS kept
   * in memory and logged instead of sent). DESIGN.md, "The processes".
   */
  readonly embedded: { readonly dataDir: string } | undefined;
  /** The USSD service code users dial, e.g. `*384#`. */
  readonly ussdServiceCode: string;
  /** Server-side key PIN hashes are keyed with (at least 32 characters). */
  readonly pinSecret: string;
  readonly at: {
    readonly username: string;
    readonly apiKey: string;
    /** Alphanumeric sender ID or short code; empty means AT's default. */
    readonly senderId: string;
    /** When set, AT callbacks must carry `?token=` equal to it, else 404. */
    readonly callbackToken: string | undefined;
  };
  readonly publicUrl: string | undefined;
  readonly logLevel: string;
  /** Longest a USSD hop waits for effects before ending with "you will receive an SMS". */
  readonly ussdHopBudgetMs: number;
  /** Port of the worker's own /metrics endpoint; 0 turns it off. */
  readonly workerMetricsPort: number;
  /** SMS the worker may hand to AT per second (bull limiter). */
  readonly smsPerSecond: number;
  /**
   * Seconds after which an outbox row's claim (`sending`) counts as dead and another job may
   * send it (default 120). Longer than AT_SEND_TIMEOUT_MS (30 s), the bound of a live send.
   */
  readonly smsClaimExpiresSeconds: number;
  /** Seconds after which a `queued` or `sending` row counts as stuck and is relayed again (default 300). */
  readonly smsStuckAfterSeconds: number;
  readonly nodeEnv: string;
  /**
   * Safaricom Daraja (M-Pesa). `environment` picks the host (sandbox.safaricom.co.ke or
   * api.safaricom.co.ke). Unset credentials leave the rail off: its callbacks answer 404
   * and nothing calls Daraja. `callbackToken` is the path segment every callback URL
   * carries (`/mpesa/<token>/...`): Daraja callbacks are unsigned.
   */
  readonly mpesa: Readonly<{
    environment: 'sandbox' | 'production';
    consumerKey?: string;
    consumerSecret?: string;
    /** Simu's paybill, customers' top-ups land here (C2B) and STK pushes bill it. */
    shortcode?: string;
    /** The Lipa na M-Pesa Online passkey (STK password = base64(shortcode + passkey + timestamp)). */
    passkey?: string;
    b2cShortcode?: string;
    b2cInitiatorName?: string;
    b2cSecurityCredential?: string;
    callbackToken?: string;
  }>;
  /** Shared secrets of the banks' webhooks (HMAC-SHA256 of the raw body); unset turns a bank off. */
  readonly banks: Readonly<{ equitySecret?: string; kcbSecret?: string }>;
}

const schema = {
  type: 'object',
  properties: {
    PORT: { type: 'string', pattern: '^[0-9]{1,5}$' },
    DATA_DIR: { type: 'string', minLength: 1 },
    SIMU_URL: { type: 'string', pattern: '^https?://' },
    DATABASE_URL: { type: 'string', pattern: '^postgres(ql)?://' },
    REDIS_URL: { type: 'string', pattern: '^rediss?://' },
    USSD_SERVICE_CODE: { type: 'string', pattern: '^\\*[0-9]+(\\*[0-9]+)*#$' },
    PIN_SECRET: { type: 'string', minLength: 32 },
    AT_USERNAME: { type: 'string', minLength: 1 },
    AT_API_KEY: { type: 'string', minLength: 1 },
    AT_SENDER_ID: { type: 'string', maxLength: 11 },
    AT_CALLBACK_TOKEN: { type: 'string', minLength: 16 },
    PUBLIC_URL: { type: 'string', pattern: '^https?://' },
    LOG_LEVEL: { enum: ['error', 'warn', 'info', 'debug', 'silent'] },
    SMS_PER_SECOND: { type: 'string', pattern: '^[1-9][0-9]{0,3}$' },
    // At least 31 s: a live send may take AT_SEND_TIMEOUT_MS (30 s).
    SMS_CLAIM_EXPIRES_S: { type: 'string', pattern: '^(3[1-9]|[4-9][0-9]|[1-9][0-9]{2,4})$' },
    SMS_STUCK_AFTER_S: { type: 'string', pattern: '^(3[1-9]|[4-9][0-9]|[1-9][0-9]{2,4})$' },
    USSD_HOP_BUDGET_MS: { type: 'string', pattern: '^[1-9][0-9]{2,4}$' },
    WORKER_METRICS_PORT: { type: 'string', pattern: '^[0-9]{1,5}$' },
    MPESA_ENVIRONMENT: { enum: ['sandbox', 'production'] },
    MPESA_CONSUMER_KEY: { type: 'string', minLength: 1 },
    MPESA_CONSUMER_SECRET: { type: 'string', minLength: 1 },
    MPESA_SHORTCODE: { type: 'string', pattern: '^[0-9]{5,7}$' },
    MPESA_PASSKEY: { type: 'string', minLength: 1 },
    MPESA_B2C_SHORTCODE: { type: 'string', pattern: '^[0-9]{5,7}$' },
    MPESA_B2C_INITIATOR_NAME: { type: 'string', minLength: 1 },
    MPESA_B2C_SECURITY_CREDENTIAL: { type: 'string', minLength: 1 },
    MPESA_CALLBACK_TOKEN: { type: 'string', minLength: 16, pattern: '^[A-Za-z0-9_-]+$' },
    BANK_EQUITY_SECRET: { type: 'string', minLength: 16 },
    BANK_KCB_SECRET: { type: 'string', minLength: 16 },
  },
  required: ['DATABASE_URL', 'REDIS_URL', 'PIN_SECRET', 'AT_USERNAME', 'AT_API_KEY'],
} as const;

/**
 * Reads and validates the environment; throws an Error listing every bad variable. With
 * neither DATABASE_URL nor REDIS_URL it is embedded mode: it then makes DATA_DIR and the
 * PIN key kept there (./embedded.ts) when they do not exist yet.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') raw[k] = v;
  const embedded = !raw.DATABASE_URL && !raw.REDIS_URL;
  if (!embedded && (!raw.DATABASE_URL || !raw.REDIS_URL)) {
    const missing = raw.DATABASE_URL ? 'REDIS_URL' : 'DATABASE_URL';
    throw new Error(
      `${missing} is not set while ${missing === 'REDIS_URL' ? 'DATABASE_URL' : 'REDIS_URL'} is: set both (PostgreSQL and Redis), ` +
        'or neither (embedded mode: one process, its data under DATA_DIR, default ./data).',
    );
  }
  const dataDir = resolve(raw.DATA_DIR ?? 'data');
  if (embedded) {
    // What embedded mode needs and a newcomer has not set: a PIN key kept with the data,
    // and AT credentials that are never used (SMS are kept, not sent).
    raw.PIN_SECRET ??= embeddedPinSecret(dataDir);
    raw.AT_USERNAME ??= 'sandbox';
    raw.AT_API_KEY ??= 'embedded-mode-sends-nothing';
    raw.DATABASE_URL = 'postgres://embedded/';
    raw.REDIS_URL = 'redis://embedded/';
  }
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  if (!validate(raw)) {
    const reasons = (validate.errors ?? []).map((e) => {
      const name = e.instancePath.slice(1) || String(e.params.missingProperty ?? '');
      return `${name}: ${e.message}`;
    });
    throw new Error(`bad configuration: ${reasons.join('; ')}`);
  }
  return Object.freeze({
    port: Number(raw.PORT ?? 3000),
    simuUrl: (raw.SIMU_URL ?? `http://127.0.0.1:${raw.PORT ?? 3000}`).replace(/\/$/, ''),
    databaseUrl: embedded ? '' : raw.DATABASE_URL,
    redisUrl: embedded ? '' : raw.REDIS_URL,
    embedded: embedded ? Object.freeze({ dataDir }) : undefined,
    ussdServiceCode: raw.USSD_SERVICE_CODE ?? '*384#',
    pinSecret: raw.PIN_SECRET,
    at: Object.freeze({
      username: raw.AT_USERNAME,
      apiKey: raw.AT_API_KEY,
      senderId: raw.AT_SENDER_ID ?? '',
      callbackToken: raw.AT_CALLBACK_TOKEN,
    }),
    publicUrl: raw.PUBLIC_URL,
    logLevel: raw.LOG_LEVEL ?? 'info',
    smsPerSecond: Number(raw.SMS_PER_SECOND ?? 20),
    smsClaimExpiresSeconds: Number(raw.SMS_CLAIM_EXPIRES_S ?? 120),
    // A stuck pass must not take a row whose claim may still be alive.
    smsStuckAfterSeconds: Math.max(Number(raw.SMS_STUCK_AFTER_S ?? 300), Number(raw.SMS_CLAIM_EXPIRES_S ?? 120) + 5),
    ussdHopBudgetMs: Number(raw.USSD_HOP_BUDGET_MS ?? 8000),
    workerMetricsPort: Number(raw.WORKER_METRICS_PORT ?? 9464),
    nodeEnv: raw.NODE_ENV ?? 'development',
    mpesa: Object.freeze({
      environment: (raw.MPESA_ENVIRONMENT ?? 'sandbox') as 'sandbox' | 'production',
      consumerKey: raw.MPESA_CONSUMER_KEY,
      consumerSecret: raw.MPESA_CONSUMER_SECRET,
      shortcode: raw.MPESA_SHORTCODE,
      passkey: raw.MPESA_PASSKEY,
      b2cShortcode: raw.MPESA_B2C_SHORTCODE,
      b2cInitiatorName: raw.MPESA_B2C_INITIATOR_NAME,
      b2cSecurityCredential: raw.MPESA_B2C_SECURITY_CREDENTIAL,
      callbackToken: raw.MPESA_CALLBACK_TOKEN,
    }),
    banks: Object.freeze({ equitySecret: raw.BANK_EQUITY_SECRET, kcbSecret: raw.BANK_KCB_SECRET }),
  });
}

function loadOnce(): Config {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return loadConfig();
  } catch (err) {
    // A bad configuration is fatal and must be readable by the person starting the process.
    process.stderr.write(`simu: ${(err as Error).message}\n`);
    process.exit(78); // EX_CONFIG
  }
}

/** The process's configuration; reading it the first time validates the environment. */
export const config: Config = loadOnce();
