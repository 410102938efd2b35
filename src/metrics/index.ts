/**
 * Prometheus metrics (prom-client, on Simu's own registry): what the code records as it
 * runs (USSD hop latency by screen, transfers by kind and outcome, SMS sent and failed),
 * gauges read at scrape time (outbox backlog, queue depths), process metrics, and the
 * `GET /metrics` router.
 */
export { recordedMetrics, observeUssdHop, countTransfer, countSmsOutcome, MAX_LABEL_VALUES } from './recorded.js';
export { scrapeRegistry, type ScrapeSources, type QueueCounts } from './scrape.js';
export { metricsRouter } from './http.js';
export { serveMetrics } from './serve.js';
