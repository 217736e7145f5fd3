import { loadEngines } from '../engine.js';
import { kubernetesEngine } from './kubernetes.js';
import { localEngine } from './local.js';
import { swarmEngine } from './swarm.js';

loadEngines.register('local', localEngine);
loadEngines.register('swarm', swarmEngine);
loadEngines.register('kubernetes', kubernetesEngine);

export { loadEngines };
