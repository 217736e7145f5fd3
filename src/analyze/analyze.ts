import { detectors as registered } from './detectors/index.js';
import type { AnalysisConfig, Detector, Finding, RunData } from './types.js';

/**
 * Runs every detector on a run read back from disk. Detectors are independent and pure, so the
 * findings depend on the records and the config alone: `soak report` reproduces them exactly.
 */
export function analyze(run: RunData, config: AnalysisConfig, detectors: readonly Detector[] = registered): Finding[] {
  return detectors.flatMap((detector) => detector.detect(run, config));
}
