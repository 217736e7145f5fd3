import { ScenarioError } from '../scenario/errors.js';
import type { Scenario, ScenarioInput } from '../scenario/index.js';
import type { ScenarioOverrides } from '../wiring/index.js';

export interface AdhocFlags {
  cmd: string;
  path: string;
  rate?: string;
  connections?: string;
  duration: string;
  name?: string;
  ready?: string;
  readyTimeout?: string;
  p99?: string;
  errorRate?: string;
  sampleInterval?: string;
  warmup?: string;
}

function number(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  // Left as the text when it is not a number, so validation names the flag's field.
  return Number.isNaN(value) ? (text as unknown as number) : value;
}

/** `soak run --cmd ...` is a one-target, one-phase scenario; it goes through the same validation as a file. */
export function adhocScenario(flags: AdhocFlags): ScenarioInput {
  const rate = number(flags.rate);
  const connections = number(flags.connections);
  return {
    name: flags.name ?? 'adhoc',
    target: {
      cmd: flags.cmd,
      ready: { ...(flags.ready ? { path: flags.ready } : {}), ...(flags.readyTimeout ? { timeout: flags.readyTimeout } : {}) },
    },
    load: {
      kind: 'http',
      path: flags.path,
      phases: [{ kind: 'steady', duration: flags.duration, ...(rate !== undefined ? { rate } : {}), ...(connections !== undefined ? { connections } : {}), ...(rate === undefined && connections === undefined ? { rate: 50 } : {}) }],
    },
    budgets: { ...(flags.p99 ? { p99: flags.p99 } : {}), ...(flags.errorRate ? { errorRate: number(flags.errorRate) } : {}) },
    ...(flags.sampleInterval ? { sampleInterval: flags.sampleInterval } : {}),
    ...(flags.warmup ? { analysis: { warmup: flags.warmup } } : {}),
  } as ScenarioInput;
}

/** The scenario field each ad-hoc flag fills, so an error names the flag the user typed. */
const flagOfField: Record<string, string> = {
  name: '--name',
  'target.cmd': '--cmd',
  'target.ready.path': '--ready',
  'target.ready.timeout': '--ready-timeout',
  'load.path': '--path',
  'load.phases[0]': '--rate / --connections',
  'load.phases[0].duration': '--duration',
  'load.phases[0].rate': '--rate',
  'load.phases[0].connections': '--connections',
  'budgets.p99': '--p99',
  'budgets.errorRate': '--error-rate',
  sampleInterval: '--sample-interval',
  'analysis.warmup': '--warmup',
};

/** The ad-hoc scenario, validated; a bad value is reported against its flag (`--rate: expected a positive number`). */
export async function resolveAdhoc(flags: AdhocFlags, overrides: ScenarioOverrides): Promise<Scenario> {
  // Loaded when a run starts: the wiring brings every domain's registry.
  const { resolveScenario } = await import('../wiring/index.js');
  try {
    return resolveScenario(adhocScenario(flags), undefined, overrides);
  } catch (error) {
    const flag = error instanceof ScenarioError ? flagOfField[error.field] : undefined;
    if (flag) throw new ScenarioError(flag, (error as ScenarioError).reason);
    throw error;
  }
}
