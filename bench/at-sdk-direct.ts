/**
 * The ceiling of the `sms_outbox` figure: the `africastalking` SDK alone, with Simu's
 * username and API key, sending `count` SMS at `concurrency` sends at once, in a process of
 * its own started like the worker (`node --import tsx`, the stand-in's HTTPS_PROXY and
 * NODE_EXTRA_CA_CERTS, which Node reads only at start: hence a child, not the bench process).
 *
 * Run as a child: `AT_USERNAME=… AT_API_KEY=… SDK_DIRECT='{"count":4000,"concurrency":5,"tag":"x","transport":"simu"}'
 * node --import tsx bench/at-sdk-direct.ts` prints one JSON line (`DirectResult`) on stdout.
 * Also exports the recipients and texts both halves of the figure send.
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

/** The i-th bench recipient: valid Safaricom numbers `+25479…`, 10 million of them. */
export function benchMsisdn(i: number): string {
  return `+25479${String(i % 10_000_000).padStart(7, '0')}`;
}

/** The i-th bench text of run `tag`: unique, and as long as a receipt (~150 characters). */
export function benchSmsText(tag: string, i: number): string {
  return `QK${String(i).padStart(8, '0')} Confirmed. KES 150.00 sent to AMINA WANJIRU 0712345678 on 7/12/26 at 9:41 AM. Balance KES 4,845.00. Simu bench ${tag} #${i}`;
}

/** What one direct run measured. */
export interface DirectResult {
  /** SMS AT answered 201 with an accepted recipient. */
  sent: number;
  failed: number;
  /** From the first send (after the warm-up) to the last answer, ms. */
  elapsedMs: number;
  firstError?: string;
}

/** What the child is asked to do (JSON in `SDK_DIRECT`). */
export interface DirectRequest {
  count: number;
  concurrency: number;
  tag: string;
  /** Sends before the clock starts (tag `<tag>-warm`). Default 20. */
  warmup?: number;
  /**
   * `simu` (default): the SDK's transport as src/sms/at-client.ts sets it up (kept-alive
   * tunnels behind a proxy, src/sms/at-transport.ts); `stock`: the SDK as it comes.
   */
  transport?: 'simu' | 'stock';
}

interface AtSdk {
  SMS: { send(p: { to: string; message: string }): Promise<{ SMSMessageData?: { Recipients?: Array<{ statusCode: number }> } }> };
}

async function sendAll(sdk: AtSdk, tag: string, count: number, concurrency: number): Promise<DirectResult> {
  let next = 0;
  let sent = 0;
  let failed = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const lane = async () => {
    while (next < count) {
      const i = next++;
      try {
        const answer = await sdk.SMS.send({ to: benchMsisdn(i), message: benchSmsText(tag, i) });
        const code = answer.SMSMessageData?.Recipients?.[0]?.statusCode ?? 0;
        if (code >= 100 && code <= 102) sent += 1;
        else throw new Error(`not accepted: ${JSON.stringify(answer).slice(0, 200)}`);
      } catch (err) {
        failed += 1;
        firstError ??= err instanceof Error ? err.message : JSON.stringify(err).slice(0, 200);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { sent, failed, elapsedMs: performance.now() - started, ...(firstError ? { firstError } : {}) };
}

async function main(): Promise<void> {
  const req = JSON.parse(process.env.SDK_DIRECT ?? '{}') as DirectRequest;
  const require = createRequire(import.meta.url);
  const africastalking = require('africastalking') as (o: { username: string; apiKey: string }) => AtSdk;
  const sdk = africastalking({ username: process.env.AT_USERNAME ?? '', apiKey: process.env.AT_API_KEY ?? '' });
  if (req.transport !== 'stock') {
    // As atSdk() in src/sms/at-client.ts does (that module reads Simu's whole configuration).
    const { installAtProxyTunnel } = await import('../src/sms/at-transport.js');
    installAtProxyTunnel((createRequire(require.resolve('africastalking'))('./lib/common') as { SMS_URL: string }).SMS_URL);
  }
  await sendAll(sdk, `${req.tag}-warm`, req.warmup ?? 20, req.concurrency);
  const result = await sendAll(sdk, req.tag, req.count, req.concurrency);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`at-sdk-direct failed: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 1;
  });
}
