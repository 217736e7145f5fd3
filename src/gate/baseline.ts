import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeWindow, readRunFacts, type RegressionBasis, type RunFacts } from '../analyze/index.js';
import { SoakError } from '../core/errors.js';
import { RunFiles } from '../store/records.js';

export interface Baseline {
  /** Where it came from, for the report. */
  label: string;
  data: RunFacts | RegressionBasis;
}

const isBasis = (value: unknown): value is RegressionBasis =>
  typeof value === 'object' && value !== null && typeof (value as RegressionBasis).bucketMs === 'number' && typeof (value as RegressionBasis).streams === 'object';

const sameWindow = (a: readonly string[] | undefined, b: readonly string[] | undefined) => (a ?? []).join('\u0000') === (b ?? []).join('\u0000');

/**
 * A run directory (read back into its facts) or a summary.json: its stored basis when that was reduced over
 * the phases compared (`window`), else the run records beside it.
 */
export async function loadBaseline(path: string, window?: readonly string[]): Promise<Baseline> {
  if (!existsSync(path)) throw new SoakError('usage', `baseline not found: ${path}`);
  if (statSync(path).isDirectory()) return { label: path, data: await readRunFacts(path) };
  let summary: { regressionBasis?: unknown };
  try {
    summary = JSON.parse(readFileSync(path, 'utf8')) as { regressionBasis?: unknown };
  } catch (error) {
    throw new SoakError('usage', `baseline ${path}: not a summary.json (${(error as Error).message})`);
  }
  const basis = isBasis(summary.regressionBasis) ? summary.regressionBasis : undefined;
  if (basis && sameWindow(basis.window, window)) return { label: path, data: basis };
  if (existsSync(join(dirname(path), RunFiles.meta))) return { label: path, data: await readRunFacts(dirname(path)) };
  if (basis) {
    throw new SoakError(
      'usage',
      `baseline ${path} keeps figures over the ${describeWindow(basis.window)}, regression.phases asks for the ${describeWindow(window)}, and no run records are beside it: pass the baseline's run directory`,
    );
  }
  throw new SoakError('usage', `baseline ${path} has no regressionBasis (written by an older soak) and no run records beside it: pass the baseline's run directory`);
}
