/**
 * What checking the shape of every record costs when a run is read back: JSON.parse of each line
 * alone, against parseRecord (JSON.parse plus the record's guard), over the lines a long run
 * writes (a load interval with three endpoints, a Node probe sample with a pool, an OS sample),
 * alternated round by round in one process.
 *
 *   npx tsx bench/record-schema.ts [lines=300000] [rounds=5]
 */
import { MalformedRecords, parseRecord, type RecordKind } from '../src/store/record-schema.js';

const lineCount = Number(process.argv[2] ?? 300_000);
const rounds = Number(process.argv[3] ?? 5);

const latency = { count: 20, mean: 2.539, p50: 1.755, p90: 2.385, p99: 16.399, max: 16.386 };
const HDR = 'HISTFAAAAFJ4nJNpmSzMwMBgwMDAwMjAwMDMAAEgNsO1yUsYYPy9fEz+TEfZmaSZjJk2MzFxMmkzGTIlM/1kZGJ6zshkzjQZRHQyMkkyXWViuqrFBADX+wzA';
const endpoint = { sent: 7, completed: 7, errors: 0, timeouts: 0, latency, hdr: HDR };
const samples: [RecordKind, string][] = [
  [
    'load',
    JSON.stringify({
      t: 1796293484418, span: 1001, stream: 'http', driver: 'http', phase: 'steady-1', scheduled: 21, sent: 21, completed: 20, errors: 0, timeouts: 0,
      outcomes: { '2xx': 20 }, latency, hdr: HDR, inflight: 1, offeredRate: 20,
      endpoints: { 'GET /items/{{random}}': endpoint, 'POST /orders': endpoint, 'GET /health': endpoint },
    }),
  ],
  [
    'probe',
    JSON.stringify({
      source: 'node', t: 1796293484368, service: 'target', pid: 27450,
      memory: { heapUsed: 4563296, heapTotal: 6004736, rss: 48308224, external: 1855261, arrayBuffers: 10707 },
      heapLimit: 4345298944, postGcHeap: 4100000, gc: { minor: { count: 2, pauseMs: 1.64 }, major: { count: 1, pauseMs: 3.1 } },
      eventLoop: { min: 0, mean: 0.15, p50: 0.09, p99: 1.94, max: 2.85, utilization: 0.0253 },
      handles: { TCPServerWrap: 1, TCPSocketWrap: 12, Timeout: 3 }, cpu: { user: 28.19, system: 0.71 },
      pools: { pg: { total: 10, idle: 4, waiting: 0, acquires: 120, acquireWaitP99: 0.4, acquireWaitMax: 1.2, acquireTimeout: 5000 } },
    }),
  ],
  ['probe', JSON.stringify({ source: 'os', t: 1796293484368, service: 'target', pid: 27450, rss: 48308224, cpuPercent: 3.2, children: 0, threads: 11 })],
];
const lines = Array.from({ length: lineCount }, (_, index) => samples[index % samples.length]!);
const bytes = lines.reduce((sum, [, line]) => sum + line.length, 0);

function parseOnly(): number {
  let kept = 0;
  for (const [, line] of lines) if (JSON.parse(line) !== undefined) kept += 1;
  return kept;
}

function parseAndCheck(): number {
  let kept = 0;
  const malformed = new MalformedRecords('bench.ndjson');
  for (const [index, [kind, line]] of lines.entries()) if (parseRecord(kind, line, index + 1, malformed)) kept += 1;
  return kept;
}

function time(run: () => number): number {
  const start = process.hrtime.bigint();
  if (run() !== lines.length) throw new Error('a record was dropped');
  return Number(process.hrtime.bigint() - start) / 1e6;
}

// One warm-up of each, then alternated rounds so drift on a shared machine hits both alike.
time(parseOnly);
time(parseAndCheck);
const parse: number[] = [];
const checked: number[] = [];
for (let round = 0; round < rounds; round++) {
  parse.push(time(parseOnly));
  checked.push(time(parseAndCheck));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const [p, c] = [median(parse), median(checked)];
console.log(`${lineCount} lines, ${(bytes / 2 ** 20).toFixed(0)} MB, median of ${rounds} alternated rounds`);
console.log(`JSON.parse alone:      ${p.toFixed(0)} ms (${((p * 1e6) / lineCount).toFixed(0)} ns/line)`);
console.log(`parse + shape check:   ${c.toFixed(0)} ms (${((c * 1e6) / lineCount).toFixed(0)} ns/line)`);
console.log(`ratio: ${(c / p).toFixed(3)}; the check adds ${(((c - p) * 1e6) / lineCount).toFixed(0)} ns/line`);
