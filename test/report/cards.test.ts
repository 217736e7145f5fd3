import { describe, expect, it } from 'vitest';
import { defaultAnalysisConfig, detectors } from '../../src/analyze/index.js';
import type { Finding } from '../../src/analyze/types.js';
import { buildSummary, renderReportHtml } from '../../src/report/index.js';
import { CARD_POINTS, cardChart } from '../../src/report/cards/index.js';
import { judged } from '../analyze/run-builder.js';
import { startT, syntheticRun } from './synthetic-run.js';

const MB = 1024 * 1024;

/** The data the page script reads, parsed back out of the page. */
function embeddedCharts(html: string): { canvas: string; title: string; series: { label: string; points: [number, number | null][] }[]; window?: { start: number; end: number } }[] {
  return JSON.parse(/<script type="application\/json" id="soak-data">([\s\S]*?)<\/script>/.exec(html)![1]!).charts;
}

/** A memory-leak finding shaped as the detector writes it: the judged series (one point per bucket), the fitted line and its window. */
function leakFinding(points: number): Finding {
  const windowStart = startT + 10_000;
  const step = 5000;
  const values = Array.from({ length: points }, (_, index) => ({ t: windowStart + index * step, mb: 50 + index * 0.01 }));
  return {
    kind: 'memory-leak',
    severity: 'fail',
    title: 'Heap of api grows 7.2 MB/h',
    service: 'api',
    at: windowStart + 60_000,
    evidence: {
      summary: 'The heap after major GC of api rose.',
      memory: 'heap',
      series: 'heap after major GC',
      pid: 4242,
      slopeMBPerHour: 7.2,
      p: 1e-12,
      windowStart,
      windowEnd: values.at(-1)!.t,
      fittedStartMB: 50,
      trend: { t0: windowStart, y0: 50 * MB, slopePerMs: (0.01 * MB) / step },
      values,
    },
  };
}

describe('the charts of findings\u2019 cards', () => {
  const { run } = syntheticRun({ seconds: 8 * 3600, distinctHistograms: 20 });
  // Tight thresholds, so the long run has findings of several kinds to draw.
  const facts = judged(run, { ...defaultAnalysisConfig(), latency: { p99: 50 }, errorRate: 0.001, eventLoopMaxMs: 20, eventLoopP99Ms: 10 });

  it('draws the judged series, the fitted line over the window and the window of a leak, in at most a few hundred points', () => {
    const finding = leakFinding(5000);
    const chart = cardChart(finding, facts)!;
    expect(chart.series.map((series) => series.label)).toEqual(['heap after major GC', 'fitted trend']);
    expect(chart.series[0]!.points.length).toBeLessThanOrEqual(CARD_POINTS);
    const fitted = chart.series[1]!.points;
    const windowEnd = finding.evidence.windowEnd as number;
    expect(fitted).toEqual([
      [10, 50],
      [(windowEnd - startT) / 1000, Number((50 + ((windowEnd - startT - 10_000) / 5000) * 0.01).toPrecision(4))],
    ]);
    expect(chart.window).toEqual({ start: 10, end: (windowEnd - startT) / 1000, label: 'judged window' });
  });

  it('gives every finding of an 8-hour run whose kind has a chart a bounded one, and the card a canvas of its own', () => {
    const findings = detectors.flatMap((detector) => detector.detect(facts));
    const kinds = findings.map((finding) => finding.kind);
    expect(kinds).toEqual(expect.arrayContaining(['memory-leak', 'event-loop-blocked', 'latency-budget', 'fault-impact', 'recovery']));
    const html = renderReportHtml(facts, findings, buildSummary(facts, findings));
    const cards = embeddedCharts(html).filter((chart) => chart.canvas.startsWith('card-'));
    expect(cards.length).toBe(findings.filter((finding) => cardChart(finding, facts)).length);
    expect(cards.length).toBeGreaterThanOrEqual(5);
    for (const card of cards) {
      expect(html).toContain(`<canvas id="${card.canvas}"`);
      for (const series of card.series) expect(series.points.length).toBeLessThanOrEqual(CARD_POINTS);
    }
  });

  it('gives a kind with no chart builder a card without a chart, not an error', () => {
    const finding: Finding = { kind: 'made-up-kind', severity: 'warn', title: 'Something odd', evidence: { summary: 'odd', windowStart: startT + 1000 } };
    expect(cardChart(finding, facts)).toBeUndefined();
    const html = renderReportHtml(facts, [finding], buildSummary(facts, [finding]));
    const card = /<article class="finding[^"]*" data-kind="made-up-kind">[\s\S]*?<\/article>/.exec(html)![0];
    expect(card).not.toContain('<canvas');
    expect(card).toContain('<th>windowStart</th><td>+0:00:01</td>');
  });

  it('keeps the raw evidence in summary.json while the card shows it formatted', () => {
    const finding = leakFinding(40);
    const summary = buildSummary(facts, [finding]);
    expect(summary.findings[0]!.evidence).toEqual(finding.evidence);
    const html = renderReportHtml(facts, [finding], summary);
    expect(html).toContain('<th>p</th><td>&lt; 1e-6</td>');
    expect(html).toContain('<th>windowStart</th><td>+0:00:10</td>');
    expect(html).toContain('<th>slopeMBPerHour</th><td>7.2 MB/h</td>');
    expect(html).toContain('<th>fittedStartMB</th><td>50 MB</td>');
  });
});
