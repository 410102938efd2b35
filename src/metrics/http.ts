/**
 * `GET /metrics`: Prometheus text format, without a key (DESIGN.md: the web process serves
 * it). It holds no personal data; still, expose it only to the monitoring network (the
 * load balancer should not route /metrics from the internet).
 */
import { Router } from 'express';
import { Registry } from 'prom-client';
import { recordedMetrics } from './recorded.js';
import { scrapeRegistry, type ScrapeSources } from './scrape.js';

/** The router that answers `GET /metrics` with recorded and scrape-time metrics. */
export function metricsRouter(sources: ScrapeSources): Router {
  const registry = Registry.merge([recordedMetrics, scrapeRegistry(sources)]);
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    const text = await registry.metrics();
    res.set('Content-Type', registry.contentType).set('Cache-Control', 'no-store').send(text);
  });
  return router;
}
