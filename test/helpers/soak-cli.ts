import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const soakBin = join(repoRoot, 'bin/soak.js');

export interface SoakResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the real CLI (as a user would), from the repo root or the given directory. */
export function startSoak(args: string[], env: Record<string, string> = {}, cwd = repoRoot): { child: ChildProcess; result: Promise<SoakResult> } {
  const child = spawn(process.execPath, [soakBin, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (data: Buffer) => (stdout += data.toString()));
  child.stderr!.on('data', (data: Buffer) => (stderr += data.toString()));
  const result = new Promise<SoakResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, result };
}

export function runSoak(args: string[], env: Record<string, string> = {}, timeoutMs = 150_000, cwd = repoRoot): Promise<SoakResult> {
  const { child, result } = startSoak(args, env, cwd);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return result.finally(() => clearTimeout(timer));
}

/** The CLI run in a project directory of its own (a user's project). */
export const runSoakIn = (cwd: string, args: string[], env: Record<string, string> = {}) => runSoak(args, env, 150_000, cwd);

export interface SummaryJson {
  verdict: 'pass' | 'fail' | 'incomplete';
  findings: { kind: string; severity: string; title: string; evidence: Record<string, unknown> }[];
  load: { requests: number; errors: number } & Record<string, unknown>;
  target: unknown;
  run: { endReason?: string } & Record<string, unknown>;
}

export function readSummary(dir: string): SummaryJson {
  return JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as SummaryJson;
}

export function hasReport(dir: string): boolean {
  return existsSync(join(dir, 'report.html')) && existsSync(join(dir, 'summary.json'));
}

export const fixtureServer = (name: string) => `node ${join(repoRoot, 'test/fixtures/servers', name)}`;
