import type { ComparedRuns } from '../runner/compare.js';

export interface CompareOptions {
  /** Where the HTML report goes (default: compare.html in the after run's directory). */
  out?: string;
}

/** Two run directories compared as `soak compare` does: every shared metric with its significance, the findings that appeared or disappeared, and the HTML report. */
export async function compare(beforeDir: string, afterDir: string, options: CompareOptions = {}): Promise<ComparedRuns> {
  const { compareRunDirs } = await import('../runner/compare.js');
  return compareRunDirs(beforeDir, afterDir, options.out);
}
