import type { LatencySummary } from '../core/hdr.js';
/**
 * What a run writes to disk, one JSON object per line. These records are the only thing the
 * analysis and report read, so `soak report <dir>` can rebuild everything from them alone.
 * Times are epoch milliseconds; sizes are bytes; durations are milliseconds.
 */

export interface MemorySample {
  heapUsed: number;
  heapTotal: number;
  rss: number;
  external: number;
  arrayBuffers: number;
}

export interface EventLoopSample {
  min: number;
  mean: number;
  p50: number;
  p99: number;
  max: number;
  /** Event-loop utilisation over the interval, 0..1. */
  utilization: number;
}

export interface PoolSample {
  total: number;
  idle: number;
  waiting: number;
  /** Acquisitions completed in the interval and how long they waited, when the pool reports it. */
  acquires?: number;
  acquireWaitP99?: number;
  acquireWaitMax?: number;
  /** The pool's own acquire timeout, so a detector can tell "waits near the timeout". */
  acquireTimeout?: number;
}

/** Sampled inside a Node target by the preload (src/probe/preload.cts). */
export interface NodeProbeSample {
  source: 'node';
  t: number;
  service: string;
  pid: number;
  memory: MemorySample;
  /** v8 heap_size_limit: the ceiling a leak is projected against. */
  heapLimit: number;
  /** heapUsed measured right after the last major GC in this interval, if one ran. */
  postGcHeap?: number;
  /** External memory (ArrayBuffer backing stores and other off-heap memory V8 is told of) right after that GC. */
  postGcExternal?: number;
  /** GC count, total pause and (absent in runs before it was recorded) longest pause per kind (minor, major, incremental, weakcb) in this interval. */
  gc: Record<string, { count: number; pauseMs: number; maxPauseMs?: number }>;
  eventLoop: EventLoopSample;
  /** Active handles and requests by type, from process.getActiveResourcesInfo(). */
  handles: Record<string, number>;
  pools?: Record<string, PoolSample>;
  /** CPU time used in the interval, ms. */
  cpu: { user: number; system: number };
}

/** Sampled from the OS for a service's whole process tree (any language). */
export interface OsProbeSample {
  source: 'os';
  t: number;
  service: string;
  pid: number;
  /** Summed over the process tree. */
  rss: number;
  /** CPU of the tree over the interval, percent of one core. */
  cpuPercent: number;
  /** Descendant processes of the service's root process. */
  children: number;
  threads: number;
}

/** A container's CPU and memory as its engine reports them (docker stats), beside what the probe sees inside. */
export interface ContainerSample {
  source: 'container';
  t: number;
  service: string;
  /** Short container id. */
  container: string;
  /** CPU of the whole container over the interval, percent of one core. */
  cpuPercent: number;
  /** Memory the container uses without reclaimable page cache, as `docker stats` shows it. */
  memory: number;
  /** The container's memory limit (the host's memory when it has none). */
  memoryLimit: number;
}

export type ProbeSample = NodeProbeSample | OsProbeSample | ContainerSample;

export type { LatencySummary };

/** One endpoint's share of a load interval: the requests made from the request specs of that name. */
export interface EndpointInterval {
  sent: number;
  completed: number;
  errors: number;
  timeouts: number;
  /** Timeouts entered in the histogram at the timeout: lower bounds of their latency. Absent in runs before it was recorded. */
  censored?: number;
  latency: LatencySummary;
  hdr: string;
}

/** One interval (default 1 s) of one load stream. */
export interface LoadInterval {
  t: number;
  /** The interval's length, ms. */
  span: number;
  stream: string;
  driver: string;
  phase: string;
  /** Requests (or messages) scheduled, sent, completed, failed in the interval. */
  scheduled: number;
  sent: number;
  completed: number;
  errors: number;
  timeouts: number;
  /** Status class or error code -> count. */
  outcomes: Record<string, number>;
  /**
   * Of the timeouts, those entered in the histogram at the timeout (the latency they had at least), so
   * p99 and max are never better than the truth. Absent in runs before it was recorded.
   */
  censored?: number;
  /** Latency from intended send time (open model) or actual send time (closed model): the completed requests and the censored timeouts. */
  latency: LatencySummary;
  /** HDR histogram of the interval's latencies in microseconds (base64 of the HdrHistogram V2 encoding, not deflated), so intervals and runs merge exactly. */
  hdr: string;
  inflight: number;
  /** Open model: the arrival rate asked for; closed model: the connections held. */
  offeredRate?: number;
  connections?: number;
  /** Http streams: TCP connections the driver's pool held open at the interval's end (keep-alive ones included). */
  sockets?: number;
  /** WebSocket streams: connections open at the interval's end, opened and closed in it, and the p99 of opening one (ms), with its HDR histogram (µs) so driver threads merge exactly. */
  ws?: { open: number; opened: number; closed: number; connectP99: number; connectHdr?: string };
  /**
   * Http streams with more than one request spec: figures by endpoint name. Arrivals given up on
   * before a request was picked for them (backlog full, timed out waiting) count for the stream only.
   */
  endpoints?: Record<string, EndpointInterval>;
  /** soak's own load generator in the interval, so that a generator that could not keep up is not read as a slow target. Absent in runs before it was recorded. */
  generator?: GeneratorFigures;
}

/**
 * How soak's driver threads fared in one interval of one stream. With several threads, each
 * figure is the busiest thread's; `sendLag` is merged over all of them.
 */
export interface GeneratorFigures {
  /** Driver threads that sent the stream. */
  threads: number;
  /** Event-loop delay of the driver thread, ms. */
  loopDelay: { p99: number; max: number };
  /** Share of the interval the driver thread's event loop was busy (0..1). */
  utilization: number;
  /** The driver thread's CPU, in cores (0..1): user + system time over the interval (Linux). */
  cpu?: number;
  /**
   * Open model: how long after its intended time an arrival left soak, ms, for soak's own reasons
   * (a busy thread, a late timer). Arrivals held back by maxInflight are not in it: they count as `late`.
   */
  sendLag?: { count: number; p99: number; max: number; hdr: string };
}

export type RunEvent =
  | { t: number; type: 'run-start'; name: string; plannedMs: number }
  | { t: number; type: 'run-end'; reason: 'completed' | 'interrupted' | 'error' | 'aborted'; message?: string }
  | { t: number; type: 'phase-start'; stream: string; phase: string; kind: string; durationMs: number }
  | { t: number; type: 'service-start'; service: string; pid: number; port?: number; url?: string }
  | { t: number; type: 'service-ready'; service: string; afterMs: number }
  | { t: number; type: 'service-exit'; service: string; pid: number; code: number | null; signal: string | null; expected: boolean; stderrTail: string[] }
  | { t: number; type: 'fault-start'; fault: string; kind: string; target: string; detail?: Record<string, unknown> }
  | { t: number; type: 'fault-end'; fault: string; kind: string; target: string }
  /** A node child of a service exited (code only: one killed by a signal leaves no record). */
  | { t: number; type: 'child-exit'; service: string; pid: number; ppid: number; code: number; uptimeMs: number; script: string }
  | { t: number; type: 'check'; check: string; ok: boolean; detail: Record<string, unknown> }
  /** soak held a target's process still for `ms` from `t` (a heap snapshot, a forced full GC): soak's doing, not the target's. */
  | { t: number; type: 'target-held'; service: string; pid: number; cause: TargetHoldCause; ms: number }
  | { t: number; type: 'note'; message: string }
  /** A soak worker or remote probe passed the token; skewMs is its clock minus the coordinator's (rttMs the exchange it was measured on). */
  | { t: number; type: 'peer-joined'; role: 'worker' | 'probe'; name: string; address: string; skewMs?: number; rttMs?: number }
  /** A peer of the coordinator that did not pass the token: nothing it sent was read. `since`: refusals of the same host and reason not logged since the last one. */
  | { t: number; type: 'peer-refused'; address: string; reason: string; since?: number }
  /** A worker stopped reporting mid-stream: the planned load of its share from then on was not sent. */
  | { t: number; type: 'worker-lost'; stream: string; name: string; reason: string; share: string; undeliveredRequests: number; undeliveredConnectionSeconds: number };

export type RunEventType = RunEvent['type'];

export type TargetHoldCause = 'heap-snapshot' | 'full-gc';

/** The layout of a run directory's records, as this soak writes them. */
export const RECORDS_VERSION = 3;
/** The layouts this soak reads; it refuses another in one line. Version 2 deflated each histogram, which the decoder still reads. */
export const READABLE_RECORDS_VERSIONS: readonly number[] = [2, RECORDS_VERSION];

/** Written once at the start of a run: what was asked for, so a rebuilt report knows the budgets and phases. */
export interface RunMeta {
  recordsVersion: number;
  soakVersion: string;
  name: string;
  scenarioFile?: string;
  startedAt: number;
  plannedMs: number;
  sampleIntervalMs: number;
  /** The validated scenario, as plain JSON (functions removed). */
  scenario: unknown;
  /** The machine the run was made on: what the analysis may read of it, so it is a function of the records alone. */
  host: RunHost;
  /** Services soak waits for to be ready (targets that listen): their event loop is judged once they are, also by a reader that comes in before. */
  readyServices?: string[];
}

export interface RunHost {
  node: string;
  platform: string;
  cpus: number;
  hostname: string;
  /** Physical memory, bytes. */
  totalMemory: number;
  /** The memory limit of the cgroup soak ran in, when it had one below the physical memory, bytes. */
  memoryLimit?: number;
}

/** A record as the reader and the runner hand it over, in time order. */
export type RunRecord = { kind: 'probe'; sample: ProbeSample } | { kind: 'load'; interval: LoadInterval } | { kind: 'event'; event: RunEvent };

export const RunFiles = {
  meta: 'meta.json',
  probe: 'probe.ndjson',
  load: 'load.ndjson',
  events: 'events.ndjson',
  /** Appended by the target's node children themselves as they exit (src/probe/child-exits.cts). */
  childExits: 'child-exits.ndjson',
  summary: 'summary.json',
  report: 'report.html',
  /** `soak report` of a run still going: beside the final files, never in their place; removed once the final report is written. */
  provisionalSummary: 'summary.provisional.json',
  provisionalReport: 'report.provisional.html',
  provisionalPdf: 'report.provisional.pdf',
  stdout: (service: string) => `${service}.stdout.log`,
  stderr: (service: string) => `${service}.stderr.log`,
} as const;
