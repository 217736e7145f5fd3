import { describe, expect, it } from 'vitest';
import { analyze, configFromScenario, defaultAnalysisConfig, detectors } from '../../src/analyze/index.js';
import { budgetsSchema, analysisSchema } from '../../src/scenario/schema.js';
import { encodeLatencies, gaussian, loadInterval, makeRun, MB, nodeSample, T0, ticks, judged } from './run-builder.js';

describe('analysis config', () => {
  it('maps the scenario budgets and analysis settings (durations already in ms) over the defaults', () => {
    const budgets = budgetsSchema.parse({ p99: '250ms', max: '2s', errorRate: 0.005, heapGrowthMBPerHour: 20, eventLoopMax: '200ms' });
    const analysis = analysisSchema.parse({ warmup: '2m', alpha: 0.05 });
    expect(configFromScenario(budgets, analysis)).toEqual({
      ...defaultAnalysisConfig(),
      warmupMs: 120_000,
      alpha: 0.05,
      eventLoopMaxMs: 200,
      errorRate: 0.005,
      latency: { p99: 250, max: 2000 },
      heapGrowthMBPerHour: 20,
    });
  });

  it('is the defaults for an empty scenario', () => {
    expect(configFromScenario({}, {})).toEqual(defaultAnalysisConfig());
    expect(defaultAnalysisConfig()).toMatchObject({ warmupMs: 10_000, alpha: 0.01, minLeakMBPerHour: 5, eventLoopMaxMs: 100, eventLoopP99Ms: 50, errorRate: 0.01 });
  });
});

describe('analyze', () => {
  it('registers one detector per failure class, each under its own name', () => {
    const names = detectors.map((detector) => detector.name);
    expect(new Set(names).size).toBe(names.length);
    for (const kind of ['target-crash', 'crash-loop', 'memory-leak', 'handle-leak', 'event-loop-blocked', 'pool-exhaustion', 'error-rate', 'latency-budget', 'failed-check', 'recovery', 'fault-impact']) {
      expect(names).toContain(kind);
    }
  });

  it('finds nothing in a healthy run, and what each detector finds in a sick one', () => {
    const noise = gaussian(11, 0.5 * MB);
    const healthy = ticks(0, 60).map((t) => nodeSample(t, { memory: { heapUsed: 30 * MB + noise(), heapTotal: 60 * MB, rss: 90 * MB, external: MB, arrayBuffers: 0 } }));
    const load = ticks(1, 60).map((t) => loadInterval(t, { hdr: encodeLatencies([5, 6, 7, 8, 9]) }));
    const config = { ...defaultAnalysisConfig(), latency: { p99: 100 } };
    expect(analyze(judged(makeRun({ node: healthy, load }), config))).toEqual([]);

    const blocked = healthy.map((sample) => (sample.t === T0 + 30_000 ? { ...sample, eventLoop: { ...sample.eventLoop, max: 300 } } : sample));
    const crashed = [{ t: T0 + 61_000, type: 'service-exit' as const, service: 'target', pid: 100, code: 1, signal: null, expected: false, stderrTail: [] }];
    const findings = analyze(judged(makeRun({ node: blocked, load, events: crashed }), config));
    expect(findings.map((finding) => finding.kind)).toEqual(['target-crash', 'event-loop-blocked']);
    for (const finding of findings) expect(finding.evidence.summary.length).toBeGreaterThan(20);
  });
});
