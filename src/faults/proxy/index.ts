export { startFaultProxy, type FaultProxy, type Upstream } from './proxy.js';
export type { Direction, DirectionChoice, Toxic, ToxicSpec, ToxicType } from './toxics.js';
