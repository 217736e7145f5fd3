import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSummary, renderReportHtml, writeReport } from '../../src/report/index.js';
import { judged } from '../analyze/run-builder.js';
import { hostilePool, hostileScript, hostileStderr, syntheticRun } from './synthetic-run.js';

/** The data the page script reads, parsed back out of the page. */
function embeddedData(html: string): { durationS: number; charts: { title: string; series: { label: string; points: [number, number][] }[] }[] } {
  const match = /<script type="application\/json" id="soak-data">([\s\S]*?)<\/script>/.exec(html);
  return JSON.parse(match![1]!);
}

describe('report.html', () => {
  const { run, findings } = syntheticRun({ seconds: 300 });
  const facts = judged(run);
  const html = renderReportHtml(facts, findings, buildSummary(facts, findings));
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('references nothing on the network: no external script, stylesheet, image or import', () => {
    expect(html).not.toMatch(/<(?:script|link|img|iframe|source|embed|object)\b[^>]*\s(?:src|href|data)\s*=/i);
    expect(html).not.toMatch(/(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*['"]?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/@import/i);
    expect(html).toContain("default-src 'none'");
  });

  it('shows text from the target and the scenario escaped, never as a live tag', () => {
    expect(html).not.toContain(hostileScript);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>soak</b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('checkout &lt;b&gt;soak&lt;/b&gt;');
    // Exactly the three scripts the report writes: the data, Chart.js and the page script.
    expect(html.match(/<script\b/gi)).toHaveLength(3);
    expect(html.match(/<\/script>/gi)).toHaveLength(3);
    // The hostile pool name is in the embedded data too, unharmed once parsed.
    expect(embeddedData(html).charts.map((chart) => chart.title)).toContain(`Pool ${hostilePool}`);
    expect(hostileStderr).toContain('</script>');
  });

  it('puts the verdict and the findings, with their evidence figures, before the charts', () => {
    expect(html.indexOf('verdict-fail')).toBeLessThan(html.indexOf('id="findings"'));
    expect(html.indexOf('id="findings"')).toBeLessThan(html.indexOf('id="charts"'));
    expect(html).toContain('heap grows 6.9 MB/hour');
    expect(html).toMatch(/<th>slopeMBPerHour<\/th><td class="num">6\.87<\/td>/);
    expect(html).toMatch(/<th>trend\.slopePerMs<\/th><td class="num">2<\/td>/);
    expect(html).toContain('50.0 MB');
  });

  it('draws the heap with the fitted trend line of the leak finding, and every chart on the same time axis', () => {
    const data = embeddedData(html);
    const heap = data.charts.find((chart) => chart.title === 'Heap')!;
    expect(heap.series.map((series) => series.label)).toEqual(['heapUsed', 'heap after major GC', 'fitted trend']);
    const trend = heap.series[2]!.points;
    expect(trend[0]![0]).toBe(30);
    expect(trend[1]![1]).toBeGreaterThan(trend[0]![1]);
    expect(data.durationS).toBe(300);
  });

  it('leaves out a chart with no data with a one-line note instead of an empty canvas', () => {
    const noNode = judged({ ...run, node: [], load: [] });
    const sparse = renderReportHtml(noNode, [], buildSummary(noNode, []));
    expect(sparse).toContain('Throughput: No load intervals were recorded.');
    expect(sparse).toContain('No in-process samples');
    const titles = embeddedData(sparse).charts.map((chart) => chart.title);
    expect(titles).not.toContain('Throughput');
    expect(titles).not.toContain('Heap');
    expect(sparse.match(/<canvas/g)).toHaveLength(titles.length);
    expect(embeddedData(html).charts.length).toBe(html.match(/<canvas/g)!.length);
  });

  it('writes summary.json and report.html', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soak-report-'));
    dirs.push(dir);
    const written = await writeReport(facts, findings, dir);
    expect(JSON.parse(readFileSync(written.summaryPath, 'utf8'))).toEqual(written.summary);
    expect(readFileSync(written.reportPath, 'utf8')).toContain('<!doctype html>');
  });

  it('keeps the report of an 8-hour run small', async () => {
    const eightHours = syntheticRun({ seconds: 8 * 3600, distinctHistograms: 20 });
    const dir = mkdtempSync(join(tmpdir(), 'soak-report-8h-'));
    dirs.push(dir);
    const { reportPath } = await writeReport(judged(eightHours.run), eightHours.findings, dir);
    const bytes = statSync(reportPath).size;
    console.log(`8-hour synthetic run: report.html is ${(bytes / 1024 / 1024).toFixed(2)} MB`);
    expect(bytes).toBeLessThan(1.5 * 1024 * 1024);
    for (const chart of embeddedData(readFileSync(reportPath, 'utf8')).charts) {
      for (const series of chart.series) expect(series.points.length).toBeLessThanOrEqual(1000);
    }
  });
});
