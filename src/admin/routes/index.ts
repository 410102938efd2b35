/** Every admin route, in one list: the router, the OpenAPI document and the auth test walk it. */
import type { AdminRoute } from '../route.js';
import { agentMoneyRoutes } from './agent-money.js';
import { agentsRoutes } from './agents.js';
import { airtimeRoutes } from './airtime.js';
import { auditRoutes } from './audit.js';
import { banksRoutes } from './banks.js';
import { chamaRoutes } from './chamas.js';
import { customersRoutes } from './customers.js';
import { keyRoutes } from './keys.js';
import { ledgerRoutes } from './ledger.js';
import { loansRoutes } from './loans.js';
import { merchantConfirmationsRoutes } from './merchant-confirmations.js';
import { merchantsRoutes } from './merchants.js';
import { mpesaRoutes } from './mpesa.js';
import { mpesaRequestsRoutes } from './mpesa-requests.js';
import { schoolsRoutes } from './schools.js';
import { smsRoutes } from './sms.js';
import { smsStatsRoutes } from './sms-stats.js';
import { smsBulkRoutes } from './sms-bulk.js';
import { tariffsRoutes } from './tariffs.js';

export const adminRoutes: AdminRoute[] = [
  ...keyRoutes,
  ...auditRoutes,
  ...customersRoutes,
  ...tariffsRoutes,
  ...ledgerRoutes,
  ...smsStatsRoutes,
  ...smsBulkRoutes,
  ...smsRoutes,
  ...merchantsRoutes,
  ...merchantConfirmationsRoutes,
  ...airtimeRoutes,
  ...agentsRoutes,
  ...agentMoneyRoutes,
  ...banksRoutes,
  ...mpesaRoutes,
  ...schoolsRoutes,
  ...mpesaRequestsRoutes,
  ...loansRoutes,
  ...chamaRoutes,
];
