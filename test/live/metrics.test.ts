import { describe, expect, it } from 'vitest';
import type { ExpositionFormat } from '../../src/live/exposition.js';
import { exposition, LatestFigures, metricsText } from '../../src/live/index.js';
import type { RunRecord } from '../../src/store/records.js';
import { judged } from '../analyze/run-builder.js';
import { parseExposition, prometheusParserMissing, sampleValue, type ParsedFamily } from '../helpers/prometheus.js';
import { hostilePool, syntheticRun } from '../report/synthetic-run.js';

const missing = prometheusParserMissing();
if (missing) console.warn(`skipping the metrics format tests: ${missing}`);

/** The synthetic run's figures, as /metrics serves them at its end. */
function exposed(format: ExpositionFormat) {
  const synthetic = syntheticRun({ seconds: 300, distinctHistograms: 6 });
  const facts = judged(synthetic.run);
  const latest = new LatestFigures(synthetic.run.meta.sampleIntervalMs);
  const records: RunRecord[] = [...synthetic.run.node.map((sample): RunRecord => ({ kind: 'probe', sample })), ...synthetic.run.os.map((sample): RunRecord => ({ kind: 'probe', sample })), ...synthetic.run.load.map((interval): RunRecord => ({ kind: 'load', interval }))];
  for (const record of records) latest.add(record);
  return { synthetic, text: metricsText({ facts, latest, findings: synthetic.findings, state: 'running' }, format) };
}

describe.skipIf(missing)('the metrics endpoint', () => {
  it('says every figure with its help and type in the Prometheus text format and in OpenMetrics, which both parsers read', () => {
    for (const format of ['prometheus', 'openmetrics'] as const) {
      const families = parseExposition(exposed(format).text, format);
      expect(families.length).toBeGreaterThan(20);
      for (const family of families) {
        expect(family.help, family.name).not.toBe('');
        expect(family.samples.length, family.name).toBeGreaterThan(0);
      }
      const types = Object.fromEntries(families.map((family) => [family.name, family.type]));
      expect(types).toMatchObject({ soak_http_requests: 'counter', soak_http_request_duration_seconds: 'histogram', soak_process_heap_used_bytes: 'gauge', soak_process_cpu_seconds: 'counter', soak_findings: 'gauge' });
    }
  });

  it('counts requests and failures, and gives the latency histogram the recorded latencies', () => {
    const { synthetic, text } = exposed('prometheus');
    const families = parseExposition(text, 'prometheus');
    const { load } = synthetic.run;
    expect(sampleValue(families, 'soak_http_requests_total', { stream: 'http' })).toBe(load.reduce((sum, interval) => sum + interval.sent, 0));
    expect(sampleValue(families, 'soak_http_request_errors_total', { stream: 'http', kind: 'error' })).toBe(load.reduce((sum, interval) => sum + interval.errors, 0));
    expect(sampleValue(families, 'soak_http_request_outcomes_total', { stream: 'http', outcome: '5xx' })).toBe(load.reduce((sum, interval) => sum + (interval.outcomes['5xx'] ?? 0), 0));

    const latencies = synthetic.latenciesMs;
    const buckets = bucketsOf(families, 'soak_http_request_duration_seconds', { stream: 'http' });
    expect(buckets.at(-1)).toEqual({ le: Infinity, count: latencies.length });
    expect(sampleValue(families, 'soak_http_request_duration_seconds_count', { stream: 'http' })).toBe(latencies.length);
    for (const [i, bucket] of buckets.entries()) {
      if (i > 0) expect(bucket.count).toBeGreaterThanOrEqual(buckets[i - 1]!.count);
      if (bucket.le === Infinity) continue;
      // HDR slots are 0.1 % wide: a latency that close to a bound may fall either side of it.
      const exact = latencies.filter((ms) => ms / 1000 <= bucket.le).length;
      const near = latencies.filter((ms) => Math.abs(ms / 1000 - bucket.le) <= bucket.le * 0.001).length;
      expect(Math.abs(bucket.count - exact), `le=${bucket.le}`).toBeLessThanOrEqual(near);
    }
    const sum = latencies.reduce((total, ms) => total + ms / 1000, 0);
    expect(sampleValue(families, 'soak_http_request_duration_seconds_sum', { stream: 'http' })! / sum).toBeCloseTo(1, 2);
  });

  it("gives each process's latest heap, off-heap, event loop and pools, each service's tree and the findings by kind", () => {
    const { synthetic, text } = exposed('openmetrics');
    const families = parseExposition(text, 'openmetrics');
    const last = synthetic.run.node.at(-1)!;
    const process = { service: 'api', pid: '4242' };
    expect(sampleValue(families, 'soak_process_heap_used_bytes', process)).toBe(last.memory.heapUsed);
    expect(sampleValue(families, 'soak_process_external_bytes', process)).toBe(last.memory.external);
    expect(sampleValue(families, 'soak_process_rss_bytes', process)).toBe(last.memory.rss);
    expect(sampleValue(families, 'soak_process_post_gc_heap_bytes', process)).toBe(synthetic.run.node.findLast((sample) => sample.postGcHeap !== undefined)!.postGcHeap);
    expect(sampleValue(families, 'soak_event_loop_delay_p99_seconds', process)).toBeCloseTo(last.eventLoop.p99 / 1000, 9);
    expect(sampleValue(families, 'soak_event_loop_utilization', process)).toBe(last.eventLoop.utilization);
    expect(sampleValue(families, 'soak_active_handles', { ...process, type: 'Timeout' })).toBe(4);
    expect(sampleValue(families, 'soak_pool_connections', { ...process, pool: hostilePool, state: 'total' })).toBe(10);
    expect(sampleValue(families, 'soak_pool_connections', { ...process, pool: hostilePool, state: 'idle' })).toBe(last.pools![hostilePool]!.idle);
    expect(sampleValue(families, 'soak_pool_waiting_clients', { ...process, pool: hostilePool })).toBe(last.pools![hostilePool]!.waiting);
    expect(sampleValue(families, 'soak_process_cpu_seconds_total', process)).toBeCloseTo(synthetic.run.node.reduce((sum, sample) => sum + sample.cpu.user + sample.cpu.system, 0) / 1000, 6);
    expect(sampleValue(families, 'soak_service_tree_rss_bytes', { service: 'db' })).toBe(90 * 2 ** 20);
    expect(sampleValue(families, 'soak_findings', { kind: 'memory-leak', severity: 'fail' })).toBe(1);
    expect(sampleValue(families, 'soak_fault_active', { fault: 'slow-db', kind: 'latency', target: 'db' })).toBe(0);
    expect(sampleValue(families, 'soak_run_info', { name: 'checkout <b>soak</b>' })).toBe(1);
  });

  it('escapes label values a parser would otherwise misread', () => {
    const awkward = 'GET /a"b\\c\nd';
    const text = exposition([{ name: 'soak_test_total', type: 'counter', help: 'a help\\with a backslash\nand a newline', samples: [{ labels: { endpoint: awkward }, value: 3 }] }], 'openmetrics');
    const [family] = parseExposition(text, 'openmetrics');
    expect(family!.samples[0]!.labels.endpoint).toBe(awkward);
    expect(family!.help).toBe('a help\\with a backslash\nand a newline');
  });
});

function bucketsOf(families: ParsedFamily[], name: string, labels: Record<string, string>): { le: number; count: number }[] {
  const family = families.find((entry) => entry.name === name)!;
  return family.samples
    .filter((sample) => sample.name === `${name}_bucket` && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .map((sample) => ({ le: sample.labels.le === '+Inf' ? Infinity : Number(sample.labels.le), count: sample.value }));
}
