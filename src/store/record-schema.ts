import type { LoadInterval, ProbeSample, RunEvent } from './records.js';

/**
 * The shape of every record a run file holds, checked line by line as the file is read back, so a
 * record that is valid JSON but not what the analysis expects (hand-edited, from another tool, or
 * cut and spliced) is skipped and counted instead of crashing a command hours later. Hand-written
 * guards rather than zod: they run on every line of a 72-hour run and cost a fraction of JSON.parse
 * (bench/record-schema.ts).
 */
type Guard = (value: unknown) => boolean;
type Fields = Record<string, unknown>;

// Explicit property reads (`v.count`), not a loop over field names: V8 keeps each read monomorphic,
// which makes a check several times cheaper than a generic one.
const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const num = (value: unknown) => typeof value === 'number';
const str = (value: unknown) => typeof value === 'string';
const bool = (value: unknown) => typeof value === 'boolean';
const optional = (value: unknown, guard: Guard) => value === undefined || guard(value);

function eachValue(value: unknown, guard: Guard): boolean {
  if (!isObject(value)) return false;
  for (const key in value) if (!guard(value[key])) return false;
  return true;
}

const latency = (v: unknown) => isObject(v) && num(v.count) && num(v.mean) && num(v.p50) && num(v.p90) && num(v.p99) && num(v.max);
const endpoint = (v: unknown) => isObject(v) && num(v.sent) && num(v.completed) && num(v.errors) && num(v.timeouts) && latency(v.latency) && str(v.hdr);
const wsFigures = (v: unknown) => isObject(v) && num(v.open) && num(v.opened) && num(v.closed) && num(v.connectP99);

function loadInterval(v: unknown): boolean {
  if (!isObject(v)) return false;
  const counts = num(v.t) && num(v.span) && num(v.scheduled) && num(v.sent) && num(v.completed) && num(v.errors) && num(v.timeouts) && num(v.inflight);
  const names = str(v.stream) && str(v.driver) && str(v.phase) && str(v.hdr);
  return counts && names && latency(v.latency) && eachValue(v.outcomes, num) && optional(v.offeredRate, num) && optional(v.connections, num) && optional(v.sockets, num) && optional(v.ws, wsFigures) && optional(v.endpoints, (e) => eachValue(e, endpoint));
}

const memory = (v: unknown) => isObject(v) && num(v.heapUsed) && num(v.heapTotal) && num(v.rss) && num(v.external) && num(v.arrayBuffers);
const eventLoop = (v: unknown) => isObject(v) && num(v.min) && num(v.mean) && num(v.p50) && num(v.p99) && num(v.max) && num(v.utilization);
const gcKind = (v: unknown) => isObject(v) && num(v.count) && num(v.pauseMs) && optional(v.maxPauseMs, num);
const cpu = (v: unknown) => isObject(v) && num(v.user) && num(v.system);
const pool = (v: unknown) =>
  isObject(v) && num(v.total) && num(v.idle) && num(v.waiting) && optional(v.acquires, num) && optional(v.acquireWaitP99, num) && optional(v.acquireWaitMax, num) && optional(v.acquireTimeout, num);

function probeSample(v: unknown): boolean {
  if (!isObject(v) || !num(v.t) || !str(v.service)) return false;
  if (v.source === 'node') {
    return num(v.pid) && num(v.heapLimit) && memory(v.memory) && eachValue(v.gc, gcKind) && eventLoop(v.eventLoop) && eachValue(v.handles, num) && cpu(v.cpu) && optional(v.postGcHeap, num) && optional(v.postGcExternal, num) && optional(v.pools, (p) => eachValue(p, pool));
  }
  if (v.source === 'os') return num(v.pid) && num(v.rss) && num(v.cpuPercent) && num(v.children) && num(v.threads);
  if (v.source === 'container') return str(v.container) && num(v.cpuPercent) && num(v.memory) && num(v.memoryLimit);
  return false;
}

const endReasons = new Set(['completed', 'interrupted', 'error', 'aborted']);
const holdCauses = new Set(['heap-snapshot', 'full-gc']);
const eventFields: Record<string, (v: Fields) => boolean> = {
  'run-start': (v) => str(v.name) && num(v.plannedMs),
  'run-end': (v) => endReasons.has(v.reason as string) && optional(v.message, str),
  'phase-start': (v) => str(v.stream) && str(v.phase) && str(v.kind) && num(v.durationMs),
  'service-start': (v) => str(v.service) && num(v.pid) && optional(v.port, num) && optional(v.url, str),
  'service-ready': (v) => str(v.service) && num(v.afterMs),
  'service-exit': (v) =>
    str(v.service) && num(v.pid) && (v.code === null || num(v.code)) && (v.signal === null || str(v.signal)) && bool(v.expected) && Array.isArray(v.stderrTail) && v.stderrTail.every(str),
  'fault-start': (v) => str(v.fault) && str(v.kind) && str(v.target) && optional(v.detail, isObject),
  'fault-end': (v) => str(v.fault) && str(v.kind) && str(v.target),
  'child-exit': (v) => str(v.service) && num(v.pid) && num(v.ppid) && num(v.code) && num(v.uptimeMs) && str(v.script),
  check: (v) => str(v.check) && bool(v.ok) && isObject(v.detail),
  note: (v) => str(v.message),
  'target-held': (v) => str(v.service) && num(v.pid) && holdCauses.has(v.cause as string) && num(v.ms),
  'peer-joined': (v) => (v.role === 'worker' || v.role === 'probe') && str(v.name) && str(v.address) && optional(v.skewMs, num) && optional(v.rttMs, num),
  'peer-refused': (v) => str(v.address) && str(v.reason) && optional(v.since, num),
  'worker-lost': (v) => str(v.stream) && str(v.name) && str(v.reason) && str(v.share) && num(v.undeliveredRequests) && num(v.undeliveredConnectionSeconds),
};

function runEvent(v: unknown): boolean {
  if (!isObject(v) || !num(v.t)) return false;
  return eventFields[v.type as string]?.(v) === true;
}

/** The kinds of JSON-lines file a run directory holds, and what each line must be. */
export const recordGuards = {
  load: (value: unknown): value is LoadInterval => loadInterval(value),
  probe: (value: unknown): value is ProbeSample => probeSample(value),
  event: (value: unknown): value is RunEvent => runEvent(value),
} as const;

export type RecordKind = keyof typeof recordGuards;

/**
 * Counts the lines of one file that were skipped, for one line of news: "3 malformed records
 * skipped in load.ndjson (first at line 17)". A last line that is not JSON is not counted: a run
 * killed mid-write leaves one such line, and that is no news.
 */
export class MalformedRecords {
  private count = 0;
  private firstLine = 0;
  private unparsedLast = 0;

  constructor(readonly file: string) {}

  /** Line `line` (1-based) was not JSON. */
  unparsed(line: number): void {
    if (this.unparsedLast) this.add(this.unparsedLast);
    this.unparsedLast = line;
  }

  /** Line `line` was JSON of the wrong shape. */
  misshapen(line: number): void {
    this.add(line);
  }

  /** The file ended at line `lastLine`: an unparsed line before it was no cut-short tail. */
  end(lastLine: number): void {
    if (this.unparsedLast && this.unparsedLast < lastLine) this.add(this.unparsedLast);
    this.unparsedLast = 0;
  }

  /** The one line of news, or undefined when every record was whole. */
  message(): string | undefined {
    if (this.count === 0) return undefined;
    return `${this.count} malformed record${this.count === 1 ? '' : 's'} skipped in ${this.file} (first at line ${this.firstLine})`;
  }

  private add(line: number): void {
    this.count += 1;
    if (this.firstLine === 0 || line < this.firstLine) this.firstLine = line;
  }
}

/**
 * Parses one line of a run file: the record, or undefined when it is not JSON or not of the kind's
 * shape (counted in `malformed`). The one place every record read back goes through.
 */
export function parseRecord<K extends RecordKind>(kind: K, line: string, lineNumber: number, malformed: MalformedRecords): GuardedRecord<K> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    malformed.unparsed(lineNumber);
    return undefined;
  }
  if (recordGuards[kind](value)) return value as GuardedRecord<K>;
  malformed.misshapen(lineNumber);
  return undefined;
}

type GuardedRecord<K extends RecordKind> = (typeof recordGuards)[K] extends (value: unknown) => value is infer T ? T : never;
