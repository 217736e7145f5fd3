export { startDashboard } from './dashboard.js';
export { CONTENT_TYPES, exposition, formatFor, type ExpositionFormat, type Family } from './exposition.js';
export { LatestFigures } from './latest.js';
export { LATENCY_BOUNDS_S } from './load-metrics.js';
export { metricsText, type MetricsInput, type RunState } from './metrics.js';
export { LiveRunView, type LiveSnapshot } from './run-view.js';
export { serveRunDir, type Dashboard, type DashboardOptions } from './server.js';
