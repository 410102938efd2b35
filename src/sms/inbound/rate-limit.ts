/**
 * The per-number limit on SMS commands: `SMS_COMMANDS_PER_HOUR` an hour (a fixed window
 * that starts at a number's first command and lasts `SMS_RATE_WINDOW_SECONDS`), counted in
 * Redis with rate-limiter-flexible so that every web process shares the count. The first
 * command past the limit gets one warning reply; later ones are dropped without a reply
 * until the window ends (each reply costs money, and a loop between two auto-responders
 * must die out). When Redis does not answer, commands are allowed: the limit protects
 * the SMS bill, not money.
 */
import { RateLimiterRes } from 'rate-limiter-flexible';
import { rateLimiter, type KeyStore } from '../../keystore/index.js';
import { logger } from '../../logger/index.js';

const log = logger.child({ component: 'sms' });

/** Commands one number may send per window. */
export const SMS_COMMANDS_PER_HOUR = 20;
/** The window, in seconds. */
export const SMS_RATE_WINDOW_SECONDS = 3600;

/** What to do with a command: answer it, answer with the one warning, or drop it. */
export type RateVerdict = 'allow' | 'warn' | 'drop';

/** Counts one command of an MSISDN and says what to do with it. */
export type SmsRateLimit = (msisdn: string) => Promise<RateVerdict>;

const limiters = new WeakMap<KeyStore, SmsRateLimit>();

/** The limit kept in `redis` (one limiter per client; in memory in embedded mode). */
export function smsRateLimit(redis: KeyStore): SmsRateLimit {
  const existing = limiters.get(redis);
  if (existing) return existing;
  const limiter = rateLimiter(redis, { keyPrefix: 'simu:sms-inbound', points: SMS_COMMANDS_PER_HOUR, duration: SMS_RATE_WINDOW_SECONDS });
  const check: SmsRateLimit = async (msisdn) => {
    try {
      await limiter.consume(msisdn);
      return 'allow';
    } catch (err) {
      if (err instanceof RateLimiterRes) return err.consumedPoints === SMS_COMMANDS_PER_HOUR + 1 ? 'warn' : 'drop';
      log.warn('sms rate limit unavailable; command allowed', { error: (err as Error)?.message });
      return 'allow';
    }
  };
  limiters.set(redis, check);
  return check;
}
