export { wsDriver } from './driver.js';
export { wsOptionsSchema, type WsOptions } from './schema.js';
