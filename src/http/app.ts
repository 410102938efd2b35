/**
 * The Express app: AT callbacks (USSD, SMS delivery reports), health, metrics, the admin
 * API and its queue board. Each request gets a request id that rides along in every log
 * line (AsyncLocalStorage).
 */
import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import type { Knex } from 'knex';
import type { Redis } from 'ioredis';
import { config } from '../config/index.js';
import { withLogContext } from '../logger/index.js';
import { requireCallbackToken } from './callback-token.js';
import { errorHandler, notFound } from './errors.js';
import { healthRouter } from './health.js';
import { ussdRouter } from './ussd-router.js';
import { smsDeliveryRouter, smsQueueHandle } from '../sms/index.js';
import { adminRouter, adminRoutes, bigintJson, queueBoard } from '../admin/index.js';
import { metricsRouter } from '../metrics/index.js';
import { airtimeStatusRouter } from '../airtime/index.js';

/** What the app talks to. */
export interface AppDeps {
  db: Knex;
  redis: Redis;
}

/** Builds the app; the caller listens. */
export function createApp({ db, redis }: AppDeps): Express {
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
  const atCallbacks = requireCallbackToken(config.at.callbackToken);
  app.use(atCallbacks, ussdRouter(redis));
  app.use(atCallbacks, smsDeliveryRouter);
  app.use(atCallbacks, airtimeStatusRouter);
  app.use('/admin/queues', ...queueBoard(db, redis, smsQueueHandle));
  app.use('/admin', adminRouter({ db, redis, routes: adminRoutes }));
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
