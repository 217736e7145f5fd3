import { bandwidthFault } from './kinds/bandwidth.js';
import { blackholeFault } from './kinds/blackhole.js';
import { killFault } from './kinds/kill.js';
import { latencyFault } from './kinds/latency.js';
import { limitDataFault } from './kinds/limit-data.js';
import { pauseFault } from './kinds/pause.js';
import { resetFault } from './kinds/reset.js';
import { slowCloseFault } from './kinds/slow-close.js';
import { starveFault } from './kinds/starve.js';
import { timeoutFault } from './kinds/timeout.js';
import { faultKinds } from './registry.js';

export type { ActiveFault, FaultContext, FaultKind, FaultPlan } from './types.js';
export { faultKinds } from './registry.js';
export { scheduleFaults, type FaultSchedule } from './scheduler.js';
export { proxiesFor, type FaultProxies } from './proxies.js';
export { startFaultProxy, type FaultProxy, type Toxic } from './proxy/index.js';

for (const kind of [killFault, pauseFault, starveFault, latencyFault, bandwidthFault, timeoutFault, resetFault, blackholeFault, slowCloseFault, limitDataFault]) {
  faultKinds.register(kind.kind, kind);
}
