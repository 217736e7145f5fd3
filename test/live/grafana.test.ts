import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LatestFigures, metricsText } from '../../src/live/index.js';
import type { RunRecord } from '../../src/store/records.js';
import { judged } from '../analyze/run-builder.js';
import { syntheticRun } from '../report/synthetic-run.js';

interface Target {
  expr: string;
  datasource: { uid: string };
}
interface Panel {
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: Target[];
  gridPos: { x: number; y: number; w: number; h: number };
}
interface Dashboard {
  title: string;
  schemaVersion: number;
  templating: { list: { name: string; type: string; query: string | { query: string } }[] };
  panels: Panel[];
}

const dashboard = JSON.parse(readFileSync(join(import.meta.dirname, '../../docs/grafana/soak-dashboard.json'), 'utf8')) as Dashboard;

/** The sample names /metrics serves for a run with load on an endpoint, a probed service with a pool, a dependency, a fault and findings. */
function servedNames(): Set<string> {
  const { run, findings } = syntheticRun({ seconds: 120, distinctHistograms: 2 });
  run.load = run.load.map((interval) => ({ ...interval, endpoints: { 'GET /orders': { sent: interval.sent, completed: interval.completed, errors: interval.errors, timeouts: interval.timeouts, latency: interval.latency, hdr: interval.hdr } } }));
  const latest = new LatestFigures(1000);
  for (const sample of [...run.node, ...run.os]) latest.add({ kind: 'probe', sample } satisfies RunRecord);
  for (const interval of run.load) latest.add({ kind: 'load', interval } satisfies RunRecord);
  const text = metricsText({ facts: judged(run), latest, findings, state: 'running' }, 'prometheus');
  return new Set(text.split('\n').flatMap((line) => (line && !line.startsWith('#') ? [line.split(/[{ ]/)[0]!] : [])));
}

const metricNames = (expr: string) => [...expr.matchAll(/\bsoak_[a-z0-9_]+/g)].map((match) => match[0]);

describe('the Grafana dashboard in docs/grafana', () => {
  const served = servedNames();

  it('reads its Prometheus from a datasource variable on every panel', () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    const variable = dashboard.templating.list.find((entry) => entry.type === 'datasource');
    expect(variable).toMatchObject({ name: 'datasource', query: 'prometheus' });
    const panels = dashboard.panels.filter((panel) => panel.type !== 'row');
    expect(panels.length).toBeGreaterThanOrEqual(15);
    for (const panel of panels) {
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(panel.targets!.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets!) expect(target.datasource.uid).toBe('${datasource}');
    }
  });

  it('asks only for metrics the endpoint serves, in well-formed queries', () => {
    const exprs = [
      ...dashboard.panels.flatMap((panel) => panel.targets ?? []).map((target) => target.expr),
      ...dashboard.templating.list.flatMap((entry) => (typeof entry.query === 'object' ? [entry.query.query] : [])),
    ];
    const asked = new Set(exprs.flatMap(metricNames));
    expect([...asked].filter((name) => !served.has(name))).toEqual([]);
    for (const name of ['soak_http_requests_total', 'soak_http_request_errors_total', 'soak_http_request_duration_seconds_bucket', 'soak_process_heap_used_bytes', 'soak_process_post_gc_heap_bytes', 'soak_process_external_bytes', 'soak_process_rss_bytes', 'soak_event_loop_delay_p99_seconds', 'soak_event_loop_utilization', 'soak_active_handles', 'soak_pool_connections', 'soak_findings']) {
      expect(asked, name).toContain(name);
    }
    for (const expr of exprs) {
      let depth = 0;
      for (const char of expr) {
        depth += char === '(' || char === '{' || char === '[' ? 1 : char === ')' || char === '}' || char === ']' ? -1 : 0;
        expect(depth, expr).toBeGreaterThanOrEqual(0);
      }
      expect(depth, expr).toBe(0);
    }
  });

  it('lays its panels out on the 24-column grid without overlaps', () => {
    const taken = new Set<string>();
    for (const panel of dashboard.panels) {
      const { x, y, w, h } = panel.gridPos;
      expect(x + w, panel.title).toBeLessThanOrEqual(24);
      for (let row = y; row < y + h; row += 1) {
        for (let column = x; column < x + w; column += 1) {
          expect(taken.has(`${row}:${column}`), panel.title).toBe(false);
          taken.add(`${row}:${column}`);
        }
      }
    }
  });
});
