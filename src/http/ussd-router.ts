/** `POST /ussd`: Africa's Talking's USSD callback. One JSON log line per hop, never a PIN. */
import { performance } from 'node:perf_hooks';
import express, { Router, type Response } from 'express';
import type { KeyStore } from '../keystore/index.js';
import { config } from '../config/index.js';
import { logger, maskMsisdn, withLogContext } from '../logger/index.js';
import { parseUssdHop, runHop } from '../ussd/index.js';
import { observeUssdHop } from '../metrics/index.js';

const log = logger.child({ component: 'ussd' });

const UNAVAILABLE = 'END Sorry, Simu is unavailable right now. Please try again in a few minutes.';

/** The USSD router; `redis` holds the sessions. */
export function ussdRouter(redis: KeyStore): Router {
  const router = Router();
  router.post('/ussd', express.urlencoded({ extended: false, limit: '16kb' }), async (req, res) => {
    const started = performance.now();
    const hop = parseUssdHop(req.body, config.ussdServiceCode); // a bad request is a 400 from the error handler
    await withLogContext({ sessionId: hop.sessionId }, async () => {
      const fields = { msisdn: maskMsisdn(hop.msisdn), serviceCode: hop.serviceCode, networkCode: hop.networkCode };
      try {
        const result = await runHop(redis, hop);
        const ms = Math.round((performance.now() - started) * 10) / 10;
        observeUssdHop(result.screen, ms / 1000);
        // winston formats a line (JSON and all) before its transports drop it: ask first.
        if (log.isInfoEnabled()) log.info('ussd hop', { ...fields, text: result.redactedText, screen: result.screen, end: result.response.startsWith('END'), repeated: result.repeated, ms });
        answer(res, result.response);
      } catch (err) {
        // An outage (Redis, PostgreSQL) or a bug: the user still gets a clear END screen.
        observeUssdHop('error', (performance.now() - started) / 1000);
        log.error('ussd hop failed', { ...fields, inputs: hop.inputs.length, error: (err as Error).message });
        answer(res, UNAVAILABLE);
      }
    });
  });
  return router;
}

/**
 * Sends a screen as plain text. Not `res.send`: it hashes every body for an ETag, which a
 * POST answer that is never cached does not need.
 */
function answer(res: Response, text: string): void {
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
