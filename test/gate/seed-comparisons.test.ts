import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { soakStartedPids, waitFor } from '../helpers/processes.js';
import { readSummary, repoRoot, runSoak, type SoakResult } from '../helpers/soak-cli.js';

/**
 * `soak gate --baseline` and `soak compare` on real runs of two seed targets, buggy and fixed, through the
 * real CLI: pool-exhaustion (test/runtime/fixtures/pool-exhaustion-short.ts, 20 s) and upstream-pause
 * (test/fixtures/scenarios/fault-upstream-pause.ts, 35 s, PostgreSQL frozen for 8 s). The fixed
 * pool-exhaustion target runs twice: two runs of the same healthy service. Every run is short and none
 * of the services leaks, so no comparison may find a heap-slope regression. Five runs (about two
 * minutes), made once and shared by every assertion.
 */
const root = mkdtempSync(join(tmpdir(), 'soak-seed-comparisons-'));
const dir = (name: string) => join(root, name);

const POOL = join(repoRoot, 'test/runtime/fixtures/pool-exhaustion-short.ts');
const PAUSE = join(repoRoot, 'test/fixtures/scenarios/fault-upstream-pause.ts');

async function run(scenario: string, variant: 'buggy' | 'fixed', name: string): Promise<void> {
  const result = await runSoak(['run', scenario, '--out', dir(name), '--no-progress'], { VARIANT: variant });
  // A failing verdict (exit 1) is what a buggy run is for; anything else is no run to compare.
  if (result.code !== 0 && result.code !== 1) throw new Error(`run ${name} exited ${result.code}: ${result.stderr}`);
}

/** One regression row of summary.md, its cells by column. */
interface Row {
  metric: string;
  subject: string;
  tested: string;
  whole: string;
  verdict: string;
  why: string;
}

function regressionRows(markdown: string): Row[] {
  return markdown
    .split('\n')
    .filter((line) => /^\| (latency-p99|throughput|error-rate|heap-slope) \|/.test(line))
    .map((line) => {
      const [metric, subject, tested, , , whole, verdict, why] = line.slice(2, -2).split(' | ');
      return { metric: metric!, subject: subject!, tested: tested!, whole: whole!, verdict: verdict!, why: why! };
    });
}

/** The numbers of a cell, in order: "1,002 ms → 4,489 ms" is [1002, 4489]. */
const numbers = (cell: string) => [...cell.matchAll(/-?[\d,]+(?:\.\d+)?/g)].map((match) => Number(match[0].replace(/,/g, '')));

/**
 * Whether a row's whole-run figures changed past the large effect either way (p99 ×2, throughput 30 %,
 * error rate 5 points): such a row may not read as if nothing happened without saying why.
 */
function largeWholeChange(row: Row): boolean {
  const [before, after] = numbers(row.whole);
  if (before === undefined || after === undefined) return false;
  if (row.metric === 'latency-p99') return before > 0 && after > 0 && (after / before >= 2 || before / after >= 2);
  if (row.metric === 'throughput') return Math.abs(after - before) >= 0.3 * Math.max(before, after);
  if (row.metric === 'error-rate') return Math.abs(after - before) >= 5;
  return false;
}

interface Judged {
  gate: SoakResult;
  markdown: string;
  junit: string;
  compare: SoakResult;
  html: string;
}

/** The gate of `after` against `before` and the compare of the two, each written apart. */
async function judge(before: string, after: string): Promise<Judged> {
  const out = dir(`gate-${before}-${after}`);
  const report = join(root, `compare-${before}-${after}.html`);
  const [gate, compare] = await Promise.all([runSoak(['gate', dir(after), '--baseline', dir(before), '--out', out]), runSoak(['compare', dir(before), dir(after), '--out', report])]);
  return { gate, markdown: readFileSync(join(out, 'summary.md'), 'utf8'), junit: readFileSync(join(out, 'junit.xml'), 'utf8'), compare, html: readFileSync(report, 'utf8') };
}

/** Every count the gate and compare give agrees with the list it counts, and every row with its verdict. */
function expectConsistent(judged: Judged, outcome: 'regressed' | 'improved' | 'unchanged'): void {
  const { markdown, junit, compare, html } = judged;
  const context = `${markdown}\n${compare.stdout}`;
  const rows = regressionRows(markdown);
  expect(rows.map((row) => row.metric).sort(), context).toEqual(['error-rate', 'heap-slope', 'latency-p99', 'throughput']);
  for (const row of rows) {
    if (row.metric === 'error-rate') for (const share of numbers(row.whole).concat(numbers(row.tested).slice(0, 2))) expect(share, context).toBeLessThanOrEqual(100);
    // A large change over the run is a regression or an improvement, or the row says why it is not.
    if (largeWholeChange(row) && !/regression|improved/.test(row.verdict)) expect(row.why, context).not.toBe('–');
    if (row.metric === 'heap-slope') expect(row.verdict, context).not.toMatch(/regression/);
  }
  const regressed = rows.filter((row) => row.verdict.startsWith('❌'));
  const improved = rows.filter((row) => row.verdict === '✅ improved');
  const headline = markdown.match(/^### Against the baseline: (\w+): (.*)$/m);
  expect(headline?.[1], context).toBe(outcome);
  const counted = (noun: string) => Number(headline?.[2]?.match(new RegExp(`(\\d+) ${noun}`))?.[1] ?? 0);
  expect(counted('regression'), context).toBe(regressed.length);
  expect(counted('improvement'), context).toBe(improved.length);
  // The same two runs, the same words from compare; each regression and improvement listed under it.
  expect(compare.stdout.split('\n')[0], context).toBe(`compare: ${headline![1]}: ${headline![2]}`);
  expect(compare.stdout.match(/^ {2}\[regression\] /gm)?.length ?? 0, context).toBe(regressed.length);
  expect(compare.stdout.match(/^ {2}\[improved\] /gm)?.length ?? 0, context).toBe(improved.length);
  expect(Number(junit.match(/<testsuite name="regression against[^"]*" tests="\d+" failures="(\d+)"/)?.[1]), context).toBe(regressed.length);
  expect(html).toContain(`<div class="verdict-word">${outcome.toUpperCase()}</div>`);
  // compare exits 1 when it regressed, as the gate does.
  expect(compare.code, context).toBe(outcome === 'regressed' ? 1 : 0);
  // The failing findings the header counts are those listed under it.
  const failing = Number(markdown.match(/^\d+ of \d+ budgets held · (\d+) failing findings? · /m)?.[1]);
  const listed = markdown.match(/^### Failing findings \((\d+)\)\n\n((?:- .*\n)+)/m);
  expect(Number(listed?.[1] ?? 0), context).toBe(failing);
  expect(listed?.[2]?.trim().split('\n').length ?? 0, context).toBe(failing);
}

const rowOf = (markdown: string, metric: string) => regressionRows(markdown).find((row) => row.metric === metric)!;

describe('gate and compare on real runs of the seed targets, buggy and fixed', () => {
  const judged = new Map<string, Judged>();
  const pair = (before: string, after: string) => judged.get(`${before} ${after}`)!;

  beforeAll(async () => {
    // The two runs of the same service side by side, under the same conditions; then each pair of variants.
    await Promise.all([run(POOL, 'fixed', 'pool-fixed'), run(POOL, 'fixed', 'pool-fixed-again')]);
    await Promise.all([run(PAUSE, 'buggy', 'pause-buggy'), run(PAUSE, 'fixed', 'pause-fixed')]);
    await run(POOL, 'buggy', 'pool-buggy');
    const pairs = [
      ['pool-fixed', 'pool-buggy'],
      ['pool-buggy', 'pool-fixed'],
      ['pause-fixed', 'pause-buggy'],
      ['pause-buggy', 'pause-fixed'],
      ['pool-fixed', 'pool-fixed-again'],
    ] as const;
    for (const [before, after] of pairs) judged.set(`${before} ${after}`, await judge(before, after));
  }, 300_000);

  afterAll(async () => {
    expect(await waitFor(() => soakStartedPids().length === 0, 10_000)).toBe(true);
    rmSync(root, { recursive: true, force: true });
  });

  it('pool exhaustion, buggy against fixed: error rate and throughput regressed, the error rate within 100 %, every count and row agreeing with its verdict', () => {
    const { gate, markdown } = pair('pool-fixed', 'pool-buggy');
    expect(gate.code).toBe(1);
    expectConsistent(pair('pool-fixed', 'pool-buggy'), 'regressed');
    for (const metric of ['error-rate', 'throughput']) expect(rowOf(markdown, metric).verdict, markdown).toBe('❌ regression');
    // Failures over the requests whose outcome is known: never more than all of them.
    const buggy = readSummary(dir('pool-buggy')).load as { errorRate: number; errors: number; requests: number };
    expect(buggy.errorRate).toBeGreaterThan(0.5);
    expect(buggy.errorRate).toBeLessThanOrEqual(1);
  });

  it('upstream pause, buggy against fixed: p99 regressed, with the tested per-bucket medians and the whole-run figures in their own columns', () => {
    const { gate, markdown } = pair('pause-fixed', 'pause-buggy');
    expect(gate.code).toBe(1);
    expectConsistent(pair('pause-fixed', 'pause-buggy'), 'regressed');
    const p99 = rowOf(markdown, 'latency-p99');
    expect(p99.verdict, markdown).toBe('❌ regression');
    // The tested statistic, or why there was none: the buggy run's backlog drains through the buckets after
    // the freeze, so they follow a trend, and the blocks that count as independent can be too few to test.
    if (p99.tested === '–') expect(p99.why, markdown).toMatch(/; too few independent values for a significance test: .*lag-1 autocorrelation/);
    else expect(p99.tested, markdown).toMatch(/^[\d,.]+ ms → [\d,.]+ ms \(median of [\d.]+ s (buckets|blocks): \d+ and \d+\)$/);
    // Compared where the scenario's budgets judge: the frozen phase, in which failing fast is right, is left out.
    expect(markdown).toMatch(/Per-bucket figures of both runs \(phases before, after after the warm-up\)/);
  });

  // Whether the gate passes is the fixed run's budgets' to say; the comparison is not what fails it.
  it('fixed against buggy reads "improved", from the gate and from compare (exit 0)', () => {
    for (const [before, after] of [
      ['pool-buggy', 'pool-fixed'],
      ['pause-buggy', 'pause-fixed'],
    ] as const) {
      const judgedPair = pair(before, after);
      expectConsistent(judgedPair, 'improved');
    }
  });

  it('two runs of the same healthy service read "unchanged", exit 0 from both gate and compare', () => {
    const same = pair('pool-fixed', 'pool-fixed-again');
    expectConsistent(same, 'unchanged');
    expect(same.gate.code, same.markdown).toBe(0);
    expect(same.compare.stdout).toMatch(/^compare: unchanged: 0 regressions, 0 improvements\n/);
  });

  it('short runs of services that do not leak never give a heap-slope regression, and say why the slopes are not compared', () => {
    for (const { markdown, compare } of judged.values()) {
      const heap = rowOf(markdown, 'heap-slope');
      expect(heap.verdict, markdown).not.toMatch(/regression|improved/);
      expect(heap.why, markdown).toMatch(/^(neither run raised memory-leak|too short to compare heap growth)/);
      expect(compare.stdout).not.toMatch(/Heap of .* now grows/);
    }
  });

  it('the compare report shades both runs\' fault windows and leaves the latency line broken where nothing completed', () => {
    const { html } = pair('pause-fixed', 'pause-buggy');
    const data = JSON.parse(html.match(/<script type="application\/json" id="soak-data">(.*?)<\/script>/s)![1]!) as {
      marks: { faults: { label: string }[] };
      charts: { title: string; series: { label: string; points: [number, number | null][] }[] }[];
    };
    expect(data.marks.faults.map((fault) => fault.label)).toEqual(['before: pause → postgres', 'after: pause → postgres']);
    const latency = data.charts.find((chart) => chart.title.startsWith('Latency'))!;
    // The buggy target answers nothing while the database is frozen: a gap, not a line drawn across it.
    const buggyP99 = latency.series.find((series) => series.label === 'p99 after')!;
    expect(buggyP99.points.some(([, y]) => y === null)).toBe(true);
    // Nor is a stretch without a response a "p99 none" in the fault's note.
    const impact = readSummary(dir('pause-buggy')).findings.find((finding) => finding.kind === 'fault-impact')!;
    expect(impact.title).toMatch(/no response completed/);
  });
});
