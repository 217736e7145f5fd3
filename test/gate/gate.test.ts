import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, launchBrowser } from '../../src/report/browser.js';
import { soakStartedPids, waitFor } from '../helpers/processes.js';
import { fixtureServer, readSummary, runSoak } from '../helpers/soak-cli.js';

/**
 * `soak gate` and `soak compare` on real runs of one small server built two ways: a fast build that
 * answers after 20 ms and a slow one that answers after 80 ms. Runs are 20 s at 50 req/s.
 */
const root = mkdtempSync(join(tmpdir(), 'soak-gate-'));
const dir = (name: string) => join(root, name);
const json = (name: string, content: unknown) => {
  const file = join(root, name);
  writeFileSync(file, JSON.stringify(content));
  return file;
};

async function runDelayServer(name: string, delayMs: number): Promise<void> {
  const args = ['run', '--cmd', fixtureServer('delay.cjs'), '--rate', '50', '--duration', '20s', '--warmup', '5s', '--sample-interval', '500ms', '--out', dir(name), '--no-progress'];
  const result = await runSoak(args, { DELAY_MS: String(delayMs) });
  if (!existsSync(join(dir(name), 'summary.json'))) throw new Error(`run ${name} wrote no summary (exit ${result.code}): ${result.stderr}`);
}

/**
 * A p99 regression's row: per-bucket medians with their count (of blocks of buckets when the buckets resembled
 * their neighbours), the Hodges-Lehmann shift and interval, p, the whole-run figures, the verdict.
 */
const REGRESSED_P99_ROW =
  /\| latency-p99 \| http \| [\d.]+ ms → [\d.]+ ms \(median of [\d.]+ s (?:buckets|blocks): \d+ and \d+\) \| \+[\d.]+ ms \(95% CI \+[\d.]+ ms to \+[\d.]+ ms\) \| [\d.e-]+ \| [\d.]+ ms → [\d.]+ ms \| ❌ regression \| \+\d+\.\d+% per (?:bucket|block), p [=<] [\d.e-]+ one-sided \(minimum \+50\.00%\) \|/;
const failures = (junit: string, suite: string) => Number(junit.match(new RegExp(`<testsuite name="${suite}[^"]*" tests="\\d+" failures="(\\d+)"`))?.[1]);

afterAll(() => rmSync(root, { recursive: true, force: true }));
/** What these tests started and must not leave behind (other runs may share the machine): guards logging under root, and the server. */
const leftBehind = () => soakStartedPids().filter((pid) => {
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
    return command.includes(root) || command.includes('servers/delay.cjs');
  } catch {
    return false;
  }
});
afterEach(async () => {
  expect(await waitFor(() => leftBehind().length === 0, 5000)).toBe(true);
});

describe('soak gate and soak compare on real runs', () => {
  // Budgets both builds meet, so only the regression test can fail a run; the minimum effect suits a shared 2-core machine.
  const lenient = () => json('lenient.json', { p99: '1s', errorRate: 0.01, regression: { minP99Increase: 0.5 } });

  beforeAll(async () => {
    await runDelayServer('fast-1', 20);
    await runDelayServer('fast-2', 20);
    await runDelayServer('slow', 80);
  }, 240_000);

  it('passes a run that holds its budgets: exit 0, no junit failure, summary.md appended to $GITHUB_STEP_SUMMARY', async () => {
    const stepSummary = join(root, 'step-summary.md');
    writeFileSync(stepSummary, 'earlier step\n');
    const budgets = json('held.json', { p99: '500ms', errorRate: 0.01, minThroughput: 40 });
    const result = await runSoak(['gate', dir('fast-2'), '--budgets', budgets], { GITHUB_STEP_SUMMARY: stepSummary });
    expect(result.code, result.stderr).toBe(0);
    const junit = readFileSync(join(dir('fast-2'), 'junit.xml'), 'utf8');
    expect(junit).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="soak gate: adhoc" tests="\d+" failures="0"/);
    expect(junit).toMatch(/<testcase classname="soak.budgets.all streams" name="p99 &lt;= 500 ms"/);
    expect(junit).toMatch(/name="minThroughput &gt;= 40.0 req\/s"/);
    const markdown = readFileSync(join(dir('fast-2'), 'summary.md'), 'utf8');
    expect(markdown).toMatch(/^## soak gate: ✅ PASS/);
    expect(markdown).toMatch(/\| ✅ \| p99 \| all streams \| whole run \| ≤ 500 ms \| [\d.]+ ms \|/);
    expect(readFileSync(stepSummary, 'utf8')).toBe(`earlier step\n${markdown}\n`);
  });

  it('fails a run that breaks a budget: exit 1 and a junit failure that names it', async () => {
    const budgets = json('tight.json', { p99: '50ms', phases: ['steady'] });
    const result = await runSoak(['gate', dir('slow'), '--budgets', budgets, '--out', dir('gate-tight')]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/gate: FAIL/);
    expect(result.stdout).toMatch(/\[budget\] p99 of all streams \(phase steady\): [\d.]+ ms, limit 50\.0 ms/);
    const junit = readFileSync(join(dir('gate-tight'), 'junit.xml'), 'utf8');
    expect(failures(junit, 'budgets')).toBe(1);
    expect(junit).toMatch(/<failure type="latency-budget" message="p99 of all streams \(phase steady\): [\d.]+ ms, budget &lt;= 50\.0 ms/);
    expect(readFileSync(join(dir('gate-tight'), 'summary.md'), 'utf8')).toMatch(/\| ❌ \| p99 \| all streams \| phase steady \| ≤ 50\.0 ms \| [\d.]+ ms \|/);
  });

  it('flags the slow build as a p99 regression of the fast one, with both figures, the effect and the p-value', async () => {
    const result = await runSoak(['gate', dir('slow'), '--baseline', dir('fast-1'), '--budgets', lenient(), '--out', dir('gate-regressed')]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/\[regression\] p99 latency of http regressed \+\d+\.\d+% \([\d.]+ ms → [\d.]+ ms\)/);
    const junit = readFileSync(join(dir('gate-regressed'), 'junit.xml'), 'utf8');
    expect(failures(junit, 'regression against')).toBe(1);
    expect(failures(junit, 'budgets')).toBe(0);
    expect(junit).toMatch(/<failure type="regression" message="p99 latency of http regressed[^"]*">Per-[\d.]+ s (?:block )?p99 latency of http moved from a median of [\d.]+ ms \(baseline, \d+ (?:buckets|blocks of \d+ [\d.]+ s buckets)\) to [\d.]+ ms \(this run, \d+ (?:buckets|blocks of \d+ [\d.]+ s buckets)\): Hodges-Lehmann shift [\d.]+ ms \(95% CI [\d.]+ ms to [\d.]+ ms\), Mann-Whitney U/);
    const markdown = readFileSync(join(dir('gate-regressed'), 'summary.md'), 'utf8');
    // The row shows what was tested (per-bucket medians, their shift and interval), the whole-run figures apart, and a verdict that agrees with both.
    expect(markdown).toMatch(REGRESSED_P99_ROW);
    expect(markdown).toMatch(/^### Against the baseline: regressed: 1 regression\b/m);
    // Two short runs of services that do not leak: their heap slopes are never a regression.
    expect(markdown).toMatch(/\| heap-slope \| target \| .* \| ✅ unchanged \| neither run raised memory-leak/);
    // The counts are of the lists shown.
    const failing = Number(markdown.match(/^\d+ of \d+ budgets held · (\d+) failing findings? · against `[^`]*`: regressed: 1 regression\b.* · run \d+ s, ended completed$/m)?.[1]);
    expect(markdown.match(/^### Failing findings \((\d+)\)$/m)?.[1] ?? '0').toBe(String(failing));
  });

  it('does not flag two runs of the same build, against a baseline kept as summary.json alone', async () => {
    const summaryOnly = join(root, 'baseline-summary.json');
    writeFileSync(summaryOnly, readFileSync(join(dir('fast-1'), 'summary.json')));
    const result = await runSoak(['gate', dir('fast-2'), '--baseline', summaryOnly, '--budgets', lenient(), '--out', dir('gate-same')]);
    const markdown = readFileSync(join(dir('gate-same'), 'summary.md'), 'utf8');
    expect(result.code, markdown).toBe(0);
    const junit = readFileSync(join(dir('gate-same'), 'junit.xml'), 'utf8');
    expect(failures(junit, 'regression against')).toBe(0);
    expect(junit).toMatch(/<testcase classname="soak.regression" name="p99 latency of http: no regression"/);
    expect(markdown).toMatch(/\| latency-p99 \| http \| .* \| ✅ (no significant change|changed, below the minimum effect) \|/);
    expect(markdown).toMatch(/^### Against the baseline: unchanged: 0 regressions, 0 improvements$/m);
  });

  it('reads two runs of the same build as unchanged, exit 0, and the slow build against the fast one as improved', async () => {
    const same = await runSoak(['compare', dir('fast-1'), dir('fast-2'), '--out', join(root, 'compare-same.html')]);
    expect(same.code, same.stdout + same.stderr).toBe(0);
    expect(same.stdout).toMatch(/^compare: unchanged: 0 regressions, 0 improvements\n/);
    const html = readFileSync(join(root, 'compare-same.html'), 'utf8');
    expect(html).toContain('<div class="verdict-word">UNCHANGED</div>');
    const better = await runSoak(['compare', dir('slow'), dir('fast-1'), '--out', join(root, 'compare-better.html')]);
    expect(better.code, better.stdout + better.stderr).toBe(0);
    expect(better.stdout).toMatch(/^compare: improved: 1 improvement\b.*\n {2}\[improved\] p99 latency of http: -\d+\.\d+% per (?:bucket|block)/);
    expect(readFileSync(join(root, 'compare-better.html'), 'utf8')).toContain('<div class="verdict-word">IMPROVED</div>');
  });

  it('says what is wrong in one line and exits 2 for a missing run or a bad budgets file', async () => {
    const missing = await runSoak(['gate', join(root, 'nowhere')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`soak: ${join(root, 'nowhere')} is not a soak run directory (no meta.json)\n`);
    const bad = json('bad.json', { p99: 'fast', streams: {} });
    const invalid = await runSoak(['gate', dir('fast-1'), '--budgets', bad]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/^soak: .*bad\.json: p99: expected a duration like "90s", "10m" or "8h", got "fast"\n$/);
    const noBaseline = await runSoak(['gate', dir('fast-1'), '--baseline', join(root, 'nothing.json')]);
    expect(noBaseline.code).toBe(2);
    expect(noBaseline.stderr).toMatch(/^soak: baseline not found: .*nothing\.json\n$/);
    const wholeRunSummary = join(root, 'whole-run-summary.json');
    writeFileSync(wholeRunSummary, readFileSync(join(dir('fast-1'), 'summary.json')));
    const otherPhases = await runSoak(['gate', dir('fast-2'), '--baseline', wholeRunSummary, '--budgets', json('steady-only.json', { regression: { phases: ['steady'] } })]);
    expect(otherPhases.code).toBe(2);
    expect(otherPhases.stderr).toMatch(
      /^soak: baseline .*whole-run-summary\.json keeps figures over the whole run, regression\.phases asks for the phase steady, and no run records are beside it: pass the baseline's run directory\n$/,
    );
  });

  it('compares only the phases the budgets file names, from the run records beside the baseline summary.json', async () => {
    const budgets = json('steady-regression.json', { p99: '1s', regression: { minP99Increase: 0.5, phases: ['steady'] } });
    const result = await runSoak(['gate', dir('slow'), '--baseline', join(dir('fast-1'), 'summary.json'), '--budgets', budgets, '--out', dir('gate-steady')]);
    expect(result.code, result.stderr).toBe(1);
    const markdown = readFileSync(join(dir('gate-steady'), 'summary.md'), 'utf8');
    expect(markdown).toMatch(/Per-bucket figures of both runs \(phase steady after the warm-up\)/);
    expect(markdown).toMatch(REGRESSED_P99_ROW);
  });

  it('writes the before/after report that opens in Chromium from disk with every chart drawn, and prints it to PDF', async (context) => {
    const out = join(root, 'compare.html');
    const result = await runSoak(['compare', dir('fast-1'), dir('slow'), '--out', out, ...(findChromium() ? ['--pdf'] : [])]);
    // A regression exits 1, as soak gate does.
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^compare: regressed: 1 regression\b.*\n {2}\[regression\] p99 latency of http regressed/);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/<td>stream http<\/td><td>p99 latency<\/td>.*<td>regression<\/td>/);
    expect(html).toMatch(/<td>service target<\/td><td>heapUsed<\/td>/);
    if (!findChromium()) return context.skip('no Chromium (apt-get install -y chromium)');
    expect(readFileSync(join(root, 'compare.pdf')).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const headless = await launchBrowser();
    try {
      const page = await headless.browser.newPage();
      const requests: string[] = [];
      const errors: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(String(error)));
      const url = pathToFileURL(out).href;
      await page.setViewport({ width: 1280, height: 900 });
      await page.goto(url, { waitUntil: 'load' });
      await page.waitForFunction('document.documentElement.hasAttribute("data-charts-drawn")', { timeout: 20_000 });
      const canvases = await page.evaluate(() =>
        [...document.querySelectorAll('canvas')].map((canvas) => {
          const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          // Pixels in each run's colour: the baseline's slate (#64748b) and the new run's blue (#2563eb).
          const near = (index: number, [r, g, b]: number[]) => Math.abs(pixels[index]! - r!) < 20 && Math.abs(pixels[index + 1]! - g!) < 20 && Math.abs(pixels[index + 2]! - b!) < 20;
          let before = 0;
          let after = 0;
          for (let index = 0; index < pixels.length; index += 4) {
            if (pixels[index + 3] === 0) continue;
            if (near(index, [100, 116, 139])) before += 1;
            if (near(index, [37, 99, 235])) after += 1;
          }
          const chartJs = (window as unknown as { Chart: { getChart(canvas: HTMLCanvasElement): unknown } }).Chart;
          return { id: canvas.id, hasChart: chartJs.getChart(canvas) !== undefined, before, after };
        }),
      );
      const drawn = await page.evaluate(() => Number(document.documentElement.getAttribute('data-charts-drawn')));
      // Load: throughput, latency, errors; the target: heap, post-GC heap, event loop, RSS.
      expect(canvases.length).toBeGreaterThanOrEqual(7);
      expect(drawn).toBe(canvases.length);
      for (const canvas of canvases) {
        expect(canvas.hasChart, canvas.id).toBe(true);
        expect(canvas.before, canvas.id).toBeGreaterThan(20);
        expect(canvas.after, canvas.id).toBeGreaterThan(20);
      }
      expect(errors).toEqual([]);
      expect(requests).toEqual([url]);
    } finally {
      await headless.close();
    }
  });

  it('soak report --pdf prints a run report to report.pdf', async (context) => {
    if (!findChromium()) return context.skip('no Chromium (apt-get install -y chromium)');
    const result = await runSoak(['report', dir('fast-1'), '--pdf']);
    expect(result.code, result.stderr).toBe(0);
    const pdf = readFileSync(join(dir('fast-1'), 'report.pdf'));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
  });
});

describe('abortOnFail', () => {
  it('stops a run as soon as its p99 budget is broken and fails it with the reason', async () => {
    const scenario = join(root, 'abort.ts');
    writeFileSync(
      scenario,
      `export default {
  name: 'abort-on-fail',
  target: { cmd: ${JSON.stringify(fixtureServer('delay.cjs'))}, env: { DELAY_MS: '50' } },
  load: { path: '/', phases: [{ kind: 'steady', duration: '90s', rate: 20 }] },
  budgets: { p99: '10ms', abortOnFail: true },
  sampleInterval: '500ms',
};
`,
    );
    const out = dir('aborted');
    const result = await runSoak(['run', scenario, '--out', out, '--no-progress']);
    expect(result.code, result.stderr).toBe(1);
    const summary = readSummary(out);
    expect(summary.run.endReason).toBe('aborted');
    expect(summary.run.endMessage).toMatch(/^budget broken, run stopped early \(abortOnFail\): p99 latency of all streams: [\d.]+ ms over \d+ requests so far, budget 10\.0 ms$/);
    expect(summary.run.durationMs as number).toBeLessThan(40_000);
    expect(summary.findings.map((finding) => finding.kind)).toEqual(expect.arrayContaining(['budget-abort', 'latency-budget']));
  });

  const abortingRun = async (name: string, body: string) => {
    const scenario = join(root, `${name}.ts`);
    writeFileSync(scenario, `export default { name: '${name}', sampleInterval: '500ms', ${body} };\n`);
    const out = dir(name);
    const result = await runSoak(['run', scenario, '--out', out, '--no-progress']);
    expect(result.code, result.stderr).toBe(1);
    return readSummary(out);
  };

  it('stops on an endpoint budget broken by that endpoint alone, the stream as a whole within its own', async () => {
    const summary = await abortingRun(
      'abort-endpoint',
      `target: { cmd: ${JSON.stringify(fixtureServer('delay.cjs'))}, env: { DELAY_MS: '1' } },
  load: { requests: [{ path: '/fast', weight: 3 }, { path: '/slow?delay=60', name: 'slow' }], phases: [{ kind: 'steady', duration: '90s', rate: 60 }] },
  budgets: { p99: '200ms', endpoints: { slow: { p99: '30ms' } }, abortOnFail: true },`,
    );
    expect(summary.run.endReason).toBe('aborted');
    expect(summary.run.endMessage).toMatch(/^budget broken, run stopped early \(abortOnFail\): p99 latency of endpoint slow: [\d.]+ ms over \d+ requests so far, budget 30\.0 ms$/);
    expect(summary.run.durationMs as number).toBeLessThan(60_000);
  });

  it('stops on an event-loop budget once the service blocks its loop past it', async () => {
    const summary = await abortingRun(
      'abort-event-loop',
      `target: { cmd: ${JSON.stringify(fixtureServer('blocking.cjs'))}, env: { BLOCK_MS: '250', BLOCK_EVERY: '40' } },
  load: { path: '/', phases: [{ kind: 'steady', duration: '90s', rate: 20 }] },
  budgets: { eventLoopMax: '150ms', abortOnFail: true },`,
    );
    expect(summary.run.endReason).toBe('aborted');
    expect(summary.run.endMessage).toMatch(/^budget broken, run stopped early \(abortOnFail\): eventLoopMax of target: \d+ ms in one interval \(pid \d+\), budget 150 ms$/);
    expect(summary.run.durationMs as number).toBeLessThan(30_000);
    expect(summary.findings.map((finding) => finding.kind)).toEqual(expect.arrayContaining(['budget-abort', 'event-loop-blocked']));
  });
});
