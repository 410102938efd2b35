/**
 * `npm run mpesa:register-urls`: registers Simu's C2B validation and confirmation URLs for
 * MPESA_SHORTCODE with Daraja and prints what Daraja answered. Exits 1 with a clear message
 * when configuration is missing or Daraja refuses.
 */
import { config } from '../config/index.js';
import { AppError } from '../errors/index.js';
import { registerC2bUrls, registerRequest } from './register-urls.js';

try {
  const req = registerRequest();
  process.stdout.write(`registering C2B URLs for shortcode ${req.ShortCode} (${config.mpesa.environment}):\n  validation   ${req.ValidationURL}\n  confirmation ${req.ConfirmationURL}\n`);
  const answer = await registerC2bUrls();
  process.stdout.write(`Daraja answered: ${JSON.stringify(answer)}\n`);
} catch (err) {
  process.stderr.write(`mpesa:register-urls: ${err instanceof AppError ? err.message : String((err as Error)?.message ?? err)}\n`);
  process.exitCode = 1;
}
