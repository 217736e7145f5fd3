export { renderWorkers, startCoordination, type Coordination, type CoordinationOptions } from './coordination.js';
export { loadEngines } from './engines/index.js';
export { tokenEnv } from './token.js';
export { runWorker } from './worker.js';
