import { readdirSync, readFileSync } from 'node:fs';
import type { OsProbeSample } from '../store/records.js';

/** Linux reports CPU times in USER_HZ, fixed at 100 for user space on every mainstream architecture. */
const TICKS_PER_SECOND = 100;

/** The page size, from the one process whose rss is known in bytes too: this one. */
const pageSize = (() => {
  const pages = readStat(process.pid)?.rssPages ?? 0;
  const ratio = pages > 0 ? process.memoryUsage().rss / pages : 4096;
  return 2 ** Math.round(Math.log2(ratio));
})();

interface ProcStat {
  pid: number;
  ppid: number;
  zombie: boolean;
  /** Own CPU time plus that of reaped children, ticks: a short-lived child's CPU shows up in its parent once it is waited for. */
  ticks: number;
  /** Start time, ticks after boot: tells a reused pid from the process seen last time. */
  started: number;
  threads: number;
  rssPages: number;
}

/** Fields of /proc/<pid>/stat (proc(5)), counted from the state field that follows the command name. */
function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // The command name is in parentheses and may itself hold spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const field = (n: number) => Number(fields[n - 3]);
  return {
    pid,
    ppid: field(4),
    zombie: fields[0] === 'Z',
    ticks: field(14) + field(15) + field(16) + field(17),
    started: field(22),
    threads: field(20),
    rssPages: field(24),
  };
}

function readAllStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    const code = entry.charCodeAt(0);
    if (code < 48 || code > 57) continue;
    const stat = readStat(Number(entry));
    if (stat) stats.push(stat);
  }
  return stats;
}

/** The root and all its descendants (children of children too), from one scan of /proc. */
function processTree(rootPid: number, all: ProcStat[]): ProcStat[] {
  const childrenOf = new Map<number, ProcStat[]>();
  let root: ProcStat | undefined;
  for (const stat of all) {
    if (stat.pid === rootPid) root = stat;
    const siblings = childrenOf.get(stat.ppid);
    if (siblings) siblings.push(stat);
    else childrenOf.set(stat.ppid, [stat]);
  }
  if (!root || root.zombie) return [];
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(childrenOf.get(tree[i]!.pid) ?? []));
  return tree;
}

export type ProcessTreeSample = Omit<OsProbeSample, 'service'>;

/**
 * Samples one process tree from /proc, any language: rss and threads summed over the tree, the
 * number of descendants (how "a child process spawned per request" shows), and the tree's CPU
 * since the previous sample. Each sample reads /proc once.
 */
export class ProcessTreeSampler {
  private lastAt = performance.now();
  /** pid -> (start time, ticks) of the tree at the previous sample. */
  private last = new Map<number, { started: number; ticks: number }>();

  constructor(readonly rootPid: number) {
    this.remember(processTree(rootPid, readAllStats()));
  }

  /** undefined once the root process is gone. */
  sample(): ProcessTreeSample | undefined {
    const tree = processTree(this.rootPid, readAllStats());
    if (tree.length === 0) return undefined;
    const now = performance.now();
    let ticks = 0;
    let rssPages = 0;
    let threads = 0;
    const seen = new Set<number>();
    for (const stat of tree) {
      const before = this.last.get(stat.pid);
      ticks += before && before.started === stat.started ? stat.ticks - before.ticks : stat.ticks;
      rssPages += stat.rssPages;
      threads += stat.threads;
      seen.add(stat.pid);
    }
    // A member that exited was reaped by its parent, whose child times now include it: take
    // back what was already counted for it, so its CPU is counted once.
    for (const [pid, before] of this.last) if (!seen.has(pid)) ticks -= before.ticks;
    const seconds = (now - this.lastAt) / 1000;
    this.lastAt = now;
    this.remember(tree);
    return {
      source: 'os',
      t: Date.now(),
      pid: this.rootPid,
      rss: rssPages * pageSize,
      cpuPercent: seconds > 0 ? Math.round((Math.max(0, ticks) / TICKS_PER_SECOND / seconds) * 1000) / 10 : 0,
      children: tree.length - 1,
      threads,
    };
  }

  private remember(tree: ProcStat[]): void {
    this.last = new Map(tree.map((stat) => [stat.pid, { started: stat.started, ticks: stat.ticks }]));
  }
}
