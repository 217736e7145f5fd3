import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { GeneratorFigures } from '../store/records.js';

/**
 * The delay histogram counts whole timer periods, so the resolution is subtracted (as in the probe).
 * 20 ms rather than the probe's 10: an idle driver thread wakes for it alone, and a stall of the
 * generator worth reporting is longer anyway.
 */
const LOOP_RESOLUTION_MS = 20;
/** Linux reports thread CPU in clock ticks of 1/100 s (USER_HZ, fixed for user space). */
const TICKS_PER_SECOND = 100;

const roundTo = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** This thread's CPU time in seconds (user + system), from /proc/thread-self; undefined where there is no such file. */
function threadCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'latin1');
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * What a load driver's own thread did in each interval: its event-loop delay, how much of the time
 * the loop was busy, and the thread's CPU. A thread that is busy all the time cannot send on time
 * or read responses when they arrive, so its latencies are partly its own: these figures let the
 * analysis tell a saturated generator from a slow target.
 */
export class GeneratorMonitor {
  private readonly delay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  private lastUtilization: EventLoopUtilization = performance.eventLoopUtilization();
  private lastCpu = threadCpuSeconds();
  private lastAt = performance.now();

  constructor() {
    this.delay.enable();
  }

  /** The figures since the previous call (or since it was made). */
  sample(): Omit<GeneratorFigures, 'threads' | 'sendLag'> {
    const now = performance.now();
    const seconds = (now - this.lastAt) / 1000;
    const currentUtilization = performance.eventLoopUtilization();
    const utilization = performance.eventLoopUtilization(currentUtilization, this.lastUtilization);
    const cpu = threadCpuSeconds();
    const delay = (ns: number) => roundTo(Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS), 3);
    const figures = {
      loopDelay: this.delay.count === 0 ? { p99: 0, max: 0 } : { p99: delay(this.delay.percentile(99)), max: delay(this.delay.max) },
      utilization: roundTo(utilization.utilization, 4),
      ...(cpu !== undefined && this.lastCpu !== undefined && seconds > 0 ? { cpu: roundTo((cpu - this.lastCpu) / seconds, 3) } : {}),
    };
    this.delay.reset();
    this.lastUtilization = currentUtilization;
    this.lastCpu = cpu;
    this.lastAt = now;
    return figures;
  }

  stop(): void {
    this.delay.disable();
  }
}
