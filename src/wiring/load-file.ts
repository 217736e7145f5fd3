import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { SoakError } from '../core/errors.js';
import { importDefault } from '../scenario/module.js';
import { resolveScenario, type ScenarioOverrides } from './resolve.js';
import type { Scenario } from '../scenario/types.js';

/** Imports a .ts/.js scenario file (default export, or one named `scenario`) and validates it. */
export async function loadScenarioFile(file: string, overrides: ScenarioOverrides = {}): Promise<Scenario> {
  if (!existsSync(resolve(file))) throw new SoakError('usage', `scenario file not found: ${file}`);
  const exported = await importDefault(file, 'scenario');
  if (exported === undefined) throw new SoakError('scenario', `${file}: export the scenario as the default export (export default defineScenario({...}))`);
  return resolveScenario(exported, file, overrides);
}
