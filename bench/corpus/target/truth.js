// The target's own account of what it holds, taken by the code that holds it: a timeline of samples
// appended to TRUTH_FILE (one JSON object per line) and served at GET /__truth. Independent of soak's
// probe, so a finding's numbers can be checked against it.
import { appendFileSync, readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';

/** The memory limit of this process's cgroup (v1 or v2), else the machine's memory. */
function memoryLimit() {
  const machine = totalmem();
  try {
    for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
      const [, controllers, path] = line.split(':');
      const file =
        controllers === 'memory' ? `/sys/fs/cgroup/memory${path}/memory.limit_in_bytes` : controllers === '' && path ? `/sys/fs/cgroup${path}/memory.max` : undefined;
      if (!file) continue;
      const limit = Number(readFileSync(file, 'utf8').trim());
      if (Number.isFinite(limit) && limit > 0) return Math.min(limit, machine);
    }
  } catch {
    // No cgroup files to read: the machine's memory is the limit.
  }
  return machine;
}

/** Major GCs as the process sees them: count and pauses. */
function watchGc() {
  const gc = { majors: 0, majorMaxMs: 0, majorTotalMs: 0, minors: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        gc.majors += 1;
        gc.majorTotalMs += entry.duration;
        gc.majorMaxMs = Math.max(gc.majorMaxMs, entry.duration);
      } else gc.minors += 1;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return gc;
}

function handleCounts() {
  const counts = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

const round = (value) => Math.round(value * 100) / 100;

/**
 * sources: { params, retainer?, pacer?, connections, ws?, requests(), handlerMaxMs(), index? }.
 * Returns { sample(), start, stop() }.
 */
export function startTruth(sources) {
  const { params } = sources;
  const gc = watchGc();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  let loopMaxMs = 0;
  const start = {
    type: 'start',
    t: Date.now(),
    pid: process.pid,
    params,
    heapLimit: getHeapStatistics().heap_size_limit,
    memoryLimit: memoryLimit(),
    ...(sources.index ? { index: { entries: sources.index.entries.length, bytes: sources.index.bytes, buildMs: sources.index.buildMs } } : {}),
  };
  const write = (record) => params.truthFile && appendFileSync(params.truthFile, `${JSON.stringify(record)}\n`);

  /** `closesInterval`: the timeline's own samples start a new interval of loop delay; a look through /__truth does not. */
  const sample = (closesInterval = false) => {
    const { retainer, pacer } = sources;
    const memory = process.memoryUsage();
    const intervalMaxMs = loopDelay.max / 1e6;
    loopMaxMs = Math.max(loopMaxMs, intervalMaxMs);
    if (closesInterval) loopDelay.reset();
    return {
      type: 'sample',
      t: Date.now(),
      retained: retainer
        ? { kind: params.retain, unit: retainer.unit, held: retainer.held, pieces: retainer.count, ...(pacer ? { paced: pacer.state.paced, releases: pacer.state.releases } : {}) }
        : { kind: 'none', unit: 'bytes', held: 0, pieces: 0 },
      connections: { ...sources.connections.snapshot(), ws: sources.ws?.clients.size ?? 0 },
      requests: sources.requests(),
      handlerMaxMs: round(sources.handlerMaxMs()),
      loopDelay: { intervalMaxMs: round(intervalMaxMs), maxMs: round(loopMaxMs) },
      gc: { majors: gc.majors, majorMaxMs: round(gc.majorMaxMs), majorTotalMs: round(gc.majorTotalMs), minors: gc.minors },
      process: { heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, external: memory.external, arrayBuffers: memory.arrayBuffers, rss: memory.rss },
      handles: handleCounts(),
    };
  };

  write(start);
  const timer = setInterval(() => write(sample(true)), params.truthIntervalMs);
  return {
    start,
    sample: () => sample(),
    stop() {
      clearInterval(timer);
      write(sample(true));
    },
  };
}
