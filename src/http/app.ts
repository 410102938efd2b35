/**
 * The Express app: AT callbacks (USSD, SMS delivery reports, inbound SMS commands and opt-outs), health, metrics, the admin
 * API and its queue board. Each request gets a request id that rides along in every log
 * line (AsyncLocalStorage).
 */
import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import type { Knex } from 'knex';
import { MemoryKeyStore, type KeyStore } from '../keystore/index.js';
import { config } from '../config/index.js';
import { withLogContext } from '../logger/index.js';
import { requireCallbackToken } from './callback-token.js';
import { errorHandler, notFound } from './errors.js';
import { healthRouter } from './health.js';
import { ussdRouter } from './ussd-router.js';
import { devSmsRouter, smsDeliveryRouter, smsInboundRouter, smsQueueHandle } from '../sms/index.js';
import { adminRouter, adminRoutes, bigintJson, queueBoard } from '../admin/index.js';
import { metricsRouter } from '../metrics/index.js';
import { airtimeStatusRouter } from '../airtime/index.js';
import { bankWebhookRouter } from '../banks/index.js';
import { mpesaRouter } from '../mpesa/index.js';

/** What the app talks to. */
export interface AppDeps {
  db: Knex;
  redis: KeyStore;
  /** AT's callback token; defaults to AT_CALLBACK_TOKEN (tests pass one to see the check). */
  atCallbackToken?: string;
}

/** The paths AT calls back on: the token check guards these and nothing else. */
export const AT_CALLBACK_PATHS = ['/ussd', '/sms/delivery', '/sms/delivery-reports', '/sms/inbound', '/sms/opt-out', '/airtime/status'];

/** Builds the app; the caller listens. */
export function createApp({ db, redis, atCallbackToken = config.at.callbackToken }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Client addresses (admin rate limits) come from X-Forwarded-For only via our own proxies.
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.set('json replacer', bigintJson);
  app.use((req, res, next) => {
    const requestId = (req.get('x-request-id') ?? '').slice(0, 64) || randomUUID();
    res.set('x-request-id', requestId);
    withLogContext({ requestId }, next);
  });
  app.use(healthRouter(db, redis));
  app.use(metricsRouter({ db, smsQueue: smsQueueHandle }));
  // Signed by the banks (HMAC), not by AT's token: mounted before the AT callbacks' check.
  app.use(bankWebhookRouter(db));
  // Only AT's own paths: a check mounted without a path would answer 404 to every later
  // route (admin, M-Pesa) that carries no ?token=.
  app.use(AT_CALLBACK_PATHS, requireCallbackToken(atCallbackToken));
  app.use(ussdRouter(redis));
  app.use(smsDeliveryRouter);
  app.use(smsInboundRouter({ db, redis }));
  app.use(airtimeStatusRouter);
  app.use(mpesaRouter({ db }));
  // bull-board shows bull's queues in Redis; embedded mode's are in memory.
  if (!(redis instanceof MemoryKeyStore)) app.use('/admin/queues', ...queueBoard(db, redis, smsQueueHandle));
  // The SMS embedded mode keeps instead of sending, for `npm run phone`: development only.
  if (redis instanceof MemoryKeyStore) app.use(devSmsRouter(db));
  app.use('/admin', adminRouter({ db, redis, routes: adminRoutes }));
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
