/**
 * Detection accuracy: every seed scenario in both variants, each run through the real CLI.
 * Prints the matrix (failure class x variant -> findings, time to first detection) and writes it
 * to its section of docs/accuracy.md (bench/corpus/run.ts owns the corpus's section).
 * Usage: npx tsx bench/accuracy.ts [scenario-name ...]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeSection } from './doc-section.js';

interface Expectation {
  scenario: string;
  /** Kinds the buggy variant must raise (any one of them counts as detected). */
  buggy: string[];
  /** Kinds that must not appear for the fixed variant. */
  fixedMustNotRaise: string[];
  /** Kinds the fixed variant raises by design. */
  fixedExpected?: string[];
}

const expectations: Expectation[] = [
  { scenario: 'pool-exhaustion', buggy: ['pool-exhaustion'], fixedMustNotRaise: ['pool-exhaustion', 'error-rate', 'latency-budget'] },
  { scenario: 'ws-state-leak', buggy: ['memory-leak', 'handle-leak'], fixedMustNotRaise: ['memory-leak', 'handle-leak'] },
  { scenario: 'unbounded-cache', buggy: ['memory-leak'], fixedMustNotRaise: ['memory-leak'] },
  { scenario: 'event-loop-block', buggy: ['event-loop-blocked'], fixedMustNotRaise: ['event-loop-blocked'] },
  { scenario: 'process-per-request', buggy: ['latency-budget', 'error-rate'], fixedMustNotRaise: ['latency-budget', 'error-rate'] },
  { scenario: 'crash-loop', buggy: ['crash-loop'], fixedMustNotRaise: ['crash-loop'], fixedExpected: ['target-crash'] },
  { scenario: 'lost-update', buggy: ['data-loss'], fixedMustNotRaise: ['data-loss'] },
  { scenario: 'timer-accumulation', buggy: ['handle-leak'], fixedMustNotRaise: ['handle-leak'] },
  { scenario: 'upstream-pause', buggy: ['slow-recovery'], fixedMustNotRaise: ['slow-recovery', 'pool-exhaustion', 'error-rate', 'latency-budget'] },
  { scenario: 'db-restart', buggy: ['slow-recovery'], fixedMustNotRaise: ['slow-recovery', 'error-rate'] },
  { scenario: 'pool-latency', buggy: ['pool-exhaustion'], fixedMustNotRaise: ['pool-exhaustion', 'error-rate', 'latency-budget', 'slow-recovery'] },
];

interface Summary {
  verdict: string;
  run: { startedAt: number; durationMs: number };
  findings: { kind: string; severity: string; at?: number }[];
}

const root = join(import.meta.dirname, '..');
const outRoot = join(root, 'reports', `accuracy-${new Date().toISOString().replace(/[:.]/g, '-')}`);
mkdirSync(outRoot, { recursive: true });

function runVariant(scenario: string, variant: 'buggy' | 'fixed'): { summary: Summary; dir: string } {
  const dir = join(outRoot, `${scenario}-${variant}`);
  spawnSync(process.execPath, [join(root, 'bin/soak.js'), 'run', join(root, 'scenarios', `${scenario}.ts`), '--out', dir, '--no-progress'], {
    cwd: root,
    env: { ...process.env, VARIANT: variant },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { summary: JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary, dir };
}

const describe = (summary: Summary) => {
  const kinds = [...new Set(summary.findings.filter((finding) => finding.severity !== 'info').map((finding) => finding.kind))];
  return kinds.length > 0 ? kinds.join(', ') : 'none';
};

const only = process.argv.slice(2);
const rows: string[] = [];
let misses = 0;
for (const expectation of expectations.filter((entry) => only.length === 0 || only.includes(entry.scenario))) {
  const buggy = runVariant(expectation.scenario, 'buggy');
  const fixed = runVariant(expectation.scenario, 'fixed');
  const hit = buggy.summary.findings.filter((finding) => expectation.buggy.includes(finding.kind));
  const firstAt = Math.min(...hit.map((finding) => finding.at ?? Infinity));
  const detectedIn = hit.length > 0 && Number.isFinite(firstAt) ? `${((firstAt - buggy.summary.run.startedAt) / 1000).toFixed(0)} s` : '-';
  const fixedWrong = fixed.summary.findings.filter((finding) => expectation.fixedMustNotRaise.includes(finding.kind));
  const ok = hit.length > 0 && fixedWrong.length === 0;
  if (!ok) misses += 1;
  rows.push(
    `| ${expectation.scenario} | ${expectation.buggy.join(' or ')} | ${describe(buggy.summary)} | ${detectedIn} | ${describe(fixed.summary)}${expectation.fixedExpected ? ` (expected: ${expectation.fixedExpected.join(', ')})` : ''} | ${ok ? 'yes' : 'NO'} |`,
  );
  process.stdout.write(`${rows.at(-1)}\n`);
  spawnSync(process.execPath, [join(root, 'bin/soak.js'), 'compare', buggy.dir, fixed.dir, '--out', join(outRoot, `${expectation.scenario}-compare.html`)], { cwd: root, stdio: 'ignore' });
}

const table = [
  '| failure class | buggy must raise | buggy raised | first detection | fixed raised | right? |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows,
].join('\n');
const doc = `# Detection accuracy\n\nEvery seed scenario in \`scenarios/\`, run in both variants through the real CLI on one 2-core machine\n(target, dependencies and soak side by side). Regenerate with:\n\n\`\`\`sh\nnpx tsx bench/accuracy.ts\n\`\`\`\n\nRun ${new Date().toISOString().slice(0, 10)}; runs and before/after compare reports in \`${outRoot.replace(`${root}/`, '')}\`.\n\n${table}\n\n"first detection" is the time from the start of the run to the first finding of the expected kind.\n`;
if (only.length === 0) writeSection(join(root, 'docs', 'accuracy.md'), 'seeds', doc);
process.stdout.write(`\n${table}\n\n${misses === 0 ? 'every buggy variant flagged, every fixed variant clean' : `${misses} scenario(s) not right`}\n`);
