import { describe, expect, it } from 'vitest';
import { buildSummary, renderReportHtml } from '../../src/report/index.js';
import { judged } from '../analyze/run-builder.js';
import { exactPercentile, faultEnd, faultStart, startT, syntheticRun } from './synthetic-run.js';

describe('buildSummary', () => {
  const { run, findings, latenciesMs } = syntheticRun({ seconds: 300 });
  const summary = buildSummary(judged(run), findings);
  const sorted = [...latenciesMs].sort((a, b) => a - b);

  it('merges the interval histograms into the exact run percentiles (within HDR precision)', () => {
    const { latency } = summary.load;
    expect(latency.count).toBe(latenciesMs.length);
    for (const percentile of [50, 90, 99] as const) {
      const exact = exactPercentile(sorted, percentile);
      const merged = latency[`p${percentile}`]!;
      expect(Math.abs(merged - exact) / exact).toBeLessThan(0.002);
    }
    expect(Math.abs(latency.max! - sorted.at(-1)!) / sorted.at(-1)!).toBeLessThan(0.002);
    const mean = latenciesMs.reduce((sum, value) => sum + value, 0) / latenciesMs.length;
    expect(Math.abs(latency.mean! - mean) / mean).toBeLessThan(0.002);
    // The p99 is dominated by the slow fault window: averaging per-interval p99s would miss it.
    expect(latency.p99!).toBeGreaterThan(100);
  });

  it('fails the verdict only when a finding has severity fail', () => {
    expect(summary.verdict).toBe('fail');
    expect(buildSummary(judged(run), findings.filter((finding) => finding.severity !== 'fail')).verdict).toBe('pass');
    expect(buildSummary(judged(run), []).verdict).toBe('pass');
  });

  it('counts requests, errors and throughput', () => {
    const faultSeconds = 30;
    expect(summary.load.completed).toBe(300 * 100);
    expect(summary.load.errors).toBe(faultSeconds * 7);
    expect(summary.load.requests).toBe(300 * 100 + faultSeconds * 7);
    expect(summary.load.errorRate).toBeCloseTo((faultSeconds * 7) / (300 * 100 + faultSeconds * 7), 10);
    expect(summary.load.rps).toBeCloseTo(100, 10);
    expect(summary.load.outcomes).toEqual({ '2xx': 30_000, '5xx': 150, ECONNRESET: 60 });
    expect(Object.keys(summary.load.byStream)).toEqual(['http']);
    expect(summary.load.byStream.http!.driver).toBe('http');
  });

  it('describes the run, its phases and its fault windows', () => {
    expect(summary.run).toMatchObject({ name: run.meta.name, startedAt: startT, durationMs: 300_000, plannedMs: 300_000, endReason: 'completed' });
    expect(summary.phases.map((phase) => [phase.phase, phase.kind, phase.requests])).toEqual([
      ['warmup', 'ramp', 60 * 100],
      ['steady', 'steady', 240 * 100 + 30 * 7],
    ]);
    expect(summary.faults).toEqual([{ fault: 'slow-db', kind: 'latency', target: 'db', start: faultStart, end: faultEnd }]);
  });

  it('summarises each service from its samples and events', () => {
    const api = summary.target.api!;
    const heaps = run.node.filter((sample) => sample.service === 'api').map((sample) => sample.memory.heapUsed);
    expect(api.pid).toBe(4242);
    expect(api.exits).toHaveLength(1);
    expect(api.exits[0]!.code).toBe(1);
    expect(api.peakHeapUsed).toBe(Math.max(...heaps));
    expect(api.lastHeapUsed).toBe(heaps.at(-1));
    expect(api.heapLimit).toBe(4096 * 2 ** 20);
    expect(api.postGc).toEqual({ min: 38 * 2 ** 20 + 10 * 2_000, max: 38 * 2 ** 20 + 300 * 2_000, last: 38 * 2 ** 20 + 300 * 2_000 });
    expect(api.handlesLast!.byType.Socket).toBe(10);
    expect(api.peakChildren).toBe(1);

    const db = summary.target.db!;
    expect(db.pid).toBe(5151);
    expect(db.peakTreeRss).toBe(90 * 2 ** 20);
    expect(db.heapLimit).toBeNull();
    expect(db.handlesLast).toBeNull();
  });

  it('calls a run with no run-end record unfinished, and an open fault unended', () => {
    const killed = { ...run, events: run.events.filter((event) => event.type !== 'run-end' && event.type !== 'fault-end') };
    const rebuilt = buildSummary(judged(killed), []);
    expect(rebuilt.run.endReason).toBe('unfinished');
    expect(rebuilt.faults[0]!.end).toBeNull();
  });

  it('reports a run with no load as zero requests and no latency', () => {
    const idle = buildSummary(judged({ ...run, load: [] }), []);
    expect(idle.load).toMatchObject({ requests: 0, completed: 0, errorRate: 0, rps: 0, latency: { count: 0, p99: null } });
    expect(idle.phases.map((phase) => phase.requests)).toEqual([0, 0]);
  });
});

describe('load by endpoint', () => {
  it('sums each endpoint over the run into summary.json, and lists it in report.html with its name escaped', () => {
    const { run, findings } = syntheticRun({ seconds: 20 });
    const none = { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
    for (const interval of run.load) {
      interval.endpoints = {
        '<b>slow</b>': { sent: 10, completed: 9, errors: 1, timeouts: 0, latency: interval.latency, hdr: interval.hdr },
        'GET /items': { sent: 5, completed: 4, errors: 0, timeouts: 1, latency: none, hdr: '' },
      };
    }
    const summary = buildSummary(judged(run), findings);
    expect(summary.load.byEndpoint!['GET /items']).toMatchObject({ requests: 100, completed: 80, errors: 0, timeouts: 20, errorRate: 0.2, latency: { count: 0, p99: null } });
    expect(summary.load.byEndpoint!['<b>slow</b>']).toMatchObject({ requests: 200, errors: 20, errorRate: 0.1 });
    expect(summary.load.byEndpoint!['<b>slow</b>']!.latency).toEqual(summary.load.latency);
    const html = renderReportHtml(judged(run), findings, summary);
    expect(html).toContain('&lt;b&gt;slow&lt;/b&gt;');
    expect(html).not.toContain('<b>slow</b>');
    expect(buildSummary(judged(syntheticRun({ seconds: 5 }).run), []).load.byEndpoint).toBeUndefined();
  });
});
