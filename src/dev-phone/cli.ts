/**
 * `npm run phone -- +254700000001 [--code 4821] [--lang sw] [--script FILE]`: a phone in
 * the terminal for development. It dials the local Simu over AT's USSD protocol
 * (./phone.ts), shows each screen, reads each reply (from the keyboard, or one per line
 * of `--script`), and prints the SMS Simu writes to that number while it is open: from the
 * development-only `/dev/sms` of an embedded-mode Simu, otherwise from the outbox in
 * Simu's database. `--code` dials an SMS confirmation code
 * (`*384*4821#`); `--lang sw` speaks Kiswahili in the phone's own words. Simu is at
 * SIMU_URL (default `http://127.0.0.1:$PORT`). Exit code 0 when the session ended (an END
 * screen, or the script ran out), 1 when Simu could not be reached, 2 on a bad command line.
 */
import fs from 'node:fs';
import readline from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { config } from '../config/index.js';
import type { Knex } from '../db/index.js';
import { normalizeMsisdn } from '../phone/index.js';
import { KeptSmsFeed, SmsFeed, UssdSession, type PhoneScreen, type SmsSource } from './phone.js';

const WORDS = {
  en: { dialling: 'Dialling', reply: 'Reply', ended: 'Session ended.', sms: 'SMS', scriptDone: 'The script has no more lines; hanging up.', inputDone: 'No more input; hanging up.', noSms: 'SMS not shown' },
  sw: { dialling: 'Inapiga', reply: 'Jibu', ended: 'Kipindi kimeisha.', sms: 'SMS', scriptDone: 'Hati haina mistari zaidi; inakata simu.', inputDone: 'Hakuna jibu zaidi; inakata simu.', noSms: 'SMS hazionyeshwi' },
};
const USAGE = 'usage: npm run phone -- <phone number> [--code 4821] [--lang en|sw] [--script FILE]';

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({ allowPositionals: true, options: { code: { type: 'string' }, lang: { type: 'string' }, script: { type: 'string' } } });
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const msisdn = normalizeMsisdn(args.positionals[0] ?? '');
  const lang = args.values.lang === 'sw' ? 'sw' : 'en';
  if (!msisdn || (args.values.code !== undefined && !/^\d{4}$/.test(args.values.code)) || !['en', 'sw', undefined].includes(args.values.lang)) {
    console.error(USAGE);
    return 2;
  }
  const words = WORDS[lang];
  const script = args.values.script ? fs.readFileSync(args.values.script, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '') : null;
  const serviceCode = args.values.code ? config.ussdServiceCode.replace(/#$/, `*${args.values.code}#`) : config.ussdServiceCode;

  let db: Knex | undefined;
  const feed = await smsSource(msisdn, (opened) => (db = opened)).catch((err: Error) => (console.log(`(${words.noSms}: ${err.message})`), undefined));
  const smsOn = feed !== undefined && (await feed.start().then(() => true, (err: Error) => (console.log(`(${words.noSms}: ${err.message})`), false)));
  const showSms = async () => {
    if (!smsOn) return;
    for (const sms of await feed!.poll().catch(() => [])) console.log(`\n✉ ${words.sms}: ${sms.message}\n`);
  };
  const timer = setInterval(() => void showSms(), 500);
  const keyboard = script ? null : readline.createInterface({ input: process.stdin, output: process.stdout });
  // Lines are read through the iterator, which buffers them: replies piped in all at once
  // are each kept for their screen; the end of input (Ctrl-D) hangs up.
  const lines = keyboard?.[Symbol.asyncIterator]();
  const typed = async (): Promise<string | undefined> => {
    process.stdout.write(`${words.reply}: `);
    const next = await lines!.next();
    return next.done ? undefined : next.value;
  };
  try {
    console.log(`${words.dialling} ${serviceCode} (${msisdn}) → ${config.simuUrl}`);
    const session = new UssdSession(config.simuUrl, msisdn, serviceCode);
    let screen: PhoneScreen = await session.dial();
    for (;;) {
      show(screen);
      if (screen.end) break;
      const input = script ? script.shift() : await typed();
      if (input === undefined) {
        console.log(script ? words.scriptDone : `\n${words.inputDone}`);
        break;
      }
      // A phone shows what is typed; a PIN screen's answer is shown masked here, as on the handset.
      if (script) console.log(`${words.reply}: ${/\bPIN\b/i.test(screen.text) ? '*'.repeat(input.length) : input}`);
      screen = await session.reply(input.trim());
    }
    console.log(words.ended);
    await settled(feed); // receipts are written with the answer; the worker may take a moment
    await showSms();
    return 0;
  } catch (err) {
    console.error(`Simu did not answer at ${config.simuUrl}: ${(err as Error).message}`);
    return 1;
  } finally {
    clearInterval(timer);
    keyboard?.close();
    await db?.destroy();
  }
}

/**
 * Waits before the last look at the SMS: while an embedded-mode Simu still has SMS due for
 * this number (at most 10 s), else 1.5 s.
 */
async function settled(feed: SmsSource | undefined): Promise<void> {
  const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  if (!feed?.pending) return pause(1500);
  const until = Date.now() + 10_000;
  await pause(300);
  while (Date.now() < until && (await feed.pending().catch(() => 0)) > 0) await pause(200);
}

/**
 * Where this phone reads SMS: an embedded-mode Simu's `/dev/sms`, else the outbox in the
 * database DATABASE_URL names (opened only then: in embedded mode the server holds its
 * database, and a second process may not open it).
 */
async function smsSource(msisdn: string, opened: (db: Knex) => void): Promise<SmsSource> {
  const kept = new KeptSmsFeed(config.simuUrl, msisdn);
  if (await kept.available().catch(() => false)) return kept;
  if (config.embedded) throw new Error('Simu keeps no SMS here and DATABASE_URL is not set');
  const { db } = await import('../db/index.js');
  opened(db);
  return new SmsFeed(db, msisdn);
}

function show(screen: PhoneScreen): void {
  const width = Math.max(20, ...screen.text.split('\n').map((l) => l.length));
  console.log(`┌${'─'.repeat(width + 2)}┐`);
  for (const line of screen.text.split('\n')) console.log(`│ ${line.padEnd(width)} │`);
  console.log(`└${'─'.repeat(width + 2)}┘${screen.end ? ' END' : ''}`);
}

main().then((code) => (process.exitCode = code));
