import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { SoakError } from '../core/errors.js';
import { preloadPath } from '../probe/collector.js';
import type { LocalOptions } from '../runtime/local.js';
import type { ServiceConfig } from '../scenario/types.js';

/**
 * --profile: the target runs under Clinic.js (`clinic flame` for a CPU flame graph, `clinic doctor`
 * for its diagnosis), which writes an HTML report when the target is stopped with SIGINT.
 * Clinic is an optional peer of soak (it brings ~700 packages): it is looked up only when asked for.
 */
export const profileTools = ['flame', 'doctor'] as const;
export type ProfileTool = (typeof profileTools)[number];

/** Where clinic writes, inside the run directory. */
export const PROFILE_DIR = 'clinic';
/** Clinic analyses what it collected after the target stops; a long run's flame graph takes a while. */
const ANALYSIS_TIMEOUT_MS = 180_000;

export function clinicBin(): string {
  try {
    return createRequire(import.meta.url).resolve('clinic/bin.js');
  } catch {
    throw new SoakError('unsupported', '--profile needs Clinic.js: npm install --save-dev clinic');
  }
}

const quote = (text: string) => `"${text.replace(/(["\\$`])/g, '\\$1')}"`;

/** The rest of a `node ...` command line after "node"; only such a local service can run under clinic, which must launch node itself. */
export function profilableCommand(service: ServiceConfig, tool: ProfileTool): string {
  const options = service.options as LocalOptions;
  const node = /^\s*node(?=\s|$)(.*)$/s.exec(options.cmd ?? '');
  if (service.runtime !== 'local' || !node) {
    throw new SoakError('usage', `--profile ${tool}: target "${service.name}" must be a local service started as "node ..." (it is ${service.runtime === 'local' ? `"${options.cmd}"` : `a ${service.runtime} service`})`);
  }
  clinicBin();
  return node[1]!;
}

/**
 * The service re-written to start under clinic. The probe is loaded by the command line rather than by
 * NODE_OPTIONS (see withoutProbeRequire), so clinic's own process is not probed as the service.
 */
export function profiledService(service: ServiceConfig, tool: ProfileTool, runDir: string): ServiceConfig {
  const rest = profilableCommand(service, tool);
  const dest = join(runDir, PROFILE_DIR, service.name);
  mkdirSync(dest, { recursive: true });
  const probe = service.probe ? ` --require ${quote(preloadPath)}` : '';
  const cmd = `${quote(process.execPath)} ${quote(clinicBin())} ${tool} --open=false --dest ${quote(dest)} -- node${probe}${rest}`;
  return {
    ...service,
    // NO_INSIGHT: clinic asks for consent to telemetry on first use, and without a terminal it quits silently instead.
    env: { ...service.env, NO_INSIGHT: '1' },
    options: { ...(service.options as LocalOptions), cmd, stopSignal: 'SIGINT', stopTimeout: ANALYSIS_TIMEOUT_MS } satisfies LocalOptions,
  };
}

/** NODE_OPTIONS without the probe's --require, for a service whose command line loads the probe itself. */
export function withoutProbeRequire(env: Record<string, string>): Record<string, string> {
  if (env.NODE_OPTIONS === undefined) return env;
  const rest = env.NODE_OPTIONS.replace(`--require "${preloadPath}"`, '').trim();
  const { NODE_OPTIONS: _dropped, ...others } = env;
  return rest ? { ...others, NODE_OPTIONS: rest } : others;
}

export interface ProfileReport {
  service: string;
  tool: string;
  /** Relative to the run directory, so the link works wherever the directory is copied. */
  path: string;
}

/** The HTML reports clinic wrote in a run directory. */
export function profileReports(runDir: string): ProfileReport[] {
  const root = join(runDir, PROFILE_DIR);
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((service) =>
      readdirSync(join(root, service.name))
        .map((file) => /\.clinic-([a-z-]+)\.html$/.exec(file))
        .filter((match): match is RegExpExecArray => match !== null)
        .map((match) => ({ service: service.name, tool: match[1]!, path: relative(runDir, join(root, service.name, match.input)) })),
    );
}
