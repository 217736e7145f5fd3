import { inflateSync } from 'node:zlib';
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

/** JsHistogram's bucket arithmetic: on every histogram `build` makes, but not in its typings. */
interface BucketArithmetic {
  lowestEquivalentValue(value: number): number;
  nextNonEquivalentValue(value: number): number;
}

/**
 * A latency known only as a lower bound (a request that timed out), recorded at the start of the
 * smallest slot that holds nothing below it: whatever reads the slot back (its lowest or its highest
 * equivalent value, here or after a merge) reads at least the bound.
 */
export function recordAtLeast(histogram: Histogram, latencyMs: number): void {
  const micros = Math.min(HIGHEST_MICROS, Math.max(1, Math.ceil(latencyMs * MICROS_PER_MS)));
  const buckets = histogram as unknown as BucketArithmetic;
  histogram.recordValue(buckets.lowestEquivalentValue(micros) === micros ? micros : buckets.nextNonEquivalentValue(micros));
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

/**
 * Where readZigZag stopped: one module-level cursor rather than an object per decode, since a long
 * run's report decodes tens of thousands of histograms and each of their values goes through here.
 */
let cursor = 0;

/**
 * ZigZag LEB128 as HdrHistogram's V2 encoding writes it (positive counts, negative runs of empty
 * slots), from `cursor` on. Most values of a latency histogram fit one byte: they are read without
 * the loop.
 */
function readZigZag(bytes: Uint8Array): number {
  let value = bytes[cursor++]!;
  if (value >= 0x80) {
    value &= 0x7f;
    let scale = 0x80;
    for (let i = 1; i < 9; i += 1) {
      const byte = bytes[cursor++]!;
      value += (i === 8 ? byte : byte & 0x7f) * scale;
      if (i < 8 && (byte & 0x80) === 0) break;
      scale *= 0x80;
    }
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

/**
 * A few decoded histograms summed slot by slot (endpoint shares into their stream's). Decoded slots
 * come in order, so each is merged in: the sum stays in order with nothing to sort.
 */
export class SlotSum {
  private sum = slotScratch();
  private spare = slotScratch();

  clear(): void {
    this.sum.length = 0;
    this.sum.total = 0;
  }

  add(slots: SlotCounts | undefined): void {
    if (!slots || slots.length === 0) return;
    const from = this.sum;
    const into = this.spare;
    let i = 0;
    let j = 0;
    let n = 0;
    while (i < from.length || j < slots.length) {
      const mine = i < from.length ? from.slots[i]! : SLOTS;
      const theirs = j < slots.length ? slots.slots[j]! : SLOTS;
      into.slots[n] = Math.min(mine, theirs);
      into.counts[n++] = (mine <= theirs ? from.counts[i++]! : 0) + (theirs <= mine ? slots.counts[j++]! : 0);
    }
    into.length = n;
    into.total = from.total + slots.total;
    this.sum = into;
    this.spare = from;
  }

  /** The sum, valid until the next clear or add; undefined when nothing was added. */
  result(): SlotCounts | undefined {
    return this.sum.length > 0 ? this.sum : undefined;
  }
}

/** The compressed bytes of an interval's histogram, decoded from base64 into one buffer reused decode after decode. */
const BASE64_SCRATCH = Buffer.allocUnsafeSlow(16 * 1024);
const BASE64_SCRATCH_CHARS = (BASE64_SCRATCH.length / 3) * 4;
/** An interval inflates to a few hundred bytes: a small chunk spares zlib's default 16 KB buffer per call. */
const INFLATE_OPTIONS = { chunkSize: 1024 };

/**
 * One interval's encoded histogram (base64 of HdrHistogram's V2 encoding, plain as soak writes it, or
 * deflated as earlier runs and the library write it); undefined when empty. Into `scratch` when given,
 * which then holds it until the next decode into it: a long run's hundreds of thousands of intervals
 * allocate nothing here.
 */
export function decodeSlots(encoded: string, scratch?: SlotCounts): SlotCounts | undefined {
  if (!encoded) return undefined;
  const packed = encoded.length <= BASE64_SCRATCH_CHARS ? BASE64_SCRATCH.subarray(0, BASE64_SCRATCH.write(encoded, 'base64')) : Buffer.from(encoded, 'base64');
  const cookie = packed.readInt32BE(0) & ~0xf0;
  if (cookie !== V2_COOKIE_BASE && cookie !== V2_COMPRESSED_COOKIE_BASE) throw new Error('not an HdrHistogram V2 encoding');
  const bytes = cookie === V2_COOKIE_BASE ? packed : inflateSync(packed.subarray(8, 8 + packed.readInt32BE(4)), INFLATE_OPTIONS);
  const header = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if ((header.getInt32(0) & ~0xf0) !== V2_COOKIE_BASE) throw new Error('not an HdrHistogram V2 encoding');
  const digits = header.getInt32(12);
  const lowest = header.getInt32(16) * 2 ** 32 + header.getUint32(20);
  if (digits !== SIGNIFICANT_DIGITS || lowest > 1) {
    if (cookie === V2_COOKIE_BASE) throw new Error('a plain HdrHistogram V2 encoding not in the layout soak records in');
    return slotsViaLibrary(encoded);
  }
  return slotsOfBody(bytes, V2_HEADER_BYTES, V2_HEADER_BYTES + header.getInt32(4), scratch);
}

/** The counts of a V2 body (zigzag LEB128 from `start` to `end`) as non-zero slots, into `scratch` when given. */
function slotsOfBody(bytes: Uint8Array, start: number, end: number, scratch?: SlotCounts): SlotCounts {
  const slots = scratch?.slots ?? new Int32Array(end - start);
  const counts = scratch?.counts ?? new Float64Array(end - start);
  cursor = start;
  let slot = 0;
  let length = 0;
  let total = 0;
  while (cursor < end) {
    const count = readZigZag(bytes);
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

/**
 * The slots of a histogram packed by LatencyCounts.pack (a V2 body, not deflated); undefined when
 * empty. Into `scratch` when given, as decodeSlots.
 */
export function unpackSlots(packed: Uint8Array, scratch?: SlotCounts): SlotCounts | undefined {
  if (packed.length === 0) return undefined;
  return slotsOfBody(packed, 0, packed.length, scratch);
}

/** The middle value of a slot, as hdr-histogram-js weighs a slot in its mean. */
function middleOf(slot: number): number {
  let bucket = Math.floor(slot / SUB_BUCKET_HALF_COUNT) - 1;
  let subBucket = (slot % SUB_BUCKET_HALF_COUNT) + SUB_BUCKET_HALF_COUNT;
  if (bucket < 0) {
    subBucket -= SUB_BUCKET_HALF_COUNT;
    bucket = 0;
  }
  const size = 2 ** bucket;
  return subBucket * size + Math.floor(size / 2);
}

/** Slots per word of the map of used slots. */
const WORD_BITS = 32;

/** Each slot's middle and highest value, worked out once: summaries look them up for every slot they walk. */
const SLOT_MIDDLE = Float64Array.from({ length: SLOTS }, (_, slot) => middleOf(slot));
const SLOT_HIGHEST_MS = Float64Array.from({ length: SLOTS }, (_, slot) => toMs(highestOf(slot)));

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
 * library's mean alone walks every slot through an iterator, seconds over a long run's buckets. The
 * slots that hold a count are listed, so summing, summarising and packing walk those few hundred
 * instead of all 23,552, and marked in a bitmap that puts them in order without a sort.
 */
export class LatencyCounts {
  private readonly counts = new Float64Array(SLOTS);
  private readonly used = new Int32Array(SLOTS);
  private readonly marked = new Int32Array(SLOTS / WORD_BITS);
  private size = 0;
  private ordered = true;
  private lowest = SLOTS;
  private highest = -1;
  total = 0;
  private cached: LatencyMs | undefined;

  private count(slot: number, count: number): void {
    if (this.counts[slot] === 0) {
      if (slot < this.highest) this.ordered = false;
      this.used[this.size++] = slot;
      this.marked[slot >>> 5]! |= 1 << (slot & 31);
      if (slot < this.lowest) this.lowest = slot;
      if (slot > this.highest) this.highest = slot;
    }
    this.counts[slot]! += count;
  }

  add(slots: SlotCounts | undefined): void {
    if (!slots || slots.total === 0) return;
    for (let i = 0; i < slots.length; i += 1) this.count(slots.slots[i]!, slots.counts[i]!);
    this.total += slots.total;
    this.cached = undefined;
  }

  /** The counts of a histogram recorded in the driver layout (where a slot is the library's index), up to slot `top`. */
  addRecorded(histogram: SlotAccess & { totalCount: number }, top: number): void {
    if (histogram.totalCount === 0) return;
    for (let slot = 0; slot <= top; slot += 1) {
      const count = histogram.getCountAtIndex(slot);
      if (count !== 0) this.count(slot, count);
    }
    this.total += histogram.totalCount;
    this.cached = undefined;
  }

  addCounts(other: LatencyCounts): void {
    if (other.total === 0) return;
    for (let i = 0; i < other.size; i += 1) {
      const slot = other.used[i]!;
      this.count(slot, other.counts[slot]!);
    }
    this.total += other.total;
    this.cached = undefined;
  }

  /**
   * The slots that hold a count, lowest first. Sums of many intervals hold their slots out of order:
   * they are read back off the bitmap, a word of 32 slots at a time, cheaper than sorting a thousand.
   */
  private inOrder(): Int32Array {
    if (!this.ordered) {
      let n = 0;
      for (let word = this.lowest >>> 5; word <= this.highest >>> 5; word += 1) {
        let bits = this.marked[word]!;
        while (bits !== 0) {
          const lowestBit = bits & -bits;
          this.used[n++] = word * WORD_BITS + 31 - Math.clz32(lowestBit);
          bits ^= lowestBit;
        }
      }
      this.ordered = true;
    }
    return this.used.subarray(0, this.size);
  }

  /** Takes out counts that were added to this sum before (a part of it). */
  subtractCounts(other: LatencyCounts): void {
    if (other.total === 0) return;
    for (let i = 0; i < other.size; i += 1) {
      const slot = other.used[i]!;
      this.counts[slot] = Math.max(0, this.counts[slot]! - other.counts[slot]!);
    }
    this.total = Math.max(0, this.total - other.total);
    // Emptied slots leave the list of used ones, so its highest slot still holds a count.
    this.marked.fill(0);
    let size = 0;
    let lowest = SLOTS;
    let highest = -1;
    for (let slot = this.lowest; slot <= this.highest; slot += 1) {
      if (this.counts[slot] === 0) continue;
      this.used[size++] = slot;
      this.marked[slot >>> 5]! |= 1 << (slot & 31);
      if (slot < lowest) lowest = slot;
      highest = slot;
    }
    this.size = size;
    this.lowest = lowest;
    this.highest = highest;
    this.ordered = true;
    this.cached = undefined;
  }

  summary(): LatencyMs {
    if (this.total === 0) return NO_LATENCY;
    this.cached ??= this.summarise();
    return this.cached;
  }

  private summarise(): LatencyMs {
    const used = this.inOrder();
    const top = used[used.length - 1]!;
    const wanted = [rank(PERCENTILES.p50, this.total), rank(PERCENTILES.p90, this.total), rank(PERCENTILES.p99, this.total)];
    const found = [top, top, top];
    let next = 0;
    let weighted = 0;
    let cumulative = 0;
    for (let i = 0; i < used.length; i += 1) {
      const slot = used[i]!;
      const count = this.counts[slot]!;
      weighted += SLOT_MIDDLE[slot]! * count;
      cumulative += count;
      while (next < 3 && cumulative >= wanted[next]!) found[next++] = slot;
    }
    return {
      count: this.total,
      mean: toMs(weighted / this.total),
      p50: SLOT_HIGHEST_MS[found[0]!]!,
      p90: SLOT_HIGHEST_MS[found[1]!]!,
      p99: SLOT_HIGHEST_MS[found[2]!]!,
      max: SLOT_HIGHEST_MS[top]!,
    };
  }

  /** The counts as a V2 body into ENCODE_SCRATCH (runs of empty slots as one negative number); returns its end. */
  private writeBody(): number {
    const plain = ENCODE_SCRATCH;
    let at = V2_HEADER_BYTES;
    let next = 0;
    for (const slot of this.inOrder()) {
      const empty = slot - next;
      if (empty > 0) at = writeZigZag(plain, at, empty === 1 ? 0 : -empty);
      at = writeZigZag(plain, at, this.counts[slot]!);
      next = slot + 1;
    }
    return at;
  }

  /**
   * Counts at or below each bound (µs, ascending), as a Prometheus histogram's cumulative buckets,
   * and the sum of the values (each slot's middle value, as the mean weighs it), µs.
   */
  cumulative(boundsMicros: readonly number[]): { counts: number[]; sumMicros: number } {
    const counts = boundsMicros.map(() => 0);
    let sumMicros = 0;
    let bound = 0;
    for (const slot of this.inOrder()) {
      const count = this.counts[slot]!;
      sumMicros += SLOT_MIDDLE[slot]! * count;
      while (bound < boundsMicros.length && highestOf(slot) > boundsMicros[bound]!) bound += 1;
      if (bound < counts.length) counts[bound]! += count;
    }
    for (let i = 1; i < counts.length; i += 1) counts[i]! += counts[i - 1]!;
    return { counts, sumMicros };
  }

  /**
   * Base64 of HdrHistogram's V2 encoding, as the records keep a histogram. Not deflated: reading a long
   * run back decodes tens of thousands of them, and building a zlib stream for each few hundred bytes
   * cost more than the whole rest of the decode (bench/long-run.ts).
   */
  encode(): string {
    const plain = ENCODE_SCRATCH;
    const at = this.writeBody();
    plain.writeInt32BE(V2_COOKIE_BASE | 0x10, 0);
    plain.writeInt32BE(at - V2_HEADER_BYTES, 4);
    plain.writeInt32BE(0, 8);
    plain.writeInt32BE(SIGNIFICANT_DIGITS, 12);
    plain.writeBigInt64BE(1n, 16);
    plain.writeBigInt64BE(BigInt(HIGHEST_MICROS), 24);
    plain.writeBigInt64BE(1n, 32);
    return plain.toString('base64', 0, at);
  }

  /**
   * The counts packed as a V2 body without its header or deflate (unpackSlots reads them back): a
   * couple of bytes a slot, for what is kept by the thousand (the buckets of a run) and read back
   * whole, with no zlib stream to build and tear down each way.
   */
  pack(): Uint8Array {
    const at = this.writeBody();
    return new Uint8Array(ENCODE_SCRATCH.subarray(V2_HEADER_BYTES, at));
  }

  /** Back to empty, keeping its memory: one open bucket after another reuses it. */
  reset(): void {
    for (let i = 0; i < this.size; i += 1) this.counts[this.used[i]!] = 0;
    if (this.size > 0) this.marked.fill(0, this.lowest >>> 5, (this.highest >>> 5) + 1);
    this.size = 0;
    this.ordered = true;
    this.lowest = SLOTS;
    this.highest = -1;
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

/** The count at which a percentile is reached, rounded as HdrHistogram rounds it. */
function rank(percentile: number, total: number): number {
  const fp = (percentile / 100) * total;
  return Math.max(Math.ceil(fp - ulp(fp)), 1);
}

/** A percentile (or the maximum) of one decoded interval, in ms, as hdr-histogram-js computes it. */
export function slotValueMs(slots: SlotCounts, key: LatencyKey): number {
  if (slots.length === 0) return 0;
  if (key === 'max') return SLOT_HIGHEST_MS[slots.slots[slots.length - 1]!]!;
  const wanted = rank(PERCENTILES[key], slots.total);
  let cumulative = 0;
  for (let i = 0; i < slots.length; i += 1) {
    cumulative += slots.counts[i]!;
    if (cumulative >= wanted) return SLOT_HIGHEST_MS[slots.slots[i]!]!;
  }
  return SLOT_HIGHEST_MS[slots.slots[slots.length - 1]!]!;
}

/** A summary as a record keeps it (store/records.ts): zeros, not nulls, when nothing was recorded. */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

const NOTHING_RECORDED: LatencySummary = { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };

/** Summed counts summarised as a record keeps them. */
export function countsSummary(counts: LatencyCounts): LatencySummary {
  if (counts.total === 0) return NOTHING_RECORDED;
  const summary = counts.summary();
  return { count: summary.count, mean: summary.mean!, p50: summary.p50!, p90: summary.p90!, p99: summary.p99!, max: summary.max! };
}

/** Room for recordedSummary and encodeRecorded, reused: a driver summarises and encodes a few histograms every interval. */
let recordedScratch: LatencyCounts | undefined;

/** A driver's histogram copied into the scratch counts, slot by slot up to its maximum's. */
function recordedCounts(histogram: Histogram): LatencyCounts {
  const counts = (recordedScratch ??= new LatencyCounts());
  counts.reset();
  counts.addRecorded(histogram as unknown as SlotAccess & { totalCount: number }, slotOf(Math.max(1, histogram.maxValue)));
  return counts;
}

/**
 * A histogram's summary as a record keeps it. Its figures are computed as the library computes them
 * (LatencyCounts), and the maximum is the value recorded: the library's own mean and percentiles walk
 * every slot through an iterator, about 2.5 ms a histogram, on each driver thread every interval.
 */
export function recordedSummary(histogram: Histogram): LatencySummary {
  if (histogram.totalCount === 0) return NOTHING_RECORDED;
  return { ...countsSummary(recordedCounts(histogram)), max: toMs(histogram.maxValue) };
}

/** A driver's histogram encoded as the records keep it (LatencyCounts.encode). */
export function encodeRecorded(histogram: Histogram): string {
  return recordedCounts(histogram).encode();
}
