import { serveDriver } from '../threads/thread.js';
import { runWs } from './run.js';

// A driver thread's entry: it loads the WebSocket runner alone, without the scenario schemas or other drivers.
serveDriver(runWs);
