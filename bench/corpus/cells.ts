/**
 * The accuracy corpus: each cell is the corpus target (bench/corpus/target) with its parameters, the
 * load it gets, how long it runs, and what is true of it, said as a failure class and never in
 * terms of how a detector works. Rates are in MB (2^20 bytes) per hour, as soak states them.
 */

export type Memory = 'heap' | 'off-heap' | 'rss';

export type Expectation =
  | { kind: 'memory-leak'; memory: Memory; rateMBPerHour: number }
  | { kind: 'handle-leak'; handlesPerHour: number }
  | 'no failing finding';

/** Parameters of the corpus target; see bench/corpus/target/params.js for what each does. */
export interface TargetParams {
  retain?: 'heap' | 'off-heap' | 'timers' | 'sockets';
  /** Bytes or handles per hour, paced in time. */
  perHour?: number;
  /** Bytes or handles per GET /. */
  perRequest?: number;
  shape?: 'linear' | 'plateau' | 'steps' | 'sawtooth';
  plateauAt?: number;
  stepEveryMs?: number;
  sawtoothPeriodMs?: number;
  connStateBytes?: number;
  responseDelayMs?: number;
  indexMB?: number;
  resultCache?: number;
  ws?: boolean;
}

/** A share of the cell's duration, so a shorter run (--quick) keeps the same shape of load. */
export interface LoadPhase {
  kind: 'steady' | 'ramp';
  share: number;
  rate?: number | [number, number];
  connections?: number | [number, number];
}

export type Load =
  | { kind: 'http'; phases: LoadPhase[] }
  | { kind: 'ws'; phases: LoadPhase[]; messageRate: number; connectRate: number };

export interface Cell {
  /** Also the target's service name in soak's findings. */
  name: string;
  /** What it covers, for the table. */
  what: string;
  minutes: number;
  target: TargetParams;
  load: Load;
  expect: Expectation;
  /** Cells of one group share one soak run (each its own target and load stream); they must have the same length. */
  group?: string;
  /** A few requests per second and a timer: light enough to run beside other work without the heavy-work lock. */
  light?: boolean;
}

export const MB = 1024 * 1024;
const KB = 1024;

const steady = (rate: number): Load => ({ kind: 'http', phases: [{ kind: 'steady', share: 1, rate }] });

/** Closed-model connections ramped over 80 % of the run, then held; each request waits 1 s for a slow upstream. */
const connectionRamp: Load = {
  kind: 'http',
  phases: [
    { kind: 'ramp', share: 0.8, connections: [5, 200] },
    { kind: 'steady', share: 0.2, connections: 200 },
  ],
};
const rampTarget: TargetParams = { connStateBytes: 64 * KB, responseDelayMs: 1000 };

const WORDS: Record<'heap' | 'off-heap', string> = { heap: 'JS heap leak', 'off-heap': 'off-heap Buffer leak' };

/** A leak paced in time, whatever the load. */
const pacedLeak = (memory: 'heap' | 'off-heap', name: string, rateMBPerHour: number, minutes: number, extra: Partial<Cell> = {}): Cell => ({
  name,
  what: `${WORDS[memory]}, ${rateMBPerHour} MB/h, paced in time`,
  minutes,
  target: { retain: memory, perHour: rateMBPerHour * MB },
  load: steady(20),
  expect: { kind: 'memory-leak', memory, rateMBPerHour },
  ...extra,
});
const heapLeak = (name: string, rateMBPerHour: number, minutes: number, extra?: Partial<Cell>) => pacedLeak('heap', name, rateMBPerHour, minutes, extra);
const offHeapLeak = (name: string, rateMBPerHour: number, minutes: number, extra?: Partial<Cell>) => pacedLeak('off-heap', name, rateMBPerHour, minutes, extra);

/** A leak of `bytes` kept on every request, at a steady `rate` of requests per second. */
const requestLeak = (memory: 'heap' | 'off-heap', name: string, bytes: number, rate: number, minutes: number): Cell => {
  const rateMBPerHour = (bytes * rate * 3600) / MB;
  return {
    name,
    what: `${WORDS[memory]} per request: ${bytes / KB} KB kept for each of ${rate} req/s (${Math.round(rateMBPerHour)} MB/h)`,
    minutes,
    target: { retain: memory, perRequest: bytes },
    load: steady(rate),
    expect: { kind: 'memory-leak', memory, rateMBPerHour },
  };
};

const timerLeak = (name: string, perHour: number, minutes: number, extra: Partial<Cell> = {}): Cell => ({
  name,
  what: `intervals never cleared, ${perHour}/h`,
  minutes,
  target: { retain: 'timers', perHour },
  load: steady(20),
  expect: { kind: 'handle-leak', handlesPerHour: perHour },
  ...extra,
});

const plateau = (percent: number): Cell => ({
  name: `heap-plateau-${percent}`,
  what: `heap fills at 300 MB/h for ${percent} % of the run, then stays flat (a bounded cache)`,
  minutes: 2.5,
  target: { retain: 'heap', perHour: 300 * MB, shape: 'plateau', plateauAt: percent / 100 },
  load: steady(20),
  expect: 'no failing finding',
});

const inTenMinutes = { group: 'ten-minutes' };
const inAnHour = { group: 'one-hour', light: true, load: steady(5) };

export const cells: Cell[] = [
  // Ten minutes, the time in which every leak of 20 MB/h or more must be caught; one run, one target each.
  heapLeak('heap-20', 20, 10, inTenMinutes),
  offHeapLeak('off-heap-20', 20, 10, inTenMinutes),
  timerLeak('timers-600', 600, 10, inTenMinutes),
  {
    name: 'heap-steps-240',
    what: 'heap leak in steps: 4 MB at once every 60 s (240 MB/h on average)',
    minutes: 10,
    target: { retain: 'heap', perHour: 240 * MB, shape: 'steps', stepEveryMs: 60_000 },
    load: steady(20),
    expect: { kind: 'memory-leak', memory: 'heap', rateMBPerHour: 240 },
    ...inTenMinutes,
  },
  { name: 'healthy-10m', what: 'healthy service, 20 req/s', minutes: 10, target: {}, load: steady(20), expect: 'no failing finding', ...inTenMinutes },

  // Faster leaks, each in its own run.
  heapLeak('heap-100', 100, 3),
  requestLeak('heap', 'heap-request-280', 2 * KB, 40, 3),
  heapLeak('heap-1000', 1000, 2),
  heapLeak('heap-5000', 5000, 2),
  offHeapLeak('off-heap-200', 200, 3),
  // The case: about 3 MB/s.
  requestLeak('off-heap', 'off-heap-request-11000', 16 * KB, 200, 2),
  timerLeak('timers-6000', 6000, 2),
  {
    name: 'sockets-1800',
    what: 'loopback TCP connections never closed, 1800 handles/h (900 pairs)',
    minutes: 3,
    target: { retain: 'sockets', perHour: 1800 },
    load: steady(20),
    expect: { kind: 'handle-leak', handlesPerHour: 1800 },
  },

  // Growth that stops or comes back: no leak.
  plateau(10),
  plateau(40),
  plateau(80),
  {
    name: 'heap-sawtooth-small',
    what: 'heap grows 4 MB over 20 s, then all of it is let go; again and again',
    minutes: 2,
    target: { retain: 'heap', perHour: ((4 * MB) / 20_000) * 3_600_000, shape: 'sawtooth', sawtoothPeriodMs: 20_000 },
    load: steady(20),
    expect: 'no failing finding',
  },
  {
    name: 'heap-sawtooth-large',
    what: 'heap grows 64 MB over 40 s, then all of it is let go; again and again',
    minutes: 2,
    target: { retain: 'heap', perHour: ((64 * MB) / 40_000) * 3_600_000, shape: 'sawtooth', sawtoothPeriodMs: 40_000 },
    load: steady(20),
    expect: 'no failing finding',
  },

  // Growth that follows the load.
  {
    name: 'ramp-connections',
    what: 'closed-model ramp 5 -> 200 connections over 80 % of the run, 64 KB held per connection, 1 s responses; no leak',
    minutes: 4,
    target: rampTarget,
    load: connectionRamp,
    expect: 'no failing finding',
  },
  {
    name: 'ramp-connections-leak-100',
    what: 'the same ramp, with a 100 MB/h heap leak paced in time on top',
    minutes: 4,
    target: { ...rampTarget, retain: 'heap', perHour: 100 * MB },
    load: connectionRamp,
    expect: { kind: 'memory-leak', memory: 'heap', rateMBPerHour: 100 },
  },
  {
    name: 'ws-ramp-1500',
    what: 'WebSocket echo server, ramp 10 -> 1500 held connections over 80 % of the run (0.1 msg/s each), 16 KB state per connection',
    minutes: 4,
    target: { ws: true, connStateBytes: 16 * KB },
    load: {
      kind: 'ws',
      messageRate: 0.1,
      connectRate: 200,
      phases: [
        { kind: 'ramp', share: 0.8, connections: [10, 1500] },
        { kind: 'steady', share: 0.2, connections: 1500 },
      ],
    },
    expect: 'no failing finding',
  },
  {
    name: 'big-heap',
    what: 'a 450 MB in-memory index and a bounded result cache at 300 req/s: major GCs of hundreds of ms, no blocking code, no leak',
    minutes: 3,
    target: { indexMB: 450, resultCache: 5000 },
    load: steady(300),
    expect: 'no failing finding',
  },

  // One hour, light: the slowest rates, and a healthy control.
  heapLeak('long-heap-2', 2, 60, inAnHour),
  heapLeak('long-heap-5', 5, 60, inAnHour),
  heapLeak('long-heap-10', 10, 60, inAnHour),
  heapLeak('long-heap-20', 20, 60, inAnHour),
  offHeapLeak('long-off-heap-10', 10, 60, inAnHour),
  timerLeak('long-timers-60', 60, 60, inAnHour),
  { name: 'long-healthy', what: 'healthy service, 5 req/s', minutes: 60, target: {}, expect: 'no failing finding', ...inAnHour },
];
