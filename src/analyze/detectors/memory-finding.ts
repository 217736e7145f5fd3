import { figure, HOUR_MS, MB, megabytes, offset, pValue, round } from '../../core/format.js';
import type { GrowthTest } from '../growth.js';
import type { RunFacts } from '../facts/builder.js';
import type { NodeProcess, OsProcess } from '../facts/processes.js';
import type { Finding } from '../types.js';
import type { MemoryVerdict } from './memory-judge.js';
import type { MemoryKind } from './memory-series.js';
import { memoryLimitOf } from './trend-input.js';

export interface ProcessMemory {
  pid: number;
  process?: NodeProcess | OsProcess;
  verdicts: MemoryVerdict[];
  /** Each series' fitted slope, bytes per ms, whether or not it has a verdict. */
  slopes: Partial<Record<MemoryKind, number>>;
}

/** What a finding names: the RSS of a Node process, when named, is native memory (memory-leak.ts). */
type Named = 'heap' | 'off-heap' | 'native' | 'rss';
const NAMED: Record<MemoryKind, Named> = { heap: 'heap', 'off-heap': 'off-heap', rss: 'native', tree: 'rss' };
const NOUN: Record<Named, string> = { heap: 'Heap', 'off-heap': 'Off-heap memory', native: 'Native memory', rss: 'Memory' };
const WHAT: Record<Named, string> = {
  heap: 'the JS heap',
  'off-heap': 'off-heap memory: Buffers and other ArrayBuffer backing stores outside the JS heap',
  native: "native memory: the process's RSS grows far faster than its JS heap and off-heap memory together (an addon, a native library, the allocator keeping what it freed)",
  rss: 'the resident memory of the process tree',
};

const perHour = (perMs: number) => round((perMs * HOUR_MS) / MB);
const endOf = (growth: GrowthTest) => growth.y0 + growth.slopePerMs * (growth.windowEnd - growth.t0);
const isNode = (process: NodeProcess | OsProcess | undefined): process is NodeProcess => process !== undefined && 'heapLimit' in process;


/** The process's RSS at the end of a window: the last reading at or before it. */
function rssAt(process: NodeProcess | OsProcess | undefined, t: number): number | undefined {
  let found: number | undefined;
  for (const entry of process?.rss.entries() ?? []) if (entry.t <= t) found = entry.y;
  return found;
}

interface Projection {
  limit: { bytes: number; name: string };
  /** What reaches it: the series itself, or the process's RSS. */
  level: number;
  hours: number;
  at: number;
}

function project(level: number, perMs: number, limit: { bytes: number; name: string }, from: number): Projection | undefined {
  if (!(limit.bytes > 0) || !(perMs > 0)) return undefined;
  const hours = Math.max(0, (limit.bytes - level) / perMs / HOUR_MS);
  return { limit, level, hours, at: from + hours * HOUR_MS };
}

/**
 * The limit that stops the process first at this rate: the heap limit for the heap (or the memory
 * limit, if the RSS gets there first); the container's, cgroup's or machine's memory, reached by the
 * RSS, for off-heap and native memory.
 */
function projection(facts: RunFacts, service: string, verdict: MemoryVerdict, memory: Named, process: NodeProcess | OsProcess | undefined): Projection | undefined {
  const { growth, judgement } = verdict;
  const rate = growth.slopePerMs;
  const memoryLimit = memoryLimitOf(facts, service);
  const rss = rssAt(process, growth.windowEnd);
  const byMemory = project(rss ?? endOf(judgement.raw), rate, memoryLimit, growth.windowEnd);
  if (memory !== 'heap' || !isNode(process)) return byMemory;
  const byHeap = project(endOf(judgement.raw), rate, { bytes: process.heapLimit, name: 'heap limit' }, growth.windowEnd);
  return byHeap && (!byMemory || rss === undefined || byHeap.hours <= byMemory.hours) ? byHeap : byMemory;
}

function loadWords(verdict: MemoryVerdict): string {
  const { perUnit, gauge } = verdict.judgement;
  if (!perUnit || !gauge) return '';
  return ` It grows beyond what the load holds: the ${figure(perHour(verdict.judgement.raw.slopePerMs))} MB/h measured includes about ${figure(perUnit.slope / 1024)} KB per ${gauge.unit} (${figure(gauge.from)} to ${figure(gauge.to)} over the window), which this rate leaves out.`;
}

function othersWords(process: ProcessMemory, named: MemoryVerdict): string {
  const others = process.verdicts.filter((verdict) => verdict !== named && verdict.growth.slopePerMs > 0);
  if (others.length === 0) return '';
  const label = (verdict: MemoryVerdict) => (verdict.series.memory === 'rss' ? 'RSS' : NOUN[NAMED[verdict.series.memory]].toLowerCase());
  return ` Growing with it: ${others.map((verdict) => `${label(verdict)} ${figure(perHour(verdict.growth.slopePerMs))} MB/h`).join(', ')}.`;
}

function commonEvidence(verdict: MemoryVerdict, memory: Named, growth: GrowthTest, facts: RunFacts) {
  const { series, judgement } = verdict;
  return {
    memory,
    series: series.label,
    pid: series.pid,
    slopeMBPerHour: perHour(growth.slopePerMs),
    slopeLowMBPerHour: perHour(growth.slopeLowPerMs),
    slopeHighMBPerHour: perHour(growth.slopeHighPerMs),
    confidence: 0.95,
    tailSlopeMBPerHour: perHour(growth.tailSlopePerMs),
    p: growth.p,
    alpha: facts.config.alpha,
    tau: round(growth.tau),
    n: growth.n,
    windowStart: growth.windowStart,
    windowEnd: growth.windowEnd,
    fittedStartMB: round(growth.y0 / MB),
    fittedEndMB: round(endOf(growth) / MB),
    riseMB: round(growth.rise / MB),
    ...(judgement.perUnit && judgement.gauge
      ? { perUnitKB: round(judgement.perUnit.slope / 1024), loadUnit: judgement.gauge.unit, loadFrom: round(judgement.gauge.from), loadTo: round(judgement.gauge.to), measuredSlopeMBPerHour: perHour(judgement.raw.slopePerMs) }
      : {}),
    ...(judgement.perUnit?.p !== undefined ? { perUnitP: judgement.perUnit.p } : {}),
    ...(series.gcReadings ? { postGcReadings: series.gcReadings.length } : {}),
    trend: { t0: growth.t0, y0: Math.round(growth.y0), slopePerMs: growth.slopePerMs },
    values: series.points.map((point) => ({ t: Math.round(point.x), mb: round(point.y / MB) })),
  };
}

function leakFinding(facts: RunFacts, service: string, process: ProcessMemory, verdict: MemoryVerdict, pids: number[]): Finding {
  const { config } = facts;
  const { series, growth } = verdict;
  const memory = NAMED[verdict.series.memory];
  const rate = perHour(growth.slopePerMs);
  const why =
    verdict.outcome === 'leak'
      ? `above the ${figure(config.minLeakMBPerHour)} MB/h leak threshold and ${growth.tailSlopePerMs > 0 ? 'still rising at the end of the window' : 'not shown to stop by the end of the window'} (last quarter: ${figure(perHour(growth.tailSlopePerMs))} MB/h)`
      : `above the ${figure(config.heapGrowthMBPerHour!)} MB/h growth budget`;
  const reach = projection(facts, service, verdict, memory, process.process);
  const whatReaches = memory === 'heap' || memory === 'rss' ? 'it' : `the process's RSS (${megabytes(reach?.level ?? 0)})`;
  const oom = reach ? ` At this rate ${whatReaches} reaches the ${megabytes(reach.limit.bytes)} ${reach.limit.name} ${reach.hours > 0 ? `in ${figure(reach.hours)} h` : 'already'}.` : '';
  const confirmation = series.gcReadings ? ` The readings after ${series.gcReadings.length} major GCs rise as well.` : '';
  return {
    kind: 'memory-leak',
    severity: 'fail',
    title: `${NOUN[memory]} of ${service} grows ${figure(rate)} MB/h`,
    service,
    at: verdict.at,
    evidence: {
      summary:
        `The ${series.label} of ${service} (pid ${series.pid}) rose from ${megabytes(growth.y0)} to ${megabytes(endOf(growth))} between ` +
        `${offset(growth.windowStart, facts.startT)} and ${offset(growth.windowEnd, facts.startT)}: ${figure(rate)} MB/h ` +
        `(95% CI ${figure(perHour(growth.slopeLowPerMs))} to ${figure(perHour(growth.slopeHighPerMs))}), Mann-Kendall ${pValue(growth.p)} ` +
        `over ${growth.n} points, ${why}. What leaks is ${WHAT[memory]}.${loadWords(verdict)}${othersWords(process, verdict)}${confirmation}${oom}`,
      ...commonEvidence(verdict, memory, growth, facts),
      ...(pids.length > 1 ? { pidsGrowing: pids } : {}),
      leakThresholdMBPerHour: config.minLeakMBPerHour,
      ...(config.heapGrowthMBPerHour !== undefined ? { budgetMBPerHour: config.heapGrowthMBPerHour } : {}),
      ...(reach ? { limitMB: round(reach.limit.bytes / MB), limitName: reach.limit.name, projectedLimitAt: Math.round(reach.at), hoursToLimit: round(reach.hours) } : {}),
    },
  };
}

/** Growth the load explains (info), or growth beside a load that rose the whole time (warn: it cannot be told from a leak). */
function withLoadFinding(facts: RunFacts, service: string, process: ProcessMemory, verdict: MemoryVerdict): Finding {
  const { series, judgement } = verdict;
  const memory = NAMED[verdict.series.memory];
  const noun = series.memory === 'rss' ? 'RSS' : NOUN[memory];
  const raw = judgement.raw;
  const gauge = judgement.gauge!;
  const perUnit = judgement.perUnit ? `about ${figure(judgement.perUnit.slope / 1024)} KB per ${gauge.unit}` : 'no figure per unit';
  const rose = `The ${series.label} of ${service} (pid ${series.pid}) rose from ${megabytes(raw.y0)} to ${megabytes(endOf(raw))} between ${offset(raw.windowStart, facts.startT)} and ${offset(raw.windowEnd, facts.startT)} (${figure(perHour(raw.slopePerMs))} MB/h)`;
  const confounded = verdict.outcome === 'confounded';
  const summary = confounded
    ? `${rose} while the load rose steadily from ${figure(gauge.from)} to ${figure(gauge.to)} (${gauge.unit}): ${perUnit} if it is all the load's. The load never held steady in the window, so growth per ${gauge.unit} cannot be told from a leak: hold the load steady for part of the run (a steady phase after the ramp) to tell.`
    : `${rose} while the load held ${figure(gauge.from)} to ${figure(gauge.to)} (${gauge.unit}, up to ${figure(gauge.peak)}): ${perUnit} (Kendall ${pValue(judgement.perUnit?.p ?? 1)}). Beyond that it does not grow as a leak does (${figure(perHour(judgement.beyond.slopePerMs))} MB/h, Mann-Kendall ${pValue(judgement.beyond.p)}): memory that follows the load it holds is not a leak.`;
  return {
    kind: 'memory-with-load',
    severity: confounded ? 'warn' : 'info',
    title: confounded ? `${noun} of ${service} grows with a load that only rose: leak or load cannot be told apart` : `${noun} of ${service} grows with the load: ${perUnit}`,
    service,
    evidence: { summary, ...commonEvidence(verdict, memory, raw, facts), beyondSlopeMBPerHour: perHour(judgement.beyond.slopePerMs), beyondP: judgement.beyond.p, confounded },
  };
}

export function memoryFinding(facts: RunFacts, service: string, process: ProcessMemory, verdict: MemoryVerdict, pids: number[]): Finding {
  return verdict.outcome === 'leak' || verdict.outcome === 'over-budget' ? leakFinding(facts, service, process, verdict, pids) : withLoadFinding(facts, service, process, verdict);
}
