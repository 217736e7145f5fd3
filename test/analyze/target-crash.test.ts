import { describe, expect, it } from 'vitest';
import { targetCrash } from '../../src/analyze/detectors/target-crash.js';
import { defaultAnalysisConfig } from '../../src/analyze/index.js';
import type { RunEvent } from '../../src/store/records.js';
import { makeRun, T0, judged } from './run-builder.js';

const stderrTail = [
  '/app/server.js:5',
  "    throw new Error('connection to <db> lost & not retried');",
  '    ^',
  '',
  'Error: connection to <db> lost & not retried',
  '    at Timeout._onTimeout (/app/server.js:5:11)',
  '    at listOnTimeout (node:internal/timers:573:17)',
  '',
  'Node.js v20.20.0',
];

const exit = (t: number, expected: boolean, extra: Partial<Extract<RunEvent, { type: 'service-exit' }>> = {}): RunEvent => ({
  t,
  type: 'service-exit',
  service: 'target',
  pid: 4242,
  code: 1,
  signal: null,
  expected,
  stderrTail,
  ...extra,
});

describe('target-crash detector', () => {
  it('reports an unexpected exit with its code, time and the error line from stderr', () => {
    const [finding, ...rest] = targetCrash.detect(judged(makeRun({ events: [exit(T0 + 4100, false)] }), defaultAnalysisConfig()));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ kind: 'target-crash', severity: 'fail', service: 'target', at: T0 + 4100 });
    expect(finding?.evidence).toMatchObject({ code: 1, signal: null, pid: 4242, exitedAt: T0 + 4100, stderrTail });
    expect(finding?.evidence.summary).toBe('target (pid 4242) exited with code 1 at +4s without being asked to stop: Error: connection to <db> lost & not retried.');
  });

  it('names the signal of a killed process and counts repeated exits', () => {
    const events = [exit(T0 + 1000, false, { code: null, signal: 'SIGKILL', stderrTail: [] }), exit(T0 + 9000, false)];
    const [finding] = targetCrash.detect(judged(makeRun({ events }), defaultAnalysisConfig()));
    expect(finding?.title).toBe('target was killed by SIGKILL at +1s');
    expect(finding?.evidence.exits).toBe(2);
    expect(finding?.evidence.summary).toMatch(/exited unexpectedly 2 times in all/);
  });

  it('picks the cause out of a V8 out-of-memory abort rather than its native backtrace', () => {
    const oom = ['<--- Last few GCs --->', 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', ' 1: 0xb7a940 node::Abort() [node]', ' 2: 0xa8e823  [node]'];
    const [finding] = targetCrash.detect(judged(makeRun({ events: [exit(T0 + 30_000, false, { code: null, signal: 'SIGABRT', stderrTail: oom })] }), defaultAnalysisConfig()));
    expect(finding?.evidence.summary).toMatch(/SIGABRT at \+30s without being asked to stop: FATAL ERROR: Reached heap limit .* out of memory\.$/);
  });

  it('ignores exits soak asked for', () => {
    expect(targetCrash.detect(judged(makeRun({ events: [exit(T0 + 60_000, true, { code: 0 })] }), defaultAnalysisConfig()))).toEqual([]);
  });
});
