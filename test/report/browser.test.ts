import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoakError } from '../../src/core/errors.js';
import { findChromium, launchBrowser, type HeadlessBrowser } from '../../src/report/browser.js';
import { writeReport } from '../../src/report/index.js';
import { writePdf } from '../../src/report/pdf.js';
import { judged } from '../analyze/run-builder.js';
import { syntheticRun } from './synthetic-run.js';

const chromium = findChromium();
if (!chromium) console.warn('skipping the report browser tests: no Chromium (install it with apt-get install -y chromium, or set SOAK_CHROMIUM)');

interface CanvasCheck {
  hasChart: boolean;
  width: number;
  painted: number;
  /** Pixels in the colour of the chart's first line (#2563eb), so the data itself was drawn, not only the axes. */
  firstSeriesPixels: number;
}

describe.skipIf(!chromium)('report.html in a real browser', () => {
  const dir = mkdtempSync(join(tmpdir(), 'soak-report-browser-'));
  let reportPath = '';
  let headless: HeadlessBrowser;

  beforeAll(async () => {
    const { run, findings } = syntheticRun({ seconds: 300 });
    ({ reportPath } = await writeReport(judged(run), findings, dir));
    headless = await launchBrowser();
  });
  afterAll(async () => {
    await headless?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens from disk and draws every chart, with no console error and no request but the file itself', async () => {
    const page = await headless.browser.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    const dialogs: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });

    const url = pathToFileURL(reportPath).href;
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction('document.documentElement.hasAttribute("data-charts-drawn")', { timeout: 20_000 });

    const canvases = await page.evaluate(() =>
      [...document.querySelectorAll('canvas')].map((canvas): CanvasCheck => {
        const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        let firstSeriesPixels = 0;
        for (let index = 0; index < pixels.length; index += 4) {
          if (pixels[index + 3]! === 0) continue;
          painted += 1;
          if (Math.abs(pixels[index]! - 37) < 24 && Math.abs(pixels[index + 1]! - 99) < 24 && Math.abs(pixels[index + 2]! - 235) < 24) firstSeriesPixels += 1;
        }
        const chartJs = (window as unknown as { Chart: { getChart(canvas: HTMLCanvasElement): unknown } }).Chart;
        return { hasChart: chartJs.getChart(canvas) !== undefined, width: canvas.width, painted, firstSeriesPixels };
      }),
    );
    const drawn = await page.evaluate(() => Number(document.documentElement.getAttribute('data-charts-drawn')));
    const expected = (JSON.parse(readFileSync(reportPath, 'utf8').match(/id="soak-data">([\s\S]*?)<\/script>/)![1]!) as { charts: unknown[] }).charts.length;

    expect(expected).toBeGreaterThanOrEqual(12);
    expect(canvases).toHaveLength(expected);
    expect(drawn).toBe(expected);
    for (const canvas of canvases) {
      expect(canvas.hasChart).toBe(true);
      expect(canvas.width).toBeGreaterThan(200);
      expect(canvas.painted).toBeGreaterThan(2000);
      expect(canvas.firstSeriesPixels).toBeGreaterThan(150);
    }
    expect(errors).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([url]);
    await page.close();
  });

  it('prints the report to a PDF', async () => {
    const pdfPath = join(dir, 'report.pdf');
    await writePdf(reportPath, pdfPath);
    const pdf = readFileSync(pdfPath);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
  });
});

describe('writePdf without Chromium', () => {
  it('says how to install Chromium', async () => {
    const before = process.env.SOAK_CHROMIUM;
    process.env.SOAK_CHROMIUM = '/nonexistent/chromium';
    try {
      const failure = await writePdf('/nonexistent/report.html', '/nonexistent/report.pdf').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(SoakError);
      expect((failure as SoakError).message).toMatch(/\/nonexistent\/chromium: install it with apt-get install -y chromium/);
    } finally {
      if (before === undefined) delete process.env.SOAK_CHROMIUM;
      else process.env.SOAK_CHROMIUM = before;
    }
  });
});
