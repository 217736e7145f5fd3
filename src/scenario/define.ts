import type { ScenarioInput } from './schema.js';

/** Typed identity: gives a scenario file autocompletion and type errors; validation happens when soak loads it. */
export function defineScenario(scenario: ScenarioInput): ScenarioInput {
  return scenario;
}
