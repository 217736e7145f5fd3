import { describe, expect, it } from 'vitest';
import { errorRate } from '../../src/analyze/detectors/error-rate.js';
import { defaultAnalysisConfig } from '../../src/analyze/index.js';
import { loadInterval, makeRun, T0, ticks, judged } from './run-builder.js';

const config = defaultAnalysisConfig();

describe('error-rate detector', () => {
  it('flags 3 % failures over the 1 % budget, with the worst interval and the outcomes', () => {
    const load = ticks(1, 20).map((t, index) =>
      index === 9
        ? loadInterval(t, { errors: 40, timeouts: 20, completed: 80, outcomes: { '2xx': 40, '5xx': 40, timeout: 20 } })
        : loadInterval(t),
    );
    const [finding, ...rest] = errorRate.detect(judged(makeRun({ load }), config));
    expect(rest).toEqual([]);
    expect(finding?.kind).toBe('error-rate');
    expect(finding?.evidence).toMatchObject({ rate: 0.03, budget: 0.01, sent: 2000, errors: 40, timeouts: 20, intervalsOverBudget: 1 });
    expect(finding?.evidence.worstInterval).toMatchObject({ t: T0 + 10_000, rate: 0.6 });
    expect(finding?.evidence.outcomes).toEqual({ '2xx': 1940, '5xx': 40, timeout: 20 });
    expect(finding?.at).toBe(T0 + 10_000);
  });

  it('never puts an interval over 100 %: timeouts of requests sent earlier count against what ended in it', () => {
    // A stall: one interval in which 60 requests sent before it time out and 40 new ones are answered.
    const load = ticks(1, 20).map((t, index) =>
      index === 9 ? loadInterval(t, { sent: 40, completed: 40, timeouts: 60, outcomes: { '2xx': 40, timeout: 60 } }) : loadInterval(t),
    );
    const [finding] = errorRate.detect(judged(makeRun({ load }), config));
    expect(finding?.evidence.worstInterval).toMatchObject({ t: T0 + 10_000, rate: 0.6 });
  });

  it('stays quiet within the budget and with no traffic', () => {
    const load = ticks(1, 20).map((t, index) => loadInterval(t, index === 3 ? { errors: 10 } : {}));
    expect(errorRate.detect(judged(makeRun({ load }), config))).toEqual([]);
    expect(errorRate.detect(judged(makeRun({}), config))).toEqual([]);
  });

  it('applies a stricter budget from the scenario and breaks the rate down by stream', () => {
    const load = ticks(1, 10).flatMap((t) => [loadInterval(t, { stream: 'api', errors: 1 }), loadInterval(t, { stream: 'ws' })]);
    const [finding] = errorRate.detect(judged(makeRun({ load }), { ...config, errorRate: 0.001 }));
    expect(finding?.evidence.rate).toBe(0.005);
    expect(finding?.evidence.streams).toEqual({ api: { sent: 1000, failed: 10, rate: 0.01 }, ws: { sent: 1000, failed: 0, rate: 0 } });
  });
});
