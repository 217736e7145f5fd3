import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, launchBrowser, type HeadlessBrowser } from '../../src/report/browser.js';
import { fixtureServer, readSummary, runSoak } from '../helpers/soak-cli.js';

const chromium = findChromium();
if (!chromium) console.warn('skipping the finding card browser test: no Chromium (install it with apt-get install -y chromium, or set SOAK_CHROMIUM)');

interface CardCheck {
  labels: string[];
  points: number[];
  fitted: [number, number][];
  window: { start: number; end: number; label: string } | null;
  /** Pixels of the judged series' colour (#2563eb): the line itself was drawn. */
  seriesPixels: number;
  /** The colour (RGBA) inside the window, just under the top of the plot, where no line runs, and before it. */
  inside: number[];
  outside: number[];
  figures: Record<string, string>;
}

/**
 * The report of a real leaking run (test/fixtures/servers/leak.cjs keeps ~100 KB per request),
 * opened from disk in Chromium: the memory-leak card draws its evidence and says its figures formatted.
 */
describe.skipIf(!chromium)('a finding\u2019s card in the report, in a real browser', () => {
  const dir = mkdtempSync(join(tmpdir(), 'soak-cards-browser-'));
  const out = join(dir, 'leak');
  let headless: HeadlessBrowser;

  beforeAll(async () => {
    await runSoak(['run', '--cmd', fixtureServer('leak.cjs'), '--rate', '40', '--duration', '20s', '--warmup', '3s', '--sample-interval', '500ms', '--out', out, '--no-progress'], { LEAK_BYTES: '100000' });
    headless = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await headless?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the memory-leak evidence as a chart of the judged series, the fitted line and the window, and its figures formatted', async () => {
    const summary = readSummary(out);
    const leak = summary.findings.find((finding) => finding.kind === 'memory-leak');
    expect(leak, JSON.stringify(summary.findings.map((finding) => finding.title))).toBeDefined();
    const startT = (summary.run as { startedAt: number }).startedAt;

    const page = await headless.browser.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(pathToFileURL(join(out, 'report.html')).href, { waitUntil: 'load' });
    await page.waitForFunction('document.documentElement.hasAttribute("data-charts-drawn")', { timeout: 20_000 });

    const card = await page.evaluate((): CardCheck | string => {
      const article = document.querySelector('article.finding[data-kind="memory-leak"]');
      const canvas = article?.querySelector('canvas');
      if (!article || !canvas) return 'no chart in the memory-leak card';
      interface Drawn {
        data: { datasets: { label: string; data: [number, number][] }[] };
        options: { plugins: { soakMarks: { window: CardCheck['window'] } } };
        chartArea: { top: number; left: number; right: number };
        scales: { x: { getPixelForValue(value: number): number } };
      }
      const chart = (window as unknown as { Chart: { getChart(canvas: HTMLCanvasElement): Drawn | undefined } }).Chart.getChart(canvas);
      if (!chart) return 'the canvas has no chart';
      const context = canvas.getContext('2d')!;
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let seriesPixels = 0;
      for (let index = 0; index < pixels.length; index += 4) {
        if (pixels[index + 3]! > 0 && Math.abs(pixels[index]! - 37) < 24 && Math.abs(pixels[index + 1]! - 99) < 24 && Math.abs(pixels[index + 2]! - 235) < 24) seriesPixels += 1;
      }
      const { window: judged } = chart.options.plugins.soakMarks;
      const ratio = canvas.width / canvas.getBoundingClientRect().width;
      const colourAt = (x: number) => [...context.getImageData(Math.round(x * ratio), Math.round((chart.chartArea.top + 4) * ratio), 1, 1).data];
      const figures = Object.fromEntries([...article.querySelectorAll('table.evidence-figures tr')].map((row) => [row.querySelector('th')!.textContent, row.querySelector('td')!.textContent]));
      return {
        labels: chart.data.datasets.map((dataset) => dataset.label),
        points: chart.data.datasets.map((dataset) => dataset.data.length),
        fitted: chart.data.datasets.find((dataset) => dataset.label === 'fitted trend')?.data ?? [],
        // Chart.js hands its options back as proxies: copied, so they survive the way out of the page.
        window: judged ? { start: judged.start, end: judged.end, label: judged.label } : null,
        seriesPixels,
        inside: judged ? colourAt((chart.scales.x.getPixelForValue(judged.start) + chart.scales.x.getPixelForValue(judged.end)) / 2) : [],
        outside: colourAt(chart.chartArea.left + 2),
        figures,
      };
    });
    if (typeof card === 'string') throw new Error(card);

    const evidence = leak!.evidence as { series: string; windowStart: number; windowEnd: number; p: number; slopeMBPerHour: number };
    expect(card.labels).toEqual([evidence.series, 'fitted trend']);
    expect(card.points[0]).toBeGreaterThanOrEqual(5);
    expect(card.fitted).toHaveLength(2);
    expect(card.fitted[1]![1]).toBeGreaterThan(card.fitted[0]![1]);
    expect(card.window).toEqual({ start: expect.closeTo((evidence.windowStart - startT) / 1000, 1), end: expect.closeTo((evidence.windowEnd - startT) / 1000, 1), label: 'judged window' });
    expect(card.seriesPixels).toBeGreaterThan(100);
    // Inside the window the plot is tinted blue; before it (the warm-up) nothing is painted.
    expect(card.inside[3]).toBeGreaterThan(0);
    expect(card.inside[2]! - card.inside[0]!).toBeGreaterThan(100);
    expect(card.outside[3]).toBe(0);

    expect(card.figures.windowStart).toMatch(/^\+0:00:\d\d$/);
    expect(card.figures.windowEnd).toMatch(/^\+0:00:\d\d$/);
    expect(card.figures.p).toMatch(/^(< 1e-6|0\.0*[1-9]\d?)$/);
    expect(card.figures.slopeMBPerHour).toMatch(/^[\d,.]+ MB\/h$/);
    expect(card.figures.fittedEndMB).toMatch(/^[\d,.]+ MB$/);
    // summary.json keeps the raw figures.
    expect(evidence.windowStart).toBeGreaterThan(1e12);
    expect(typeof evidence.p).toBe('number');
    expect(typeof evidence.slopeMBPerHour).toBe('number');
    expect(errors).toEqual([]);
    await page.close();
  });
});
