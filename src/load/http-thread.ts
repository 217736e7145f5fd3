import { runHttp } from './http-run.js';
import { serveDriver } from './threads/thread.js';

// A driver thread's entry: it loads the HTTP runner alone, without the scenario schemas or other drivers.
serveDriver(runHttp);
