import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { defaultRegressionCriteria, type RegressionCriteria } from '../analyze/regression/index.js';
import { SoakError } from '../core/errors.js';
import { parseOrThrow } from '../scenario/errors.js';
import { importDefault } from '../scenario/module.js';
import { durationMs, fraction, nonNegativeNumber } from '../core/fields.js';
import { budgetsSchema, budgetWindow, type ScenarioParsed } from '../scenario/schema.js';

/** What counts as a regression; every field optional, over defaultRegressionCriteria. */
const regressionSchema = z
  .object({
    alpha: fraction.optional(),
    minP99Increase: nonNegativeNumber.optional(),
    minThroughputDrop: fraction.optional(),
    minErrorRateIncrease: fraction.optional(),
    minHeapSlopeIncreaseMBPerHour: nonNegativeNumber.optional(),
    warmup: durationMs.optional(),
    /** Compare only these phases (names or kinds), e.g. the steady state without the ramp. */
    phases: budgetWindow.optional(),
  })
  .strict();

/** A budgets file: the scenario's `budgets` fields, plus the regression criteria for --baseline. */
export const gateFileSchema = z.object({ ...budgetsSchema.shape, regression: regressionSchema.optional() }).strict();

export type Budgets = ScenarioParsed['budgets'];

export interface GateFile {
  budgets: Partial<Budgets>;
  regression: z.output<typeof regressionSchema>;
}

/** Reads a budgets file: JSON, or a .ts/.js module whose default export is the object. */
export async function loadGateFile(file: string): Promise<GateFile> {
  const absolute = resolve(file);
  if (!existsSync(absolute)) throw new SoakError('usage', `budgets file not found: ${file}`);
  let content: unknown;
  if (/\.json$/i.test(file)) {
    try {
      content = JSON.parse(readFileSync(absolute, 'utf8'));
    } catch (error) {
      throw new SoakError('usage', `${file}: cannot read: ${String((error as Error).message ?? error).split('\n')[0]}`);
    }
  } else {
    content = await importDefault(file, undefined, 'usage');
    if (content === undefined) throw new SoakError('usage', `${file}: export the budgets as the default export (export default { p99: '250ms' })`);
  }
  const { regression, ...budgets } = parseOrThrow(gateFileSchema, content, '', file);
  return { budgets, regression: regression ?? {} };
}

/** The file's budgets over the scenario's, field by field; a stream or endpoint named in both takes the file's. */
export function mergeBudgets(scenario: Partial<Budgets>, file: Partial<Budgets>): Partial<Budgets> {
  const streams = scenario.streams || file.streams ? { ...scenario.streams, ...file.streams } : undefined;
  const endpoints = scenario.endpoints || file.endpoints ? { ...scenario.endpoints, ...file.endpoints } : undefined;
  return { ...scenario, ...file, ...(streams ? { streams } : {}), ...(endpoints ? { endpoints } : {}) };
}

export function regressionCriteria(file: GateFile['regression'], analysisWarmupMs: number): RegressionCriteria {
  const { warmup, phases, ...rest } = file;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
  return { ...defaultRegressionCriteria, warmupMs: warmup ?? analysisWarmupMs, ...(phases ? { window: phases } : {}), ...defined };
}
