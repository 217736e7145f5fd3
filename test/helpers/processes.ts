import { readdirSync, readFileSync } from 'node:fs';

/** True while a process with this pid exists (and is not a zombie). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Pids of live processes whose environment carries SOAK_RUN_ID: what soak started and must not
 * leave behind. Only this test file's (test/setup.ts marks them), when the marker is there.
 */
export function soakStartedPids(): number[] {
  const owner = process.env.SOAK_TEST_OWNER;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
      const ours = owner === undefined || environ.includes(`\0SOAK_TEST_OWNER=${owner}\0`) || environ.startsWith(`SOAK_TEST_OWNER=${owner}\0`);
      if (environ.includes('SOAK_RUN_ID=') && ours && isAlive(Number(entry))) pids.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return pids;
}

export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 5000, stepMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return true;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  return predicate();
}

/** Live children of `pid` whose command line contains `needle` (every child without one). */
export function childrenOf(pid: number, needle = ''): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === pid && isAlive(Number(entry)) && readFileSync(`/proc/${entry}/cmdline`, 'latin1').includes(needle)) children.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return children;
}
