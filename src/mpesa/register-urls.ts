/**
 * `npm run mpesa:register-urls`: registers Simu's C2B validation and confirmation URLs
 * (`${PUBLIC_URL}/mpesa/${MPESA_CALLBACK_TOKEN}/c2b/{validation,confirmation}`) for
 * MPESA_SHORTCODE with Daraja (`POST /mpesa/c2b/v2/registerurl`,
 * https://developer.safaricom.co.ke/APIs/CustomerToBusinessRegisterURL) and prints what
 * Daraja answered (the command itself is ./cli.ts).
 */
import { config } from '../config/index.js';
import { c2bCallbackUrls, darajaClient, type C2bRegisterAnswer, type C2bRegisterRequest } from './client.js';
import { MpesaNotConfiguredError } from './errors.js';

/**
 * Builds the register request from config.
 *
 * @throws MpesaNotConfiguredError naming every missing variable
 */
export function registerRequest(): C2bRegisterRequest {
  const { consumerKey, consumerSecret, shortcode, callbackToken } = config.mpesa;
  const missing = [
    !consumerKey && 'MPESA_CONSUMER_KEY', !consumerSecret && 'MPESA_CONSUMER_SECRET', !shortcode && 'MPESA_SHORTCODE',
    !callbackToken && 'MPESA_CALLBACK_TOKEN', !config.publicUrl && 'PUBLIC_URL',
  ].filter(Boolean) as string[];
  if (missing.length) throw new MpesaNotConfiguredError(missing);
  const urls = c2bCallbackUrls(config.publicUrl!, callbackToken!);
  // Completed: if our validation URL cannot answer in time, M-Pesa completes the payment and
  // the confirmation still reaches us (a top-up for no customer then waits in suspense).
  return { ShortCode: shortcode!, ResponseType: 'Completed', ConfirmationURL: urls.confirmationUrl, ValidationURL: urls.validationUrl };
}

/** Registers the URLs; answers Daraja's answer. */
export async function registerC2bUrls(): Promise<C2bRegisterAnswer> {
  return darajaClient().registerC2bUrls(registerRequest());
}
