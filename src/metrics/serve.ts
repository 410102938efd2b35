/**
 * A bare metrics endpoint for processes without Express (the worker): `GET /metrics` on
 * its own port, serving what this process recorded (SMS sent and failed, transfers).
 * Prometheus scrapes each worker there and each web process at /metrics.
 */
import { createServer, type Server } from 'node:http';
import { recordedMetrics } from './recorded.js';

/** Listens on `port` (on all interfaces; keep it inside the monitoring network). */
export function serveMetrics(port: number): Server {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    recordedMetrics.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': recordedMetrics.contentType, 'Cache-Control': 'no-store' }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  return server.listen(port);
}
