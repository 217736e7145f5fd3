import { deflateSync, inflateSync } from 'node:zlib';
import { createRequire } from 'node:module';
import type { Histogram } from 'hdr-histogram-js';

/**
 * hdr-histogram-js is loaded on first use: the drivers record with it, but reading a run back does
 * not need it, and loading it (its WebAssembly build is inlined) costs about 17 MB.
 */
let library: typeof import('hdr-histogram-js') | undefined;
const hdrLibrary = () => (library ??= createRequire(import.meta.url)('hdr-histogram-js') as typeof import('hdr-histogram-js'));

/**
 * The one module that knows soak's latency histograms: the layout every load driver records in
 * (microseconds, 3 significant digits), the summary of a histogram in milliseconds, and the merge
 * of many recorded intervals. Merging is exact: percentiles over any span come from the summed
 * counts, never from averaged percentiles.
 *
 * Reading a long run decodes hundreds of thousands of interval histograms, so decoding does not go
 * through hdr-histogram-js: it would build a 23,552-slot histogram per interval and add it slot by
 * slot (about 100 µs each, JS or WebAssembly alike; bench/long-run.ts). The V2 encoding is inflated
 * natively and only its non-zero slots are added, into counts that share the recording layout.
 */

/** Latencies above an hour are clamped: a fixed range keeps each histogram's size fixed for the whole run. */
export const HIGHEST_MICROS = 3_600_000_000;
const SIGNIFICANT_DIGITS = 3;
/** The layout's slot arithmetic (lowest discernible value 1, 3 digits): see HdrHistogram's JsHistogram. */
const SUB_BUCKET_HALF_COUNT_MAGNITUDE = 10;
const SUB_BUCKET_HALF_COUNT = 1 << SUB_BUCKET_HALF_COUNT_MAGNITUDE;
const SLOTS = 23_552;
const MICROS_PER_MS = 1000;
const V2_COOKIE_BASE = 0x1c849303;
const V2_COMPRESSED_COOKIE_BASE = 0x1c849304;
const V2_HEADER_BYTES = 40;

export type LatencyKey = 'p50' | 'p90' | 'p99' | 'max';
export const LATENCY_KEYS: readonly LatencyKey[] = ['p50', 'p90', 'p99', 'max'];
const PERCENTILES: Record<Exclude<LatencyKey, 'max'>, number> = { p50: 50, p90: 90, p99: 99 };

/** Milliseconds; null when nothing was recorded. */
export interface LatencyMs {
  count: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

export const NO_LATENCY: LatencyMs = { count: 0, mean: null, p50: null, p90: null, p99: null, max: null };

/** A histogram in the layout every soak driver records in. */
export function latencyHistogram(): Histogram {
  return hdrLibrary().build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_MICROS, numberOfSignificantValueDigits: SIGNIFICANT_DIGITS, autoResize: false });
}

/** A latency in ms, clamped into the layout's range and recorded in µs. */
export function recordLatency(histogram: Histogram, latencyMs: number): void {
  histogram.recordValue(Math.min(HIGHEST_MICROS, Math.max(1, Math.round(latencyMs * 1000))));
}

/** Microseconds (as recorded) to milliseconds, kept to the microsecond. */
const toMs = (micros: number) => Math.round(micros) / MICROS_PER_MS;

/** A percentile (or the maximum) of a histogram, in milliseconds. */
export function valueMs(histogram: Histogram, key: LatencyKey): number {
  return toMs(key === 'max' ? histogram.maxValue : histogram.getValueAtPercentile(PERCENTILES[key]));
}

export function latencyMs(histogram: Histogram): LatencyMs {
  if (histogram.totalCount === 0) return NO_LATENCY;
  return { count: histogram.totalCount, mean: toMs(histogram.mean), p50: valueMs(histogram, 'p50'), p90: valueMs(histogram, 'p90'), p99: valueMs(histogram, 'p99'), max: valueMs(histogram, 'max') };
}

/** The non-zero slots of one encoded histogram. */
export interface SlotCounts {
  slots: Int32Array;
  counts: Float64Array;
  length: number;
  total: number;
}

function slotOf(value: number): number {
  const bucket = Math.max(Math.floor(Math.log2(value)) - SUB_BUCKET_HALF_COUNT_MAGNITUDE, 0);
  const subBucket = Math.floor(value / 2 ** bucket);
  return Math.min(SLOTS - 1, (bucket + 1) * SUB_BUCKET_HALF_COUNT + subBucket - SUB_BUCKET_HALF_COUNT);
}

/** The highest value a slot stands for: what a decoded histogram reports as its maximum. */
function highestOf(slot: number): number {
  let bucket = Math.floor(slot / SUB_BUCKET_HALF_COUNT) - 1;
  let subBucket = (slot % SUB_BUCKET_HALF_COUNT) + SUB_BUCKET_HALF_COUNT;
  if (bucket < 0) {
    subBucket -= SUB_BUCKET_HALF_COUNT;
    bucket = 0;
  }
  return subBucket * 2 ** bucket + 2 ** bucket - 1;
}

/** ZigZag LEB128 as HdrHistogram's V2 encoding writes it: positive counts, negative runs of empty slots. */
function readZigZag(bytes: Uint8Array, at: { offset: number }): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 9; i += 1) {
    const byte = bytes[at.offset++]!;
    value += (i === 8 ? byte : byte & 0x7f) * scale;
    if (i < 8 && (byte & 0x80) === 0) break;
    scale *= 128;
  }
  return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
}

/** The parts of hdr-histogram-js's JS histogram the fallback reads; not in its typings. */
interface SlotAccess {
  countsArrayLength: number;
  getCountAtIndex(index: number): number;
  valueFromIndex(index: number): number;
}

/** Slots of a histogram recorded with another layout (not by a soak driver): decoded by the library, re-slotted by value. */
function slotsViaLibrary(encoded: string): SlotCounts {
  const histogram = hdrLibrary().decodeFromCompressedBase64(encoded);
  try {
    const access = histogram as unknown as SlotAccess;
    const slots: number[] = [];
    const counts: number[] = [];
    for (let index = 0; index < access.countsArrayLength; index += 1) {
      const count = access.getCountAtIndex(index);
      if (count === 0) continue;
      slots.push(slotOf(Math.max(1, access.valueFromIndex(index))));
      counts.push(count);
    }
    return { slots: Int32Array.from(slots), counts: Float64Array.from(counts), length: slots.length, total: histogram.totalCount };
  } finally {
    histogram.destroy();
  }
}

/** Room for the slots of any histogram, reused decode after decode (see decodeSlots). */
export function slotScratch(): SlotCounts {
  return { slots: new Int32Array(SLOTS), counts: new Float64Array(SLOTS), length: 0, total: 0 };
}

/** A few decoded histograms summed slot by slot, into slots in order (endpoint shares into their stream's). */
export class SlotSum {
  private readonly counts = new Float64Array(SLOTS);
  private readonly touched = new Int32Array(SLOTS);
  private size = 0;

  clear(): void {
    for (let i = 0; i < this.size; i += 1) this.counts[this.touched[i]!] = 0;
    this.size = 0;
  }

  add(slots: SlotCounts | undefined): void {
    if (!slots) return;
    for (let i = 0; i < slots.length; i += 1) {
      const slot = slots.slots[i]!;
      if (this.counts[slot] === 0) this.touched[this.size++] = slot;
      this.counts[slot]! += slots.counts[i]!;
    }
  }

  into(scratch: SlotCounts): SlotCounts | undefined {
    if (this.size === 0) return undefined;
    const order = this.touched.subarray(0, this.size).sort();
    let total = 0;
    for (let i = 0; i < order.length; i += 1) {
      const count = this.counts[order[i]!]!;
      scratch.slots[i] = order[i]!;
      scratch.counts[i] = count;
      total += count;
    }
    scratch.length = order.length;
    scratch.total = total;
    return scratch;
  }
}

/**
 * One interval's encoded histogram (compressed base64, as the records keep it); undefined when empty.
 * Into `scratch` when given, which then holds it until the next decode into it: a long run's hundreds
 * of thousands of intervals allocate nothing here.
 */
export function decodeSlots(encoded: string, scratch?: SlotCounts): SlotCounts | undefined {
  if (!encoded) return undefined;
  const packed = Buffer.from(encoded, 'base64');
  if ((packed.readInt32BE(0) & ~0xf0) !== V2_COMPRESSED_COOKIE_BASE) throw new Error('not an HdrHistogram V2 compressed encoding');
  // An interval inflates to a few hundred bytes: a small chunk spares zlib's default 16 KB buffer per call.
  const bytes = inflateSync(packed.subarray(8, 8 + packed.readInt32BE(4)), { chunkSize: 1024 });
  const header = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if ((header.getInt32(0) & ~0xf0) !== V2_COOKIE_BASE) throw new Error('not an HdrHistogram V2 encoding');
  const digits = header.getInt32(12);
  const lowest = header.getInt32(16) * 2 ** 32 + header.getUint32(20);
  if (digits !== SIGNIFICANT_DIGITS || lowest > 1) return slotsViaLibrary(encoded);
  const end = V2_HEADER_BYTES + header.getInt32(4);
  const slots = scratch?.slots ?? new Int32Array(end - V2_HEADER_BYTES);
  const counts = scratch?.counts ?? new Float64Array(end - V2_HEADER_BYTES);
  const at = { offset: V2_HEADER_BYTES };
  let slot = 0;
  let length = 0;
  let total = 0;
  while (at.offset < end) {
    const count = readZigZag(bytes, at);
    if (count < 0) slot -= count;
    else {
      if (count > 0) {
        slots[length] = Math.min(slot, SLOTS - 1);
        counts[length++] = count;
        total += count;
      }
      slot += 1;
    }
  }
  if (!scratch) return { slots, counts, length, total };
  scratch.length = length;
  scratch.total = total;
  return scratch;
}

/** The lowest value a slot stands for, and the width of the values it holds. */
function slotRange(slot: number): { lowest: number; size: number } {
  let bucket = Math.floor(slot / SUB_BUCKET_HALF_COUNT) - 1;
  let subBucket = (slot % SUB_BUCKET_HALF_COUNT) + SUB_BUCKET_HALF_COUNT;
  if (bucket < 0) {
    subBucket -= SUB_BUCKET_HALF_COUNT;
    bucket = 0;
  }
  return { lowest: subBucket * 2 ** bucket, size: 2 ** bucket };
}

/** Room for any encoding: a header and nine bytes a slot at most. */
const ENCODE_SCRATCH = Buffer.alloc(V2_HEADER_BYTES + 9 * SLOTS);

/** ZigZag LEB128 as V2 writes it (runs of empty slots as one negative number); returns the next offset. */
function writeZigZag(bytes: Buffer, offset: number, value: number): number {
  let rest = value >= 0 ? value * 2 : -value * 2 - 1;
  let at = offset;
  for (let i = 0; i < 8 && rest >= 0x80; i += 1) {
    bytes[at++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  bytes[at++] = rest;
  return at;
}

/**
 * Latencies summed over many intervals, slot by slot. Percentiles, mean and maximum are computed as
 * hdr-histogram-js computes them on a decoded histogram (a percentile is the highest value of the slot
 * that reaches its count; the mean weighs each slot's middle value), without building one: the
 * library's mean alone walks every slot through an iterator, seconds over a long run's buckets.
 */
export class LatencyCounts {
  private readonly counts = new Float64Array(SLOTS);
  private top = -1;
  total = 0;
  private cached: LatencyMs | undefined;

  add(slots: SlotCounts | undefined): void {
    if (!slots || slots.total === 0) return;
    for (let i = 0; i < slots.length; i += 1) this.counts[slots.slots[i]!]! += slots.counts[i]!;
    this.top = Math.max(this.top, slots.slots[slots.length - 1]!);
    this.total += slots.total;
    this.cached = undefined;
  }

  /** The counts of a histogram recorded in the driver layout (where a slot is the library's index), up to slot `top`. */
  addRecorded(histogram: SlotAccess & { totalCount: number }, top: number): void {
    if (histogram.totalCount === 0) return;
    for (let slot = 0; slot <= top; slot += 1) this.counts[slot]! += histogram.getCountAtIndex(slot);
    this.top = Math.max(this.top, top);
    this.total += histogram.totalCount;
    this.cached = undefined;
  }

  addCounts(other: LatencyCounts): void {
    if (other.total === 0) return;
    for (let slot = 0; slot <= other.top; slot += 1) this.counts[slot]! += other.counts[slot]!;
    this.top = Math.max(this.top, other.top);
    this.total += other.total;
    this.cached = undefined;
  }

  summary(): LatencyMs {
    if (this.total === 0) return NO_LATENCY;
    if (!this.cached) {
      const wanted = [PERCENTILES.p50, PERCENTILES.p90, PERCENTILES.p99].map((percentile) => {
        const fp = (percentile / 100) * this.total;
        return Math.max(Math.ceil(fp - ulp(fp)), 1);
      });
      const found = [this.top, this.top, this.top];
      let weighted = 0;
      let cumulative = 0;
      for (let slot = 0; slot <= this.top; slot += 1) {
        const count = this.counts[slot]!;
        if (count === 0) continue;
        const { lowest, size } = slotRange(slot);
        weighted += (lowest + Math.floor(size / 2)) * count;
        const before = cumulative;
        cumulative += count;
        for (let k = 0; k < 3; k += 1) if (before < wanted[k]! && cumulative >= wanted[k]!) found[k] = slot;
      }
      this.cached = {
        count: this.total,
        mean: toMs(weighted / this.total),
        p50: toMs(highestOf(found[0]!)),
        p90: toMs(highestOf(found[1]!)),
        p99: toMs(highestOf(found[2]!)),
        max: toMs(highestOf(this.top)),
      };
    }
    return this.cached;
  }

  /** Compressed base64 in HdrHistogram's V2 encoding, as the records keep a histogram; the library reads it back. */
  encode(): string {
    const plain = ENCODE_SCRATCH;
    let at = V2_HEADER_BYTES;
    let empty = 0;
    for (let slot = 0; slot <= this.top; slot += 1) {
      const count = this.counts[slot]!;
      if (count === 0) {
        empty += 1;
        continue;
      }
      if (empty > 0) at = writeZigZag(plain, at, empty === 1 ? 0 : -empty);
      empty = 0;
      at = writeZigZag(plain, at, count);
    }
    plain.writeInt32BE(V2_COOKIE_BASE | 0x10, 0);
    plain.writeInt32BE(at - V2_HEADER_BYTES, 4);
    plain.writeInt32BE(0, 8);
    plain.writeInt32BE(SIGNIFICANT_DIGITS, 12);
    plain.writeBigInt64BE(1n, 16);
    plain.writeBigInt64BE(BigInt(HIGHEST_MICROS), 24);
    plain.writeBigInt64BE(1n, 32);
    // A bucket is encoded once and read back rarely: the fastest level, a few percent larger.
    const compressed = deflateSync(plain.subarray(0, at), { level: 1 });
    const packed = Buffer.alloc(8 + compressed.length);
    packed.writeInt32BE(V2_COMPRESSED_COOKIE_BASE | 0x10, 0);
    packed.writeInt32BE(compressed.length, 4);
    compressed.copy(packed, 8);
    return packed.toString('base64');
  }

  /** Back to empty, keeping its memory: one open bucket after another reuses it. */
  reset(): void {
    this.counts.fill(0, 0, this.top + 1);
    this.top = -1;
    this.total = 0;
    this.cached = undefined;
  }

  static merged(parts: Iterable<LatencyCounts>): LatencyCounts {
    const total = new LatencyCounts();
    for (const part of parts) total.addCounts(part);
    return total;
  }
}

/** Latency over many encoded intervals, e.g. a whole run or one phase. */
export function mergedLatency(encoded: Iterable<string>): LatencyMs {
  const total = new LatencyCounts();
  for (const text of encoded) total.add(decodeSlots(text));
  return total.summary();
}

/** ulp of a double, as HdrHistogram uses it to round a percentile's count. */
function ulp(value: number): number {
  return value === 0 ? Number.MIN_VALUE : 2 ** (Math.floor(Math.log2(Math.abs(value))) - 52);
}

/** A percentile (or the maximum) of one decoded interval, in ms, as hdr-histogram-js computes it. */
export function slotValueMs(slots: SlotCounts, key: LatencyKey): number {
  if (slots.length === 0) return 0;
  if (key === 'max') return toMs(highestOf(slots.slots[slots.length - 1]!));
  const fp = (PERCENTILES[key] / 100) * slots.total;
  const wanted = Math.max(Math.ceil(fp - ulp(fp)), 1);
  let cumulative = 0;
  for (let i = 0; i < slots.length; i += 1) {
    cumulative += slots.counts[i]!;
    if (cumulative >= wanted) return toMs(highestOf(slots.slots[i]!));
  }
  return toMs(highestOf(slots.slots[slots.length - 1]!));
}

/** Room for recordedSummary, reused: a driver summarises a few histograms every interval. */
let summaryScratch: LatencyCounts | undefined;

/**
 * A histogram's summary as a record keeps it: zeros, not nulls, when nothing was recorded. Its
 * counts are read slot by slot up to its maximum's, the figures computed as the library computes
 * them (LatencyCounts), and the maximum is the value recorded: the library's own mean and
 * percentiles walk every slot through an iterator, about 2.5 ms a histogram, on each driver thread
 * every interval.
 */
export function recordedSummary(histogram: Histogram): { count: number; mean: number; p50: number; p90: number; p99: number; max: number } {
  if (histogram.totalCount === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const counts = (summaryScratch ??= new LatencyCounts());
  counts.reset();
  counts.addRecorded(histogram as unknown as SlotAccess & { totalCount: number }, slotOf(Math.max(1, histogram.maxValue)));
  const summary = counts.summary();
  return { count: summary.count, mean: summary.mean!, p50: summary.p50!, p90: summary.p90!, p99: summary.p99!, max: toMs(histogram.maxValue) };
}
