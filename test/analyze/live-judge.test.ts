import { describe, expect, it } from 'vitest';
import { analyze, budgetChecks, configFromScenario, liveBreach, RunFactsBuilder } from '../../src/analyze/index.js';
import { budgetsSchema } from '../../src/scenario/schema.js';
import type { RunRecord } from '../../src/store/records.js';
import { encodeLatencies, loadInterval, nodeSample, T0, testMeta, ticks } from './run-builder.js';

/** 30 s at 100 requests a second: 5 ms until 15 s, then 400 ms. */
function records(): RunRecord[] {
  return ticks(1, 30).flatMap((t): RunRecord[] => [
    { kind: 'probe', sample: nodeSample(t) },
    { kind: 'load', interval: loadInterval(t, { hdr: encodeLatencies(Array(100).fill(t <= T0 + 15_000 ? 5 : 400)) }) },
  ]);
}

describe('one budget judge, live and at the end', () => {
  it('breaks a p99 budget live once enough has been seen, on the same check the end of the run reports', () => {
    const budgets = budgetsSchema.parse({ p99: '100ms' });
    const meta = testMeta({ scenario: { budgets } });
    const builder = new RunFactsBuilder({ dir: '/nonexistent', meta, config: configFromScenario(budgets, {}) });
    const breaches: { t: number; breach: string }[] = [];
    for (const record of records()) {
      builder.add(record);
      const breach = liveBreach(builder.facts());
      if (breach && record.kind === 'load') breaches.push({ t: record.interval.t, breach });
    }
    // Until 15 s p99 is 5 ms; it passes 100 ms once the slow requests are over 1 % of those seen.
    expect(breaches[0]!.t).toBe(T0 + 16_000);
    expect(breaches[0]!.breach).toMatch(/^p99 latency of all streams: 400 ms over 1600 requests so far, budget 100 ms$/);
    const facts = builder.facts();
    const check = budgetChecks(facts, analyze(facts)).find((entry) => entry.budget === 'p99')!;
    expect(check).toMatchObject({ scope: 'all streams', passed: false });
  });

  it('does not judge a percentile before 100 requests over 10 s, but a maximum at once', () => {
    const budgets = budgetsSchema.parse({ p50: '1ms', max: '100ms' });
    const builder = new RunFactsBuilder({ dir: '/nonexistent', meta: testMeta({ scenario: { budgets } }), config: configFromScenario(budgets, {}) });
    const [first, second] = records().filter((record) => record.kind === 'load');
    builder.add(first!);
    expect(liveBreach(builder.facts())).toBeUndefined();
    builder.add({ kind: 'load', interval: { ...(second as Extract<RunRecord, { kind: 'load' }>).interval, hdr: encodeLatencies([500]) } });
    expect(liveBreach(builder.facts())).toMatch(/^max latency of all streams: 500 ms, budget 100 ms$/);
  });
});
