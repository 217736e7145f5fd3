export { loadDrivers } from './registry.js';
export type * from './types.js';
export { httpDriver } from './http.js';
export { httpOptionsSchema, type HttpOptions, type HttpRequestSpec } from './http-options.js';
export { wsDriver, wsOptionsSchema, type WsOptions } from './ws/index.js';
export { runStream } from './threads/host.js';
export { defaultThreads } from './threads/sizing.js';
