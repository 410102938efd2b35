/**
 * Express's floor: a server that parses a USSD callback body the way Simu does
 * (`express.urlencoded`) and answers `CON hello`, with nothing behind it. The bench runs
 * it as a child process (PORT from the environment) beside Simu's own web process.
 */
import express from 'express';

const app = express();
app.disable('x-powered-by');
app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});
app.post('/ussd', express.urlencoded({ extended: false, limit: '16kb' }), (_req, res) => {
  res.type('text/plain').send('CON hello');
});

const server = app.listen(Number(process.env.PORT ?? 3999), '127.0.0.1');
server.keepAliveTimeout = 65_000;

process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
