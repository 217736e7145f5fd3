export { preloadPath, probeEnv, startProbeCollector, type ProbeCollector } from './collector.js';
export { ProcessTreeSampler, type ProcessTreeSample } from './os.js';
