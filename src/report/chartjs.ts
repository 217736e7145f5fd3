import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/**
 * Chart.js's UMD build, inlined so the report opens from disk with no network. It is resolved
 * like any dependency, so it is found from src/ in tests and from dist/ when soak is installed.
 * The package exports no ./package.json, so the UMD file is found next to its CommonJS entry.
 */
export function chartJsSource(): string {
  if (cached === undefined) {
    const entry = createRequire(import.meta.url).resolve('chart.js');
    cached = readFileSync(join(dirname(entry), 'chart.umd.js'), 'utf8');
  }
  return cached;
}
