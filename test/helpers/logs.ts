/** Capturing winston's log lines in a test: the other transports are silenced meanwhile. */
import Transport from 'winston-transport';
import { logger } from '../../src/logger/index.js';

/** A transport that keeps each line as plain JSON (what would be written). */
class Capture extends Transport {
  lines: Array<Record<string, unknown>> = [];
  override log(info: Record<string, unknown>, next: () => void) {
    this.lines.push(JSON.parse(JSON.stringify(info)));
    next();
  }
}

/**
 * Registers beforeEach/afterEach hooks in the calling `describe` that capture every log line
 * of each test (debug and up) and silence the usual transports; `lines` are the current
 * test's lines.
 */
export function captureLogs(): { readonly lines: Array<Record<string, unknown>> } {
  let capture: Capture | undefined;
  let wasSilent = false;
  beforeEach(() => {
    capture = new Capture({ level: 'debug' });
    wasSilent = logger.silent ?? false;
    logger.silent = false;
    for (const t of logger.transports) t.silent = true;
    logger.add(capture);
  });
  afterEach(() => {
    if (capture) logger.remove(capture);
    for (const t of logger.transports) t.silent = false;
    logger.silent = wasSilent;
  });
  return { get lines() { return capture?.lines ?? []; } };
}
