export { startDashboard } from './dashboard.js';
export { exposition } from './exposition.js';
export { LatestFigures } from './latest.js';
export { metricsText } from './metrics.js';
export { LiveRunView } from './run-view.js';
export { serveRunDir, type Dashboard, type DashboardOptions } from './server.js';
