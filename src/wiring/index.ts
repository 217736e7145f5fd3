/**
 * Wiring: where the scenario meets the domains' registries (runtimes, load drivers, dependency kinds,
 * faults). A scenario is validated here, above every domain, so no domain imports another upward.
 */
export { loadScenarioFile } from './load-file.js';
export { resolveScenario, type ScenarioOverrides } from './resolve.js';
