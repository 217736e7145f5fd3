import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { packageRoot } from '../core/paths.js';
import { SoakError } from '../core/errors.js';
import { projectFacts, readPackageJson, type ProjectFacts } from './project.js';
import { probeReadiness, type ReadinessProbe } from './readiness.js';
import { defaultPlan, renderScenario, type PlanOptions } from './template.js';

export { projectFacts, type ProjectFacts } from './project.js';
export { readinessCandidates, probeReadiness, type ReadinessProbe } from './readiness.js';
export { renderScenario, defaultPlan, type PlanOptions } from './template.js';

export const SCENARIO_FILE_NAME = 'soak.scenario.ts';

/** CI recipes soak init can write, by name: the file shipped in docs/ci and where it goes in the project. */
export const ciRecipes: Record<string, { source: string; dest: string }> = {
  github: { source: 'docs/ci/github-actions.yml', dest: '.github/workflows/soak.yml' },
};

export interface InitOptions {
  dir: string;
  /** Overwrite an existing soak.scenario.ts (and workflow). */
  force?: boolean;
  /** Also write this CI recipe (see ciRecipes). */
  ci?: string;
  /** The start command, over the one package.json gives. */
  cmd?: string;
  plan?: Partial<PlanOptions>;
  /** How long the service may take to listen while soak init looks for a readiness path. */
  readyTimeoutMs?: number;
}

export interface InitResult {
  facts: ProjectFacts;
  readiness: ReadinessProbe;
  written: string[];
}

/** soak init: a scenario for the project in `dir` from its package.json and a try of its start command, and optionally a CI workflow. */
export async function initProject(options: InitOptions): Promise<InitResult> {
  const dir = resolve(options.dir);
  const recipe = options.ci === undefined ? undefined : ciRecipes[options.ci];
  if (options.ci !== undefined && !recipe) throw new SoakError('usage', `--ci: unknown CI "${options.ci}" (known: ${Object.keys(ciRecipes).join(', ')})`);
  const files = [SCENARIO_FILE_NAME, ...(recipe ? [recipe.dest] : [])];
  const existing = files.filter((file) => existsSync(join(dir, file)));
  if (existing.length > 0 && !options.force) throw new SoakError('usage', `${existing.join(' and ')} ${existing.length === 1 ? 'exists' : 'exist'}: soak init leaves it alone (--force to overwrite)`);
  const facts = projectFacts(readPackageJson(dir), options.cmd);
  const readiness = await probeReadiness(facts.cmd, dir, options.readyTimeoutMs ?? 15_000);
  const contents = [renderScenario(facts, readiness, { ...defaultPlan, ...options.plan }), ...(recipe ? [readFileSync(join(packageRoot, recipe.source), 'utf8')] : [])];
  const written = files.map((file, index) => {
    const path = join(dir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, contents[index]!);
    return path;
  });
  return { facts, readiness, written };
}
