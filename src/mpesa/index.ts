/**
 * M-Pesa (Safaricom Daraja): the API client (OAuth token cache, `darajaPost`, C2B URL
 * registration), Daraja's callbacks (C2B validation and confirmation now; STK and B2C
 * next), C2B top-ups into wallets, and the receipts held in suspense until an operator
 * allocates them.
 */
export {
  DarajaClient, darajaClient, c2bCallbackUrls, DARAJA_HOSTS, TOKEN_MARGIN_MS, DARAJA_TIMEOUT_MS,
  type DarajaClientOptions, type C2bRegisterRequest, type C2bRegisterAnswer, type C2bResponseType,
} from './client.js';
export { parseC2bCallback, type C2bCallback, type ParsedC2b } from './callback.js';
export { validateC2b, confirmC2b, accountHolder, mpesaKey, C2B_CONFIRMED, type C2bValidationAnswer, type C2bOutcome } from './c2b.js';
export { suspenseQuery, allocateReceipt, toReceiptView, type ReceiptView, type Allocation } from './receipts.js';
export { mpesaRouter, tokenMatches, type MpesaRouterOptions } from './http.js';
export { registerRequest, registerC2bUrls } from './register-urls.js';
export { topUpSms, type TopUpFacts } from './messages.js';
export {
  MpesaNotConfiguredError, DarajaAuthError, DarajaRequestError, DarajaUnreachableError, ReceiptNotFoundError, ReceiptNotInSuspenseError,
} from './errors.js';
