/**
 * From cells to soak runs: cells of one group share a run; each run becomes a scenario object with one
 * target (the corpus target, parameterised by env) and one load stream per cell.
 */
import type { Cell, LoadPhase, TargetParams } from './cells.js';

export interface PlannedRun {
  /** The group's name, or the cell's when it runs alone. */
  id: string;
  cells: Cell[];
  durationMs: number;
  light: boolean;
}

/** Runs in catalogue order; `capMs` shortens every run (the --quick smoke check). */
export function planRuns(cells: Cell[], capMs = Infinity): PlannedRun[] {
  const runs = new Map<string, Cell[]>();
  for (const cell of cells) {
    const id = cell.group ?? cell.name;
    runs.set(id, [...(runs.get(id) ?? []), cell]);
  }
  return [...runs].map(([id, members]) => {
    const minutes = new Set(members.map((cell) => cell.minutes));
    if (minutes.size > 1) throw new Error(`group ${id}: its cells must have one length, got ${[...minutes].join(', ')} min`);
    return { id, cells: members, durationMs: Math.min(members[0]!.minutes * 60_000, capMs), light: members.every((cell) => cell.light === true) };
  });
}

function targetEnv(params: TargetParams, durationMs: number, truthFile: string): Record<string, string> {
  const env: Record<string, string | number | undefined> = {
    RETAIN: params.retain,
    RETAIN_PER_HOUR: params.perHour,
    RETAIN_PER_REQUEST: params.perRequest,
    RETAIN_SHAPE: params.shape,
    PLAN_MS: params.shape === 'plateau' ? durationMs : undefined,
    PLATEAU_AT: params.plateauAt,
    STEP_EVERY_MS: params.stepEveryMs,
    SAWTOOTH_PERIOD_MS: params.sawtoothPeriodMs,
    CONN_STATE_BYTES: params.connStateBytes,
    RESPONSE_DELAY_MS: params.responseDelayMs,
    INDEX_MB: params.indexMB,
    RESULT_CACHE: params.resultCache,
    WS: params.ws ? 1 : undefined,
    TRUTH_FILE: truthFile,
  };
  return Object.fromEntries(Object.entries(env).flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)]])));
}

/** Phases as soak takes them, their lengths the shares of the run rounded to whole seconds (the last one takes the rest). */
function phases(load: LoadPhase[], durationMs: number): Record<string, unknown>[] {
  const totalS = Math.round(durationMs / 1000);
  let used = 0;
  return load.map((phase, index) => {
    const seconds = index === load.length - 1 ? totalS - used : Math.round(phase.share * totalS);
    used += seconds;
    return {
      kind: phase.kind,
      duration: `${seconds}s`,
      ...(phase.rate !== undefined ? { rate: phase.rate } : {}),
      ...(phase.connections !== undefined ? { connections: phase.connections } : {}),
    };
  });
}

function stream(cell: Cell, durationMs: number): Record<string, unknown> {
  const common = { name: cell.name, target: cell.name, phases: phases(cell.load.phases, durationMs) };
  if (cell.load.kind === 'http') return { kind: 'http', path: '/', ...common };
  return {
    kind: 'ws',
    path: '/',
    connectRate: cell.load.connectRate,
    messageRate: cell.load.messageRate,
    message: { id: '{{seq}}' },
    expectReply: 'id',
    ...common,
  };
}

/** The scenario of a run at default thresholds: no budgets, no analysis settings. */
export function scenarioOf(run: PlannedRun, truthFileOf: (cell: Cell) => string): Record<string, unknown> {
  return {
    name: `corpus-${run.id}`,
    description: run.cells.map((cell) => `${cell.name}: ${cell.what}`).join('; '),
    targets: run.cells.map((cell) => ({
      name: cell.name,
      cmd: 'node bench/corpus/target/server.js',
      env: targetEnv(cell.target, run.durationMs, truthFileOf(cell)),
      // Building a large index takes a while before the target listens.
      ready: { path: '/health', timeout: '180s' },
    })),
    load: run.cells.map((cell) => stream(cell, run.durationMs)),
  };
}
