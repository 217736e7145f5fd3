import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, launchBrowser, type HeadlessBrowser } from '../../src/report/browser.js';
import { RunFiles } from '../../src/store/records.js';
import { parseExposition, prometheusParserMissing, sampleValue } from '../helpers/prometheus.js';
import { waitFor } from '../helpers/processes.js';
import { fixtureServer, readSummary, runSoak, startSoak, type SoakResult } from '../helpers/soak-cli.js';

const chromium = findChromium();
const parserMissing = prometheusParserMissing();
if (!chromium) console.warn('skipping the live dashboard tests: no Chromium (apt-get install -y chromium, or set SOAK_CHROMIUM)');
if (parserMissing) console.warn(`skipping the live dashboard tests: ${parserMissing}`);

/** The URL a soak prints for its dashboard, once it has. */
async function printedUrl(output: () => string, pattern: RegExp): Promise<string> {
  let url: string | undefined;
  await waitFor(() => (url = pattern.exec(output())?.[1]) !== undefined, 30_000, 50);
  if (!url) throw new Error(`no dashboard URL printed:\n${output()}`);
  return url;
}

const scrape = async (url: string, accept?: string) => (await fetch(url, accept ? { headers: { accept } } : {})).text();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One real soak run of a leaking server (100 KB kept per request at 40 req/s, 40 s) with its
 * dashboard on, watched as a person would: in Chromium, by a Prometheus-style scraper, and with
 * `soak report` while it runs; then `soak watch` of the finished run.
 */
describe.skipIf(!chromium || parserMissing)('the live dashboard of a running soak', () => {
  const root = mkdtempSync(join(tmpdir(), 'soak-live-'));
  const dir = join(root, 'run');
  let stderr = '';
  let soak: ReturnType<typeof startSoak>;
  let url = '';
  let headless: HeadlessBrowser;

  beforeAll(async () => {
    soak = startSoak(['run', '--cmd', fixtureServer('leak.cjs'), '--rate', '40', '--duration', '40s', '--warmup', '5s', '--sample-interval', '500ms', '--out', dir, '--no-progress', '--dashboard'], { LEAK_BYTES: '100000' });
    soak.child.stderr!.on('data', (data: Buffer) => (stderr += data.toString()));
    [url, headless] = await Promise.all([printedUrl(() => stderr, /live report (http:\/\/127\.0\.0\.1:\d+\/)/), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    if (soak.child.exitCode === null) soak.child.kill('SIGKILL');
    await headless?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('draws the charts, updates them as the run goes, and shows a leak finding before the run ends', async () => {
    const page = await headless.browser.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction('document.documentElement.hasAttribute("data-charts-drawn")', { timeout: 30_000 });
    const points = () =>
      page.evaluate(() => {
        const chartJs = (window as unknown as { Chart: { getChart(canvas: HTMLCanvasElement): { data: { datasets: { data: unknown[] }[] } } | undefined } }).Chart;
        return [...document.querySelectorAll('canvas')].reduce((sum, canvas) => sum + (chartJs.getChart(canvas)?.data.datasets.reduce((n, dataset) => n + dataset.data.length, 0) ?? 0), 0);
      });
    const first = await points();
    await page.waitForFunction('Number(document.documentElement.getAttribute("data-live-updates")) >= 2', { timeout: 30_000 });
    expect(await points()).toBeGreaterThan(first);

    await page.waitForFunction('[...document.querySelectorAll("#findings .kind")].some((kind) => kind.textContent === "memory-leak")', { timeout: 35_000 });
    expect(soak.child.exitCode).toBeNull();
    expect(await page.evaluate(() => document.documentElement.getAttribute('data-live-state'))).toBe('running');
    expect(await page.evaluate(() => document.querySelector('header.verdict .verdict-word')!.textContent)).toBe('PROVISIONAL');
    expect(errors).toEqual([]);
    await page.close();
  }, 70_000);

  it('serves metrics that both Prometheus parsers read, whose counters grow between two scrapes', async () => {
    const metrics = `${url}metrics`;
    const before = parseExposition(await scrape(metrics), 'prometheus');
    await sleep(3000);
    const after = parseExposition(await scrape(metrics, 'application/openmetrics-text; version=1.0.0'), 'openmetrics');
    const stream = { stream: 'http' };
    expect(sampleValue(after, 'soak_http_requests_total', stream)!).toBeGreaterThan(sampleValue(before, 'soak_http_requests_total', stream)!);
    expect(sampleValue(after, 'soak_http_request_duration_seconds_count', stream)!).toBeGreaterThan(sampleValue(before, 'soak_http_request_duration_seconds_count', stream)!);
    expect(sampleValue(after, 'soak_process_cpu_seconds_total', { service: 'target' })!).toBeGreaterThan(sampleValue(before, 'soak_process_cpu_seconds_total', { service: 'target' })!);
    expect(sampleValue(after, 'soak_process_heap_used_bytes', { service: 'target' })).toBeGreaterThan(0);
    expect(sampleValue(after, 'soak_run_state', { state: 'running' })).toBe(1);
  }, 20_000);

  it('soak report of the running run writes a provisional report beside its files and leaves its lock alone', async () => {
    const lock = readFileSync(join(dir, 'run.lock'), 'utf8');
    const report = await runSoak(['report', dir]);
    expect(report.stdout).toMatch(/provisional: the run is still going, \d+s of 40s; \d+ findings? so far/);
    expect(report.code).toBe(3);
    expect(readFileSync(join(dir, RunFiles.provisionalReport), 'utf8')).toContain('PROVISIONAL');
    const summary = JSON.parse(readFileSync(join(dir, RunFiles.provisionalSummary), 'utf8')) as { provisional: boolean; verdict: string; run: { incomplete: { reason: string } } };
    expect(summary).toMatchObject({ provisional: true, verdict: 'incomplete', run: { incomplete: { reason: 'running' } } });
    expect(existsSync(join(dir, RunFiles.report))).toBe(false);
    expect(readFileSync(join(dir, 'run.lock'), 'utf8')).toBe(lock);
  }, 30_000);

  it('ends with its own report, the provisional one removed and the dashboard closed', async () => {
    const result: SoakResult = await soak.result;
    expect(result.code, stderr).toBe(1);
    expect(readSummary(dir).findings.map((finding) => finding.kind)).toContain('memory-leak');
    expect(existsSync(join(dir, RunFiles.provisionalReport))).toBe(false);
    expect(existsSync(join(dir, RunFiles.provisionalSummary))).toBe(false);
    await expect(fetch(url)).rejects.toThrow();
  }, 60_000);

  it('soak watch serves the finished run: its final state and counts', async () => {
    const watch = startSoak(['watch', dir]);
    let output = '';
    watch.child.stderr!.on('data', (data: Buffer) => (output += data.toString()));
    try {
      const watched = await printedUrl(() => output, /live report: (http:\/\/127\.0\.0\.1:\d+\/)/);
      const families = parseExposition(await scrape(`${watched}metrics`), 'prometheus');
      const sent = readFileSync(join(dir, RunFiles.load), 'utf8')
        .split('\n')
        .filter(Boolean)
        .reduce((sum, line) => sum + (JSON.parse(line) as { sent: number }).sent, 0);
      expect(sampleValue(families, 'soak_http_requests_total', { stream: 'http' })).toBe(sent);
      expect(sampleValue(families, 'soak_run_state', { state: 'ended' })).toBe(1);
      expect(sampleValue(families, 'soak_findings', { kind: 'memory-leak' })).toBe(1);
      const page = await scrape(watched);
      expect(page).not.toContain('PROVISIONAL');
    } finally {
      watch.child.kill('SIGINT');
    }
    expect((await watch.result).code).toBe(0);
  }, 30_000);
});
