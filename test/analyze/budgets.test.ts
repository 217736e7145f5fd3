import { describe, expect, it } from 'vitest';
import { analyze, budgetChecks, configFromScenario } from '../../src/analyze/index.js';
import { budgetsSchema } from '../../src/scenario/schema.js';
import { scenarioError } from '../../src/scenario/errors.js';
import type { LoadInterval, RunEvent } from '../../src/store/records.js';
import { encodeLatencies, loadInterval, makeRun, nodeSample, T0, ticks, judged, type RunRecords } from './run-builder.js';

/**
 * A 60 s run: a 20 s "warm" ramp at 20 ms, then a 40 s "main" steady phase at 5 ms, on stream "api";
 * stream "admin" runs alongside at 200 ms throughout. Throughput: 100/s on api, 10/s on admin.
 */
function phasedRun(): RunRecords {
  const events: RunEvent[] = [
    { t: T0, type: 'phase-start', stream: 'api', phase: 'warm', kind: 'ramp', durationMs: 20_000 },
    { t: T0 + 20_000, type: 'phase-start', stream: 'api', phase: 'main', kind: 'steady', durationMs: 40_000 },
    { t: T0, type: 'phase-start', stream: 'admin', phase: 'steady-1', kind: 'steady', durationMs: 60_000 },
  ];
  const load: LoadInterval[] = [];
  for (const t of ticks(1, 60)) {
    const warm = t <= T0 + 20_000;
    load.push(loadInterval(t, { stream: 'api', phase: warm ? 'warm' : 'main', hdr: encodeLatencies(Array(100).fill(warm ? 20 : 5)) }));
    load.push(loadInterval(t, { stream: 'admin', phase: 'steady-1', sent: 10, completed: 10, scheduled: 10, hdr: encodeLatencies(Array(10).fill(200)) }));
  }
  const pools = (waiting: number) => ({ pg: { total: 10, idle: waiting > 0 ? 0 : 5, waiting } });
  const node = ticks(1, 60).map((t, index) => nodeSample(t, { pools: pools(index === 10 ? 7 : index > 30 && index % 10 === 0 ? 2 : 0) }));
  return makeRun({ load, node, events });
}

const config = (budgets: unknown) => configFromScenario(budgetsSchema.parse(budgets), {});
const checksOf = (run: RunRecords, budgets: unknown) => {
  const settings = config(budgets);
  return budgetChecks(judged(run, settings), analyze(judged(run, settings)));
};

describe('budgets over windows and streams', () => {
  it('judges the latency of every stream over the whole run, or over the phases named by name or kind', () => {
    const run = phasedRun();
    const [whole] = checksOf(run, { p50: '10ms' }).filter((check) => check.budget === 'p50');
    // Whole run: 2,000 of api at 20 ms, 4,000 at 5 ms, 600 of admin at 200 ms: the median is 5 ms.
    expect(whole).toMatchObject({ scope: 'all streams', window: 'whole run', passed: true });
    const [p90Whole] = checksOf(run, { p90: '10ms' }).filter((check) => check.budget === 'p90');
    expect(p90Whole!.passed).toBe(false);
    // By kind: "steady" is api's main phase and admin's whole run; by name: api's main phase only.
    const byName = checksOf(run, { p90: '10ms', phases: ['main'] }).find((check) => check.budget === 'p90')!;
    expect(byName).toMatchObject({ window: 'phase main', passed: true });
    expect(byName.measured).toBeCloseTo(5, 1);
    const byKind = checksOf(run, { p99: '10ms', phases: ['steady'] }).find((check) => check.budget === 'p99')!;
    expect(byKind.passed).toBe(false);
  });

  it('raises a latency-budget finding only for the broken scope, and names its window', () => {
    const run = phasedRun();
    const findings = analyze(judged(run, config({ p90: '10ms', phases: ['main'], streams: { admin: { p99: '100ms', phases: ['steady'] } } })));
    const latency = findings.filter((finding) => finding.kind === 'latency-budget');
    expect(latency).toHaveLength(1);
    expect(latency[0]!.evidence).toMatchObject({ scope: 'stream admin', window: 'phase steady', limit: 100 });
    expect(latency[0]!.title).toMatch(/p99 of stream admin 20[0-9] ms over the budget of 100 ms/);
  });

  it('holds a throughput floor the run meets and breaks one it does not', () => {
    const run = phasedRun();
    const checks = checksOf(run, { minThroughput: 100, streams: { admin: { minThroughput: 50 }, api: { minThroughput: 100 } } });
    const floor = checks.filter((check) => check.budget === 'minThroughput');
    expect(floor.map((check) => [check.scope, check.passed, Math.round(check.measured!)])).toEqual([
      ['all streams', true, 110],
      ['stream admin', false, 10],
      ['stream api', true, 100],
    ]);
    const findings = analyze(judged(run, config({ streams: { admin: { minThroughput: 50 } } })));
    expect(findings.map((finding) => finding.kind)).toEqual(['throughput-budget']);
    expect(findings[0]!.title).toMatch(/under the floor of 50\.0 req\/s/);
  });

  it('fails the budgets of a stream the run does not have, so a misspelt name cannot pass', () => {
    const check = checksOf(phasedRun(), { streams: { apl: { errorRate: 0.01 } } }).find((entry) => entry.scope === 'stream apl')!;
    expect(check.passed).toBe(false);
    expect(check.method).toMatch(/no stream named "apl" \(streams: api, admin\)/);
    const phase = checksOf(phasedRun(), { errorRate: 0.01, phases: ['stedy'] }).find((entry) => entry.budget === 'errorRate')!;
    expect(phase.passed).toBe(false);
    expect(phase.method).toBe('no load interval in the phase stedy (phases: warm, steady-1, main)');
  });

  it('judges pool waiting over its window: the early queue of 7 breaks a whole-run budget, not a "main" one', () => {
    const run = phasedRun();
    const whole = checksOf(run, { poolWaiting: 3 }).find((check) => check.budget === 'poolWaiting')!;
    expect(whole).toMatchObject({ scope: 'pool pg of target', measured: 7, passed: false });
    const main = checksOf(run, { poolWaiting: 3, phases: ['main'] }).find((check) => check.budget === 'poolWaiting')!;
    expect(main).toMatchObject({ measured: 2, passed: true });
    expect(analyze(judged(run, config({ poolWaiting: 3 }))).map((finding) => finding.kind)).toEqual(['pool-waiting']);
  });

  it('lists the budgets the detectors judge, with the figure behind each verdict', () => {
    const checks = checksOf(phasedRun(), { heapGrowthMBPerHour: 20 });
    expect(checks.map((check) => check.budget)).toEqual(['errorRate', 'heapGrowthMBPerHour', 'eventLoopP99', 'eventLoopMax']);
    expect(checks.every((check) => check.passed)).toBe(true);
    expect(checks.find((check) => check.budget === 'eventLoopMax')!.measured).toBe(8);
  });

  it('turns a run stopped by abortOnFail into a failing finding with the reason', () => {
    const run = phasedRun();
    run.events.push({ t: T0 + 30_000, type: 'run-end', reason: 'aborted', message: 'budget broken, run stopped early (abortOnFail): p99 latency of all streams: 20.0 ms' });
    const [aborted] = analyze(judged(run, config({}))).filter((finding) => finding.kind === 'budget-abort');
    expect(aborted).toMatchObject({ severity: 'fail', at: T0 + 30_000 });
    expect(aborted!.evidence.summary).toMatch(/abortOnFail/);
  });
});

/** 30 s of one stream sending two endpoints: "GET /items" at 5 ms, "checkout" at 300 ms with 1 of 50 failing; the "main" phase from 10 s. */
function endpointRun(): RunRecords {
  const events: RunEvent[] = [
    { t: T0, type: 'phase-start', stream: 'api', phase: 'warm', kind: 'ramp', durationMs: 10_000 },
    { t: T0 + 10_000, type: 'phase-start', stream: 'api', phase: 'main', kind: 'steady', durationMs: 20_000 },
  ];
  const share = (latencyMs: number, errors: number) => ({ sent: 50, completed: 50, errors, timeouts: 0, latency: { count: 50, mean: latencyMs, p50: latencyMs, p90: latencyMs, p99: latencyMs, max: latencyMs }, hdr: encodeLatencies(Array(50).fill(latencyMs)) });
  const load = ticks(1, 30).map((t) =>
    loadInterval(t, {
      stream: 'api',
      phase: t <= T0 + 10_000 ? 'warm' : 'main',
      errors: 1,
      hdr: encodeLatencies([...Array(50).fill(5), ...Array(50).fill(300)]),
      endpoints: { 'GET /items': share(5, 0), checkout: share(300, 1) },
    }),
  );
  return makeRun({ load, events, durationMs: 30_000 });
}

describe('budgets of endpoints', () => {
  it('judges each endpoint on its own merged histograms and error count: the slow endpoint fails, the fast one holds', () => {
    const run = endpointRun();
    const budgets = { endpoints: { 'GET /items': { p99: '50ms', errorRate: 0.01 }, checkout: { p99: '50ms', errorRate: 0.01, phases: ['main'] } } };
    const checks = checksOf(run, budgets).filter((check) => check.endpoint !== undefined);
    expect(checks.map((check) => [check.scope, check.budget, check.window, check.passed])).toEqual([
      ['endpoint GET /items', 'p99', 'whole run', true],
      ['endpoint GET /items', 'errorRate', 'whole run', true],
      ['endpoint checkout', 'p99', 'phase main', false],
      ['endpoint checkout', 'errorRate', 'phase main', false],
    ]);
    expect(checks[2]!.measured).toBeCloseTo(300, 0);
    expect(checks[2]!.method).toBe('p99 of 1000 requests, interval histograms merged');
    expect(checks[3]!.measured).toBeCloseTo(0.02);

    const findings = analyze(judged(run, config(budgets))).filter((finding) => finding.evidence.endpoint !== undefined);
    expect(findings.map((finding) => [finding.kind, finding.evidence.endpoint])).toEqual([
      ['latency-budget', 'checkout'],
      ['error-rate', 'checkout'],
    ]);
    expect(findings[0]!.title).toMatch(/^p99 of endpoint checkout 30[0-9] ms over the budget of 50\.0 ms$/);
    expect(findings[0]!.service).toBeUndefined();
  });

  it('fails the budgets of an endpoint no interval has, so a misspelt name cannot pass', () => {
    const [check] = checksOf(endpointRun(), { endpoints: { chekout: { p99: '1s' } } }).filter((entry) => entry.endpoint === 'chekout');
    expect(check).toMatchObject({ scope: 'endpoint chekout', passed: false, measured: null });
    expect(check!.method).toMatch(/^the run has no endpoint named "chekout" \(endpoints: GET \/items, checkout; /);
    const findings = analyze(judged(endpointRun(), config({ endpoints: { chekout: { p99: '1s' } } })));
    expect(findings.map((finding) => finding.title)).toContain('p99 of endpoint chekout not met: ' + check!.method);
  });
});

describe('budgets schema', () => {
  it('accepts stream budgets, a window and abortOnFail', () => {
    const parsed = budgetsSchema.parse({ p99: '250ms', phases: ['steady'], abortOnFail: true, poolWaiting: 0, streams: { api: { p99: '100ms', minThroughput: 50, phases: ['soak'] } } });
    expect(parsed.streams!.api).toEqual({ p99: 100, minThroughput: 50, phases: ['soak'] });
    expect(configFromScenario(parsed, {})).toMatchObject({ window: ['steady'], poolWaiting: 0, streams: { api: { latency: { p99: 100 }, minThroughput: 50, window: ['soak'] } } });
  });

  it('accepts endpoint budgets without a throughput floor, which is the stream\'s', () => {
    const parsed = budgetsSchema.parse({ endpoints: { 'GET /orders/{{random:1-1000}}': { p90: '80ms', errorRate: 0.001, phases: ['steady'] } } });
    expect(configFromScenario(parsed, {}).endpoints).toEqual({ 'GET /orders/{{random:1-1000}}': { latency: { p90: 80 }, errorRate: 0.001, window: ['steady'] } });
    const floor = budgetsSchema.safeParse({ endpoints: { checkout: { minThroughput: 5 } } });
    expect(scenarioError(floor.error!, 'budgets.').message).toBe('budgets.endpoints.checkout: unknown field "minThroughput"');
    const bad = budgetsSchema.safeParse({ endpoints: { checkout: { p99: 'fast' } } });
    expect(scenarioError(bad.error!, 'budgets.').message).toMatch(/^budgets\.endpoints\.checkout\.p99: expected a duration/);
  });

  it('names the field of a bad stream budget', () => {
    const result = budgetsSchema.safeParse({ streams: { api: { p99: 'fast' } } });
    expect(result.success).toBe(false);
    expect(scenarioError(result.error!, 'budgets.').message).toMatch(/^budgets\.streams\.api\.p99: expected a duration/);
    const empty = budgetsSchema.safeParse({ phases: [] });
    expect(scenarioError(empty.error!, 'budgets.').message).toBe('budgets.phases: expected at least one phase');
  });
});
