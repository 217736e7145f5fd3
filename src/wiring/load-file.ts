import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { SoakError } from '../core/errors.js';
import { resolveScenario, type ScenarioOverrides } from './resolve.js';
import type { Scenario } from '../scenario/types.js';

/** Imports a .ts/.js scenario file (default export or `scenario`) and validates it. */
export async function loadScenarioFile(file: string, overrides: ScenarioOverrides = {}): Promise<Scenario> {
  const absolute = resolve(file);
  if (!existsSync(absolute)) throw new SoakError('usage', `scenario file not found: ${file}`);
  let module: Record<string, unknown>;
  try {
    module = (await tsImport(pathToFileURL(absolute).href, import.meta.url)) as Record<string, unknown>;
  } catch (error) {
    const first = String((error as Error).message ?? error).split('\n')[0];
    throw new SoakError('scenario', `${file}: cannot load: ${first}`);
  }
  const exported = (module.default as Record<string, unknown> | undefined)?.default ?? module.default ?? module.scenario;
  if (exported === undefined) throw new SoakError('scenario', `${file}: export the scenario as default (export default defineScenario({...}))`);
  return resolveScenario(exported, file, overrides);
}
