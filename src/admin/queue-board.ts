/** bull-board for the admin API: the queues, behind the same key check. */
import type { RequestHandler } from 'express';
import type Bull from 'bull';
import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { KeyStore } from '../keystore/index.js';
import type { Knex } from '../db/index.js';
import type { Queue } from '../queue/index.js';
import { authenticate } from './auth.js';
import { ForbiddenError } from './errors.js';
import type { ApiKeyIdentity } from './route.js';

/**
 * bull-board at /admin/queues, showing the `sms` queue, behind the admin key check and the
 * `read` scope. It is read-only: an operator changes an SMS through the audited admin
 * routes (POST /admin/sms/{id}/retry), not by retrying or cleaning jobs here. A browser
 * cannot add a Bearer header to the board's own requests, so the key may also come as HTTP
 * Basic credentials (any user name, the key as password): the browser asks once.
 */
export function queueBoard(db: Knex, redis: KeyStore, smsQueue: () => Queue<unknown>): RequestHandler[] {
  const serverAdapter = new ExpressAdapter().setBasePath('/admin/queues');
  const board = createBullBoard({ queues: [], serverAdapter });
  let shown: Queue<unknown> | undefined;
  const basicAsBearer: RequestHandler = (req, res, next) => {
    res.set('WWW-Authenticate', 'Basic realm="Simu admin", charset="UTF-8"');
    const basic = /^Basic\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    if (basic) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      req.headers.authorization = `Bearer ${decoded.slice(decoded.indexOf(':') + 1)}`;
    }
    next();
  };
  const readScope: RequestHandler = (_req, res, next) => {
    res.removeHeader('WWW-Authenticate');
    if (!(res.locals.key as ApiKeyIdentity).scopes.includes('read')) throw new ForbiddenError('read');
    // The queue handle is made on first use and again after closeQueues(): show the live one.
    const queue = smsQueue();
    if (queue !== shown) {
      // bull-board reads bull's own queue: the board runs only with Redis (never in embedded
      // mode, where createQueue answers a memory queue), so the handle is a bull queue.
      board.replaceQueues([new BullAdapter(queue as unknown as Bull.Queue, { readOnlyMode: true })]);
      shown = queue;
    }
    next();
  };
  return [basicAsBearer, authenticate(db, redis), readScope, serverAdapter.getRouter()];
}
