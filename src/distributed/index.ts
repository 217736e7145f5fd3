export { renderWorkers, startCoordination, type Coordination, type CoordinationOptions } from './coordination.js';
export { loadEngines } from './engines/index.js';
export { TOKEN_ENV } from './token.js';
export { runWorker } from './worker.js';
