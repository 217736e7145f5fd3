import { readHeapDiffs } from '../heap/index.js';
import { detectors as registered } from './detectors/index.js';
import type { RunFacts } from './facts/builder.js';
import { withHeapDiffs } from './heap-findings.js';
import type { Detector, Finding } from './types.js';

/**
 * Runs every detector on a run's facts. Detectors are independent and pure, so the findings depend
 * on the records and the config alone: `soak report` reproduces them exactly.
 */
export function analyze(facts: RunFacts, detectors: readonly Detector[] = registered): Finding[] {
  return detectors.flatMap((detector) => detector.detect(facts));
}

/**
 * A run's findings as its report shows them: the detectors' over the facts, joined to the heap
 * diffs, which come from files the run wrote after the records (heap/<service>-diff.json).
 */
export async function analyzeWithHeapDiffs(facts: RunFacts): Promise<Finding[]> {
  return withHeapDiffs(analyze(facts), await readHeapDiffs(facts.dir), facts.startT);
}
