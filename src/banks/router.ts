/**
 * `POST /webhooks/banks/:bank` (equity, kcb): the banks' payment notifications. This route
 * alone keeps the raw body (express.raw): the signature is checked over the bytes as sent,
 * and the amount is read from their text. Answers: 404 for an unknown bank or one whose
 * secret is unset; 401 for a missing or bad signature; 400 with a reason for a malformed
 * payload; 409 for a transaction id reused with another account or amount; otherwise 200
 * with `{ status: "accepted", transactionId, reference }`, the same for every replay.
 * Nothing changes unless the answer is 200. A payment into a school's bank account (Equity
 * `merchantCode`, KCB `accountNumber` `<schoolAccount>#<admissionNo>`) is school fees and
 * goes to src/fees/bank.ts, with the same answers; for an unmatched one, which has no entry
 * yet, `reference` is `school-payment:<id>`.
 */
import express, { Router, type Request, type Response, type NextFunction } from 'express';
import { db as processDb, type Knex } from '../db/index.js';
import { receiveSchoolBankPayment } from '../fees/index.js';
import { BadSignatureError } from './errors.js';
import { enabledBank, parseBankPayload, type BankSpec } from './payloads.js';
import { receiveBankPayment } from './receive.js';
import { signatureMatches } from './signature.js';

/** The largest body a bank may post (its payloads are a few hundred bytes). */
const BODY_LIMIT = '16kb';

/** The banks' webhook router (mount at the app's root). */
export function bankWebhookRouter(db: Knex = processDb): Router {
  const router = Router();
  router.post(
    '/webhooks/banks/:bank',
    (req: Request, res: Response, next: NextFunction) => {
      const spec = enabledBank(String(req.params.bank));
      if (!spec) {
        res.status(404).json({ error: 'not_found', reason: `no route ${req.method} ${req.path}` });
        return;
      }
      res.locals.bank = spec;
      next();
    },
    express.raw({ type: () => true, limit: BODY_LIMIT }),
    async (req: Request, res: Response) => {
      const spec = res.locals.bank as BankSpec;
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (!signatureMatches(spec.secret!, raw, req.get(spec.signatureHeader))) throw new BadSignatureError(spec.signatureHeader);
      const payment = parseBankPayload(spec.code, raw.toString('utf8'));
      // Paid into a school's bank account: School Fees (src/fees/bank.ts); else a wallet or suspense.
      const school = await receiveSchoolBankPayment(payment, db);
      const { ack } = school ?? (await receiveBankPayment(payment, db));
      res.status(200).json(ack);
    },
  );
  return router;
}
