import { build } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { latencyBudget } from '../../src/analyze/detectors/latency-budget.js';
import { defaultAnalysisConfig, mergedLatency } from '../../src/analyze/index.js';
import { encodeLatencies, loadInterval, makeRun, T0, ticks, judged } from './run-builder.js';

/** 100 requests at 5-14 ms per interval; the 8th interval has 30 of them stuck at 800 ms. */
function intervals() {
  return ticks(1, 10).map((t, index) => {
    const latencies = Array.from({ length: 100 }, (_, i) => (index === 7 && i < 30 ? 800 : 5 + (i % 10)));
    return loadInterval(t, { hdr: encodeLatencies(latencies) });
  });
}

describe('merged HDR latency', () => {
  it('gives the same percentiles as recording every value in one histogram', () => {
    const a = Array.from({ length: 500 }, (_, i) => 1 + i * 0.1);
    const b = Array.from({ length: 50 }, (_, i) => 300 + i);
    const direct = build();
    for (const ms of [...a, ...b]) direct.recordValue(Math.round(ms * 1000));
    const merged = mergedLatency([encodeLatencies(a), '', encodeLatencies(b)]);
    expect(merged.count).toBe(550);
    expect(merged.p50).toBe(direct.getValueAtPercentile(50) / 1000);
    expect(merged.p99).toBe(direct.getValueAtPercentile(99) / 1000);
    // A decoded histogram knows its maximum to the bucket (3 significant digits), not to the microsecond.
    expect(Math.abs(merged.max! - direct.maxValue / 1000) / (direct.maxValue / 1000)).toBeLessThan(0.001);
    direct.destroy();
    expect(mergedLatency([])).toEqual({ count: 0, mean: null, p50: null, p90: null, p99: null, max: null });
  });
});

describe('latency-budget detector', () => {
  it('flags a p99 over budget from the merged histograms and lists the interval in breach', () => {
    const config = { ...defaultAnalysisConfig(), latency: { p50: 50, p99: 500 } };
    const [finding, ...rest] = latencyBudget.detect(judged(makeRun({ load: intervals() }), config));
    expect(rest).toEqual([]);
    expect(finding?.kind).toBe('latency-budget');
    expect(finding?.evidence.percentile).toBe('p99');
    // 30 of 1,000 requests took 800 ms: the run's p99 is one of them.
    expect(finding?.evidence.measuredMs).toBeGreaterThan(790);
    expect(finding?.evidence.measuredMs).toBeLessThan(810);
    expect(finding?.evidence.requests).toBe(1000);
    expect(finding?.evidence.breaches).toEqual([{ t: T0 + 8000, stream: 'http', valueMs: expect.any(Number), requests: 100 }]);
    expect(finding?.at).toBe(T0 + 8000);
  });

  it('reports every breached budget, and none when the scenario set no latency budget', () => {
    const load = intervals();
    expect(latencyBudget.detect(judged(makeRun({ load }), defaultAnalysisConfig()))).toEqual([]);
    const findings = latencyBudget.detect(judged(makeRun({ load }), { ...defaultAnalysisConfig(), latency: { p90: 10, max: 100 } }));
    expect(findings.map((finding) => finding.evidence.percentile)).toEqual(['p90', 'max']);
    expect(findings[0]?.evidence.summary).toMatch(/No single interval|intervals? of 10/);
  });

  it('stays quiet when every percentile is within budget', () => {
    expect(latencyBudget.detect(judged(makeRun({ load: intervals() }), { ...defaultAnalysisConfig(), latency: { p50: 20, p99: 1000, max: 1000 } }))).toEqual([]);
  });
});
