/**
 * Imported first by src/worker.ts: in embedded mode the worker's jobs run inside
 * `npm start`, and a separate worker process would only fight the server for the embedded
 * database. It says so and exits (78, EX_CONFIG) before anything opens it.
 */
import { config } from '../config/index.js';

if (config.embedded) {
  process.stderr.write(
    'simu: DATABASE_URL and REDIS_URL are not set, so Simu runs in embedded mode, where `npm start` does the ' +
      "worker's jobs itself: there is no worker process to start. To run web and worker apart, set both " +
      '(npm run setup writes a .env for PostgreSQL and Redis on this machine).\n',
  );
  process.exit(78);
}
